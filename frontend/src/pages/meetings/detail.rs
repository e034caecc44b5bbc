//! `/meetings/{id}`: one meeting — what it was, its lessons and deadline,
//! 应到 / 实到 / 已补学, everyone's attendance with their make-up mark, and
//! who still has to make it up. Each person's attendance can be changed;
//! the page shows the meeting as the server answers afterwards.

use crate::loaded::page_data;
use courses::directory::Me;
use courses::meeting::{Attendance, Attendee, MeetingView};
use courses::notify::SubjectKind;
use courses::report::{Format, ReportKind, ReportQuery};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_meeting, set_attendance};
use super::refusal;
use crate::api::AppError;
use crate::components::notice::{ActionStatus, ErrorNotice};
use crate::i18n::meetings::{due_by, lessons_done, MeetingText as T};
use crate::lang::use_lang;
use crate::pages::not_found::NotFoundPage;
use crate::pages::notifications::RemindButton;
use crate::pages::reports::export_href;
use crate::session::require_me;

#[component]
pub fn MeetingPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let meeting = page_data(move || id.get(), get_meeting);
    view! {
        <Title text=T::Title.get(lang) />
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            match meeting.await {
                                Ok(m) => view! { <Meeting meeting=m me /> }.into_any(),
                                Err(error) if error.0.code != "not_found" => view! { <ErrorNotice error /> }.into_any(),
                                // Outside the caller's scope: as if it did not exist.
                                Err(_) => view! { <NotFoundPage /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        })}
    }
}

/// The meeting, as an island: attendance changes in the browser.
#[island(lazy)]
fn Meeting(meeting: MeetingView, me: Me) -> impl IntoView {
    let lang = use_lang();
    let id = meeting.summary.id;
    let view_of = RwSignal::new(meeting);
    let csrf = StoredValue::new(me.csrf_token);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    let change = move |person: i64, status: Attendance| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = set_attendance(csrf.get_value(), id, person, status.as_str().to_owned()).await;
            let shown = result.map(|m| {
                view_of.try_set(m);
                T::Changed.get(lang).to_owned()
            });
            outcome.try_set(Some(shown));
            busy.try_set(false);
        });
    };

    let s = move || view_of.with(|m| m.summary.clone());
    view! {
        <p>
            <a href="/meetings" id="back-to-meetings">{T::BackToList.get(lang)}</a>
        </p>
        <h1 id="meeting-title">{move || format!("{} · {}", s().kind.name(lang), s().topic)}</h1>
        <section class="card" id="meeting-facts">
            <dl class="facts">
                <dt>{T::Date.get(lang)}</dt>
                <dd id="meeting-held-on">{move || s().held_on}</dd>
                <dt>{T::Node.get(lang)}</dt>
                <dd>{move || s().org_name_path}</dd>
                <dt>{T::Deadline.get(lang)}</dt>
                <dd id="meeting-deadline">{move || s().deadline}</dd>
            </dl>
            <p class="report-actions">
                <a class="button secondary small" id="meeting-export" download=""
                    href=export_href(&ReportQuery { meeting_id: Some(id), ..ReportQuery::of(ReportKind::Meeting) }, Format::Xlsx)>
                    {crate::i18n::reports::ReportText::ExportXlsx.get(lang)}
                </a>
            </p>
            <ul class="tally" id="meeting-tally">
                <li id="count-expected" data-count=move || s().expected>
                    <span class="tally-n">{move || s().expected}</span>
                    <span class="muted">{T::Expected.get(lang)}</span>
                </li>
                <li id="count-present" data-count=move || s().present>
                    <span class="tally-n">{move || s().present}</span>
                    <span class="muted">{T::Present.get(lang)}</span>
                </li>
                <li id="count-made-up" data-count=move || s().made_up>
                    <span class="tally-n">{move || s().made_up}</span>
                    <span class="muted">{T::MadeUp.get(lang)}</span>
                </li>
            </ul>
            <h2>{T::Lessons.get(lang)}</h2>
            <ul class="meeting-lesson-list">
                {move || {
                    view_of
                        .with(|m| m.lessons.clone())
                        .into_iter()
                        .map(|l| {
                            view! {
                                <li>
                                    <a href=format!("/lessons/{}", l.id)>{l.course_title} " · " {l.title}</a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
        <section class="card" id="missing">
            <h2>{T::Missing.get(lang)}</h2>
            {move || {
                let missing = view_of.with(|m| m.missing.clone());
                if missing.is_empty() {
                    Either::Left(view! { <p class="muted" id="nobody-missing">{T::NobodyMissing.get(lang)}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="missing-list">
                            {missing
                                .into_iter()
                                .map(|a| {
                                    view! {
                                        <li data-login=a.login.clone()>
                                            {a.name} " · " {a.status.name(lang)} " · " {due_by(&s().deadline, lang)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    })
                }
            }}
            <RemindButton kind=SubjectKind::Meeting id csrf=csrf.get_value() />
        </section>
        <section class="card" id="roster">
            <h2>{T::Roster.get(lang)}</h2>
            <ActionStatus outcome=outcome />
            <ul class="attendance-list">
                {move || {
                    let total = view_of.with(|m| m.lessons.len());
                    view_of
                        .with(|m| m.attendance.clone())
                        .into_iter()
                        .map(|a| view! { <RosterRow a total busy change /> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

#[component]
fn RosterRow<F>(a: Attendee, total: usize, busy: RwSignal<bool>, change: F) -> impl IntoView
where
    F: Fn(i64, Attendance) + Copy + Send + Sync + 'static,
{
    let lang = use_lang();
    let person = a.person_id;
    let current = a.status;
    let mark = if !a.status.owes_makeup() {
        String::new()
    } else if a.made_up {
        T::MadeUp.get(lang).to_owned()
    } else {
        crate::i18n::aside(T::NotMadeUp.get(lang), lessons_done(a.lessons_completed, total, lang), lang)
    };
    let buttons = Attendance::ALL
        .into_iter()
        .map(|status| {
            view! {
                <button
                    type="button"
                    class="small"
                    class:secondary={status != current}
                    data-status=status.as_str()
                    aria-pressed=(status == current).to_string()
                    disabled=move || busy.get() || status == current
                    on:click=move |_| change(person, status)
                >
                    {status.name(lang)}
                </button>
            }
        })
        .collect_view();
    view! {
        <li
            class="attendance-row"
            class:made-up=a.made_up
            class:missing=a.missing()
            data-person=person
            data-login=a.login.clone()
            data-status=current.as_str()
            data-made-up=a.made_up.to_string()
        >
            <span class="attendance-name">{a.name.clone()}</span>
            <span class="attendance-status">{current.name(lang)}</span>
            <span class="attendance-mark">{mark}</span>
            <span class="segmented">{buttons}</span>
        </li>
    }
}
