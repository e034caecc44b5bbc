//! When a page's wasm is fetched. Most pages start fetching it at once, as
//! Leptos's hydration scripts do. A lesson page with a player holds the
//! scripts back in a `<template>`: on a weak link the wasm would share the
//! bandwidth with hls.js and the video's first segment, and the member is
//! waiting for the picture, not for the quality menu. `lesson-start.js`
//! releases them (`window.dxHydrate()`) once the first frame shows, or when
//! nobody asked to play for a few seconds; the island then takes over the
//! running player. A lesson without a player (slides, an article) releases
//! them as soon as the page is parsed.

use leptos::config::LeptosOptions;
use leptos::either::Either;
use leptos::hydration::HydrationScripts;
use leptos::prelude::*;

/// Moves the held scripts into `<head>`: template content is inert, and its
/// scripts run (and its preload links fetch) only once inserted.
const RELEASE: &str = "window.dxHydrate=function(){var t=document.getElementById('dx-hydration');\
if(t&&t.parentNode){t.parentNode.removeChild(t);document.head.appendChild(t.content.cloneNode(true));}};\
document.addEventListener('DOMContentLoaded',function(){var v=document.getElementById('player');\
if(!v||!v.dataset.src)window.dxHydrate();});";

/// The hydration scripts, held back on lesson pages.
#[component]
pub fn Hydration(options: LeptosOptions, root: String) -> impl IntoView {
    if held_back() {
        Either::Left(view! {
            <template id="dx-hydration">
                <HydrationScripts options islands=true root />
            </template>
            <script>{RELEASE}</script>
        })
    } else {
        Either::Right(view! { <HydrationScripts options islands=true root /> })
    }
}

/// Lesson pages (`/lessons/{id}`) may have a player.
fn held_back() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().is_some_and(|parts| parts.uri.path().starts_with("/lessons/"))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}
