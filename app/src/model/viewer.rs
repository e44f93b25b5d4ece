//! Who is looking at the page.

use serde::{Deserialize, Serialize};

/// The signed-in administrator, as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub email: String,
    pub is_super: bool,
    /// The tenant a tenant administrator belongs to (name, slug).
    pub tenant: Option<(String, String)>,
}
