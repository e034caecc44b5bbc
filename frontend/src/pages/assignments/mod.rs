//! Course assignments: `/assignments` lists what the organizer's nodes
//! assigned (with how many are done and overdue) and assigns a course to
//! nodes, roles or people by a due day; `/assignments/{id}` shows every
//! member's progress, moves the due day and deletes the assignment.
//!
//! Members and activists get a refusal; an assignment outside the caller's
//! scope is "not found", as the server says.

mod api;
mod create;
mod detail;
mod list;

pub use detail::AssignmentPage;
pub use list::AssignmentsPage;

use courses::Lang;
use leptos::prelude::*;

use crate::i18n::assignments::AssignmentText;

/// What members and activists see instead of an assignment page.
fn refusal(lang: Lang) -> AnyView {
    crate::components::notice::refusal(AssignmentText::NoPermission.get(lang))
}
