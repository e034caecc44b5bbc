//! The course's discussion in the editor: the 先审后发 switch (every new
//! comment waits for an organizer's approval) through `GET/PUT
//! /api/v1/courses/{id}/discussion`, and the way to the moderation queue.
//! The switch stays disabled until the browser has read where it stands.

use courses::discussion::DiscussionSettings;
use leptos::prelude::*;

use super::Ed;
use crate::i18n::discussion::DiscussionText as T;
use crate::i18n::manage::ManageText;
use crate::pages::discussion::api::{set_settings, settings};

/// `input#course-review-first` and `a#course-moderation-link`.
#[component]
pub(super) fn DiscussionCard(ed: Ed) -> impl IntoView {
    let lang = ed.lang;
    // `None` until loaded.
    let review_first = RwSignal::new(None::<bool>);
    let saving = RwSignal::new(false);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match settings(ed.id()).await {
                Ok(s) => drop(review_first.try_set(Some(s.review_first))),
                Err(error) => drop(ed.outcome.try_set(Some(Err(error)))),
            }
        });
    });
    let change = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        saving.set(true);
        leptos::task::spawn_local(async move {
            let csrf = ed.csrf.try_get_value().unwrap_or_default();
            match set_settings(&csrf, ed.id(), &DiscussionSettings { review_first: on }).await {
                Ok(s) => {
                    review_first.try_set(Some(s.review_first));
                    ed.outcome.try_set(Some(Ok(ManageText::Saved.get(lang).to_owned())));
                }
                Err(error) => {
                    review_first.try_set(Some(!on));
                    ed.outcome.try_set(Some(Err(error)));
                }
            }
            saving.try_set(false);
        });
    };
    view! {
        <section class="card" id="course-discussion">
            <h2>{T::SettingsHeading.get(lang)}</h2>
            <label class="check">
                <input
                    type="checkbox"
                    id="course-review-first"
                    aria-describedby="course-review-first-help"
                    prop:checked=move || review_first.get().unwrap_or(false)
                    disabled=move || review_first.get().is_none() || saving.get()
                    on:change=change
                />
                {T::ReviewFirst.get(lang)}
            </label>
            <p class="muted small" id="course-review-first-help">{T::ReviewFirstHelp.get(lang)}</p>
            <p class="small">
                <a href="/manage/discussion" id="course-moderation-link">{T::QueueLink.get(lang)}</a>
            </p>
        </section>
    }
}
