//! The SQL of one heartbeat batch, and the connection it runs on.
//!
//! A batch costs two statements on SQLite and four on PostgreSQL, whatever
//! its size (each write below is one part of the write statement):
//!
//! - SQLite: `BEGIN IMMEDIATE` plus one query that reads every login,
//!   playback session, lesson and ledger the batch names; then every write
//!   plus `COMMIT` in one multi-statement call.
//! - PostgreSQL: the same read; then every write as one statement of
//!   data-modifying CTEs. Each is a transaction of its own: the read locks
//!   nothing, and the write checks that every playback session it updates
//!   still holds what the read saw (its last beat, sequence number and
//!   whether it was taken over). If one does not, because another app server
//!   or committer wrote it in between, the statement fails with
//!   `serialization_failure`, having written nothing, and the committer
//!   reads and assesses the batch again. Sessions change in between only
//!   when one member's heartbeats race each other, so retries are rare, and
//!   a batch costs two round trips instead of four (`BEGIN`, a locking
//!   read, the write, `COMMIT`), without a row lock per session.
//!
//! Each statement has a constant text, so it is prepared once per
//! connection. The batch's rows travel as parameters: on SQLite one JSON
//! array of objects per row set (unpacked with `jsonb_each`), on PostgreSQL
//! one array per column (unpacked with `unnest`); its keys as a JSON array
//! for SQLite (`json_each`) and a `text[]` for PostgreSQL. Reads come back
//! as one row holding JSON arrays.
//!
//! This runs on sqlx directly (the driver under sea-orm), on a connection the
//! committer keeps: with sqlx's SQLite driver every statement, and every
//! row, is a hand-over between the connection's own thread and the caller,
//! and at a few hundred microseconds each on a busy machine those
//! hand-overs, not SQLite, limit the throughput. So a batch is a few
//! statements with fixed texts: sea-orm's `IN (…)` lists and multi-row
//! `VALUES` would make ten or more hand-overs and several new statement
//! texts per batch.

use std::sync::Arc;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, AssertSqlSafe, Postgres, Row, Sqlite};
use sea_orm::{DatabaseConnection, DbBackend, EntityName};
use serde::Serialize;

use crate::error::{Error, Result};

use crate::db::{heartbeats, lesson_progress, study_entries};

use super::batch_rows::{
    loaded, Columns, DayRow, DirtyRow, EntryRow, HeartbeatRow, Loaded, RowSet, SessionUpdate, Writes, LOGIN_FIELDS,
    SESSION_FIELDS,
};

/// NULL arguments bound after the real ones on SQLite, more than the
/// parameters its write statements skip altogether (23 now; see
/// `write_and_commit`).
const SQLITE_SPARE_ARGUMENTS: usize = 32;

/// The statements, rendered once for one backend.
#[derive(Debug)]
pub struct BatchSql {
    /// SQLite: `BEGIN IMMEDIATE; SELECT …`; PostgreSQL: the `SELECT`.
    /// Parameters: token hashes, session ids.
    read: Arc<str>,
    /// Every write (SQLite: and `COMMIT`). Parameters, numbered as bound:
    /// heartbeats, entries, ledgers, session updates, logins to extend,
    /// until when, course records to recompute, study days.
    write: Arc<str>,
}

/// How a batch's write ended, if not with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Committed,
    /// PostgreSQL: a playback session changed after the batch read it;
    /// nothing was written. Read and assess the batch again.
    Conflict,
}

