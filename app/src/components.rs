//! Pieces several pages share.

pub mod chart;
pub mod download;
pub mod language;
pub mod layout;
pub mod page_data;
pub mod usage_bar;
