//! The heartbeat write path.
//!
//! - [`group_commit`]: heartbeats, batched into one transaction and
//!   acknowledged only after it commits;
//! - `batch_rows`: what a batch reads and writes, as Rust types;
//! - `batch_sql`: the statements that read and write a batch.

mod batch_rows;
mod batch_sql;
pub mod group_commit;