/// The SQLSTATE `require_unchanged` fails with.
const SERIALIZATION_FAILURE: &str = "40001";

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
        let ids = |column: &str, n: usize| match backend {
            // Keys come as a text array: `= ANY` probes the index. (From a
            // set-returning function the planner would guess 100 rows and
            // hash-join them against a scan of the whole table.)
            DbBackend::Postgres => format!("{column} = ANY (${n}::text[])"),
            _ => format!("{column} IN (SELECT value FROM json_each(?{n}))"),
        };
        let logins = format!(
            "SELECT s.token_hash, s.csrf_token, s.expires_at, p.id AS person_id, p.role, p.standing, \
             p.must_change_password, \
             o.id AS org_id, o.path AS org_path \
             FROM sessions s JOIN people p ON p.id = s.person_id JOIN orgs o ON o.id = p.org_id WHERE {}",
            ids("s.token_hash", 1)
        );
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
             WHERE {}",
            ids("ps.id", 2)
        );
        let read = format!(
            "{}SELECT ({}) AS logins, ({}) AS sessions",
            if pg { "" } else { "BEGIN IMMEDIATE; " },
            as_json_array(backend, &logins, LOGIN_FIELDS),
            as_json_array(backend, &sessions, SESSION_FIELDS)
        );

        // Parameters are numbered in the order `write_and_commit` binds them.
        let mut rows = RowSources { backend, bound: 0 };
        let insert = |rows: &mut RowSources, table: &str, columns: Columns<'_>| {
            format!("INSERT INTO {table} ({}) {}", names(columns), rows.select(columns))
        };
        let (heartbeat_columns, entry_columns) = (HeartbeatRow::columns(), EntryRow::columns());
        let (ledger_columns, session_columns) = (lesson_progress::Model::columns(), SessionUpdate::columns());
        let (dirty_columns, day_columns) = (DirtyRow::columns(), DayRow::columns());
        let ledger_updates = ledger_columns
            .iter()
            .filter(|(c, _)| !["person_id", "lesson_id", "course_id"].contains(c))
            .map(|(c, _)| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let session_sets = session_columns
            .iter()
            .filter(|(c, _)| *c != "id" && !c.starts_with("was_"))
            .map(|(c, _)| format!("{c} = {}", rows.column(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let heartbeats = insert(&mut rows, heartbeats::Entity.table_name(), &heartbeat_columns);
        let entries = insert(&mut rows, study_entries::Entity.table_name(), &entry_columns);
        let ledgers = format!(
            "{} ON CONFLICT (person_id, lesson_id) DO UPDATE SET {ledger_updates}",
            insert(&mut rows, lesson_progress::Entity.table_name(), &ledger_columns)
        );
        let (session_source, session_ids) = rows.source(&session_columns);
        let sessions = format!(
            "UPDATE playback_sessions SET {session_sets} FROM {session_source} \
             WHERE playback_sessions.id = {} AND playback_sessions.last_beat_at_ms = {} \
             AND playback_sessions.last_seq = {} AND playback_sessions.superseded = {}{}",
            rows.column("id"),
            rows.column("was_last_beat_at_ms"),
            rows.column("was_last_seq"),
            rows.column("was_superseded"),
            // The same index probe for PostgreSQL's join (see `ids`): the
            // ids are the first array of the session updates. RETURNING
            // counts the sessions that still held what was read.
            if pg {
                format!(" AND playback_sessions.id = ANY (${session_ids}::text[]) RETURNING 1")
            } else {
                String::new()
            }
        );
        let tokens = rows.parameter();
        let until = rows.parameter();
        let logins = format!(
            "UPDATE sessions SET expires_at = {} WHERE {}",
            placeholder(backend, until),
            ids("token_hash", tokens)
        );
        // Marks the course records the batch changed for recomputing
        // (`services::course_records`); empty for nearly every batch.
        let dirty = format!(
            "INSERT INTO record_dirty (person_id, course_id, version) SELECT {}, {}, 1 FROM {} WHERE true \
             ON CONFLICT (person_id, course_id) DO UPDATE SET version = record_dirty.version + 1",
            rows.column("person_id"),
            rows.column("course_id"),
            rows.source(&dirty_columns).0
        );
        // Adds the credited time to each (member, day) of the study-hour
        // roll-up (`rollup`), marking the day for it.
        let days = format!(
            "INSERT INTO study_days ({}, dirty) SELECT {}, TRUE FROM {} WHERE true \
             ON CONFLICT (person_id, day) DO UPDATE \
             SET credited_ms = study_days.credited_ms + excluded.credited_ms, dirty = TRUE",
            names(&day_columns),
            rows.values(&day_columns),
            rows.source(&day_columns).0
        );
        // `w3` in PostgreSQL's statement is the session updates.
        let writes = [heartbeats, entries, ledgers, sessions, logins, dirty, days];
        let write = if pg {
            let ctes = writes.iter().enumerate().map(|(i, w)| format!("w{i} AS ({w})")).collect::<Vec<_>>();
            // The check runs as the statement's result, before the CTEs
            // nothing reads (every other write) run to completion; a failed
            // check aborts them all (migration m20261124_000011).
            format!(
                "WITH {} SELECT require_unchanged((SELECT count(*) FROM w3) = cardinality(${session_ids}::text[]), \
                 'a playback session changed after the heartbeat batch read it')",
                ctes.join(", ")
            )
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

    /// Reads the logins, playback sessions, lessons and ledgers a batch
    /// names (on SQLite, in the write transaction it begins).
    pub async fn load<'a>(
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
                let row =
                    sqlx::query(read).bind(&tokens).bind(&session_ids).fetch_one(&mut **c).await.map_err(db_err)?;
                (row.try_get("logins").map_err(db_err)?, row.try_get("sessions").map_err(db_err)?)
            }
        };
        loaded(parse_rows(&logins)?, parse_rows(&sessions)?)
    }

    /// Writes what the batch decided and commits. Parameters are bound in
    /// the order `new` numbered them. On PostgreSQL the write is refused,
    /// with nothing written, if a playback session changed after [`load`]
    /// read it: [`Written::Conflict`].
    ///
    /// [`load`]: BatchSql::load
    pub async fn write_and_commit(&self, conn: &mut BatchConnection, writes: &Writes) -> Result<Written> {
        let extend: Vec<&str> = writes.extend_logins.iter().map(String::as_str).collect();
        let write = AssertSqlSafe(self.write.clone());
        match conn {
            BatchConnection::Sqlite(c) => {
                let mut query = sqlx::query(write)
                    .bind(json_rows(&writes.heartbeats)?)
                    .bind(json_rows(&writes.entries)?)
                    .bind(json_rows(&writes.ledgers)?)
                    .bind(json_rows(&writes.sessions)?)
                    .bind(json_keys(&extend)?)
                    .bind(writes.extend_until)
                    .bind(json_rows(&writes.dirty)?)
                    .bind(json_rows(&writes.days)?);
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
                let mut query = sqlx::query(write);
                query = RowSet::bind_columns(&writes.heartbeats, query);
                query = RowSet::bind_columns(&writes.entries, query);
                query = RowSet::bind_columns(&writes.ledgers, query);
                query = RowSet::bind_columns(&writes.sessions, query);
                query = query.bind(&extend).bind(writes.extend_until);
                query = RowSet::bind_columns(&writes.dirty, query);
                query = RowSet::bind_columns(&writes.days, query);
                match query.execute(&mut **c).await {
                    Ok(_) => {}
                    Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(SERIALIZATION_FAILURE) => {
                        return Ok(Written::Conflict);
                    }
                    Err(e) => return Err(db_err(e)),
                }
            }
        }
        Ok(Written::Committed)
    }

    /// SQLite: a passive checkpoint between two batches, after which the
    /// next batch's write starts the WAL over if everything was copied
    /// (see [`crate::db::WalRestart`]). A failure only leaves the WAL long.
    pub async fn checkpoint(conn: &mut BatchConnection) {
        if let BatchConnection::Sqlite(c) = conn {
            let started = std::time::Instant::now();
            match sqlx::query_as::<_, (i64, i64, i64)>(crate::db::PASSIVE_CHECKPOINT).fetch_one(&mut **c).await {
                Ok((_, log, copied)) => tracing::debug!(
                    log,
                    copied,
                    us = started.elapsed().as_micros() as u64,
                    "the committer's checkpoint"
                ),
                Err(e) => tracing::warn!(error = %e, "the heartbeat committer's checkpoint failed"),
            }
        }
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

/// Keeps the driver's error as it is, so its kind (a lost connection, a
/// busy database) can be told by its code.
fn db_err(e: sqlx::Error) -> Error {
    Error::Db(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(e))))
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

fn names(columns: Columns<'_>) -> String {
    columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// `?n` or `$n`.
fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

/// The parameters of the write statement, numbered as they are bound, and
/// the row sets among them, each used as a table named `j`: one JSON array
/// of row objects on SQLite, one array per column on PostgreSQL.
struct RowSources {
    backend: DbBackend,
    /// Parameters numbered so far.
    bound: usize,
}

impl RowSources {
    /// Numbers the next parameter.
    fn parameter(&mut self) -> usize {
        self.bound += 1;
        self.bound
    }

    /// The table expression of the next row set, for a FROM clause, and the
    /// number of its first parameter.
    fn source(&mut self, columns: Columns<'_>) -> (String, usize) {
        let first = self.bound + 1;
        let source = match self.backend {
            DbBackend::Postgres => {
                // Arrays, not JSON: PostgreSQL takes them in binary and
                // unpacks them without parsing; parsing JSON would be about
                // a tenth of its time per batch.
                let arrays =
                    columns.iter().map(|(_, t)| format!("${}::{t}[]", self.parameter())).collect::<Vec<_>>().join(", ");
                format!("unnest({arrays}) AS j({})", names(columns))
            }
            // jsonb_each hands out each row object as JSONB, so the `->>`
            // lookups below do not parse its text again per column.
            _ => format!("jsonb_each(?{}) AS j", self.parameter()),
        };
        (source, first)
    }

    /// The value of `column` in the current row.
    fn column(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("j.{column}"),
            _ => format!("(j.value ->> '{column}')"),
        }
    }

    /// Every column's value in the current row.
    fn values(&self, columns: Columns<'_>) -> String {
        columns.iter().map(|(c, _)| self.column(c)).collect::<Vec<_>>().join(", ")
    }

    /// `SELECT <every column> FROM <the next row set>`. The `WHERE true`
    /// lets SQLite tell a following `ON CONFLICT` from a join constraint.
    fn select(&mut self, columns: Columns<'_>) -> String {
        format!("SELECT {} FROM {} WHERE true", self.values(columns), self.source(columns).0)
    }
}
