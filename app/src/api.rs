//! Server functions, one file per feature. Each checks who is asking, then calls a service.

pub mod admin;
pub mod session;
pub mod subscription;
