//! Route components, one folder per feature.

pub mod admin;
pub mod alerts;
pub mod audit;
pub mod bulk;
pub mod conversations;
pub mod download;
pub mod history;
pub mod invite;
pub mod login;
pub mod new_tenant;
pub mod not_found;
pub mod subscription;
pub mod supers;
pub mod tenant_admins;
pub mod tenant_console;
pub mod tenant_contract;
pub mod view_as;
