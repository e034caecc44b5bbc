//! The admins' sensitive-word list, one word per line. A comment matching
//! one waits for approval; matching ignores spaces, punctuation, full-width
//! forms and traditional/simplified differences (the server's doing).

use courses::discussion::SensitiveWords;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::api;
use crate::api::AppError;
use crate::components::live::use_live;
use crate::components::notice::ActionStatus;
use crate::i18n::discussion::{word_count, words_saved, DiscussionText as T};
use crate::lang::use_lang;

/// The editor: `textarea#sensitive-words`, `button#sensitive-words-save`.
#[island(lazy)]
pub(super) fn WordList(csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let live = use_live();
    let text = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match api::words().await {
                Ok(list) => {
                    text.try_set(list.words.join("\n"));
                    loaded.try_set(true);
                }
                Err(e) => drop(outcome.try_set(Some(Err(e)))),
            }
        });
    });
    // Counted as the server will keep them: trimmed, each once.
    let words = move || {
        let words = text.with(|t| lines(t));
        let n = words.len();
        SensitiveWords { words }.checked().map_or(n, |w| w.len())
    };
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let list = SensitiveWords { words: text.with_untracked(|t| lines(t)) };
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let saved = api::set_words(&csrf.try_get_value().unwrap_or_default(), &list).await;
            let shown = saved.map(|s| {
                text.try_set(s.words.join("\n"));
                words_saved(s.words.len(), lang)
            });
            outcome.try_set(Some(shown));
            busy.try_set(false);
        });
    };
    view! {
        <form class="card form" id="sensitive-words-card" on:submit=save>
            <h2>{T::WordsHeading.get(lang)}</h2>
            <p class="muted small" id="sensitive-words-help">{T::WordsHelp.get(lang)}</p>
            <label for="sensitive-words">{T::WordsLabel.get(lang)}</label>
            <textarea id="sensitive-words" class="essay-text" rows="12" aria-describedby="sensitive-words-help"
                disabled=move || !loaded.get()
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <p class="muted small" id="sensitive-words-count">{move || word_count(words(), lang)}</p>
            <ActionStatus outcome=outcome />
            <button type="submit" id="sensitive-words-save" disabled=move || busy.get() || !live.get() || !loaded.get()>
                {T::WordsSave.get(lang)}
            </button>
        </form>
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}
