//! On PostgreSQL, `heartbeats` and `study_entries` no longer reference
//! `playback_sessions` with foreign keys.
//!
//! Every heartbeat checked each inserted row's session with a foreign-key
//! trigger (a lookup and a row lock per row); on the 2-core bench machine
//! dropping the two measured about 8% more heartbeats per second
//! (BENCHMARKS.md). Nothing is lost by it:
//!
//! - Only the heartbeat batch writes these logs, and its write statement
//!   updates every playback session it writes rows for and fails unless it
//!   found all of them (`require_unchanged`, see
//!   `server/src/services/heartbeats/batch_sql.rs`). So each row's session exists
//!   and stays locked until the rows commit.
//! - The keys' `ON DELETE CASCADE` is done by the code that deletes playback
//!   sessions (deleting a person or a lesson, whose sessions cascade): after
//!   the delete, in the same transaction, it deletes their log rows
//!   (`services::study::forget_logs_of_*`).
//!
//! SQLite keeps the keys: its batches are not the bottleneck there, and
//! dropping a key means rebuilding the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["heartbeats", "study_entries"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for table in TABLES {
            manager
                .get_connection()
                .execute_unprepared(&format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_session_id_fkey"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for table in TABLES {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {table}_session_id_fkey FOREIGN KEY (session_id) \
                     REFERENCES playback_sessions (id) ON DELETE CASCADE"
                ))
                .await?;
        }
        Ok(())
    }
}
