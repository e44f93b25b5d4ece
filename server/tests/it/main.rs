//! Tally's integration tests, in one binary: one link instead of one per file (the test
//! command spends its minutes compiling and linking, not running). Each module is one area of
//! the product; `support` holds what they share, and comes first so that its macros
//! (`on_both_backends!`) are in scope for every module after it.

#[macro_use]
mod support;

mod administrators;
mod alerts;
mod api;
mod assign_one;
mod audit_log;
mod backup;
mod bad_input;
mod bulk;
mod cli;
mod console;
mod console_keys;
mod contract;
mod crashes;
mod downloads;
mod full_disk;
mod ingest;
mod internal_errors;
mod isolation;
mod jobs;
mod kept_tab;
mod language;
mod onboarding;
mod outage;
mod pages;
mod pg_restart;
mod rate_limits;
mod rendering;
mod security_headers;
mod sign_in;
mod store;
mod tenant_console;
mod tenant_list;
mod view_as;
