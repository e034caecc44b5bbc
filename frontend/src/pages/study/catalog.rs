//! `/courses`: the courses the signed-in person may study (their audience)
//! or manages, newest first.

use courses::course::CourseView;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::list_courses;
use crate::components::notice::ErrorNotice;
use crate::i18n::study::{lesson_count, StudyText};
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let lang = use_lang();
    let courses = Resource::new(|| (), |_| list_courses(String::new(), String::new(), String::new()));
    view! {
        <Title text=StudyText::CatalogTitle.get(lang) />
        <h1>{StudyText::CatalogTitle.get(lang)}</h1>
        {require_me(move |_| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match courses.await {
                            Ok(list) if list.is_empty() => Either::Left(Either::Left(view! {
                                <p class="muted" id="no-courses">{StudyText::NoCourses.get(lang)}</p>
                            })),
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

#[component]
fn CourseCard(course: CourseView) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/courses/{}", course.id);
    let lessons = lesson_count(course.lessons.len(), lang);
    view! {
        <li class="card course-card" data-course-id=course.id>
            <h2>
                <a href=href>{course.title}</a>
            </h2>
            {(!course.published).then(|| view! { <span class="tag">{StudyText::Unpublished.get(lang)}</span> })}
            <p class="muted">{course.summary}</p>
            <p class="muted small">{lessons}</p>
        </li>
    }
}
