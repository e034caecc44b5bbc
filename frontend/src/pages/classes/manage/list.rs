//! `/manage/classes`: the party classes of the caller's nodes, and the form
//! that sets up a new one (the caller is its first 班主任).

use courses::class::{ClassDraft, ClassView, GradeThresholds, GradeWeights};
use courses::course::CourseView;
use courses::directory::{Me, OrgNode};
use courses::exam::api::ExamView;
use courses::OrgId;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{list_courses, org_tree, AppError};
use crate::components::notice::ErrorNotice;
use crate::i18n::classes::ClassText as T;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::pages::classes::api::{create_class, managed_classes};
use crate::pages::exams::manage::api::managed_exams;
use crate::pages::go_to;
use crate::session::require_me;

#[component]
pub fn ManageClassesPage() -> impl IntoView {
    let lang = use_lang();
    let data = page_data(
        || (),
        |_| async {
            let (classes, tree, exams, courses) = futures::join!(
                managed_classes(),
                org_tree(),
                managed_exams(),
                list_courses(String::new(), String::new(), String::new())
            );
            Ok::<_, AppError>((classes?, tree?, exams?, courses?))
        },
    );
    view! {
        <Title text=T::ManageTitle.get(lang) />
        <h1>{T::ManageTitle.get(lang)}</h1>
        {require_me(move |me: Me| {
            if !me.role.manages_people() {
                return Either::Left(view! { <p class="notice warning" id="no-permission">{T::NoPermission.get(lang)}</p> });
            }
            let (csrf, me_id) = (me.csrf_token.clone(), me.id.0);
            Either::Right(view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((classes, tree, exams, courses)) => Either::Left(view! {
                                    <ClassList classes />
                                    <BranchReport tree=tree.clone() />
                                    <NewClassForm tree exams courses me=me_id csrf />
                                }),
                                Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            })
        })}
    }
}

#[component]
fn ClassList(classes: Vec<ClassView>) -> impl IntoView {
    let lang = use_lang();
    if classes.is_empty() {
        return Either::Left(view! { <p class="muted" id="no-classes">{T::NoManagedClasses.get(lang)}</p> });
    }
    Either::Right(view! {
        <ul class="exam-list" id="managed-classes">
            {classes.into_iter().map(|c| view! {
                <li class="card exam-card" data-class=c.id>
                    <a class="exam-card-title" href=format!("/manage/classes/{}", c.id)>{c.name.clone()}</a>
                    <p class="muted small">
                        {c.org_name.clone()} " · " {c.term_from.clone()} " – " {c.term_to.clone()} " · "
                        {T::Students.get(lang)} " " {c.students.len()}
                    </p>
                </li>
            }).collect_view()}
        </ul>
    })
}

