//! The database: connecting (SQLite or PostgreSQL), migrating, and the
//! sea-orm entities of the schema defined in the `migrations` crate.

pub mod assignment_members;
pub mod assignments;
pub mod chapters;
pub mod course_records;
pub mod courses;
pub mod heartbeats;
pub mod jobs;
pub mod lesson_attachments;
pub mod lesson_progress;
pub mod lessons;
pub mod login_failures;
pub mod media;
pub mod media_slides;
pub mod meeting_attendance;
pub mod meeting_lessons;
pub mod meetings;
pub mod notifications;
pub mod orgs;
pub mod people;
pub mod playback_sessions;
pub mod record_dirty;
pub mod reminder_log;
pub mod reminders_sent;
pub mod report_counts;
pub mod report_snapshots;
pub mod sessions;
pub mod study_entries;
pub mod study_hour_rules;
pub mod uploads;

use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection};

/// Opens a pool and, for SQLite, turns on WAL and foreign keys so the
/// embedded default behaves like PostgreSQL where it matters.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<DatabaseConnection> {
    let sqlite = url.starts_with("sqlite:");
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(if sqlite { max_connections.min(8) } else { max_connections })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if sqlite {
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // SQLite's default page cache is 2 MiB per connection; the
                // study record outgrows it quickly, and every miss is a read
                // system call. No memory map: a growing file is unmapped and
                // mapped again on every connection whenever it grows, and
                // under a steady write load those remaps (each a TLB
                // shootdown on every core) cost more than the reads they save.
                .pragma("cache_size", "-65536")
                // Checkpoints run in the background (see `checkpoint_in_background`),
                // not inside whichever commit crosses the WAL's size threshold.
                .pragma("wal_autocheckpoint", "0")
                // After a checkpoint resets the WAL, shrink its file back to
                // at most 64 MiB.
                .pragma("journal_size_limit", "67108864")
                .pragma("temp_store", "memory")
        });
    }
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to the database at {}", crate::config::mask_password(url)))?;
    Ok(db)
}

/// SQLite: copies committed WAL frames into the database file every 250 ms
/// on a connection of its own (`PASSIVE`: it never blocks a writer), so the
/// heartbeat committer's commits do not pay for checkpoints.
pub fn checkpoint_in_background(db: &DatabaseConnection) {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        loop {
            tick.tick().await;
            if let Err(e) = db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
                tracing::warn!(error = %e, "SQLite checkpoint failed");
            }
        }
    });
}

/// Begins a transaction that will write. On SQLite it takes the write lock
/// at once (`BEGIN IMMEDIATE`, waiting as `busy_timeout` allows): one that
/// reads first and writes later fails with "database is locked" whenever
/// another connection committed in between, and under steady studying the
/// heartbeat committer commits hundreds of times a second.
pub async fn begin_writing(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Ids as the inside of an SQL `IN (…)` list (integers only, so safe to
/// write into the statement's text).
pub fn in_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
}

/// A condition for an upkeep `UPDATE`/`DELETE` of `table` that leaves out
/// rows some other transaction holds locked right now, on PostgreSQL: the
/// rows matching `condition`, as `(key) IN (… FOR UPDATE SKIP LOCKED)`.
/// Upkeep clears marks that heartbeat batches set; a batch holding such a
/// row marks it again anyway, and waiting for it while the batch waited for
/// a row the upkeep held was a deadlock (PostgreSQL broke it after a
/// second, failing one side). SQLite has one writer: `condition` as it is.
pub fn unlocked_rows(backend: DatabaseBackend, table: &str, key: &str, condition: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => {
            format!("({key}) IN (SELECT {key} FROM {table} WHERE {condition} FOR UPDATE SKIP LOCKED)")
        }
        _ => condition.to_owned(),
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// A trivial query, for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// Current time as Unix milliseconds, for the study record.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Current time as Unix seconds, the unit of every timestamp column.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Runs `attempt` (one transaction) and, while it fails because another
/// writer had the database (SQLite lets one writer in at a time, so a
/// transaction that read before a heartbeat batch wrote must start over;
/// or a PostgreSQL deadlock), runs it again after a growing pause, at most
/// five more times.
pub async fn retry_when_busy<T, F, Fut>(mut attempt: F) -> crate::error::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = crate::error::Result<T>>,
{
    let mut retries = 0;
    loop {
        match attempt().await {
            Err(crate::error::Error::Db(e)) if retries < 5 && is_busy(&e) => {
                retries += 1;
                tokio::time::sleep(Duration::from_millis(20 << retries)).await;
            }
            done => return done,
        }
    }
}

fn is_busy(e: &sea_orm::DbErr) -> bool {
    let text = e.to_string();
    text.contains("database is locked") || text.contains("busy") || text.contains("deadlock")
}
