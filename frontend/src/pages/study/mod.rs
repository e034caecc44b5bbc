//! Studying: `/courses` lists the courses a member may study, `/courses/{id}`
//! shows one with its lessons, `/lessons/{id}` is the lesson page (HLS
//! player or slide viewer).
//!
//! Pages render complete on the server from server functions. What only a
//! browser can do runs in [`client`] after hydration: opening the playback
//! session, HLS through hls.js ([`hls`]), tracking what was played or shown,
//! heartbeats, the seek rule and the "still studying?" prompt.

mod article;
mod catalog;
#[cfg(feature = "hydrate")]
mod client;
mod course;
#[cfg(feature = "hydrate")]
mod hls;
mod lesson;
mod slides;

pub use catalog::CatalogPage;
pub use course::CoursePage;
pub use lesson::LessonPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric `{id}` of the route (0 when it is not a number: the server
/// then answers "not found").
fn route_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse().ok()).unwrap_or(0))
}
