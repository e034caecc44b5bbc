//! Course assignments: an organizer requires a course of some people of a
//! node they manage by a due day.
//!
//! The target is written like a course's audience ([`Audience`]): org nodes
//! (each with its subtree), optionally narrowed to roles, plus named people.
//! It must lie inside the node the assignment is made for, and everyone it
//! covers must be able to study the course. The server resolves it to
//! people when the assignment is made and keeps that list current as people
//! join, move or change role (`services::assignments::sync_person`).

use serde::{Deserialize, Serialize};

use crate::course::Audience;

pub mod check;
mod messages;
pub mod views;

pub use check::{AssignmentError, CheckedAssignment};
pub use views::{AssignmentMember, AssignmentSummary, AssignmentView, NamedRef, TargetView};

/// Furthest a due day may lie ahead, in days (about three years).
pub const MAX_DUE_DAYS: i64 = 1096;
/// Most people named in an error about who cannot study a course.
pub const MAX_NAMES_IN_ERROR: usize = 5;

/// `POST /api/v1/assignments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// The org node the assignment is made for, which the caller manages:
    /// it owns the assignment, and the target lies inside it.
    pub org_id: i64,
    /// A published course the caller manages or may study themselves.
    pub course_id: i64,
    /// Who must study it: nodes of `org_id`'s subtree (each with its own
    /// subtree), optionally narrowed to `roles`, plus named `people` of that
    /// subtree.
    pub target: Audience,
    /// Last day, `YYYY-MM-DD`: today or later, at most about three years
    /// ahead.
    pub due_on: String,
}

/// `PUT /api/v1/assignments/{id}/due`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DueUpdate {
    /// The new last day, `YYYY-MM-DD`: today or later.
    pub due_on: String,
}

/// `GET /api/v1/assignments` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default, deny_unknown_fields)]
pub struct AssignmentQuery {
    /// Only assignments made for this node and the nodes below it.
    pub org_id: Option<i64>,
}
