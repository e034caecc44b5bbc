//! Whether an island is live (hydrated). Until then a tap on a form's
//! button would submit the bare HTML form and reload the page, losing what
//! was typed: such buttons stay disabled and say the page is loading.

use leptos::prelude::*;

/// `false` on the server and until the island hydrates, then `true`.
pub fn use_live() -> RwSignal<bool> {
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    live
}
