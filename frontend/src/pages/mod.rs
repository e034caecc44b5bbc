//! One module per route.

pub mod assignments;
mod choices;
pub mod classes;
pub mod discussion;
pub mod exams;
pub mod home;
pub mod login;
pub mod manage;
pub mod media;
pub mod meetings;
pub mod not_found;
pub mod notices;
pub mod notifications;
pub mod orgs;
pub mod password;
pub mod reports;
pub mod study;
pub mod suggestions;
pub mod verify;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric `{id}` of the route (0 when it is not a number: the server
/// then answers "not found").
pub(crate) fn route_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// Loads another page. Islands have no client-side router: leaving the page
/// is a plain page load.
pub(crate) fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
