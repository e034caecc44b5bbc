//! One comment: who wrote it (full name, or surname + "同志"), their
//! branch and when; the text; for its writer, why it waits or was hidden;
//! and what the caller may do: reply (to a published top-level comment of
//! someone else), report (someone else's published comment, with a
//! reason; not for moderators), delete (their own). A course's organizers also get the
//! moderation bar.

use courses::discussion::{CommentState, ModerationAction};
use leptos::prelude::*;

use super::api;
use super::compose::Compose;
use super::moderation::ModerationBar;
use super::thread::{Entry, Thread};
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::discussion::{author_label, held_for_text, DiscussionText as T};

/// A comment as `li#comment-{id}.comment` (`.reply` for a reply), with
/// `data-state`. Its own buttons are in its `.comment-actions`
/// (`data-action` = `reply`, `report`, `delete-own`), the report's reason
/// `input.report-reason` sent with `button[data-action=send-report]`; the
/// moderation bar is its `.moderation`; replies are in `ol.comment-replies`.
#[component]
pub(super) fn CommentItem(
    thread: Thread,
    entry: Entry,
    /// The list it is in (to leave it when deleted).
    siblings: RwSignal<Vec<Entry>>,
    /// A top-level comment (it may have replies), not a reply.
    top: bool,
) -> AnyView {
    let lang = thread.lang;
    let (id, v) = (entry.id, entry.view);
    let state = Memo::new(move |_| v.with(|c| c.state));
    let (mine, author, branch, at) = v.with_untracked(|c| {
        (c.author.mine, author_label(&c.author, lang), c.author.branch.clone(), c.created_at.clone())
    });
    let replying = RwSignal::new(false);
    let reporting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let moderated = RwSignal::new(None::<ModerationAction>);
    let csrf = move || thread.csrf.try_get_value().unwrap_or_default();

    let delete = move |_| {
        if !window().confirm_with_message(T::ConfirmDelete.get(lang)).unwrap_or(false) {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::delete(&csrf(), id).await {
                // Moderators still see deleted comments; others no longer do.
                Ok(()) if thread.moderator.get_untracked() => {
                    v.try_update(|c| {
                        c.state = CommentState::Deleted;
                        c.body.clear();
                    });
                }
                Ok(()) => {
                    siblings.try_update(|list| list.retain(|e| e.id != id));
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
            busy.try_set(false);
        });
    };
    let send_report = move |_| {
        let why = reason.get_untracked();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::report(&csrf(), id, why).await {
                Ok(()) => {
                    v.try_update(|c| c.reported_by_me = true);
                    reporting.try_set(false);
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
            busy.try_set(false);
        });
    };

    // For its writer: why others do not see it.
    let writer_note = move || {
        v.with(|c| match c.state {
            CommentState::Pending if c.author.mine => Some(
                view! {
                    <p class="comment-held small" data-held-for=c.held_for.map(|h| h.as_str())>
                        <span class="tag due">{T::Pending.get(lang)}</span> " "
                        {c.held_for.map(|h| held_for_text(h, lang))}
                    </p>
                }
                .into_any(),
            ),
            CommentState::Hidden if c.author.mine => Some(
                view! {
                    <p class="comment-hidden small">
                        <span class="tag">{T::Hidden.get(lang)}</span> " " {T::HiddenBecause.get(lang)}
                        {c.moderation_reason.clone()}
                    </p>
                }
                .into_any(),
            ),
            _ => None,
        })
    };
    let body = move || {
        v.with(|c| match c.state {
            CommentState::Deleted => view! { <p class="comment-body muted">{T::Deleted.get(lang)}</p> }.into_any(),
            _ => view! { <p class="comment-body">{c.body.clone()}</p> }.into_any(),
        })
    };
    let published = move || state.get() == CommentState::Published;
    let disabled = move || busy.get() || !thread.live.get();
    let actions = move || {
        let reported = v.with(|c| c.reported_by_me);
        view! {
            {(top && !mine && published()).then(|| view! {
                <button type="button" data-action="reply" aria-expanded=move || replying.get().to_string()
                    disabled=disabled on:click=move |_| replying.update(|r| *r = !*r)>{T::Reply.get(lang)}</button>
            })}
            // Moderators act on it themselves rather than report it.
            {(!mine && published() && !reported && !thread.moderator.get()).then(|| view! {
                <button type="button" data-action="report" aria-expanded=move || reporting.get().to_string()
                    disabled=disabled on:click=move |_| reporting.update(|r| *r = !*r)>{T::Report.get(lang)}</button>
            })}
            {(!mine && reported).then(|| view! { <span class="tag reported">{T::Reported.get(lang)}</span> })}
            {(mine && state.get() != CommentState::Deleted).then(|| view! {
                <button type="button" data-action="delete-own" disabled=disabled on:click=delete>{T::Delete.get(lang)}</button>
            })}
        }
    };
    let report_form = move || {
        reporting.get().then(|| {
            view! {
                <div class="report-form">
                    <label>
                        {T::ReportReason.get(lang)}
                        <input type="text" class="report-reason" maxlength="200" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev)) />
                    </label>
                    <div class="form-actions">
                        <button type="button" class="small" data-action="send-report" disabled=disabled on:click=send_report>
                            {T::SendReport.get(lang)}
                        </button>
                        <button type="button" class="small secondary" data-action="cancel-report" on:click=move |_| reporting.set(false)>
                            {T::Cancel.get(lang)}
                        </button>
                    </div>
                </div>
            }
        })
    };
    let replies = top.then(|| {
        view! {
            <ol class="comment-replies">
                <For each=move || entry.replies.get() key=|e| e.id children=move |reply| {
                    CommentItem(CommentItemProps { thread, entry: reply, siblings: entry.replies, top: false })
                } />
            </ol>
            <Show when=move || replying.get()>
                <Compose thread reply_to=Some(id) into=entry.replies replying=Some(replying) />
            </Show>
        }
    });
    view! {
        <li class="comment" class:reply=!top id=format!("comment-{id}") data-comment-id=id
            data-state=move || state.get().as_str() data-mine=mine.to_string()>
            <p class="comment-head">
                <strong class="comment-author">{author}</strong>
                {(!branch.is_empty()).then(|| view! { " " <span class="comment-branch">{branch}</span> })}
                " " <span class="comment-time muted small">{at}</span>
            </p>
            {writer_note}
            {body}
            <Show when=move || thread.moderator.get()>
                <ModerationBar csrf=thread.csrf lang live=thread.live comment=v done=moderated no_delete=mine />
            </Show>
            <div class="comment-actions">{actions}</div>
            {report_form}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            {replies}
        </li>
    }
    .into_any()
}
