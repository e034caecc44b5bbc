//! Random keys (playback session ids, login token hashes) compare byte by
//! byte on PostgreSQL.
//!
//! They are ASCII (UUIDs, hex digests), so the database's default
//! collation (ICU, for Chinese sorting) orders them no better than `"C"`
//! does, and an ICU comparison costs several times more. Every heartbeat
//! probes and inserts into indexes on these columns; with `"C"` the
//! heartbeat load ran about 7% faster on PostgreSQL (BENCHMARKS.md).
//! SQLite already compares text byte by byte, so nothing changes there.
//!
//! The foreign keys to `playback_sessions.id` are dropped and added again
//! around the change: a key and its references must agree on collation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column, length): the key columns this changes.
const COLUMNS: &[(&str, &str, u32)] = &[
    ("sessions", "token_hash", 64),
    ("playback_sessions", "id", 36),
    ("heartbeats", "session_id", 36),
    ("study_entries", "session_id", 36),
];

/// Tables whose `session_id` references `playback_sessions(id)`.
const REFERENCING: &[&str] = &["heartbeats", "study_entries"];

async fn set_collation(manager: &SchemaManager<'_>, collation: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut sql = Vec::new();
    for table in REFERENCING {
        sql.push(format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_session_id_fkey"));
    }
    for (table, column, len) in COLUMNS {
        sql.push(format!("ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({len}) COLLATE {collation}"));
    }
    for table in REFERENCING {
        sql.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {table}_session_id_fkey FOREIGN KEY (session_id) \
             REFERENCES playback_sessions (id) ON DELETE CASCADE"
        ));
    }
    let db = manager.get_connection();
    for statement in sql {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_collation(manager, "\"C\"").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_collation(manager, "\"default\"").await
    }
}
