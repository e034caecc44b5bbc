//! 三会一课: `/meetings` lists the meetings of the nodes an organizer
//! manages (with 应到 / 实到 / 已补学) and records a new one;
//! `/meetings/{id}` shows one meeting's roster, who still has to make it up,
//! and changes attendance. The member's side, their make-up tasks, is a
//! section of the home page ([`makeups`]).
//!
//! Members and activists get a refusal; a meeting outside the caller's
//! scope is "not found", as the server says.

mod api;
mod detail;
mod list;
mod makeups;
mod record;

pub use detail::MeetingPage;
pub use list::MeetingsPage;
pub use makeups::{load_makeups, MakeupTasks, MakeupsData};

use courses::Lang;
use leptos::prelude::*;

use crate::i18n::meetings::MeetingText;

/// What members and activists see instead of a meeting page.
fn refusal(lang: Lang) -> AnyView {
    crate::components::notice::refusal(MeetingText::NoPermission.get(lang))
}
