//! Data an island shows that the server can load again: the page loads it
//! on the server and hands it to the island in its props; the island shows
//! it at once (on the server and while hydrating) and loads it again from
//! the server only when what it depends on changes.
//!
//! Why not a `Resource` created inside the island: leptos hands a
//! resource's server-side value to the browser by creation order, counted
//! across the whole page. When an island sits inside views that wait for
//! data (the signed-in person, the course), the server may render it more
//! than once in one request, each render taking new numbers, while the
//! browser hydrates it once and reads the numbers of the first render. That
//! render's data can be missing when it was dropped early; the browser then
//! starts from nothing where the server showed a list, and hydration fails.
//! An island's props travel with its own HTML, so they always belong to the
//! render the browser sees.
//!
//! Pages (never hydrated in islands mode) load what they render with
//! [`page_data`], not a `Resource` either: the server writes a resource's
//! value into the page whenever leptos's per-request "hydrating" flag is
//! set when it is created, and that one flag is set and restored by every
//! island render, on whichever thread renders it, so a page's resource could
//! be sent to the browser for nothing.

use std::future::Future;
use std::sync::{Arc, Mutex};

use futures::future::Either;
use leptos::prelude::*;

use crate::api::AppError;

/// A server answer an island shows; `.get()` / `.await` as with a resource.
pub type Loaded<T> = AsyncDerived<Result<T, AppError>>;

/// Starts with `first` (what the page loaded); from then on, whenever
/// `source` changes, `fetch(source)` loads it again.
pub fn loaded<S, T, Fut>(
    first: Result<T, AppError>,
    source: impl Fn() -> S + Send + Sync + 'static,
    fetch: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let first = Arc::new(Mutex::new(Some(first)));
    // The first run reads `source` (so later changes re-run it) and finishes
    // without waiting, so the value is there synchronously: no request, and
    // the same view as the server's.
    AsyncDerived::new(move || {
        let source = source();
        let seed = first.lock().map(|mut f| f.take()).unwrap_or_default();
        match seed {
            Some(value) => Either::Left(std::future::ready(value)),
            None => Either::Right(fetch(source)),
        }
    })
}

/// A value the island shows as the page loaded it and never loads again.
pub fn fixed<T: Clone + Send + Sync + 'static>(value: Result<T, AppError>) -> Loaded<T> {
    AsyncDerived::new(move || std::future::ready(value.clone()))
}

/// What a page loads on the server to render (read it with `.await` inside
/// a `Suspense`): `fetch(source())`, loaded again when `source` changes.
/// Unlike a `Resource`, it is never written into the page.
pub type PageData<T> = AsyncDerived<T>;

/// Starts loading `fetch(source())` for a page; see [`PageData`].
pub fn page_data<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetch: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageData<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    AsyncDerived::new(move || fetch(source()))
}

/// The page side: renders `island(seed)` once `load()` has loaded what the
/// island starts from (on the server; the page waits for it).
pub fn seeded_island<S, Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    island: impl Fn(S) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: Future<Output = S> + Send + 'static,
    V: IntoView + 'static,
{
    let island = Arc::new(island);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (island, seed) = (Arc::clone(&island), load());
                Suspend::new(async move { island(seed.await) })
            }}
        </Suspense>
    }
}
