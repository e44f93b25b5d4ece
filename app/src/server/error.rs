//! Turning server-side failures into what may leave the server.

use crate::error::AppError;

/// Logs an unexpected failure with a fresh request id and answers with that id only.
pub fn internal(context: &str, error: &dyn std::fmt::Display) -> AppError {
    let request_id = format!("{:016x}", rand::random::<u64>());
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
    fn from(error: sqlx::Error) -> Self {
        internal("database", &error)
    }
}
