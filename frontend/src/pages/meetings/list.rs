//! `/meetings`: the meetings of the nodes the caller manages, newest first,
//! each with its counts, and the form that records a new one.

use crate::loaded::page_data;
use courses::meeting::MeetingSummary;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::list_meetings;
use super::record::{RecordForm, RecordSeed};
use super::refusal;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::meetings::{counts, due_by, MeetingText as T};
use crate::lang::use_lang;
use crate::loaded::seeded_island;
use crate::session::require_me;

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let lang = use_lang();
    let meetings = page_data(|| (), |_| list_meetings());
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <div class="meetings-layout">
                    <section class="card" id="meetings">
                        <h2>{T::ListHeading.get(lang)}</h2>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move { meeting_list(meetings.await, lang) })}
                        </Suspense>
                    </section>
                    {seeded_island(RecordSeed::load, move |seed| view! { <RecordForm me=me.clone() seed /> })}
                </div>
            }
            .into_any()
        })}
    }
}

fn meeting_list(list: Result<Vec<MeetingSummary>, AppError>, lang: courses::Lang) -> impl IntoView {
    match list {
        Err(error) => Either::Left(view! { <ErrorNotice error /> }),
        Ok(list) if list.is_empty() => {
            Either::Right(Either::Left(view! { <p class="muted">{T::NoMeetings.get(lang)}</p> }))
        }
        Ok(list) => Either::Right(Either::Right(view! {
            <ul class="meeting-list">
                {list
                    .into_iter()
                    .map(|m| {
                        let missing = m.absent + m.on_leave - m.made_up.min(m.absent + m.on_leave);
                        view! {
                            <li class="meeting-item" data-meeting=m.id class:has-missing={missing > 0}>
                                <a class="meeting-title" href=format!("/meetings/{}", m.id)>
                                    {m.held_on} " · " {m.kind.name(lang)} " · " {m.topic}
                                </a>
                                <p class="muted">{m.org_name_path} " · " {due_by(&m.deadline, lang)}</p>
                                <p class="meeting-counts">{counts(m.expected, m.present, m.made_up, lang)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })),
    }
}
