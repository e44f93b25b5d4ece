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
    /// The database's disk is full: nothing was saved; it works again once the operator frees
    /// space.
    #[error(
        "Tally's database has no space left on its disk, so nothing was saved; please tell the \
         operator (request {0})."
    )]
    StorageFull(String),
    /// A request body over the server's limit: nothing was read.
    #[error("The request is too large.")]
    TooLarge,
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
            Self::StorageFull(_) => 507,
            Self::TooLarge => 413,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = PostcardEncoding;

    /// A request the server function could not read (arguments missing or malformed, a body
    /// over the limit) is the asker's error, not the server's.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Deserialization(message) if message.contains("length limit") => {
                Self::TooLarge
            }
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message) => {
                Self::Invalid(format!("The request could not be read: {message}"))
            }
            other => Self::ServerFn(other.to_string()),
        }
    }

    /// On the server, the error's own status goes with it: server functions otherwise answer
    /// every error with 500.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(self.status_code());
        }
        <PostcardEncoding as leptos::server_fn::Encodes<Self>>::encode(self).unwrap_or_default()
    }
}
