//! Isomorphic data: validated newtypes and the DTOs pages receive.

pub mod alert;
pub mod audit;
pub mod bulk;
pub mod console;
pub mod conversation;
pub mod email;
pub mod event;
pub mod history;
pub mod overview;
pub mod pool_key;
pub mod range;
pub mod subscription;
pub mod tenant;
pub mod viewer;

pub use email::EmailAddress;
pub use pool_key::{PoolGroup, PoolKey};
pub use tenant::{LicenseModel, Locale, TenantId, TenantState};
pub use viewer::Viewer;
