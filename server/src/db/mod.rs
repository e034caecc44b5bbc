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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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
                // SQLite keeps no planner statistics unless asked, and with
                // none it plans the reports' joins worse, and large reports
                // run longer. Each pooled connection, when the pool retires it
                // (idle for 10 minutes, or 30 minutes old) or closes, runs
                // `PRAGMA optimize`, which analyzes the tables its queries
                // used that were never analyzed or have changed size a lot,
                // reading about 400 rows per index.
                .optimize_on_close(true, 400)
        });
    }
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to the database at {}", crate::config::mask_password(url)))?;
    Ok(db)
}

/// SQLite's WAL, as the background checkpoint and the heartbeat committer
/// share it.
///
/// A checkpoint copies the WAL's frames into the database file, but the
/// WAL file starts over only when a write begins after everything in it
/// was copied, with no reader still on it. Under a steady heartbeat load
/// the committer always commits again before a background checkpoint has
/// caught up, and the file would grow without bound.
/// So once it is longer than `sqlite_wal_restart_mib` the background task
/// asks the committer, which runs the last, short checkpoint itself
/// between two batches: its next write then starts the file over.
#[derive(Debug, Default)]
pub struct WalRestart(AtomicBool);

impl WalRestart {
    /// Whether the committer should checkpoint before its next batch (and
    /// clears the request).
    pub fn take_request(&self) -> bool {
        self.0.swap(false, Ordering::AcqRel)
    }

    fn request(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// The checkpoint both the background task and the committer run; its row
/// is (busy, frames in the WAL, frames copied into the database file).
pub const PASSIVE_CHECKPOINT: &str = "PRAGMA wal_checkpoint(PASSIVE)";

/// A background pass that copies fewer new frames than this has caught up
/// as far as it will while the committer keeps writing.
const CAUGHT_UP_FRAMES: i64 = 256;

/// SQLite: copies committed WAL frames into the database file every 250 ms
/// on a connection of its own (`PASSIVE`: it never blocks a writer), so the
/// heartbeat committer's commits do not pay for checkpoints. Once the WAL
/// is longer than `restart_bytes` it asks the committer to let it start
/// over (see [`WalRestart`]). `None` on PostgreSQL.
pub fn checkpoint_in_background(db: &DatabaseConnection, restart_bytes: u64) -> Option<Arc<WalRestart>> {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return None;
    }
    let wal = Arc::new(WalRestart::default());
    let (db, shared) = (db.clone(), wal.clone());
    tokio::spawn(async move {
        let restart_frames = match page_size(&db).await {
            Ok(page) => i64::try_from(restart_bytes / page.max(1)).unwrap_or(i64::MAX).max(1),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read SQLite's page size; the WAL is not kept short");
                i64::MAX
            }
        };
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        loop {
            tick.tick().await;
            // Passes back to back while the WAL is long, until one copies
            // little, so that the committer's own is left only the frames of
            // a batch or two.
            let mut long = false;
            let mut copied_before: Option<i64> = None;
            let started = std::time::Instant::now();
            for pass in 0..8 {
                tracing::trace!(pass, us = started.elapsed().as_micros() as u64, "background checkpoint pass");
                match checkpoint(&db).await {
                    Ok((log, copied)) if log >= restart_frames => {
                        long = true;
                        if copied_before.is_some_and(|before| copied - before < CAUGHT_UP_FRAMES) {
                            break;
                        }
                        copied_before = Some(copied);
                    }
                    Ok(_) => {
                        long = false;
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "SQLite checkpoint failed");
                        long = false;
                        break;
                    }
                }
            }
            if long {
                tracing::debug!(us = started.elapsed().as_micros() as u64, "background checkpoint asks for a restart");
                shared.request();
            }
        }
    });
    Some(wal)
}

async fn page_size(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::Statement;
    let row = db.query_one_raw(Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA page_size")).await?;
    let page = row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(4096);
    Ok(u64::try_from(page).unwrap_or(4096))
}

/// One passive checkpoint: the WAL's length in frames, and how many of them
/// are copied into the database file.
async fn checkpoint(db: &DatabaseConnection) -> Result<(i64, i64), sea_orm::DbErr> {
    use sea_orm::Statement;
    let row = db.query_one_raw(Statement::from_string(sea_orm::DbBackend::Sqlite, PASSIVE_CHECKPOINT)).await?;
    match row {
        Some(r) => Ok((r.try_get_by_index::<i64>(1)?, r.try_get_by_index::<i64>(2)?)),
        None => Ok((0, 0)),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn exec(db: &DatabaseConnection, sql: &str) {
        db.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    #[tokio::test]
    async fn a_closing_sqlite_connection_leaves_planner_statistics() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("stats.db").display());
        let db = connect(&url, 1).await.expect("opens");
        exec(&db, "CREATE TABLE members (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL)").await;
        exec(&db, "CREATE INDEX members_org ON members (org_id)").await;
        exec(
            &db,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO members (id, org_id) SELECT i, i % 40 FROM n",
        )
        .await;
        exec(&db, "SELECT COUNT(*) FROM members WHERE org_id = 7").await;
        db.close().await.expect("closes");

        let db = connect(&url, 1).await.expect("opens again");
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'members' AND idx = 'members_org'",
            ))
            .await
            .expect("sqlite_stat1 exists")
            .expect("the index has statistics");
        let stat: String = row.try_get_by_index(0).expect("a text column");
        // "rows in the table, rows per org_id": 2000 members in 40 orgs, the
        // second an estimate from the rows sampled.
        let fields: Vec<u64> = stat.split(' ').map(|f| f.parse().expect("numbers")).collect();
        assert!(
            matches!(fields[..], [2000, per_org] if (10..=200).contains(&per_org)),
            "members_org's statistics: {stat}"
        );
    }
}
