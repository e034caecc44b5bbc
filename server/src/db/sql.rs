//! Helpers for the SQL that sea-orm's query builder does not write (the
//! roll-ups and reports of many joins): values always travel as bound
//! parameters, never in the statement's text; and transactions that write.

use sea_orm::{DatabaseBackend, Statement, Value};

/// The values of a raw statement, bound as `$1`, `$2`, …: sqlx reads `$N`
/// as the N-th argument on SQLite as on PostgreSQL, so one text serves
/// both backends, and a value used twice is bound once.
#[derive(Debug, Default)]
pub struct Params(Vec<Value>);

impl Params {
    pub fn new() -> Params {
        Params::default()
    }

    /// Binds `value`; answers its placeholder.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("${}", self.0.len())
    }

    /// Binds each of `values`; answers their placeholders for `IN (…)`.
    /// An empty list binds one NULL, which no `IN` matches.
    pub fn list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> String {
        let list = values.into_iter().map(|v| self.bind(v)).collect::<Vec<_>>();
        if list.is_empty() {
            return self.bind(Option::<i64>::None);
        }
        list.join(", ")
    }

    /// Binds rows of values; answers them as `($1, $2), ($3, $4)`, for
    /// `(a, b) IN (VALUES …)`.
    pub fn rows<R: IntoIterator<Item = Value>>(&mut self, rows: impl IntoIterator<Item = R>) -> String {
        rows.into_iter().map(|row| format!("({})", self.list(row))).collect::<Vec<_>>().join(", ")
    }

    /// Binds a set of ids as one parameter, for sets too large for a
    /// placeholder each; answers the test of a column against it: `= ANY
    /// ($n)` with an array on PostgreSQL, `IN (SELECT value FROM
    /// json_each($n))` with a JSON array on SQLite.
    pub fn id_set(&mut self, backend: DatabaseBackend, ids: &[i64]) -> String {
        match backend {
            DatabaseBackend::Postgres => format!("= ANY ({})", self.bind(ids.to_vec())),
            _ => {
                let json = serde_json::Value::from(ids.to_vec()).to_string();
                format!("IN (SELECT value FROM json_each({}))", self.bind(json))
            }
        }
    }

    /// The statement `sql` with these values.
    pub fn statement(self, backend: DatabaseBackend, sql: impl Into<String>) -> Statement {
        Statement::from_sql_and_values(backend, sql, self.0)
    }
}

/// Tables of marks that upkeep clears and heartbeat batches set, with the
/// key their rows are locked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// `record_dirty`, by (person, course).
    RecordDirty,
    /// `study_days`, by (person, day).
    StudyDays,
}

impl Marks {
    fn table(self) -> &'static str {
        match self {
            Marks::RecordDirty => "record_dirty",
            Marks::StudyDays => "study_days",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Marks::RecordDirty => "person_id, course_id",
            Marks::StudyDays => "person_id, day",
        }
    }
}

/// A condition for an upkeep `UPDATE`/`DELETE` of `marks` that leaves out
/// rows some other transaction holds locked right now, on PostgreSQL: the
/// rows matching `condition`, as `(key) IN (… FOR UPDATE SKIP LOCKED)`.
/// Upkeep clears marks that heartbeat batches set; a batch holding such a
/// row marks it again anyway, and waiting for it while the batch waited for
/// a row the upkeep held was a deadlock (PostgreSQL broke it after a
/// second, failing one side). SQLite has one writer: `condition` as it is.
/// `condition` holds placeholders only, never values.
pub fn unlocked_rows(backend: DatabaseBackend, marks: Marks, condition: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => {
            let (table, key) = (marks.table(), marks.key());
            format!("({key}) IN (SELECT {key} FROM {table} WHERE {condition} FOR UPDATE SKIP LOCKED)")
        }
        _ => condition.to_owned(),
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock
/// at once (`BEGIN IMMEDIATE`, waiting as `busy_timeout` allows): one that
/// reads first and writes later fails with "database is locked" whenever
/// another connection committed in between, and under steady studying the
/// heartbeat committer commits hundreds of times a second.
pub async fn begin_writing(db: &sea_orm::DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
