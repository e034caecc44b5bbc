//! The [`Discussion`] island: the comments under a lesson or a course,
//! newest first, each with its replies (one level, oldest first), 50 at a
//! time with "load older"; the form to write one above them.
//!
//! Each comment is an [`Entry`] with its own signals, and the lists are
//! keyed by id: posting, reporting or moderating one comment re-renders
//! that comment only, so a reply half typed under another one stays.

use courses::discussion::CommentView;
use courses::Lang;
use leptos::prelude::*;

use super::comment::CommentItem;
use super::compose::Compose;
use super::{api, Place};
use crate::api::AppError;
use crate::components::live::use_live;
use crate::components::notice::ErrorNotice;
use crate::i18n::discussion::DiscussionText as T;
use crate::i18n::Text;
use crate::lang::use_lang;

/// One comment as the page holds it.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    pub id: i64,
    pub view: RwSignal<CommentView>,
    /// Its replies (always empty for a reply).
    pub replies: RwSignal<Vec<Entry>>,
}

/// What the parts of one discussion share.
#[derive(Clone, Copy)]
pub(super) struct Thread {
    pub place: Place,
    pub csrf: StoredValue<String>,
    pub lang: Lang,
    /// The island is hydrated: its buttons work.
    pub live: RwSignal<bool>,
    /// The caller moderates this course's comments.
    pub moderator: RwSignal<bool>,
    /// Top-level comments, newest first.
    pub comments: RwSignal<Vec<Entry>>,
    /// The island's owner: comments loaded or posted later get their
    /// signals from it, not from the task that fetched them.
    owner: StoredValue<Option<Owner>>,
}

impl Thread {
    /// A comment with its replies, as entries.
    pub fn entry(self, mut view: CommentView) -> Entry {
        let replies: Vec<Entry> = std::mem::take(&mut view.replies).into_iter().map(|r| self.entry(r)).collect();
        let make = move || Entry { id: view.id, view: RwSignal::new(view), replies: RwSignal::new(replies) };
        match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }
}

/// How the first page of comments is doing.
#[derive(Clone)]
enum Status {
    Loading,
    Ready,
    Failed(AppError),
}

/// The discussion under `place`, for anyone who may study it.
#[island]
pub fn Discussion(place: Place, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let thread = Thread {
        place,
        csrf: StoredValue::new(csrf),
        lang,
        live: use_live(),
        moderator: RwSignal::new(false),
        comments: RwSignal::new(Vec::new()),
        owner: StoredValue::new(Owner::current()),
    };
    let status = RwSignal::new(Status::Loading);
    let review_first = RwSignal::new(false);
    let more = RwSignal::new(false);
    let older_busy = RwSignal::new(false);
    let older_error = RwSignal::new(None::<AppError>);

    let load = move |before: Option<i64>| {
        leptos::task::spawn_local(async move {
            match api::page(place, before).await {
                Ok(page) => {
                    thread.moderator.try_set(page.moderator);
                    review_first.try_set(page.review_first);
                    more.try_set(page.more);
                    let loaded: Vec<Entry> = page.comments.into_iter().map(|c| thread.entry(c)).collect();
                    thread.comments.try_update(|list| merge(list, loaded, before.is_none()));
                    status.try_set(Status::Ready);
                    older_error.try_set(None);
                }
                Err(error) if before.is_none() => drop(status.try_set(Status::Failed(error))),
                Err(error) => drop(older_error.try_set(Some(error))),
            }
            older_busy.try_set(false);
        });
    };
    // Once, in the browser, when the island is live.
    Effect::new(move |_| load(None));
    let older = move |_| {
        let last = thread.comments.with_untracked(|l| l.last().map(|e| e.id));
        older_busy.set(true);
        load(last);
    };
    let retry = move |_| {
        status.set(Status::Loading);
        load(None);
    };

    let heading = match place {
        Place::Lesson(_) => T::Heading,
        Place::Course(_) => T::CourseHeading,
    };
    let state_line = move || {
        match status.get() {
        Status::Loading => view! { <p class="muted" id="comments-loading">{Text::Loading.get(lang)}</p> }.into_any(),
        Status::Failed(error) => view! {
            <ErrorNotice error />
            <button type="button" class="secondary small" id="comments-retry" on:click=retry>{Text::Retry.get(lang)}</button>
        }
        .into_any(),
        Status::Ready if thread.comments.with(Vec::is_empty) => {
            view! { <p class="muted" id="no-comments">{T::NoComments.get(lang)}</p> }.into_any()
        }
        Status::Ready => ().into_any(),
    }
    };
    view! {
        <section
            class="card discussion"
            id="discussion"
            data-place=match place { Place::Lesson(_) => "lesson", Place::Course(_) => "course" }
            data-moderator=move || thread.moderator.get().to_string()
            data-loaded=move || matches!(status.get(), Status::Ready).to_string()
        >
            <h2>{heading.get(lang)}</h2>
            <Show when=move || review_first.get()>
                <p class="notice small" id="review-first-note">{T::ReviewFirstNote.get(lang)}</p>
            </Show>
            <Compose thread reply_to=None into=thread.comments replying=None />
            {state_line}
            <ol class="comments" id="comments">
                <For each=move || thread.comments.get() key=|e| e.id children=move |entry| {
                    view! { <CommentItem thread entry siblings=thread.comments top=true /> }
                } />
            </ol>
            <Show when=move || more.get()>
                <button type="button" class="secondary" id="comments-older" disabled=move || older_busy.get() || !thread.live.get() on:click=older>
                    {T::LoadOlder.get(lang)}
                </button>
            </Show>
            {move || older_error.get().map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}

/// Puts a loaded page into the list. The first page replaces what was
/// there, except comments posted on this page while it loaded (newer than
/// any it has); an older page goes at the end, without any already listed.
fn merge(list: &mut Vec<Entry>, loaded: Vec<Entry>, first: bool) {
    if first {
        let posted: Vec<Entry> = list.drain(..).filter(|e| !loaded.iter().any(|l| l.id == e.id)).collect();
        list.extend(posted);
        list.extend(loaded);
    } else {
        for entry in loaded {
            if !list.iter().any(|e| e.id == entry.id) {
                list.push(entry);
            }
        }
    }
}
