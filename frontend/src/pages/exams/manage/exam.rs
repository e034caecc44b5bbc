//! `/manage/exams/{id}`: an exam for its organizers: results by org node
//! (with drill-down through `?org=`), how each question went, the CSV and
//! XLSX exports, and the short answers waiting for a grader.

use courses::directory::Me;
use courses::exam::api::{MarkAnswer, PendingAnswer};
use courses::exam::report::{ExamNodeRow, ExamQuestionReport, ExamResultsReport};
use courses::exam::Points;
use courses::Lang;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{exam_questions, exam_results, grade_answer, grading_queue};
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::exam_admin::AdminText as T;
use crate::i18n::exams::{outcome_name, score_line};
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn ManageExamPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let query = use_query_map();
    let org = Memo::new(move |_| query.with(|q| q.get("org").and_then(|v| v.parse::<i64>().ok())));
    let data = page_data(
        move || (id.get(), org.get()),
        |(id, org)| async move {
            let (results, questions, queue) =
                futures::join!(exam_results(id, org), exam_questions(id), grading_queue(id));
            Ok::<_, AppError>((results?, questions?, queue?))
        },
    );
    view! {
        {require_me(move |me: Me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((results, questions, queue)) => Either::Left(view! {
                                    <Title text=results.title.clone() />
                                    <nav class="crumbs"><a href="/manage/exams">{T::BackToExams.get(lang)}</a></nav>
                                    <h1 id="exam-title">{results.title.clone()}</h1>
                                    <Results report=results lang />
                                    <Questions report=questions lang />
                                    <GradingQueue queue csrf />
                                }),
                                Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

fn export(exam: i64, kind: &str, org: Option<i64>, format: &str) -> String {
    let org = org.map(|o| format!("&org_id={o}")).unwrap_or_default();
    format!("/api/v1/exams/{exam}/report?kind={kind}{org}&format={format}")
}

#[component]
fn Results(report: ExamResultsReport, lang: Lang) -> impl IntoView {
    let exam = report.exam_id;
    let row = move |r: ExamNodeRow, label: String, drill: bool| {
        let name = if drill && r.has_children {
            Either::Left(view! { <a href=format!("/manage/exams/{exam}?org={}", r.org.id)>{label}</a> })
        } else {
            Either::Right(label)
        };
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td>{r.counts.audience}</td>
                <td>{r.counts.takers}</td>
                <td>{r.counts.passed}</td>
                <td>{r.counts.failed}</td>
                <td>{r.counts.pending}</td>
                <td>{percent(r.average_percent)}</td>
                <td>{percent(r.pass_rate_percent)}</td>
            </tr>
        }
    };
    let own = report.own.clone().map(|o| {
        let label = format!("{}{}", o.org.name, T::OwnPeople.get(lang));
        row(o, label, false)
    });
    let children = report
        .children
        .iter()
        .cloned()
        .map(|c| {
            let label = c.org.name.clone();
            row(c, label, true)
        })
        .collect_view();
    let total = row(report.total.clone(), T::Total.get(lang).to_owned(), false);
    let org = Some(report.org.id);
    view! {
        <section class="card" id="exam-results">
            <h2>{T::ResultsHeading.get(lang)} " · " {report.org.name.clone()}</h2>
            <div class="table-scroll">
                <table class="report-table">
                    <thead>
                        <tr>
                            <th scope="col">{T::ColNode.get(lang)}</th>
                            <th scope="col">{T::ColAudience.get(lang)}</th>
                            <th scope="col">{T::ColTakers.get(lang)}</th>
                            <th scope="col">{T::ColPassed.get(lang)}</th>
                            <th scope="col">{T::ColFailed.get(lang)}</th>
                            <th scope="col">{T::ColPending.get(lang)}</th>
                            <th scope="col">{T::ColAverage.get(lang)}</th>
                            <th scope="col">{T::ColPassRate.get(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{children} {own}</tbody>
                    <tfoot>{total}</tfoot>
                </table>
            </div>
            <p class="downloads">
                {T::Download.get(lang)} ": "
                <a href=export(exam, "results", org, "csv") rel="external" download>"CSV"</a>
                " · "
                <a href=export(exam, "results", org, "xlsx") rel="external" download>"XLSX"</a>
            </p>
        </section>
    }
}

#[component]
fn Questions(report: ExamQuestionReport, lang: Lang) -> impl IntoView {
    let exam = report.exam_id;
    let rows = report
        .questions
        .into_iter()
        .map(|q| {
            let wrong: Vec<String> = q
                .options
                .iter()
                .filter(|o| !o.correct && o.chosen > 0)
                .map(|o| format!("{}（{}）", o.text, o.chosen))
                .collect();
            view! {
                <tr data-question=q.question_id>
                    <th scope="row" class="stem-cell">{q.stem.clone()}</th>
                    <td>{q.kind.name(lang)}</td>
                    <td>{q.shown}</td>
                    <td>{percent(q.correct_percent)}</td>
                    <td>{wrong.join("；")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="exam-questions">
            <h2>{T::QuestionsHeading.get(lang)}</h2>
            <div class="table-scroll">
                <table class="report-table">
                    <thead>
                        <tr>
                            <th scope="col">{T::ColQuestion.get(lang)}</th>
                            <th scope="col">{T::RuleKind.get(lang)}</th>
                            <th scope="col">{T::ColShown.get(lang)}</th>
                            <th scope="col">{T::ColCorrect.get(lang)}</th>
                            <th scope="col">{T::WrongChosen.get(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="downloads">
                {T::Download.get(lang)} ": "
                <a href=export(exam, "questions", None, "csv") rel="external" download>"CSV"</a>
                " · "
                <a href=export(exam, "questions", None, "xlsx") rel="external" download>"XLSX"</a>
            </p>
        </section>
    }
}

/// Each short answer waiting for a grader, with the reference answer and
/// when the page was hidden; a score in points (halves allowed) grades it.
#[island]
fn GradingQueue(queue: Vec<PendingAnswer>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let empty = queue.is_empty();
    let items = queue
        .into_iter()
        .map(|p| {
            let score = RwSignal::new(String::new());
            let done = RwSignal::new(None::<Result<String, AppError>>);
            let busy = RwSignal::new(false);
            let (attempt, position, worth) = (p.attempt_id, p.position, p.points);
            let grade = move |_| {
                let raw = score.get_untracked();
                let tenths = raw.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).map(|v| (v * 10.0).round() as u32);
                // A score that is not a number goes as more than the worth: the server says what is allowed.
                let points = Points::from_tenths(tenths.unwrap_or(worth.tenths() + 1));
                busy.set(true);
                leptos::task::spawn_local(async move {
                    let result = grade_answer(csrf.get_value(), attempt, position, MarkAnswer { points }).await;
                    done.set(Some(result.map(|s| format!("{} · {}", score_line(&s, lang), outcome_name(s.outcome, lang)))));
                    busy.set(false);
                });
            };
            let hidden = if p.hidden.is_empty() {
                Either::Left(view! { <p class="muted small">{T::NeverHidden.get(lang)}</p> })
            } else {
                Either::Right(view! {
                    <p class="notice small">
                        {T::PageHidden.get(lang)} ": "
                        {p.hidden.iter().map(|h| {
                            let secs = h.visible_at_ms.map(|v| (v - h.hidden_at_ms) / 1000);
                            secs.map_or_else(|| "…".to_owned(), |s| format!("{s} s"))
                        }).collect::<Vec<_>>().join("、")}
                    </p>
                })
            };
            view! {
                <li class="card grading-item" data-attempt=attempt data-position=position>
                    <p class="muted small">{p.person_name.clone()}</p>
                    <div class="stem">{p.stem.clone()}</div>
                    <p><strong>{T::Reference.get(lang)} "："</strong>{p.reference.clone()}</p>
                    <p class="their-answer"><strong>{T::TheirAnswer.get(lang)} "："</strong>{p.answer.clone()}</p>
                    {hidden}
                    <div class="grade-row">
                        <label>
                            {T::Score.get(lang)} " (" {T::UpTo.get(lang)} " " {worth.to_string()} ")"
                            <input type="text" inputmode="decimal" class="grade-input"
                                on:input=move |ev| score.set(event_target_value(&ev)) />
                        </label>
                        <button type="button" class="grade-button" disabled=move || busy.get() on:click=grade>
                            {T::Grade.get(lang)}
                        </button>
                    </div>
                    {move || done.get().map(|r| match r {
                        Ok(text) => Either::Left(view! { <p class="notice success graded" role="status">{T::Graded.get(lang)} " · " {text}</p> }),
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section id="grading">
            <h2>{T::GradingHeading.get(lang)}</h2>
            <ul class="grading-list" id="grading-list">{items}</ul>
            {empty.then(|| view! { <p class="muted" id="nothing-to-grade">{T::NothingToGrade.get(lang)}</p> })}
        </section>
    }
}
