//! Running a transaction again when another writer had the database.

use std::time::Duration;

use sea_orm::{DbErr, RuntimeErr};

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

/// SQLite's `SQLITE_BUSY` ("database is locked"), whose extended codes
/// (`SQLITE_BUSY_SNAPSHOT` and the like) keep it in their low byte.
const SQLITE_BUSY: i64 = 5;
/// PostgreSQL's SQLSTATE `deadlock_detected`.
const PG_DEADLOCK: &str = "40P01";

/// Whether `e` is the database refusing for now what it may allow on a
/// second try, told by the driver's error code: sqlx gives SQLite's
/// extended result code and PostgreSQL's SQLSTATE.
fn is_busy(e: &DbErr) -> bool {
    let (DbErr::Conn(RuntimeErr::SqlxError(e))
    | DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))) = e
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(e) = &**e else {
        return false;
    };
    let Some(code) = e.code() else {
        return false;
    };
    if e.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>().is_some() {
        return code.parse::<i64>().is_ok_and(|code| code & 0xff == SQLITE_BUSY);
    }
    code == PG_DEADLOCK
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::sqlx::sqlite::SqliteConnectOptions;
    use sea_orm::sqlx::{ConnectOptions, Connection};

    use super::*;

    #[tokio::test]
    async fn a_second_writer_on_sqlite_is_told_busy_by_its_code() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("busy.db"))
            .create_if_missing(true)
            .busy_timeout(Duration::ZERO);
        let mut first = options.connect().await.expect("opens");
        let mut second = options.connect().await.expect("opens again");
        sea_orm::sqlx::raw_sql("CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE")
            .execute(&mut first)
            .await
            .expect("writes");

        let refused = sea_orm::sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut second).await.expect_err("locked");

        let as_sea_orm = DbErr::Exec(RuntimeErr::SqlxError(Arc::new(refused)));
        assert!(is_busy(&as_sea_orm), "{as_sea_orm}");
        let other = sea_orm::sqlx::raw_sql("SELECT * FROM missing").execute(&mut first).await.expect_err("no table");
        assert!(!is_busy(&DbErr::Query(RuntimeErr::SqlxError(Arc::new(other)))));
        assert!(!is_busy(&DbErr::Custom("database is locked".into())), "words are not a code");
        first.close().await.expect("closes");
        second.close().await.expect("closes");
    }
}
