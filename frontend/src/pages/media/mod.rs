//! `/media`: organizers and admins upload teaching material (lecture
//! videos, recorded talks, slide decks) and watch it being processed.
//!
//! The list, the org nodes and the caller's unfinished uploads come from
//! server functions: the page loads them on the server and hands them to
//! the island ([`MediaSeed`]), so the page renders complete there. Files go up
//! through the REST upload API in resumable parts ([`client`]), which only
//! the browser runs. Members and activists see a "no permission" message;
//! the server refuses them anyway.

#[cfg(feature = "hydrate")]
mod client;
mod list;
// Mostly the browser's arithmetic; the server build only formats sizes.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod plan;
mod runner;
#[cfg(feature = "hydrate")]
pub(crate) mod transport;
mod upload;

pub(crate) use list::poll_while_busy;
pub(crate) use upload::UploadSection;

use courses::directory::{Me, OrgNode};
use courses::media::{MediaSummary, UploadStatus};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::api::{list_media, open_uploads, org_tree, AppError, CancelMedia, DeleteMedia, RetryMedia};
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::loaded::{fixed, loaded, seeded_island, Loaded};
use crate::session::require_me;

use self::list::MediaList;

/// What the media desk shows first, loaded by the page on the server and
/// handed to the island in its props (see [`crate::loaded`]).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct MediaSeed {
    media: Result<Vec<MediaSummary>, AppError>,
    open: Result<Vec<UploadStatus>, AppError>,
    tree: Result<Vec<OrgNode>, AppError>,
}

impl MediaSeed {
    /// Loads the material, the caller's unfinished uploads and the org tree.
    pub(crate) async fn load() -> Self {
        let (media, open, tree) = futures::join!(list_media(None), open_uploads(), org_tree());
        MediaSeed { media, open, tree }
    }
}

/// What the parts of the page share. Every finished action, every finished
/// upload and every polling tick reloads the list. The course editor embeds
/// the upload form with one of these too.
#[derive(Clone, Copy)]
pub(crate) struct MediaPageState {
    pub(crate) media: Loaded<Vec<MediaSummary>>,
    open: Loaded<Vec<UploadStatus>>,
    pub(crate) tree: Loaded<Vec<OrgNode>>,
    /// Bumped to reload the list (polling, a finished upload).
    refresh: RwSignal<usize>,
    /// Bumped to reload the unfinished uploads.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    uploads_changed: RwSignal<usize>,
    cancel: ServerAction<CancelMedia>,
    retry: ServerAction<RetryMedia>,
    delete: ServerAction<DeleteMedia>,
}

impl MediaPageState {
    /// The desk's state, starting from what the page loaded.
    pub(crate) fn new(seed: MediaSeed) -> Self {
        let refresh = RwSignal::new(0usize);
        let uploads_changed = RwSignal::new(0usize);
        let cancel = ServerAction::<CancelMedia>::new();
        let retry = ServerAction::<RetryMedia>::new();
        let delete = ServerAction::<DeleteMedia>::new();
        let changes =
            Memo::new(move |_| refresh.get() + cancel.version().get() + retry.version().get() + delete.version().get());
        let media = loaded(seed.media, move || changes.get(), |_| list_media(None));
        let open = loaded(seed.open, move || uploads_changed.get(), |_| open_uploads());
        let tree = fixed(seed.tree);
        Self { media, open, tree, refresh, uploads_changed, cancel, retry, delete }
    }

    /// Reloads the list now.
    fn reload(&self) {
        // The page may be gone by the time an upload or timer finishes.
        self.refresh.try_update(|n| *n = n.wrapping_add(1));
    }

    /// Reloads the unfinished uploads now (after an upload, in the browser).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn reload_uploads(&self) {
        self.uploads_changed.try_update(|n| *n = n.wrapping_add(1));
    }
}

/// Uploads and the list, as one island: a finished upload reloads the list.
#[island(lazy)]
fn MediaDesk(me: Me, seed: MediaSeed) -> impl IntoView {
    let state = MediaPageState::new(seed);
    view! {
        <div class="media-layout">
            <UploadSection me=me.clone() state />
            <MediaList me state />
        </div>
    }
}

/// The `/media` page.
#[component]
pub fn MediaPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=Text::MediaTitle.get(lang) />
        <h1>{Text::MediaTitle.get(lang)}</h1>
        {require_me(move |me| {
            if me.role.manages_people() {
                Either::Left(
                    seeded_island(MediaSeed::load, move |seed| view! { <MediaDesk me=me.clone() seed /> }),
                )
            } else {
                Either::Right(
                    view! {
                        <p class="notice error" id="no-permission" role="alert">
                            {Text::MediaNoPermission.get(lang)}
                        </p>
                    },
                )
            }
        })}
    }
}
