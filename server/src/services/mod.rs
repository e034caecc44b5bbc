//! The application's operations: queries and rules, called by both the REST
//! handlers in `http/` and the Leptos server functions (via `web::backend`).
//! Every operation takes the acting person and checks `courses::access`.

pub mod auth;
pub mod demo;
pub mod import;
pub mod media;
pub mod orgs;
pub mod passwords;
pub mod people;
pub mod uploads;

use courses::{Actor, OrgId, OrgPath, PersonId, Role};
use sea_orm::{DbErr, SqlErr};

use crate::error::{Detail, Error};

/// Turns a unique-constraint violation into a 409 with `detail`; other
/// database errors stay internal.
pub(crate) fn conflict_on_unique(err: DbErr, detail: Detail) -> Error {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(detail),
        _ => Error::Db(err),
    }
}

/// The actor for command-line administration and seeding: an admin who is
/// nobody in the tree (person id 0 never exists).
pub fn system_actor() -> Actor {
    Actor { id: PersonId(0), role: Role::Admin, org: OrgPath::root(OrgId(1)) }
}
