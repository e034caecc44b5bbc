//! Course assignments: organizers require a course of some people of a
//! node they manage by a due day.
//!
//! The rules, as decided here:
//!
//! - **Node**: an assignment is made for one node the organizer manages
//!   (`org_id`); it belongs to that node, and only those who manage it see
//!   or change it. Out of scope answers 404, members and activists 403.
//! - **Target**: nodes (each with its subtree), optionally narrowed to
//!   roles, plus named people, like a course's audience. Every node and
//!   person must exist and lie inside the assignment's node; anything else
//!   gets one 422, so ids outside the caller's scope cannot be probed.
//! - **Course**: one the organizer manages or may study themselves (a
//!   course of a higher node aimed at them), and published. Unknown and
//!   invisible courses get the same 422.
//! - **Members**: the target resolved to people when the assignment is made
//!   (`assignment_members`). Everyone must be able to study the course
//!   (`Actor::can_study`): otherwise 422 naming how many cannot and who. A
//!   target that covers nobody is refused too.
//! - **Later changes** ([`sync_person`]): a person created, moved to another
//!   node or given another role joins every assignment whose target now
//!   covers them, whose due day has not passed and whose course they may
//!   study; they leave every assignment whose target no longer covers them
//!   (named people too, once they sit outside the assignment's node).
//! - **Done**: the course completed, at any time (from `course_records`).
//!   Overdue: not done after the due day.
//! - **Due day**: today or later (at most about three years ahead), when
//!   made and when changed.
//! - **Delete**: the memberships go; study progress stays with the lessons.
//!
//! Every change of members or due day marks the (person, course) records
//! for `services::course_records` to recompute.
//!
//! - `create.rs`: making an assignment and the checks that need the database.
//! - `members.rs`: resolving a target, `sync_person`, a person's due days.
//! - `views.rs`: the list with counts and the assignment page.
//! - `change.rs`: due day, deletion.

mod change;
mod create;
mod members;
mod views;

pub use change::{delete, set_due};
pub use create::create;
pub use members::{due_dates_of, sync_person};
pub use views::{get, list};

use courses::assignment::AssignmentError;
use courses::course::Audience;
use courses::Actor;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::db::{assignments, orgs};
use crate::error::{Error, Result};
use crate::services::orgs::{in_scope, path_of};

fn invalid(e: AssignmentError) -> Error {
    Error::invalid(&e)
}

/// Members and activists manage no assignments: 403 before anything is
/// looked up, so they learn nothing about which ids exist.
fn require_manager(actor: &Actor) -> Result<()> {
    in_scope(&actor.scope()).map(|_| ()).ok_or(Error::Forbidden)
}

/// An assignment the actor manages, with its node; 404 when it does not
/// exist or lies outside the actor's subtree.
async fn find_managed(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<(assignments::Model, orgs::Model)> {
    require_manager(actor)?;
    let row = assignments::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let org = orgs::Entity::find_by_id(row.org_id).one(db).await?.ok_or(Error::NotFound)?;
    super::hide_out_of_scope(actor.can_manage_assignments(&path_of(&org)?))?;
    Ok((row, org))
}

/// The stored target; one that no longer parses is a server fault.
fn target_of(row: &assignments::Model) -> Result<Audience> {
    serde_json::from_str(&row.target).map_err(|e| Error::Internal(anyhow::anyhow!("assignment {} target: {e}", row.id)))
}
