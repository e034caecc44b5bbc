//! The application's operations: queries and rules, called by both the REST
//! handlers in `http/` and the Leptos server functions (via `web::backend`).
//! Every operation takes the acting person and checks `courses::access`.

pub mod assignments;
pub mod auth;
pub mod catalog;
pub mod classes;
pub mod course_records;
pub mod decode;
pub mod demo;
pub mod demo_course;
pub mod discussion;
pub mod exams;
pub mod heartbeats;
pub mod import;
pub mod media;
pub mod meetings;
pub mod notices;
pub mod notifications;
pub mod orgs;
pub mod passwords;
pub mod people;
pub mod question_banks;
pub mod reminders;
pub mod reports;
pub mod standing;
pub mod study;
pub mod suggestions;
pub mod uploads;

use courses::access::Denied;
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

/// Maps a refusal to what the caller may learn: a role that can never do
/// this gets 403; something outside the caller's part of the tree is "not
/// found", so its existence is not revealed.
pub(crate) fn hide_out_of_scope(decision: Result<(), Denied>) -> Result<(), Error> {
    match decision {
        Ok(()) => Ok(()),
        Err(Denied::Role) => Err(Error::Forbidden),
        Err(Denied::OutOfScope) => Err(Error::NotFound),
    }
}

/// The actor for command-line administration and seeding: an admin who is
/// nobody in the tree (person id 0 never exists).
pub fn system_actor() -> Actor {
    Actor { id: PersonId(0), role: Role::Admin, standing: courses::Standing::Full, org: OrgPath::root(OrgId(1)) }
}
