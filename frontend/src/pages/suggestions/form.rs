//! The form that sends a suggestion: to whom (the caller's own node first,
//! then each above it), the title and the text with live counts, and
//! "匿名" with a plain note of who can still see the sender. What was
//! typed stays in the fields until the suggestion is sent.

use courses::suggestion::{Addressee, SuggestionDraft, SuggestionView, MAX_BODY_CHARS, MAX_TITLE_CHARS};
use courses::OrgId;
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Textarea};
use leptos::prelude::*;

use super::api;
use crate::api::AppError;
use crate::components::live::{clear, clear_line, keep_ticked, keep_typed, keep_typed_line};
use crate::components::notice::ErrorNotice;
use crate::i18n::discussion::char_count;
use crate::i18n::suggestions::SuggestionText as T;
use crate::i18n::Text;
use crate::lang::use_lang;

/// `form#suggestion-form` with `select#suggestion-to`,
/// `input#suggestion-title`, `textarea#suggestion-body`,
/// `input#suggestion-anonymous` (note `#suggestion-anonymous-note`),
/// `button#suggestion-submit`; `#suggestion-error`, `#suggestion-sent`.
#[component]
pub(super) fn SuggestionForm(
    csrf: StoredValue<String>,
    live: RwSignal<bool>,
    /// Where it may go; `None` while loading.
    addressees: RwSignal<Option<Result<Vec<Addressee>, AppError>>>,
    /// The caller's list, which a sent suggestion joins at the top.
    into: RwSignal<Vec<SuggestionView>>,
) -> impl IntoView {
    let lang = use_lang();
    let (title_field, body_field, anonymous_box) =
        (NodeRef::<Input>::new(), NodeRef::<Textarea>::new(), NodeRef::<Input>::new());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let anonymous = RwSignal::new(false);
    keep_typed_line(title_field, title);
    keep_typed(body_field, body);
    keep_ticked(anonymous_box, anonymous);
    // The chosen node; the first (the caller's own) once loaded.
    let to = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        let first = addressees.with(|a| match a {
            Some(Ok(list)) => list.first().map(|a| a.org_id.0),
            _ => None,
        });
        if first.is_some() && to.get_untracked().is_none() {
            to.set(first);
        }
    });
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let title_count = Memo::new(move |_| title.with(|t| t.chars().count()));
    let body_count = Memo::new(move |_| body.with(|t| t.chars().count()));
    let sendable = Memo::new(move |_| {
        to.get().is_some()
            && title.with(|t| !t.trim().is_empty())
            && body.with(|t| !t.trim().is_empty())
            && title_count.get() <= MAX_TITLE_CHARS
            && body_count.get() <= MAX_BODY_CHARS
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(org) = to.get_untracked() else { return };
        if busy.get_untracked() || !sendable.get_untracked() {
            return;
        }
        let draft = SuggestionDraft {
            to_org_id: OrgId(org),
            title: title.get_untracked(),
            body: body.get_untracked(),
            anonymous: anonymous.get_untracked(),
        };
        busy.set(true);
        sent.set(false);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::send(&csrf.try_get_value().unwrap_or_default(), &draft).await {
                Ok(view) => {
                    into.try_update(|list| list.insert(0, view));
                    clear_line(title_field);
                    clear(body_field);
                    title.try_set(String::new());
                    body.try_set(String::new());
                    sent.try_set(true);
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
            busy.try_set(false);
        });
    };

    let options = move || match addressees.get() {
        None => view! { <option value="">{Text::Loading.get(lang)}</option> }.into_any(),
        Some(Err(_)) => ().into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|a| {
                let id = a.org_id.0;
                view! { <option value=id prop:selected=move || { to.get() == Some(id) }>{a.name}</option> }
            })
            .collect_view()
            .into_any(),
    };
    let load_error = move || match addressees.get() {
        Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
        _ => None,
    };
    view! {
        <form class="card form" id="suggestion-form" on:submit=submit>
            <h2>{T::NewHeading.get(lang)}</h2>
            <label class="field" for="suggestion-to">{T::To.get(lang)}</label>
            <select id="suggestion-to" disabled=move || !matches!(addressees.get(), Some(Ok(_)))
                on:change=move |ev| to.set(event_target_value(&ev).parse().ok())>
                {options}
            </select>
            {load_error}
            <label for="suggestion-title">{T::TitleLabel.get(lang)}</label>
            <input type="text" id="suggestion-title" maxlength=MAX_TITLE_CHARS aria-describedby="suggestion-title-count"
                node_ref=title_field on:input=move |ev| {
                    sent.set(false);
                    title.set(event_target_value(&ev));
                } />
            <p class="char-count small" id="suggestion-title-count" class:over=move || { title_count.get() > MAX_TITLE_CHARS }>
                {move || char_count(title_count.get(), MAX_TITLE_CHARS)}
            </p>
            <label for="suggestion-body">{T::BodyLabel.get(lang)}</label>
            <textarea id="suggestion-body" class="essay-text" rows="8" aria-describedby="suggestion-body-count"
                node_ref=body_field on:input=move |ev| {
                    sent.set(false);
                    body.set(event_target_value(&ev));
                }></textarea>
            <p class="char-count small" id="suggestion-body-count" class:over=move || { body_count.get() > MAX_BODY_CHARS }>
                {move || char_count(body_count.get(), MAX_BODY_CHARS)}
            </p>
            <label class="check">
                <input type="checkbox" id="suggestion-anonymous" aria-describedby="suggestion-anonymous-note"
                    node_ref=anonymous_box on:change=move |ev| anonymous.set(event_target_checked(&ev)) />
                {T::Anonymous.get(lang)}
            </label>
            <p class="muted small" id="suggestion-anonymous-note">{T::AnonymousNote.get(lang)}</p>
            <div id="suggestion-error">{move || error.get().map(|error| view! { <ErrorNotice error /> })}</div>
            <Show when=move || sent.get()>
                <p class="notice success" id="suggestion-sent" role="status">{T::Sent.get(lang)}</p>
            </Show>
            <button type="submit" id="suggestion-submit" disabled=move || busy.get() || !live.get() || !sendable.get()>
                {move || if busy.get() { T::Sending } else { T::Send }.get(lang)}
            </button>
        </form>
    }
}
