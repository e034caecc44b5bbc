//! `require_unchanged(ok, message)` on PostgreSQL: fails the statement with
//! `serialization_failure` (SQLSTATE 40001) and `message` unless `ok`.
//!
//! The heartbeat batch's write calls it with "every playback session still
//! held what the batch read" (`server/src/services/heartbeats/batch_sql.rs`), so
//! a batch that raced another writer of one of its sessions writes nothing
//! and is assessed again, without locking the sessions while it assesses.
//! SQLite needs no such check: a batch there holds the write lock from its
//! read to its commit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE FUNCTION require_unchanged(ok boolean, message text) RETURNS boolean \
                 LANGUAGE plpgsql VOLATILE AS $$ \
                 BEGIN \
                   IF ok IS NOT TRUE THEN \
                     RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = message; \
                   END IF; \
                   RETURN true; \
                 END $$",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared("DROP FUNCTION require_unchanged(boolean, text)").await.map(|_| ())
    }
}
