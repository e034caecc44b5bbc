//! Connecting to the database (SQLite or PostgreSQL) and migrating it.

use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

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

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// A trivial query, for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::DatabaseBackend;

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
