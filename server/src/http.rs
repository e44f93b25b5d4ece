//! HTTP handlers outside Leptos: sign-in forms, assets, health and metrics.

pub mod assets;
pub mod health;
pub mod session;
