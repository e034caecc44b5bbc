//! `/suggestions` (书记信箱), for everyone signed in: the form, and the
//! caller's own suggestions with where each stands, the reply, and 办结
//! for those not yet closed.

use courses::suggestion::{Addressee, SuggestionState, SuggestionView};
use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use super::form::SuggestionForm;
use super::item::SuggestionSummary;
use crate::api::AppError;
use crate::components::live::use_live;
use crate::components::notice::ErrorNotice;
use crate::i18n::suggestions::SuggestionText as T;
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn SuggestionsPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me| view! {
            <p class="muted">{T::Intro.get(lang)}</p>
            <SuggestionDesk csrf=me.csrf_token.clone() />
        })}
    }
}

/// The form and the list: `ol#my-suggestions` of
/// `li.suggestion-item#suggestion-{id}` (`data-state`), each not yet
/// closed with `button[data-action=close]`.
#[island(lazy)]
fn SuggestionDesk(csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let live = use_live();
    let addressees = RwSignal::new(None::<Result<Vec<Addressee>, AppError>>);
    let list = RwSignal::new(Vec::<SuggestionView>::new());
    let loaded = RwSignal::new(None::<Result<(), AppError>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let (to, mine) = futures::join!(api::addressees(), api::mine());
            addressees.try_set(Some(to));
            let shown = mine.map(|m| drop(list.try_set(m)));
            loaded.try_set(Some(shown));
        });
    });
    let status = move || match loaded.get() {
        None => view! { <p class="muted">{Text::Loading.get(lang)}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        Some(Ok(())) if list.with(Vec::is_empty) => {
            view! { <p class="muted" id="no-suggestions">{T::NoneYet.get(lang)}</p> }.into_any()
        }
        Some(Ok(())) => ().into_any(),
    };
    view! {
        <SuggestionForm csrf live addressees into=list />
        <section class="card" id="my-suggestions-card">
            <h2>{T::MineHeading.get(lang)}</h2>
            {status}
            <ol class="suggestion-list" id="my-suggestions">
                <For each=move || list.get() key=|s| (s.id, s.state.as_str()) children=move |s| {
                    view! { <Mine s csrf live list /> }
                } />
            </ol>
        </section>
    }
}

#[component]
fn Mine(
    s: SuggestionView,
    csrf: StoredValue<String>,
    live: RwSignal<bool>,
    list: RwSignal<Vec<SuggestionView>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = s.id;
    let state = s.state;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let close = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::close(&csrf.try_get_value().unwrap_or_default(), id).await {
                Ok(view) => {
                    list.try_update(|l| l.iter_mut().filter(|s| s.id == id).for_each(|s| *s = view.clone()));
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
            busy.try_set(false);
        });
    };
    view! {
        <li class="suggestion-item" id=format!("suggestion-{id}") data-suggestion-id=id data-state=state.as_str()>
            <SuggestionSummary s />
            {(state != SuggestionState::Closed).then(|| view! {
                <button type="button" class="secondary small" data-action="close" disabled=move || busy.get() || !live.get() on:click=close>
                    {move || if busy.get() { T::Closing } else { T::Close }.get(lang)}
                </button>
            })}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </li>
    }
}
