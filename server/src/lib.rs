//! The `tally` binary's pieces, a library so integration tests drive the same router.

pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod http;
pub mod router;
