//! The form that records a meeting: node, kind, date, topic, the lessons
//! used (from published courses the caller manages), days to make it up,
//! and the attendance of everyone on the node's roster, each present until
//! marked otherwise. On success the meeting's page opens.

use std::collections::HashMap;

use courses::course::CourseView;
use courses::directory::{Me, OrgNode, PersonSummary};
use courses::meeting::{Attendance, AttendanceIn, MeetingKind, NewMeeting, DEFAULT_MAKEUP_DAYS};
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::api::{meeting_roster, record_meeting};
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::meetings::MeetingText as T;
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::loaded::{loaded, Loaded};
use crate::pages::choices::Choices;
use crate::pages::orgs::tree::tree_order;

/// What the form loads.
#[derive(Clone, Copy)]
struct RecordState {
    /// The node whose meeting it is; 0 means the caller's own.
    pub org: RwSignal<i64>,
    pub tree: Loaded<Vec<OrgNode>>,
    pub courses: Loaded<Vec<CourseView>>,
    pub roster: Loaded<Vec<PersonSummary>>,
}

/// What the form shows first, loaded by the page on the server and handed
/// to the island in its props (see [`crate::loaded`]): the roster is the
/// caller's own node's.
#[derive(Clone, Serialize, Deserialize)]
pub struct RecordSeed {
    choices: Choices,
    roster: Result<Vec<PersonSummary>, AppError>,
}

impl RecordSeed {
    pub async fn load() -> Self {
        let (choices, roster) = futures::join!(Choices::load(), meeting_roster(0));
        RecordSeed { choices, roster }
    }
}

/// Today in the browser's time zone, `YYYY-MM-DD`.
#[cfg(feature = "hydrate")]
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date())
}

#[cfg(not(feature = "hydrate"))]
fn today() -> String {
    String::new()
}

/// The form that records a meeting, as an island: it starts from the
/// choices the page loaded and loads another node's roster itself.
#[island(lazy)]
pub fn RecordForm(me: Me, seed: RecordSeed) -> impl IntoView {
    let lang = use_lang();
    // The node whose roster the form lists; 0 until chosen: the caller's own.
    let org = RwSignal::new(0_i64);
    let (tree, courses) = seed.choices.show();
    let form = RecordState { org, tree, courses, roster: loaded(seed.roster, move || org.get(), meeting_roster) };
    let csrf = StoredValue::new(me.csrf_token.clone());
    let own = me.org_id.0;
    let kind = RwSignal::new(MeetingKind::BranchAssembly.as_str().to_owned());
    let held_on = RwSignal::new(String::new());
    let topic = RwSignal::new(String::new());
    let days = RwSignal::new(DEFAULT_MAKEUP_DAYS.to_string());
    let lessons = RwSignal::new(Vec::<i64>::new());
    let statuses = RwSignal::new(HashMap::<i64, Attendance>::new());
    // The people the roster shows, whose attendance is sent.
    let people = StoredValue::new(Vec::<i64>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    // Effects run in the browser only: the date defaults to its today.
    Effect::new(move |_| {
        if held_on.get_untracked().is_empty() {
            held_on.set(today());
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let status_of = |id: &i64| statuses.with_untracked(|m| m.get(id).copied().unwrap_or(Attendance::Present));
        let new = NewMeeting {
            org_id: match form.org.get_untracked() {
                0 => own,
                id => id,
            },
            kind: kind.get_untracked(),
            held_on: held_on.get_untracked(),
            topic: topic.get_untracked(),
            lesson_ids: lessons.get_untracked(),
            makeup_days: days.get_untracked().trim().parse().unwrap_or(0),
            class_id: None,
            minutes: 0,
            attendance: people
                .get_value()
                .iter()
                .map(|id| AttendanceIn { person_id: *id, status: status_of(id).as_str().to_owned() })
                .collect(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match record_meeting(csrf.get_value(), new).await {
                Ok(view) => crate::pages::go_to(&format!("/meetings/{}", view.summary.id)),
                Err(e) => error.set(Some(e)),
            }
            busy.try_set(false);
        });
    };

    // The select is drawn once the tree has loaded (a suspense boundary
    // inside a <select> would put markers where the parser drops them).
    let node_select = move || {
        Suspend::new(async move {
            let nodes = form.tree.await.unwrap_or_default();
            let options = tree_order(&nodes)
                .into_iter()
                .map(|(depth, n)| {
                    let label = format!("{}{}", "\u{3000}".repeat(depth), n.name);
                    view! { <option value=n.id.0 selected=n.id.0 == own>{label}</option> }
                })
                .collect_view();
            view! {
                <select id="meeting-org" on:change=move |ev| form.org.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {options}
                </select>
            }
        })
    };
    let kinds =
        MeetingKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.name(lang)}</option> }).collect_view();

    view! {
        <section class="card" id="record-meeting">
            <h2>{T::RecordHeading.get(lang)}</h2>
            <form id="record-form" on:submit=on_submit>
                <div class="fields">
                    <label>
                        {T::Node.get(lang)}
                        <Suspense fallback=|| ()>{node_select}</Suspense>
                    </label>
                    <label>
                        {T::Kind.get(lang)}
                        <select id="meeting-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {kinds}
                        </select>
                    </label>
                    <label>
                        {T::Date.get(lang)}
                        <input type="date" id="meeting-date" required bind:value=held_on />
                    </label>
                    <label>
                        {T::MakeupDays.get(lang)}
                        <input type="number" id="meeting-days" min="1" max="365" inputmode="numeric" bind:value=days />
                    </label>
                </div>
                <label>
                    {T::Topic.get(lang)}
                    <input type="text" id="meeting-topic" required maxlength="200" bind:value=topic />
                </label>
                <fieldset class="meeting-lessons" id="meeting-lessons">
                    <legend>{T::Lessons.get(lang)}</legend>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move { lesson_choices(form.courses.await, lessons, lang) })}
                    </Suspense>
                </fieldset>
                <fieldset class="meeting-roster" id="meeting-roster">
                    <legend>{T::Attendance.get(lang)}</legend>
                    <Suspense fallback=move || view! { <p class="muted">{Text::Loading.get(lang)}</p> }>
                        {move || Suspend::new(async move { roster_rows(form.roster.await, people, statuses, lang) })}
                    </Suspense>
                </fieldset>
                <button type="submit" id="record-meeting-submit" disabled=move || busy.get()>
                    {move || if busy.get() { Text::Saving.get(lang) } else { T::Record.get(lang) }}
                </button>
                {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            </form>
        </section>
    }
}

