//! Whether a database error means the database is out of reach for now: it
//! is restarting or failing over, or the network to it broke. Such a
//! request is answered 503 with `Retry-After` rather than 500, so clients
//! (the study page's heartbeat queue among them) send it again; by then the
//! pool has opened new connections by itself.

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};

pub fn is_unreachable(e: &DbErr) -> bool {
    match e {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unreachable(e),
        _ => false,
    }
}

fn sqlx_unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception) and 57P (the server
        // shutting down or not yet accepting connections).
        sqlx::Error::Database(d) => {
            d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some()
                && d.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P"))
        }
        _ => false,
    }
}
