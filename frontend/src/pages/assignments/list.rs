//! `/assignments`: the assignments of the nodes the caller manages, newest
//! first, each with how many members are done and overdue, and the form
//! that assigns a course.

use crate::loaded::page_data;
use courses::assignment::AssignmentSummary;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::list_assignments;
use super::create::AssignForm;
use super::refusal;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::assignments::{due_by, progress, target_text, AssignmentText as T};
use crate::lang::use_lang;
use crate::loaded::seeded_island;
use crate::pages::choices::Choices;
use crate::session::require_me;

#[component]
pub fn AssignmentsPage() -> impl IntoView {
    let lang = use_lang();
    let assignments = page_data(|| (), |_| list_assignments());
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <div class="meetings-layout">
                    <section class="card" id="assignments">
                        <h2>{T::ListHeading.get(lang)}</h2>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move { assignment_list(assignments.await, lang) })}
                        </Suspense>
                    </section>
                    {seeded_island(Choices::load, move |seed| view! { <AssignForm me=me.clone() seed /> })}
                </div>
            }
            .into_any()
        })}
    }
}

fn assignment_list(list: Result<Vec<AssignmentSummary>, AppError>, lang: courses::Lang) -> impl IntoView {
    match list {
        Err(error) => Either::Left(view! { <ErrorNotice error /> }),
        Ok(list) if list.is_empty() => {
            Either::Right(Either::Left(view! { <p class="muted">{T::NoAssignments.get(lang)}</p> }))
        }
        Ok(list) => Either::Right(Either::Right(view! {
            <ul class="meeting-list">
                {list
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li class="meeting-item" data-assignment=a.id class:has-missing={a.overdue > 0}>
                                <a class="meeting-title" href=format!("/assignments/{}", a.id)>
                                    {a.course_title.clone()}
                                </a>
                                <p class="muted">{a.org_name_path.clone()} " · " {due_by(&a.due_on, lang)}</p>
                                <p class="muted">{target_text(&a.target, lang)}</p>
                                <p class="meeting-counts">{progress(a.done, a.member_count, a.overdue, lang)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })),
    }
}
