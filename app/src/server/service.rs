//! Use cases: each is a transaction boundary over `db` and the pure rules of `domain`.

pub mod accounts;
pub mod alerts;
pub mod api_keys;
pub mod audit;
pub mod bulk;
pub mod console;
pub mod contract;
pub mod conversations;
pub mod delivery;
pub mod entitlements;
pub mod exports;
pub mod history;
pub mod housekeeping;
pub mod ingest;
pub mod onboarding;
pub mod refills;
pub mod subscription;
pub mod tenants;
