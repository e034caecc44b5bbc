//! A student's pages: `/classes`, the classes they study in, and
//! `/classes/{id}`, where they stand in one: each requirement met or not,
//! what still blocks graduation, the final exam, their essays and, once
//! issued, their certificate.

use courses::class::MyClass;
use courses::class_report::{MyClassStatus, StudentRow};
use courses::exam::Outcome;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{class_essays, my_class, my_classes};
use super::essay::EssayTask;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::classes::{of, ClassText as T};
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::pages::route_id;
use crate::session::require_me;

#[component]
pub fn MyClassesPage() -> impl IntoView {
    let lang = use_lang();
    let list = page_data(|| (), |_| my_classes());
    view! {
        <Title text=T::MyClasses.get(lang) />
        <h1>{T::MyClasses.get(lang)}</h1>
        {require_me(move |_| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(classes) if classes.is_empty() => Either::Left(Either::Left(view! {
                            <p class="muted" id="no-classes">{T::NoClasses.get(lang)}</p>
                        })),
                        Ok(classes) => Either::Left(Either::Right(view! {
                            <ul class="exam-list" id="my-classes">
                                {classes.into_iter().map(|c| view! { <ClassCard class=c /> }).collect_view()}
                            </ul>
                        })),
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Suspense>
        })}
    }
}

#[component]
fn ClassCard(class: MyClass) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class="card exam-card" data-class=class.id>
            <a class="exam-card-title" href=format!("/classes/{}", class.id)>{class.name.clone()}</a>
            <p class="muted small">
                {class.org_name.clone()} " · " {T::Term.get(lang)} " " {class.term_from.clone()} " – " {class.term_to.clone()}
            </p>
        </li>
    }
}

#[component]
pub fn MyClassPage() -> impl IntoView {
    let lang = use_lang();
    let id = route_id();
    let data = page_data(
        move || id.get(),
        |id| async move {
            let (status, essays) = futures::join!(my_class(id), class_essays(id));
            Ok::<_, AppError>((status?, essays?))
        },
    );
    view! {
        <Title text=T::MyClasses.get(lang) />
        {require_me(move |me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((status, essays)) => Either::Left(view! {
                                    <Standing status />
                                    <section class="card" id="class-essays">
                                        <h2>{T::Essays.get(lang)}</h2>
                                        {essays.into_iter().map(|task| view! { <EssayTask task csrf=csrf.clone() /> }).collect_view()}
                                    </section>
                                }),
                                Err(error) => Either::Right(view! { <h1>{T::MyClasses.get(lang)}</h1> <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

/// One requirement: met or not, and how far along.
fn requirement(id: &'static str, label: &'static str, met: bool, value: String) -> impl IntoView {
    view! {
        <li id=id class="requirement" class:met=met data-met=met.to_string()>
            <span class="mark" aria-hidden="true">{if met { "✓" } else { "○" }}</span>
            <span class="label">{label}</span>
            <span class="value">{value}</span>
        </li>
    }
}

#[component]
fn Standing(status: MyClassStatus) -> impl IntoView {
    let lang = use_lang();
    let report = &status.report;
    let Some(row): Option<&StudentRow> = report.students.first() else {
        return Either::Right(());
    };
    let class = &status.class;
    let absence_limit = u64::from(report.session_minutes) * u64::from(report.max_absence_percent) / 100;
    let exam_line = match (&row.exam, status.final_exam_id) {
        (_, None) => T::NoExam.get(lang).to_owned(),
        (Some(s), Some(_)) => {
            format!("{} / {} · {}", s.total, s.max, crate::i18n::exams::outcome_name(s.outcome, lang))
        }
        (None, Some(_)) => T::NotTaken.get(lang).to_owned(),
    };
    let exam_passed = status.final_exam_id.is_none() || row.exam.as_ref().is_some_and(|s| s.outcome == Outcome::Passed);
    let hours_met = row.hours + 1e-9 >= f64::from(report.required_hours);
    let courses_met = row.courses_done >= report.required_courses;
    let exam_open = hours_met && courses_met;
    let certificate = status.certificate.clone();
    Either::Left(view! {
        <h1 id="class-name">{class.name.clone()}</h1>
        <p class="muted">{class.org_name.clone()} " · " {T::Term.get(lang)} " " {class.term_from.clone()} " – " {class.term_to.clone()}</p>
        {certificate.map(|c| view! {
            <section class="card certificate" id="my-certificate" data-serial=c.serial.clone()>
                <h2>{T::Certificate.get(lang)}</h2>
                {match &c.revoked {
                    Some(_) => Either::Left(view! { <p class="notice warning">{T::RevokedNotice.get(lang)}</p> }),
                    None => Either::Right(view! {
                        <p>{T::Graduated.get(lang)} " · " {c.grade.name(lang)}</p>
                        <p><a class="button" id="certificate-pdf" href=c.pdf_url.clone() download="">{T::DownloadPdf.get(lang)}</a></p>
                    }),
                }}
                <p class="small">{T::Serial.get(lang)} " " <span class="serial">{c.serial.clone()}</span></p>
                <p class="small"><a id="certificate-verify" href=c.verify_path.clone()>{T::VerifyLink.get(lang)}</a></p>
            </section>
        })}
        <section class="card" id="requirements">
            <h2>{T::Requirements.get(lang)}</h2>
            <ul class="requirements">
                {requirement("req-hours", T::Hours.get(lang), hours_met, of(format!("{:.1}", row.hours), report.required_hours))}
                {requirement("req-courses", T::Courses.get(lang), courses_met, of(row.courses_done, report.required_courses))}
                {requirement("req-essays", T::Essays.get(lang), row.essays_accepted >= report.essay_tasks, of(row.essays_accepted, report.essay_tasks))}
                {requirement("req-attendance", T::Attendance.get(lang), u64::from(row.absent_minutes) <= absence_limit,
                    format!("{} / {}", row.absent_minutes, absence_limit))}
                {requirement("req-exam", T::FinalExam.get(lang), exam_passed, exam_line)}
            </ul>
            {status.final_exam_id.filter(|_| !exam_passed).map(|exam| if exam_open {
                Either::Left(view! { <p><a class="button" id="open-exam" href=format!("/exams/{exam}")>{T::OpenExam.get(lang)}</a></p> })
            } else {
                Either::Right(view! { <p class="muted" id="exam-locked">{T::ExamLocked.get(lang)}</p> })
            })}
            {if row.graduated.is_some() {
                Either::Left(view! { <p class="notice success" id="graduated">{T::Graduated.get(lang)}</p> })
            } else if row.blocked.is_empty() {
                Either::Left(view! { <p class="notice success" id="ready">{T::ReadyToGraduate.get(lang)}</p> })
            } else {
                Either::Right(view! {
                    <p class="notice warning" id="still-needed">
                        {T::StillNeeded.get(lang)} "："
                        {row.blocked.iter().map(|b| b.describe(lang)).collect::<Vec<_>>().join(lang.pick("；", "; "))}
                    </p>
                })
            }}
        </section>
    })
}
