//! Reusable pieces of UI.

pub mod layout;
pub mod usage_bar;
