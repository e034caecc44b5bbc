//! `/courses/{id}`: a course and its lessons, for its audience and those
//! who manage it. Anyone else gets "not found".

use courses::course::CourseView;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_course;
use crate::components::notice::ErrorNotice;
use crate::i18n::study::{kind_name, lesson_length, StudyText};
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn CoursePage() -> impl IntoView {
    let id = super::route_id();
    let course = Resource::new(move || id.get(), get_course);
    view! {
        {require_me(move |_| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match course.await {
                            Ok(c) => Either::Left(view! { <Course course=c /> }),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })}
                </Suspense>
            }
        })}
    }
}

#[component]
fn Course(course: CourseView) -> impl IntoView {
    let lang = use_lang();
    let lessons = if course.lessons.is_empty() {
        Either::Left(view! { <p class="muted">{StudyText::NoLessons.get(lang)}</p> })
    } else {
        Either::Right(view! {
            <ol class="lesson-list" id="lessons">
                {course
                    .lessons
                    .into_iter()
                    .map(|l| {
                        view! {
                            <li data-lesson-id=l.id>
                                <a href=format!("/lessons/{}", l.id)>{l.title}</a>
                                <span class="tag">{kind_name(l.kind, lang)}</span>
                                <span class="muted small">
                                    {lesson_length(l.kind, l.duration_seconds, l.slide_count, lang)}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        })
    };
    view! {
        <Title text=course.title.clone() />
        <nav class="crumbs">
            <a href="/courses">{StudyText::CatalogTitle.get(lang)}</a>
        </nav>
        <h1 id="course-title">{course.title}</h1>
        <p class="muted">{course.summary}</p>
        <section class="card">
            <h2>{StudyText::LessonsHeading.get(lang)}</h2>
            {lessons}
        </section>
    }
}
