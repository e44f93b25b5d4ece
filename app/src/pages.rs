//! Route components, one folder per feature.

pub mod admin;
pub mod login;
pub mod not_found;
pub mod subscription;
