//! `/exams`: the exams the person may take now, with what they have done
//! in each. Plain links: nothing here needs the browser's code.

use courses::exam::api::MyExam;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::my_exams;
use crate::components::notice::ErrorNotice;
use crate::i18n::exams::{minutes, outcome_name, score_line, ExamText as T};
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn MyExamsPage() -> impl IntoView {
    let lang = use_lang();
    let list = page_data(|| (), |_| my_exams());
    view! {
        <Title text=T::MyExams.get(lang) />
        <h1>{T::MyExams.get(lang)}</h1>
        {require_me(move |_| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(exams) if exams.is_empty() => {
                                Either::Left(Either::Left(view! { <p class="muted" id="no-exams">{T::NoExams.get(lang)}</p> }))
                            }
                            Ok(exams) => Either::Left(Either::Right(view! {
                                <ul class="exam-list" id="exam-list">
                                    {exams.into_iter().map(|e| view! { <ExamCard exam=e /> }).collect_view()}
                                </ul>
                            })),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })}
                </Suspense>
            }
        })}
    }
}

#[component]
fn ExamCard(exam: MyExam) -> impl IntoView {
    let lang = use_lang();
    let time = exam.time_limit_minutes.map_or_else(|| T::Untimed.get(lang).to_owned(), |m| minutes(m, lang));
    let allowed = exam.attempts_allowed.map_or_else(|| T::Unlimited.get(lang).to_owned(), |n| n.to_string());
    let state = match (&exam.result, exam.open_attempt) {
        (_, Some(_)) => T::Open.get(lang).to_owned(),
        (Some(r), None) => format!("{} · {}", score_line(r, lang), outcome_name(r.outcome, lang)),
        (None, None) => String::new(),
    };
    view! {
        <li class="card exam-card" data-exam=exam.id>
            <a class="exam-card-title" href=format!("/exams/{}", exam.id)>
                {exam.title.clone()}
            </a>
            {exam.practice.then(|| view! { <span class="tag">{T::Practice.get(lang)}</span> })}
            <p class="muted small">
                {exam.org_name.clone()} " · " {T::Questions.get(lang)} " " {exam.questions} " · " {time} " · "
                {T::Attempts.get(lang)} " " {format!("{} / {allowed}", exam.attempts_used)}
            </p>
            <p class="exam-state">{state}</p>
        </li>
    }
}
