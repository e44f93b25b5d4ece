//! Pieces several pages share.

pub mod download;
pub mod layout;
pub mod usage_bar;
