//! The SQL of one heartbeat batch, and the connection it runs on.
//!
//! A batch costs two statements on SQLite and four on PostgreSQL, whatever
//! its size (each write below is one part of the write statement):
//!
//! - SQLite: `BEGIN IMMEDIATE` plus one query that reads every login,
//!   playback session, lesson and ledger the batch names; then every write
//!   plus `COMMIT` in one multi-statement call.
//! - PostgreSQL: `BEGIN`; the same read, locking the playback sessions in
//!   id order (`FOR UPDATE`); every write as one statement of data-modifying
//!   CTEs; `COMMIT`.
//!
//! Each statement has a constant text, so it is prepared once per
//! connection: the batch's rows travel as JSON array parameters, which
//! SQLite unpacks with `jsonb_each` and PostgreSQL with
//! `json_to_recordset`; its keys as a JSON array for SQLite (`json_each`)
//! and a `text[]` for PostgreSQL. Reads come back as one row holding JSON
//! arrays.
//!
//! This runs on sqlx directly (the driver under sea-orm), on a connection the
//! committer keeps: with sqlx's SQLite driver every statement, and every
//! row, is a hand-over between the connection's own thread and the caller,
//! and at a few hundred microseconds each on a busy machine those
//! hand-overs, not SQLite, were what limited the throughput. (Measured in
//! BENCHMARKS.md; the first version, with sea-orm's `IN (…)` lists and
//! multi-row `VALUES`, made ten or more hand-overs and several new
//! statement texts per batch.)

use std::sync::Arc;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, AssertSqlSafe, Postgres, Row, Sqlite};
use sea_orm::{DatabaseConnection, DbBackend};
use serde::Serialize;

use crate::error::{Error, Result};

use super::batch_rows::{
    loaded, Columns, Loaded, Writes, DIRTY_COLUMNS, ENTRY_COLUMNS, HEARTBEAT_COLUMNS, LEDGER_COLUMNS, LOGIN_FIELDS,
    SESSION_FIELDS, SESSION_UPDATE_COLUMNS,
};

/// NULL arguments bound after the real ones on SQLite, more than the
/// parameters its write statements skip altogether (16 now; see
/// `write_and_commit`).
const SQLITE_SPARE_ARGUMENTS: usize = 32;

/// The statements, rendered once for one backend.
#[derive(Debug)]
pub struct BatchSql {
    /// SQLite: `BEGIN IMMEDIATE; SELECT …`; PostgreSQL: the `SELECT … FOR
    /// UPDATE` (after a separate `BEGIN`). Parameters: token hashes,
    /// session ids.
    read: Arc<str>,
    /// Every write (SQLite: and `COMMIT`). Parameters: heartbeats,
    /// entries, ledgers, session updates, logins to extend, until when
    /// (PostgreSQL: and the updated session ids, for the index probe),
    /// course records to recompute.
    write: Arc<str>,
}