/// Downloads of a node's students in every class (CSV, Excel).
#[island(lazy)]
fn BranchReport(tree: Vec<OrgNode>) -> impl IntoView {
    let lang = use_lang();
    let node = RwSignal::new(tree.first().map(|n| n.id.0).unwrap_or(0));
    let link = move |format: &str| format!("/api/v1/orgs/{}/class-students?format={format}", node.get());
    view! {
        <section class="card" id="branch-report">
            <h2>{T::BranchStudents.get(lang)}</h2>
            <label class="field">
                <span>{T::Org.get(lang)}</span>
                <select id="branch-node" on:change=move |ev| node.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {tree.iter().map(|n| view! { <option value=n.id.0>{n.name.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <p class="small">
                <a id="branch-csv" href=move || link("csv") download="">{T::DownloadCsv.get(lang)}</a> " · "
                <a id="branch-xlsx" href=move || link("xlsx") download="">{T::DownloadXlsx.get(lang)}</a>
            </p>
        </section>
    }
}

/// A whole number typed into a field; `None` when it is not one.
fn number(s: &str) -> Option<u32> {
    s.trim().parse().ok()
}

#[island(lazy)]
fn NewClassForm(
    tree: Vec<OrgNode>,
    exams: Vec<ExamView>,
    courses: Vec<CourseView>,
    me: i64,
    csrf: String,
) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let name = RwSignal::new(String::new());
    let node = RwSignal::new(tree.first().map(|n| n.id.0).unwrap_or(0));
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let hours = RwSignal::new("40".to_owned());
    let exam = RwSignal::new(None::<i64>);
    let chosen = RwSignal::new(Vec::<i64>::new());
    let weights = [RwSignal::new("70".to_owned()), RwSignal::new("20".to_owned()), RwSignal::new("10".to_owned())];
    let excellent = RwSignal::new("90".to_owned());
    let pass = RwSignal::new("60".to_owned());
    let absence = RwSignal::new("25".to_owned());
    let essay_chars = RwSignal::new("1500".to_owned());
    let resit = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let live = crate::components::live::use_live();
    let error = RwSignal::new(None::<AppError>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let w = |i: usize| number(&weights[i].get_untracked()).and_then(|n| u8::try_from(n).ok()).unwrap_or(u8::MAX);
        let draft = ClassDraft {
            org_id: OrgId(node.get_untracked()),
            name: name.get_untracked(),
            term_from: from.get_untracked(),
            term_to: to.get_untracked(),
            teachers: vec![me],
            required_courses: chosen.get_untracked(),
            required_hours: number(&hours.get_untracked()).unwrap_or(u32::MAX),
            final_exam_id: exam.get_untracked(),
            weights: GradeWeights { exam: w(0), essays: w(1), attendance: w(2) },
            thresholds: GradeThresholds {
                excellent: number(&excellent.get_untracked()).and_then(|n| u8::try_from(n).ok()).unwrap_or(u8::MAX),
                pass: number(&pass.get_untracked()).and_then(|n| u8::try_from(n).ok()).unwrap_or(u8::MAX),
            },
            resit_allowed: resit.get_untracked(),
            min_essay_chars: number(&essay_chars.get_untracked()).unwrap_or(u32::MAX),
            max_absence_percent: number(&absence.get_untracked()).and_then(|n| u8::try_from(n).ok()).unwrap_or(u8::MAX),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_class(csrf.get_value(), draft).await {
                Ok(class) => go_to(&format!("/manage/classes/{}", class.id)),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let field = |label: &'static str, value: RwSignal<String>, kind: &'static str, id: &'static str| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type=kind id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <form class="card form" id="new-class" on:submit=submit>
            <h2>{T::NewClass.get(lang)}</h2>
            {field(T::Name.get(lang), name, "text", "class-name-input")}
            <label class="field">
                <span>{T::Node.get(lang)}</span>
                <select id="class-node" on:change=move |ev| node.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {tree.iter().map(|n| view! { <option value=n.id.0>{n.name.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <div class="row">
                {field(T::From.get(lang), from, "date", "class-from")}
                {field(T::To.get(lang), to, "date", "class-to")}
            </div>
            {field(T::RequiredHours.get(lang), hours, "number", "class-hours")}
            <fieldset class="field">
                <legend>{T::RequiredCourses.get(lang)}</legend>
                {courses.iter().filter(|c| c.published).map(|c| {
                    let id = c.id;
                    view! {
                        <label class="check">
                            <input type="checkbox" class="class-course" value=id
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|v| { v.retain(|x| *x != id); if on { v.push(id); } });
                                } />
                            {c.title.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="field">
                <span>{T::FinalExamChoice.get(lang)}</span>
                <select id="class-exam" on:change=move |ev| exam.set(event_target_value(&ev).parse().ok())>
                    <option value="">{T::NoneChosen.get(lang)}</option>
                    {exams.iter().map(|e| view! { <option value=e.id>{e.title.clone()}</option> }).collect_view()}
                </select>
            </label>
            <fieldset class="field">
                <legend>{T::Weights.get(lang)}</legend>
                <div class="row">
                    {field(T::WeightExam.get(lang), weights[0], "number", "weight-exam")}
                    {field(T::WeightEssays.get(lang), weights[1], "number", "weight-essays")}
                    {field(T::WeightAttendance.get(lang), weights[2], "number", "weight-attendance")}
                </div>
            </fieldset>
            <div class="row">
                {field(T::ThresholdExcellent.get(lang), excellent, "number", "threshold-excellent")}
                {field(T::ThresholdPass.get(lang), pass, "number", "threshold-pass")}
            </div>
            <div class="row">
                {field(T::MaxAbsence.get(lang), absence, "number", "class-absence")}
                {field(T::MinEssayChars.get(lang), essay_chars, "number", "class-essay-chars")}
            </div>
            <label class="check">
                <input type="checkbox" id="class-resit" prop:checked=move || resit.get()
                    on:change=move |ev| resit.set(event_target_checked(&ev)) />
                {T::ResitAllowed.get(lang)}
            </label>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            <button type="submit" id="create-class" disabled=move || busy.get() || !live.get()>{T::Create.get(lang)}</button>
        </form>
    }
}
