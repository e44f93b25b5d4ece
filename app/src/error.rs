//! The one error type that crosses the server/browser boundary.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::PostcardEncoding;
use serde::{Deserialize, Serialize};

/// What a page or server function may tell the person asking. Internal failures carry only a
/// request id: their details stay in the server log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthorized,
    #[error("You are not allowed to see this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    /// A console change refused: nothing saved, and the page says why beside the field.
    #[error("{}", .0.english())]
    Refused(crate::model::console::Refusal),
    /// A console form refused field by field: nothing saved, each refusal beside its field.
    #[error("{}", .0.iter().map(|r| r.english()).collect::<Vec<_>>().join(" "))]
    RefusedFields(Vec<crate::model::console::Refusal>),
    #[error("Something went wrong on our side (request {0}).")]
    Internal(String),
    /// The database is out of reach: nothing was done; the same request later may work.
    #[error("The service is unavailable for a moment; please try again shortly (request {0}).")]
    Unavailable(String),
    #[error("{0}")]
    ServerFn(String),
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Invalid(_) | Self::Refused(_) | Self::RefusedFields(_) => 400,
            Self::Internal(_) | Self::ServerFn(_) => 500,
            Self::Unavailable(_) => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = PostcardEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::ServerFn(value.to_string())
    }
}
