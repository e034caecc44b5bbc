//! dangxiao's server: configuration, database, object storage, HTTP API and
//! the Leptos pages, assembled by [`startup`].
//!
//! Where a request goes: `http/` holds one router per resource and thin
//! handlers; they call `services/`, which hold the queries and the rules
//! (from the `courses` crate); `db/` is the schema as sea-orm entities and
//! `storage/` the object store.

// The pages' views are deeply nested types; without type-erased components
// (`--cfg erase_components`, which the tests and the browser build use) a
// release build of them needs more than rustc's default depth of 128.
#![recursion_limit = "256"]

pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod jobs;
pub mod services;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
