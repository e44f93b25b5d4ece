//! Isomorphic data: validated newtypes and the DTOs pages receive.

pub mod alert;
pub mod audit;
pub mod bulk;
pub mod console;
pub mod contract;
pub mod conversation;
pub mod day;
pub mod email;
pub mod event;
pub mod history;
pub mod overview;
pub mod pool_key;
pub mod range;
pub mod subscription;
pub mod tenant;
pub mod viewer;

pub use email::EmailAddress;
pub use pool_key::{PoolGroup, PoolKey};
pub use tenant::{LicenseModel, Locale, TenantId, TenantState};
pub use viewer::Viewer;

/// A page of a list read newest first by id: `next` is the id the following page starts
/// before, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeysetPage<T> {
    pub entries: Vec<T>,
    pub next: Option<i64>,
}

impl<T> KeysetPage<T> {
    pub fn empty() -> Self {
        Self {
            entries: Vec::new(),
            next: None,
        }
    }
}
