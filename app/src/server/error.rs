//! Turning server-side failures into what may leave the server.

use crate::error::AppError;

/// The header that carries a request's id, on the request as on its response.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    /// The id of the request being answered (set by the server's request-id layer).
    pub static REQUEST_ID: String;
}

/// A new request id: 16 hex digits.
pub fn fresh_request_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// The id of the request being answered: from the request-id layer's task, or, in work Leptos
/// runs on other tasks while rendering a page, from the request's `x-request-id` header; a fresh
/// one outside any request.
pub fn request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .ok()
        .or_else(|| {
            let parts = leptos::prelude::use_context::<http::request::Parts>()?;
            Some(
                parts
                    .headers
                    .get(REQUEST_ID_HEADER)?
                    .to_str()
                    .ok()?
                    .to_owned(),
            )
        })
        .unwrap_or_else(fresh_request_id)
}

/// Logs an unexpected failure with the request's id and answers with that id only.
pub fn internal(context: &str, error: &dyn std::fmt::Display) -> AppError {
    let request_id = request_id();
    tracing::error!(request_id, context, %error, "internal error");
    AppError::Internal(request_id)
}

impl AppError {
    /// `status` as the HTTP type the server side answers with.
    pub fn status_code(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A refusal answered as plain text with its status; internal failures show only their id.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        (self.status_code(), self.to_string()).into_response()
    }
}

impl From<sqlx::Error> for AppError {
    /// A database out of reach is `Unavailable` (503: nothing was done, try again); a full disk
    /// is `StorageFull` (507: nothing was saved); any other failure is `Internal`.
    fn from(error: sqlx::Error) -> Self {
        if out_of_reach(&error) {
            let request_id = request_id();
            tracing::error!(request_id, %error, "database out of reach");
            AppError::Unavailable(request_id)
        } else if unstorable_text(&error) {
            AppError::Invalid(
                "The text holds a character that cannot be stored (a NUL); nothing was saved."
                    .into(),
            )
        } else if disk_full(&error) {
            let request_id = request_id();
            tracing::error!(request_id, %error, "the database's disk is full: writes refused");
            AppError::StorageFull(request_id)
        } else {
            internal("database", &error)
        }
    }
}

/// The database's error code (SQLite's result code, Postgres's SQLSTATE), if it gave one.
fn code(error: &sqlx::Error) -> Option<std::borrow::Cow<'_, str>> {
    match error {
        sqlx::Error::Database(db) => db.code(),
        _ => None,
    }
}

/// Whether Postgres refused a text it cannot hold: a NUL character (SQLSTATE 22021) or one its
/// encoding lacks (22P05). SQLite keeps them; the asker's input, not the server, is at fault.
fn unstorable_text(error: &sqlx::Error) -> bool {
    code(error).is_some_and(|code| matches!(&*code, "22021" | "22P05"))
}

/// Whether the database refused a write for want of disk space: SQLite's `SQLITE_FULL` (13), or
/// Postgres's `disk_full` (53100).
fn disk_full(error: &sqlx::Error) -> bool {
    code(error).is_some_and(|code| matches!(&*code, "13" | "53100"))
}

/// Whether the database could not be reached at all, rather than refusing a statement:
/// no connection within the pool's wait, a broken connection, or Postgres shutting down or
/// starting up (SQLSTATE class 08 and 57P01–57P03).
fn out_of_reach(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    ) || code(error)
        .is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03"))
}
