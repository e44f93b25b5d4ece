//! Turning server-side failures into what may leave the server.

use crate::error::AppError;

/// Logs an unexpected failure with a fresh request id and answers with that id only.
pub fn internal(context: &str, error: &dyn std::fmt::Display) -> AppError {
    let request_id = format!("{:016x}", rand::random::<u64>());
    tracing::error!(request_id, context, %error, "internal error");
    AppError::Internal(request_id)
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        internal("database", &error)
    }
}
