//! `/courses`: the courses the signed-in person may study (their audience)
//! or manages, newest first; searched by words (Chinese by substring) and
//! filtered by 必修/选修 and by how far the person has got. The search is
//! a plain GET form, so it works before (or without) hydration and its
//! results have a URL.

use crate::loaded::page_data;
use courses::course::{CourseView, StudyStatus};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_courses;
use crate::components::notice::ErrorNotice;
use crate::i18n::study::{credit_hours, due_text, kind_tag, lesson_count, lessons_done, status_name, StudyText};
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let field = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let courses = page_data(
        move || (field("q"), field("kind"), field("status")),
        |(q, kind, status)| list_courses(q, kind, status),
    );
    let filtered = move || !(field("q").trim().is_empty() && field("kind").is_empty() && field("status").is_empty());
    view! {
        <Title text=StudyText::CatalogTitle.get(lang) />
        <h1>{StudyText::CatalogTitle.get(lang)}</h1>
        {require_me(move |_| {
            view! {
                <SearchForm q=field("q") kind=field("kind") status=field("status") />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match courses.await {
                            Ok(list) if list.is_empty() => {
                                let text = if filtered() { StudyText::NoMatches } else { StudyText::NoCourses };
                                Either::Left(Either::Left(view! {
                                    <p class="muted" id="no-courses">{text.get(lang)}</p>
                                }))
                            }
                            Ok(list) => Either::Left(Either::Right(view! {
                                <ul class="course-list" id="courses">
                                    {list.into_iter().map(|c| view! { <CourseCard course=c /> }).collect_view()}
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

/// The search words and the two filters.
#[component]
fn SearchForm(q: String, kind: String, status: String) -> impl IntoView {
    let lang = use_lang();
    let kinds = [("", StudyText::AllKinds), ("required", StudyText::Required), ("elective", StudyText::Elective)];
    let statuses = std::iter::once(("", StudyText::AnyStatus.get(lang)))
        .chain(StudyStatus::ALL.into_iter().map(|s| (s.as_str(), status_name(s, lang))));
    view! {
        <form class="course-search" id="course-search" method="get" action="/courses" role="search">
            <input
                type="search"
                name="q"
                id="search-q"
                value=q
                maxlength="200"
                placeholder=StudyText::SearchPlaceholder.get(lang)
                aria-label=StudyText::Search.get(lang)
            />
            <select name="kind" id="search-kind" aria-label=StudyText::AllKinds.get(lang)>
                {kinds
                    .into_iter()
                    .map(|(value, text)| {
                        view! { <option value=value selected=kind == value>{text.get(lang)}</option> }
                    })
                    .collect_view()}
            </select>
            <select name="status" id="search-status" aria-label=StudyText::AnyStatus.get(lang)>
                {statuses
                    .map(|(value, text)| view! { <option value=value selected=status == value>{text}</option> })
                    .collect_view()}
            </select>
            <button type="submit" id="search-go">{StudyText::Search.get(lang)}</button>
        </form>
    }
}

/// `assignment` or `course`: whose due date a tag shows (for tests and
/// styles).
pub(super) fn due_source(due: &courses::course::DueDate) -> &'static str {
    match due.source {
        courses::course::DueSource::Assignment => "assignment",
        courses::course::DueSource::Course => "course",
    }
}

/// One course in a list: cover, title, 必修/选修, credit hours, the due date
/// that binds the person (and whose it is) and the person's progress.
#[component]
pub(super) fn CourseCard(course: CourseView) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/courses/{}", course.id);
    let progress = course.progress.clone().map(|p| {
        let text = if p.lessons_total > 0 && p.status != StudyStatus::NotStarted {
            lessons_done(p.lessons_completed, p.lessons_total, lang)
        } else {
            lesson_count(course.lessons.len(), lang)
        };
        view! {
            <p class="muted small course-progress" data-status=p.status.as_str()>
                <span class="tag">{status_name(p.status, lang)}</span>
                " "
                {text}
            </p>
        }
    });
    view! {
        <li class="card course-card" data-course-id=course.id>
            {course.cover_url.map(|src| view! { <img class="cover" src=src alt="" loading="lazy" /> })}
            <h2>
                <a href=href>{course.title}</a>
            </h2>
            <p class="tags">
                <span class="tag" class:required=course.required>{kind_tag(course.required, lang)}</span>
                {(course.credit_hours > 0.0).then(|| view! { <span class="tag">{credit_hours(course.credit_hours, lang)}</span> })}
                {course.due.map(|d| view! { <span class="tag due" data-due-source=due_source(&d)>{due_text(&d, lang)}</span> })}
                {(!course.published).then(|| view! { <span class="tag">{StudyText::Unpublished.get(lang)}</span> })}
            </p>
            <p class="muted">{course.summary}</p>
            {progress}
        </li>
    }
}
