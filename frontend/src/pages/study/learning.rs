//! `/learning`: "my learning". Required courses not yet completed (soonest
//! due first), then electives in progress, then completed courses; this
//! year's 学时 against the target; and the receipt of what was credited,
//! sitting by sitting, with what was left out and why.

use crate::loaded::page_data;
use courses::course::{CourseView, MyLearning};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::catalog::CourseCard;
use super::receipt::ReceiptList;
use crate::api::{my_learning, my_receipt};
use crate::components::notice::ErrorNotice;
use crate::i18n::study::{hours_of_target, StudyText};
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn LearningPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let after = Memo::new(move |_| query.with(|q| q.get("after").and_then(|a| a.parse::<i64>().ok())));
    let learning = page_data(|| (), |_| my_learning());
    let receipt = page_data(move || after.get(), my_receipt);
    view! {
        <Title text=StudyText::MyLearning.get(lang) />
        <h1>{StudyText::MyLearning.get(lang)}</h1>
        {require_me(move |_| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match learning.await {
                            Ok(l) => Either::Left(view! { <Learning learning=l /> }),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })}
                </Suspense>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match receipt.await {
                            Ok(r) => Either::Left(view! { <ReceiptList lines=r.lines more=r.next_after /> }),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })}
                </Suspense>
            }
        })}
    }
}

#[component]
fn Learning(learning: MyLearning) -> impl IntoView {
    let lang = use_lang();
    let hours = learning.hours;
    let percent = hours.percent_of_target;
    view! {
        <section class="card hours" id="hours" data-hours=hours.hours data-target=hours.target_hours>
            <h2>{StudyText::HoursThisYear.get(lang)} " " {learning.year}</h2>
            <p class="big">{hours_of_target(hours.hours, hours.target_hours, lang)}</p>
            <div
                class="meter"
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
                aria-label=StudyText::HoursThisYear.get(lang)
            >
                <span style=format!("width:{percent}%")></span>
            </div>
        </section>
        <Section id="required" title=StudyText::RequiredDue empty=StudyText::NothingRequired courses=learning.required />
        <Section id="in-progress" title=StudyText::InProgress empty=StudyText::NothingInProgress courses=learning.in_progress />
        <Section id="completed" title=StudyText::Completed empty=StudyText::NothingCompleted courses=learning.completed />
    }
}

#[component]
fn Section(id: &'static str, title: StudyText, empty: StudyText, courses: Vec<CourseView>) -> impl IntoView {
    let lang = use_lang();
    let body = if courses.is_empty() {
        Either::Left(view! { <p class="muted">{empty.get(lang)}</p> })
    } else {
        Either::Right(view! {
            <ul class="course-list">{courses.into_iter().map(|c| view! { <CourseCard course=c /> }).collect_view()}</ul>
        })
    };
    view! {
        <section class="learning-section" id=id>
            <h2>{title.get(lang)}</h2>
            {body}
        </section>
    }
}
