//! Pure rules: no I/O, no framework types.

pub mod alerts;
pub mod billable;
pub mod bulk;
pub mod consumption;
pub mod diff;
pub mod forecast;
pub mod reports;
pub mod usage;
