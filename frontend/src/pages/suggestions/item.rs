//! What both lists show of one suggestion: its title, where it went and
//! when, where it stands, its text and the reply.

use courses::suggestion::{SuggestionState, SuggestionView};
use leptos::prelude::*;

use crate::i18n::suggestions::{replied_by, SuggestionText as T};
use crate::lang::use_lang;

#[component]
pub(super) fn SuggestionSummary(
    s: SuggestionView,
    /// Shown between the facts and the text (the inbox: who sent it).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let state_class = match s.state {
        SuggestionState::Received => "tag due",
        SuggestionState::Replied => "tag success",
        SuggestionState::Closed => "tag",
    };
    let reply = s.reply.clone().map(|text| {
        view! {
            <div class="suggestion-reply">
                <p class="muted small">{replied_by(s.replied_by.as_deref(), s.replied_at.as_deref(), lang)}</p>
                <p class="suggestion-text">{text}</p>
            </div>
        }
    });
    view! {
        <h3 class="suggestion-title">{s.title.clone()}</h3>
        <p class="muted small">
            <span class=state_class data-state=s.state.as_str()>{s.state.name(lang)}</span>
            " " {T::To.get(lang)} " " {s.to_org_name.clone()} " · " {s.created_at.clone()}
            {s.anonymous.then(|| view! { " " <span class="tag">{T::AnonymousTag.get(lang)}</span> })}
            {s.closed_at.clone().map(|at| format!(" · {} {at}", T::ClosedAt.get(lang)))}
        </p>
        {children.map(|c| c())}
        <p class="suggestion-text">{s.body.clone()}</p>
        {reply}
    }
}