/// Checkboxes for the lessons of published courses the caller manages,
/// grouped by course.
fn lesson_choices(
    list: Result<Vec<CourseView>, AppError>,
    chosen: RwSignal<Vec<i64>>,
    lang: courses::Lang,
) -> impl IntoView {
    let list = match list {
        Err(error) => return Either::Left(view! { <ErrorNotice error /> }),
        Ok(list) => list,
    };
    let usable: Vec<CourseView> =
        list.into_iter().filter(|c| c.published && c.can_manage && !c.lessons.is_empty()).collect();
    if usable.is_empty() {
        return Either::Right(Either::Left(view! { <p class="muted">{T::NoLessonsToPick.get(lang)}</p> }));
    }
    Either::Right(Either::Right(
        usable
            .into_iter()
            .map(|course| {
                let lessons = course
                    .lessons
                    .into_iter()
                    .map(|l| {
                        let id = l.id;
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    class="lesson-choice"
                                    value=id
                                    data-lesson=id
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|v| {
                                            v.retain(|x| *x != id);
                                            if on {
                                                v.push(id);
                                            }
                                        });
                                    }
                                />
                                {l.title}
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="lesson-group">
                        <p class="lesson-group-title">{course.title}</p>
                        {lessons}
                    </div>
                }
            })
            .collect_view(),
    ))
}

/// One row per person on the roster: name and three choices, present
/// unless changed.
fn roster_rows(
    list: Result<Vec<PersonSummary>, AppError>,
    people: StoredValue<Vec<i64>>,
    statuses: RwSignal<HashMap<i64, Attendance>>,
    lang: courses::Lang,
) -> impl IntoView {
    let list = match list {
        Err(error) => return Either::Left(view! { <ErrorNotice error /> }),
        Ok(list) => list,
    };
    people.set_value(list.iter().map(|p| p.id.0).collect());
    if list.is_empty() {
        return Either::Right(Either::Left(view! { <p class="muted">{T::NoRoster.get(lang)}</p> }));
    }
    Either::Right(Either::Right(view! {
        <ul class="attendance-list">
            {list
                .into_iter()
                .map(|p| {
                    let id = p.id.0;
                    let choices = Attendance::ALL
                        .into_iter()
                        .map(|a| {
                            let is = move || statuses.with(|m| m.get(&id).copied().unwrap_or(Attendance::Present)) == a;
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name=format!("attendance-{id}")
                                        value=a.as_str()
                                        checked={a == Attendance::Present}
                                        prop:checked=is
                                        on:change=move |_| statuses.update(|m| {
                                            m.insert(id, a);
                                        })
                                    />
                                    {a.name(lang)}
                                </label>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="attendance-row" data-person=id data-login=p.login.to_string()>
                            <span class="attendance-name">{p.name.to_string()}</span>
                            <span class="attendance-org muted">{p.org_name_path}</span>
                            <span class="segmented">{choices}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }))
}
