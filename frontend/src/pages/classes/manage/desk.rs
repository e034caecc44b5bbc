//! `/manage/classes/{id}`: a class as its 班主任 runs it: each student's
//! progress and what still blocks them, enrolment, written work and its
//! review, graduation, and the certificates issued.

use courses::class::GradeLevel;
use courses::class_report::{ClassDesk, StudentRow};
use courses::directory::Me;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::actions::{CertificateActions, EnrolForm, EssayReviewForm, EssayTaskForm, GraduationForm};
use crate::components::notice::ErrorNotice;
use crate::i18n::classes::{of, ClassText as T};
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::pages::classes::api::class_desk;
use crate::pages::route_id;
use crate::session::require_me;

#[component]
pub fn ClassDeskPage() -> impl IntoView {
    let lang = use_lang();
    let id = route_id();
    let data = page_data(move || id.get(), class_desk);
    view! {
        <Title text=T::ManageTitle.get(lang) />
        {require_me(move |me: Me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok(desk) => Either::Left(view! { <Desk desk csrf /> }),
                                Err(error) => Either::Right(view! { <h1>{T::ManageTitle.get(lang)}</h1> <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

/// Whether the 班主任 may confirm this student's graduation now.
fn ready(s: &StudentRow) -> bool {
    s.blocked.is_empty() && s.graduated.is_none() && matches!(s.grade, Some(GradeLevel::Excellent | GradeLevel::Pass))
}

#[component]
fn Desk(desk: ClassDesk, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let ClassDesk { class, report, eligible, essays, certificates } = desk;
    let id = class.id;
    let teachers = class.teachers.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join("、");
    let candidates: Vec<(i64, String)> =
        report.students.iter().filter(|s| ready(s)).map(|s| (s.person_id, s.name.clone())).collect();
    view! {
        <h1 id="class-name">{class.name.clone()}</h1>
        <p class="muted">
            {class.org_name.clone()} " · " {class.term_from.clone()} " – " {class.term_to.clone()} " · "
            {T::Teachers.get(lang)} " " {teachers}
        </p>
        <section class="card" id="class-report">
            <h2>{T::Report.get(lang)}</h2>
            <p class="small">
                <a href=format!("/api/v1/classes/{id}/report?format=csv") download="">{T::DownloadCsv.get(lang)}</a> " · "
                <a href=format!("/api/v1/classes/{id}/report?format=xlsx") download="">{T::DownloadXlsx.get(lang)}</a>
            </p>
            {if report.students.is_empty() {
                Either::Left(view! { <p class="muted">{T::NoStudents.get(lang)}</p> })
            } else {
                Either::Right(view! {
                    <ul class="student-rows">
                        {report.students.iter().map(|s| {
                            let blocked = s.blocked.iter().map(|b| b.describe(lang)).collect::<Vec<_>>().join(lang.pick("；", "; "));
                            let exam = s.exam.as_ref().map_or_else(|| T::NotTaken.get(lang).to_owned(), |e| format!("{} / {} {}", e.total, e.max, crate::i18n::exams::outcome_name(e.outcome, lang)));
                            view! {
                                <li class="student-row" data-person=s.person_id data-blocked=(!s.blocked.is_empty()).to_string()>
                                    <p><strong>{s.name.clone()}</strong> <span class="muted small">" " {s.org_name.clone()} " · " {s.standing.name(lang)}</span></p>
                                    <p class="small">
                                        {T::Hours.get(lang)} " " {of(format!("{:.1}", s.hours), report.required_hours)} " · "
                                        {T::Courses.get(lang)} " " {of(s.courses_done, report.required_courses)} " · "
                                        {T::Essays.get(lang)} " " {of(s.essays_accepted, report.essay_tasks)}
                                    </p>
                                    <p class="small">
                                        {T::Exam.get(lang)} " " {exam} " · " {T::Score.get(lang)} " "
                                        {s.score.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}"))}
                                        " " {s.grade.map(|g| g.name(lang))}
                                    </p>
                                    {match (s.graduated, s.blocked.is_empty()) {
                                        (Some(g), _) => Either::Left(view! { <p class="tag success">{T::Graduated.get(lang)} " · " {g.name(lang)}</p> }),
                                        (None, true) => Either::Left(view! { <p class="tag success">{T::Ready.get(lang)}</p> }),
                                        (None, false) => Either::Right(view! { <p class="blocked small alert">{T::Blocked.get(lang)} "：" {blocked}</p> }),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
        <EnrolForm class=id eligible csrf=csrf.clone() />
        <section class="card" id="class-essays">
            <h2>{T::EssayTasks.get(lang)}</h2>
            {essays.into_iter().map(|task| view! {
                <article class="essay-task" data-task=task.id>
                    <h3>{task.title.clone()} <span class="tag">{task.kind.name(lang)}</span></h3>
                    <p class="muted small">{T::MinChars.get(lang)} " " {task.min_chars}</p>
                    {task.essays.into_iter().map(|e| view! { <EssayReviewForm essay=e csrf=csrf.clone() /> }).collect_view()}
                </article>
            }).collect_view()}
            <EssayTaskForm class=id csrf=csrf.clone() />
        </section>
        <GraduationForm class=id candidates csrf=csrf.clone() />
        <section class="card" id="class-certificates">
            <h2>{T::Certificates.get(lang)}</h2>
            {if certificates.is_empty() {
                Either::Left(view! { <p class="muted">{T::NoCertificates.get(lang)}</p> })
            } else {
                Either::Right(certificates.into_iter().map(|c| view! { <CertificateActions certificate=c csrf=csrf.clone() /> }).collect_view())
            }}
        </section>
    }
}
