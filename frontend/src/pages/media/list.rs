//! The list of uploaded material with each item's processing state, and the
//! buttons that stop, retry or delete an item. While anything is queued or
//! processing the browser reloads the list every two seconds.
//!
//! On wide screens it is a table; on phones each row becomes a card (see
//! `.media-table` in `main.css`), with the column names repeated from
//! `data-label`.

use std::collections::HashMap;
use std::time::Duration;

use courses::directory::{Me, OrgNode};
use courses::i18n::Localize;
use courses::media::{Ladder, MediaKind, MediaState, MediaSummary};
use courses::OrgId;
use leptos::either::Either;
use leptos::prelude::*;

use super::plan::human_bytes;
use super::MediaPageState;
use crate::components::notice::{saved_text, ActionStatus, ErrorNotice};
use crate::i18n::media::ladder_text;
use crate::i18n::{confirm_delete_media, media_state_text, slide_count, Text};
use crate::lang::use_lang;

/// How often a list with work in progress is reloaded.
const POLL: Duration = Duration::from_secs(2);

/// Whether the item's state can still change by itself.
fn in_progress(item: &MediaSummary) -> bool {
    matches!(item.state, MediaState::Queued | MediaState::Processing)
        || (item.state == MediaState::Ready && item.ladder == Some(Ladder::Pending))
}

