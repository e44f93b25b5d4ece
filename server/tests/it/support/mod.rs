//! Helpers the integration tests share.

pub mod answer;
pub mod api;
pub mod assignments;
pub mod bound;
pub mod console;
#[macro_use]
pub mod db;
pub mod fingerprint;
pub mod fixtures;
pub mod http;
pub mod privileged;
pub mod routes;
pub mod serving;
pub mod smtp;
pub mod writer;
