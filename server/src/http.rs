//! HTTP handlers outside Leptos: the usage API, sign-in forms, assets, health and metrics.

pub mod admin;
pub mod alerts;
pub mod api;
pub mod assets;
pub mod assignments;
pub mod console;
pub mod contacts;
pub mod downloads;
pub mod health;
pub mod invite;
pub mod request_id;
pub mod security;
pub mod session;
