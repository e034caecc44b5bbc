//! The form that writes a comment (above the list) or a reply (under the
//! comment it answers): the text with a live count of its characters, and
//! "只显示支部和姓氏". What was typed stays in the field until the comment
//! is posted; an error shows beside the button and keeps it there.

use courses::discussion::{CommentDraft, MAX_COMMENT_CHARS};
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Textarea};
use leptos::prelude::*;

use super::api;
use super::thread::{Entry, Thread};
use crate::api::AppError;
use crate::components::live::{clear, keep_ticked, keep_typed};
use crate::components::notice::ErrorNotice;
use crate::i18n::discussion::{char_count, DiscussionText as T};

/// A comment form. Its controls' ids start with `comment-` (the form for a
/// new comment) or `reply-{id}-` (a reply to comment `id`): `…-body`,
/// `…-count`, `…-surname`, `…-submit`, `…-error`.
#[component]
pub(super) fn Compose(
    thread: Thread,
    /// The comment this form answers; `None`: a new comment.
    reply_to: Option<i64>,
    /// The list the posted comment joins: first among the comments, last
    /// among the replies.
    into: RwSignal<Vec<Entry>>,
    /// A reply form's "open" switch, closed once the reply is posted.
    replying: Option<RwSignal<bool>>,
) -> impl IntoView {
    let lang = thread.lang;
    let prefix = match reply_to {
        Some(id) => format!("reply-{id}"),
        None => "comment".to_owned(),
    };
    let field = NodeRef::<Textarea>::new();
    let surname_box = NodeRef::<Input>::new();
    let text = RwSignal::new(String::new());
    let surname_only = RwSignal::new(false);
    keep_typed(field, text);
    keep_ticked(surname_box, surname_only);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let count = Memo::new(move |_| text.with(|t| t.chars().count()));
    let sendable = Memo::new(move |_| text.with(|t| !t.trim().is_empty()) && count.get() <= MAX_COMMENT_CHARS);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !sendable.get_untracked() {
            return;
        }
        let draft = CommentDraft { body: text.get_untracked(), reply_to, surname_only: surname_only.get_untracked() };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let csrf = thread.csrf.try_get_value().unwrap_or_default();
            match api::post(thread.place, &csrf, &draft).await {
                Ok(view) => {
                    let entry = thread.entry(view);
                    into.try_update(|list| match reply_to {
                        Some(_) => list.push(entry),
                        None => list.insert(0, entry),
                    });
                    clear(field);
                    text.try_set(String::new());
                    if let Some(open) = replying {
                        open.try_set(false);
                    }
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
            busy.try_set(false);
        });
    };

    let (label, button) = match reply_to {
        Some(_) => (T::ReplyLabel, T::PostReply),
        None => (T::BodyLabel, T::Post),
    };
    let cancel = replying.map(|open| {
        view! {
            <button type="button" class="secondary" data-action="cancel-reply" on:click=move |_| open.set(false)>
                {T::Cancel.get(lang)}
            </button>
        }
    });
    view! {
        <form class="comment-form" class:reply-form=reply_to.is_some() id=format!("{prefix}-form") on:submit=submit>
            <label for=format!("{prefix}-body")>{label.get(lang)}</label>
            <textarea
                id=format!("{prefix}-body")
                class="comment-text"
                rows=if reply_to.is_some() { "3" } else { "4" }
                placeholder=T::Placeholder.get(lang)
                aria-describedby=format!("{prefix}-count")
                node_ref=field
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <div class="comment-form-row">
                <label class="check">
                    <input
                        type="checkbox"
                        id=format!("{prefix}-surname")
                        node_ref=surname_box
                        on:change=move |ev| surname_only.set(event_target_checked(&ev))
                    />
                    {T::SurnameOnly.get(lang)}
                </label>
                <span class="char-count small" id=format!("{prefix}-count") class:over=move || { count.get() > MAX_COMMENT_CHARS }>
                    {move || char_count(count.get(), MAX_COMMENT_CHARS)}
                    {move || (count.get() > MAX_COMMENT_CHARS).then(|| format!(" · {}", T::TooLong.get(lang)))}
                </span>
            </div>
            {reply_to.is_none().then(|| view! { <p class="muted small">{T::SurnameHelp.get(lang)}</p> })}
            <div id=format!("{prefix}-error")>{move || error.get().map(|error| view! { <ErrorNotice error /> })}</div>
            <div class="form-actions">
                <button type="submit" id=format!("{prefix}-submit") disabled=move || busy.get() || !thread.live.get() || !sendable.get()>
                    {move || if busy.get() { T::Posting } else { button }.get(lang)}
                </button>
                {cancel}
            </div>
        </form>
    }
}
