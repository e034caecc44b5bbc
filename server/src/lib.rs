//! dangxiao's server: configuration, database, object storage, HTTP API and
//! the Leptos pages, assembled by [`startup`].
//!
//! Where a request goes: `http/` holds one router per resource and thin
//! handlers; they call `services/`, which hold the queries and the rules
//! (from the `courses` crate); `db/` is the schema as sea-orm entities and
//! `storage/` the object store.

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