/// A connection the committer keeps between batches.
pub enum BatchConnection {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// Wraps a query so that it returns one row, with one column `rows`: its
/// rows as a JSON array of objects. With sqlx's SQLite driver every row is
/// a hand-over between the connection's thread and the caller, and those
/// cost more than the JSON.
fn as_json_array(backend: DbBackend, query: &str, fields: &[&str]) -> String {
    match backend {
        DbBackend::Postgres => format!("SELECT coalesce(json_agg(x), '[]'::json)::text AS rows FROM ({query}) AS x"),
        _ => {
            let pairs = fields.iter().map(|f| format!("'{f}', x.{f}")).collect::<Vec<_>>().join(", ");
            format!("SELECT json_group_array(json_object({pairs})) AS rows FROM ({query}) AS x")
        }
    }
}

impl BatchSql {
    pub fn new(backend: DbBackend) -> BatchSql {
        let pg = backend == DbBackend::Postgres;
        let rows = JsonRows { backend };
        let ids = |column: &str, n: usize| match backend {
            // Keys come as a text array: `= ANY` probes the index. (From a
            // set-returning function the planner would guess 100 rows and
            // hash-join them against a scan of the whole table.)
            DbBackend::Postgres => format!("{column} = ANY (${n}::text[])"),
            _ => format!("{column} IN (SELECT value FROM json_each(?{n}))"),
        };
        let logins = format!(
            "SELECT s.token_hash, s.csrf_token, s.expires_at, p.id AS person_id, p.role, p.must_change_password, \
             o.id AS org_id, o.path AS org_path \
             FROM sessions s JOIN people p ON p.id = s.person_id JOIN orgs o ON o.id = p.org_id WHERE {}",
            ids("s.token_hash", 1)
        );
        let lock = if pg { " FOR UPDATE OF ps" } else { "" };
        let sessions = format!(
            "SELECT ps.id, ps.person_id, ps.lesson_id, ps.opened_at_ms, ps.last_beat_at_ms, ps.last_seq, \
             ps.claimed_ms, ps.position, ps.superseded, \
             l.course_id, l.kind, l.duration_ms, l.slide_count, l.article_chars, \
             c.published, c.rules, c.audience, o.id AS org_id, o.path AS org_path, \
             lp.watched AS lp_watched, lp.slide_ms AS lp_slide_ms, lp.visible_ms AS lp_visible_ms, \
             lp.study_ms AS lp_study_ms, lp.position AS lp_position, lp.completed_at_ms AS lp_completed_at_ms, \
             lp.updated_at_ms AS lp_updated_at_ms \
             FROM playback_sessions ps \
             JOIN lessons l ON l.id = ps.lesson_id \
             JOIN courses c ON c.id = l.course_id \
             JOIN orgs o ON o.id = c.org_id \
             LEFT JOIN lesson_progress lp ON lp.person_id = ps.person_id AND lp.lesson_id = ps.lesson_id \
             WHERE {} ORDER BY ps.id{lock}",
            ids("ps.id", 2)
        );
        let read = format!(
            "{}SELECT ({}) AS logins, ({}) AS sessions",
            if pg { "" } else { "BEGIN IMMEDIATE; " },
            as_json_array(backend, &logins, LOGIN_FIELDS),
            as_json_array(backend, &sessions, SESSION_FIELDS)
        );

        let insert = |table: &str, columns: Columns, n: usize| {
            format!("INSERT INTO {table} ({}) {}", names(columns), rows.select(columns, n))
        };
        let ledger_updates = LEDGER_COLUMNS
            .iter()
            .filter(|(c, _)| !["person_id", "lesson_id", "course_id"].contains(c))
            .map(|(c, _)| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let session_sets = SESSION_UPDATE_COLUMNS
            .iter()
            .filter(|(c, _)| *c != "id")
            .map(|(c, _)| format!("{c} = {}", rows.column(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let writes = [
            insert("heartbeats", HEARTBEAT_COLUMNS, 1),
            insert("study_entries", ENTRY_COLUMNS, 2),
            format!(
                "{} ON CONFLICT (person_id, lesson_id) DO UPDATE SET {ledger_updates}",
                insert("lesson_progress", LEDGER_COLUMNS, 3)
            ),
            format!(
                "UPDATE playback_sessions SET {session_sets} FROM {} WHERE playback_sessions.id = {}{}",
                rows.source(SESSION_UPDATE_COLUMNS, 4),
                rows.column("id"),
                // The same index probe for PostgreSQL's join (see `ids`).
                if pg { " AND playback_sessions.id = ANY ($7::text[])" } else { "" }
            ),
            format!("UPDATE sessions SET expires_at = {} WHERE {}", if pg { "$6" } else { "?6" }, ids("token_hash", 5)),
            // Marks the course records the batch changed for recomputing
            // (`services::records`); empty for nearly every batch.
            format!(
                "INSERT INTO record_dirty (person_id, course_id, version) SELECT {}, {}, 1 FROM {} WHERE true \
                 ON CONFLICT (person_id, course_id) DO UPDATE SET version = record_dirty.version + 1",
                rows.column("person_id"),
                rows.column("course_id"),
                rows.source(DIRTY_COLUMNS, if pg { 8 } else { 7 })
            ),
            // Adds the credited time to each (member, day) of the
            // study-hour roll-up (`rollup`), marking the day for it.
            format!(
                "INSERT INTO study_days (person_id, day, year, credited_ms, dirty) \
                 SELECT {}, {}, MIN({}), SUM({}), TRUE FROM {} WHERE {} GROUP BY 1, 2 \
                 ON CONFLICT (person_id, day) DO UPDATE \
                 SET credited_ms = study_days.credited_ms + excluded.credited_ms, dirty = TRUE",
                rows.column("person_id"),
                rows.column("day"),
                rows.column("year"),
                rows.column("wall_ms"),
                rows.source(ENTRY_COLUMNS, 2),
                rows.column("credited")
            ),
        ];
        let write = if pg {
            let ctes = writes.iter().enumerate().map(|(i, w)| format!("w{i} AS ({w})")).collect::<Vec<_>>();
            format!("WITH {} SELECT 1", ctes.join(", "))
        } else {
            format!("{}; COMMIT", writes.join("; "))
        };
        BatchSql { read: read.into(), write: write.into() }
    }

    /// A connection of `db`'s pool for the committer to keep.
    pub async fn connect(db: &DatabaseConnection) -> Result<BatchConnection> {
        Ok(match db.get_database_backend() {
            DbBackend::Postgres => {
                let mut c = db.get_postgres_connection_pool().acquire().await.map_err(db_err)?;
                // The batch statements take key arrays, so a generic plan
                // (index probes for any array) fits every batch. Left to
                // choose, PostgreSQL re-planned them for nearly every batch:
                // 0.4-0.8 ms each, as much as executing a small batch.
                sqlx::raw_sql("SET plan_cache_mode = force_generic_plan").execute(&mut *c).await.map_err(db_err)?;
                BatchConnection::Postgres(c)
            }
            _ => BatchConnection::Sqlite(db.get_sqlite_connection_pool().acquire().await.map_err(db_err)?),
        })
    }

    /// Begins the batch's transaction and reads the logins, playback
    /// sessions, lessons and ledgers it names. On PostgreSQL the sessions
    /// are locked, in id order.
    pub async fn begin_and_load<'a>(
        &self,
        conn: &mut BatchConnection,
        tokens: impl Iterator<Item = &'a str>,
        session_ids: impl Iterator<Item = &'a str>,
    ) -> Result<Loaded> {
        let tokens: Vec<&str> = tokens.collect();
        let session_ids: Vec<&str> = session_ids.collect();
        let read = AssertSqlSafe(self.read.clone());
        let (logins, sessions): (String, String) = match conn {
            BatchConnection::Sqlite(c) => {
                let row = sqlx::query(read)
                    .bind(json_keys(&tokens)?)
                    .bind(json_keys(&session_ids)?)
                    .fetch_one(&mut **c)
                    .await
                    .map_err(db_err)?;
                (row.try_get("logins").map_err(db_err)?, row.try_get("sessions").map_err(db_err)?)
            }
            BatchConnection::Postgres(c) => {
                sqlx::raw_sql("BEGIN").execute(&mut **c).await.map_err(db_err)?;
                let row =
                    sqlx::query(read).bind(&tokens).bind(&session_ids).fetch_one(&mut **c).await.map_err(db_err)?;
                (row.try_get("logins").map_err(db_err)?, row.try_get("sessions").map_err(db_err)?)
            }
        };
        loaded(parse_rows(&logins)?, parse_rows(&sessions)?)
    }

    /// Writes what the batch decided and commits.
    pub async fn write_and_commit(&self, conn: &mut BatchConnection, writes: &Writes) -> Result<()> {
        let [heartbeats, entries, ledgers, sessions, dirty] = [
            json_rows(&writes.heartbeats)?,
            json_rows(&writes.entries)?,
            json_rows(&writes.ledgers)?,
            json_rows(&writes.sessions)?,
            json_rows(&writes.dirty)?,
        ];
        let extend: Vec<&str> = writes.extend_logins.iter().map(String::as_str).collect();
        let write = AssertSqlSafe(self.write.clone());
        match conn {
            BatchConnection::Sqlite(c) => {
                let mut query = sqlx::query(write)
                    .bind(heartbeats)
                    .bind(entries)
                    .bind(ledgers)
                    .bind(sessions)
                    .bind(json_keys(&extend)?)
                    .bind(writes.extend_until)
                    .bind(dirty);
                // sqlx gives the parameters a statement skips (one that uses
                // only ?7 skips six) arguments by position, counting on from
                // statement to statement, and stops binding a statement at
                // the first position past the last argument: its own ?5, ?6
                // or ?7 then stay NULL (the sessions were not extended and no
                // record was marked). Spare arguments keep it from stopping.
                for _ in 0..SQLITE_SPARE_ARGUMENTS {
                    query = query.bind(None::<i64>);
                }
                query.execute(&mut **c).await.map_err(db_err)?;
            }
            BatchConnection::Postgres(c) => {
                let session_ids: Vec<&str> = writes.sessions.iter().map(|s| s.id.as_str()).collect();
                sqlx::query(write)
                    .bind(heartbeats)
                    .bind(entries)
                    .bind(ledgers)
                    .bind(sessions)
                    .bind(&extend)
                    .bind(writes.extend_until)
                    .bind(&session_ids)
                    .bind(dirty)
                    .execute(&mut **c)
                    .await
                    .map_err(db_err)?;
                sqlx::raw_sql("COMMIT").execute(&mut **c).await.map_err(db_err)?;
            }
        }
        Ok(())
    }

    /// Closes a committer's connection instead of returning it to the pool:
    /// closing ends any transaction a failed batch left open, and drops the
    /// committer's session settings.
    pub async fn discard(conn: BatchConnection) {
        let closed = match conn {
            BatchConnection::Sqlite(c) => c.close().await,
            BatchConnection::Postgres(c) => c.close().await,
        };
        if let Err(e) = closed {
            tracing::warn!(error = %e, "closing a failed heartbeat batch's connection");
        }
    }
}

fn db_err(e: sqlx::Error) -> Error {
    Error::Db(sea_orm::DbErr::Custom(format!("heartbeat batch: {e}")))
}

fn parse_rows<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>> {
    serde_json::from_str(json).map_err(|e| Error::Internal(anyhow::anyhow!("heartbeat batch rows: {e}")))
}

/// Keys as a JSON array of strings.
fn json_keys(keys: &[&str]) -> Result<String> {
    serde_json::to_string(keys).map_err(|e| Error::Internal(e.into()))
}

/// Rows as a JSON array of objects.
fn json_rows<T: Serialize>(rows: &[T]) -> Result<String> {
    serde_json::to_string(rows).map_err(|e| Error::Internal(e.into()))
}

fn names(columns: Columns) -> String {
    columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// A JSON array of row objects, bound as a statement parameter, used as a
/// table named `j`.
struct JsonRows {
    backend: DbBackend,
}

impl JsonRows {
    /// The table expression for a FROM clause.
    fn source(&self, columns: Columns, parameter: usize) -> String {
        match self.backend {
            DbBackend::Postgres => {
                let typed = columns.iter().map(|(c, t)| format!("{c} {t}")).collect::<Vec<_>>().join(", ");
                // `json`, not `jsonb`: the rows are read once, in order, so
                // building a JSONB value (which sorts every object's keys)
                // only costs; it was a tenth of PostgreSQL's time per batch.
                format!("json_to_recordset(${parameter}::json) AS j({typed})")
            }
            // jsonb_each hands out each row object as JSONB, so the `->>`
            // lookups below do not parse its text again per column.
            _ => format!("jsonb_each(?{parameter}) AS j"),
        }
    }

    /// The value of `column` in the current row.
    fn column(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("j.{column}"),
            _ => format!("(j.value ->> '{column}')"),
        }
    }

    /// `SELECT <every column> FROM <the rows>`. The `WHERE true` lets
    /// SQLite tell a following `ON CONFLICT` from a join constraint.
    fn select(&self, columns: Columns, parameter: usize) -> String {
        let values = columns.iter().map(|(c, _)| self.column(c)).collect::<Vec<_>>().join(", ");
        format!("SELECT {values} FROM {} WHERE true", self.source(columns, parameter))
    }
}
