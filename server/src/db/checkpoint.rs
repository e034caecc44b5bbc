//! SQLite's WAL kept short: a background checkpoint, and the restart the
//! heartbeat committer runs between two batches when asked.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};

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