/// The material in the caller's scope.
#[component]
pub(super) fn MediaList(me: Me, state: MediaPageState) -> impl IntoView {
    let lang = use_lang();
    let MediaPageState { media, tree, cancel, retry, delete, .. } = state;
    poll_while_busy(state);
    let csrf = me.csrf_token;

    view! {
        <section class="card" id="media-section">
            <h2>{Text::MediaListHeading.get(lang)}</h2>
            <ActionStatus outcome=Signal::derive(move || saved_text(cancel.value().get(), lang, Text::Saved)) />
            <ActionStatus outcome=Signal::derive(move || saved_text(retry.value().get(), lang, Text::Saved)) />
            <ActionStatus outcome=Signal::derive(move || saved_text(delete.value().get(), lang, Text::Deleted)) />
            <Transition fallback=move || view! { <p class="muted">{Text::Loading.get(lang)}</p> }>
                {move || {
                    let csrf = csrf.clone();
                    Suspend::new(async move {
                        let nodes = tree.await.unwrap_or_default();
                        match media.await {
                            Ok(items) => Either::Left(view! { <MediaTable items nodes csrf state /> }),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// In the browser, reloads the list [`POLL`] after each load that still has
/// queued or processing items. At most one timer is pending at a time, so
/// reloads never pile up.
pub(crate) fn poll_while_busy(state: MediaPageState) {
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        let busy = state.media.get().and_then(Result::ok).is_some_and(|items| items.iter().any(in_progress));
        if busy && !pending.try_get_value().unwrap_or(true) {
            pending.set_value(true);
            set_timeout(
                move || {
                    pending.try_set_value(false);
                    state.reload();
                },
                POLL,
            );
        }
    });
}

/// The rows, or a line saying there are none.
#[component]
fn MediaTable(items: Vec<MediaSummary>, nodes: Vec<OrgNode>, csrf: String, state: MediaPageState) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! {
            <div id="media-list">
                <p class="muted">{Text::NoMedia.get(lang)}</p>
            </div>
        }
        .into_any();
    }
    let org_names: HashMap<OrgId, String> = nodes.into_iter().map(|n| (n.id, n.name.to_string())).collect();
    let rows = items
        .into_iter()
        .map(|item| {
            let org = org_names.get(&item.org_id).cloned().unwrap_or_else(|| item.org_id.to_string());
            view! { <MediaRow item org csrf=csrf.clone() state /> }
        })
        .collect_view();
    view! {
        <div id="media-list" class="table-scroll">
            <table class="media-table">
                <thead>
                    <tr>
                        <th>{Text::ColFile.get(lang)}</th>
                        <th>{Text::ColKind.get(lang)}</th>
                        <th>{Text::ColOrg.get(lang)}</th>
                        <th>{Text::ColSize.get(lang)}</th>
                        <th>{Text::ColState.get(lang)}</th>
                        <th>{Text::ColActions.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One item.
#[component]
fn MediaRow(item: MediaSummary, org: String, csrf: String, state: MediaPageState) -> impl IntoView {
    let lang = use_lang();
    let kind = item.kind.map(|k| k.localize(lang)).unwrap_or_else(|| Text::KindUnknown.get(lang).to_owned());
    let state_text = media_state_text(item.state, item.kind, item.percent, item.problem_message.as_deref(), lang);
    let processing = (item.state == MediaState::Processing).then(|| {
        view! { <progress class="media-progress" max="100" value=item.percent.to_string()></progress> }
    });
    let ready = item.state == MediaState::Ready;
    let ladder_line = ladder_text(
        item.ladder.filter(|_| ready),
        item.renditions.iter().copied().min(),
        item.ladder_percent,
        item.ladder_problem_message.as_deref(),
        lang,
    )
    .map(|line| {
        let bar = (item.ladder == Some(Ladder::Pending)).then(|| {
            view! { <progress class="media-progress" max="100" value=item.ladder_percent.to_string()></progress> }
        });
        view! {
            <span class="ladder-text small muted" data-ladder=item.ladder.map(Ladder::as_str)>{line}</span>
            {bar}
        }
    });
    let file_name = item.file_name.to_string();
    let confirm_text = confirm_delete_media(&file_name, lang);

    // A video whose higher renditions are still made is not stopped from
    // here: it already plays.
    let can_cancel = matches!(item.state, MediaState::Queued | MediaState::Processing);
    let can_retry = matches!(item.state, MediaState::Failed | MediaState::Cancelled)
        || (ready && item.ladder == Some(Ladder::Failed));
    let id = item.id;
    // Cancel and retry need no confirmation: both can be undone.
    let (cancel, retry) = (state.cancel, state.retry);
    let (csrf_cancel, csrf_retry) = (csrf.clone(), csrf.clone());
    let cancel_button = can_cancel.then(|| {
        view! {
            <ActionForm action=cancel>
                <input type="hidden" name="csrf" value=csrf_cancel />
                <input type="hidden" name="id" value=id.to_string() />
                <button
                    type="submit"
                    class="small secondary"
                    data-action="cancel"
                    disabled=move || cancel.pending().get()
                >
                    {Text::StopProcessing.get(lang)}
                </button>
            </ActionForm>
        }
    });
    let retry_button = can_retry.then(|| {
        view! {
            <ActionForm action=retry>
                <input type="hidden" name="csrf" value=csrf_retry />
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="small secondary" data-action="retry" disabled=move || retry.pending().get()>
                    {Text::Retry.get(lang)}
                </button>
            </ActionForm>
        }
    });
    let delete_button = view! {
        <ActionForm action=state.delete>
            <input type="hidden" name="csrf" value=csrf />
            <input type="hidden" name="id" value=id.to_string() />
            <button
                type="submit"
                class="small danger"
                data-action="delete"
                disabled=move || state.delete.pending().get()
                on:click=move |ev| {
                    if !confirmed(&confirm_text) {
                        ev.prevent_default();
                    }
                }
            >
                {Text::Delete.get(lang)}
            </button>
        </ActionForm>
    };

    view! {
        <tr data-media-id=id.to_string() data-state=item.state.as_str()>
            <td data-label=Text::ColFile.get(lang)>
                <span class="media-name">{file_name}</span>
                <Preview item=item.clone() />
            </td>
            <td data-label=Text::ColKind.get(lang)>{kind}</td>
            <td data-label=Text::ColOrg.get(lang)>{org}</td>
            <td data-label=Text::ColSize.get(lang) class="num">{human_bytes(item.size)}</td>
            <td data-label=Text::ColState.get(lang) class=format!("media-state {}", item.state.as_str())>
                <span class="state-text">{state_text}</span>
                {processing}
                {ladder_line}
            </td>
            <td data-label=Text::ColActions.get(lang) class="actions row-actions">
                {cancel_button}
                {retry_button}
                {delete_button}
            </td>
        </tr>
    }
}

/// For ready items: the link to play it, or how many slides it has.
#[component]
fn Preview(item: MediaSummary) -> impl IntoView {
    let lang = use_lang();
    if item.state != MediaState::Ready {
        return None;
    }
    match item.kind {
        Some(MediaKind::Video | MediaKind::Audio) => item.playlist_url.map(|url| {
            Either::Left(view! {
                <a class="media-preview" href=url rel="external" target="_blank">
                    {Text::Preview.get(lang)}
                </a>
            })
        }),
        Some(MediaKind::Slides) => item
            .slide_count
            .map(|n| Either::Right(view! { <span class="media-preview muted small">{slide_count(n, lang)}</span> })),
        None => None,
    }
}

/// Asks the browser's confirm dialog; in doubt (no window), do not delete.
fn confirmed(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}
