//! Everything that runs only on the server: state, sign-in, services and SQL.

pub mod auth;
pub mod db;
pub mod error;
pub mod events;
pub mod jobs;
pub mod language;
pub mod mail;
#[cfg(test)]
mod properties;
pub mod reports;
pub mod security;
pub mod service;
pub mod state;
pub mod zone;

pub use state::AppState;
