//! The member's make-up tasks (补学), shown first on the home page: open
//! ones with their deadline (overdue ones marked) and lessons to study,
//! then, folded away, those already done. Nothing shows when there are
//! none.

use crate::loaded::{page_data, PageData};
use courses::meeting::MakeupTask;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::{my_makeups, AppError};
use crate::components::notice::ErrorNotice;
use crate::i18n::meetings::{due_by, MeetingText as T};
use crate::lang::use_lang;

/// The caller's make-up tasks, as the home page loads them.
pub type MakeupsData = PageData<Result<Vec<MakeupTask>, AppError>>;

/// Starts loading the caller's tasks.
pub fn load_makeups() -> MakeupsData {
    page_data(|| (), |_| my_makeups())
}

/// The tasks, or nothing when there are none (or the person may not study
/// yet, e.g. before changing the initial password).
#[component]
pub fn MakeupTasks(tasks: MakeupsData) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match tasks.await {
                    Ok(list) if list.is_empty() => None,
                    Ok(list) => Some(Either::Left(view! { <TaskList tasks=list /> })),
                    Err(error) if quiet(&error) => None,
                    Err(error) => Some(Either::Right(view! { <ErrorNotice error /> })),
                }
            })}
        </Suspense>
    }
}

/// Errors the home page explains elsewhere (the password notice).
fn quiet(error: &AppError) -> bool {
    matches!(error.0.code.as_str(), "password_change_required" | "unauthenticated")
}

#[component]
fn TaskList(tasks: Vec<MakeupTask>) -> impl IntoView {
    let lang = use_lang();
    let (done, open): (Vec<_>, Vec<_>) = tasks.into_iter().partition(|t| t.done);
    let done_count = done.len();
    let done_part = (!done.is_empty()).then(|| {
        view! {
            <details class="makeups-done" id="makeups-done">
                <summary>{crate::i18n::aside(T::DoneTasks.get(lang), done_count, lang)}</summary>
                <ul class="makeup-list">{done.into_iter().map(|t| view! { <Task task=t /> }).collect_view()}</ul>
            </details>
        }
    });
    view! {
        <section class="card makeups" id="makeups">
            <h2>{T::MakeupsHeading.get(lang)}</h2>
            {(!open.is_empty())
                .then(|| {
                    view! {
                        <p class="muted">{T::MakeupsIntro.get(lang)}</p>
                        <ul class="makeup-list" id="makeups-open">
                            {open.into_iter().map(|t| view! { <Task task=t /> }).collect_view()}
                        </ul>
                    }
                })}
            {done_part}
        </section>
    }
}

#[component]
fn Task(task: MakeupTask) -> impl IntoView {
    let lang = use_lang();
    let state = if task.done {
        Some(view! { <span class="badge done">{T::Done.get(lang)}</span> })
    } else if task.overdue {
        Some(view! { <span class="badge overdue">{T::Overdue.get(lang)}</span> })
    } else {
        None
    };
    let lessons = task
        .lessons
        .into_iter()
        .map(|l| {
            let title = format!("{} · {}", l.lesson.course_title, l.lesson.title);
            let link = if l.available {
                Either::Left(view! { <a href=format!("/lessons/{}", l.lesson.id)>{title}</a> })
            } else {
                Either::Right(view! { <span>{crate::i18n::aside(&title, T::Unavailable.get(lang), lang)}</span> })
            };
            let mark = if l.completed { T::LessonDone } else { T::LessonTodo };
            view! {
                <li class="makeup-lesson" class:completed=l.completed data-lesson=l.lesson.id>
                    <span class="mark" aria-hidden="true">{if l.completed { "✓" } else { "○" }}</span>
                    {link}
                    <span class="sr-only">{mark.get(lang)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <li
            class="makeup"
            class:overdue=task.overdue
            class:done=task.done
            data-meeting=task.meeting_id
            data-done=task.done.to_string()
        >
            <p class="makeup-head">
                <strong>{task.kind.name(lang)}</strong>
                " · "
                <span class="makeup-topic">{task.topic}</span>
                " · "
                <span>{task.held_on}</span>
                {state}
            </p>
            <p class="makeup-meta muted">
                <span class="makeup-deadline">{due_by(&task.deadline, lang)}</span>
                " · "
                {task.status.name(lang)}
                " · "
                {task.org_name_path}
            </p>
            <ul class="makeup-lessons">{lessons}</ul>
        </li>
    }
}
