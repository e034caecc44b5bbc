//! `/courses/{id}`: a course, its chapters and lessons, for its audience and
//! those who manage it. Anyone else gets "not found".

use crate::loaded::page_data;
use courses::course::{CourseView, LessonView};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_course;
use crate::components::notice::ErrorNotice;
use crate::i18n::study::{credit_hours, due_on, kind_name, kind_tag, lesson_length, lessons_done, StudyText};
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn CoursePage() -> impl IntoView {
    let id = crate::pages::route_id();
    let course = page_data(move || id.get(), get_course);
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
    let groups = super::by_chapter(&course.chapters, &course.lessons);
    let lessons = if course.lessons.is_empty() {
        Either::Left(view! { <p class="muted">{StudyText::NoLessons.get(lang)}</p> })
    } else {
        Either::Right(
            groups
                .into_iter()
                .map(|(chapter, lessons)| {
                    let heading = chapter.as_ref().map_or(StudyText::LessonsHeading.get(lang).to_owned(), |c| c.title.clone());
                    view! {
                        <section class="chapter" data-chapter-id=chapter.map(|c| c.id)>
                            <h2>{heading}</h2>
                            <ol class="lesson-list">{lessons.into_iter().map(|l| view! { <LessonItem lesson=l /> }).collect_view()}</ol>
                        </section>
                    }
                })
                .collect_view(),
        )
    };
    let progress = course.progress.as_ref().map(|p| lessons_done(p.lessons_completed, p.lessons_total, lang));
    let manage = course.can_manage.then(|| {
        view! { <a class="button" id="edit-course" href=format!("/manage/courses/{}", course.id)>{StudyText::Manage.get(lang)}</a> }
    });
    view! {
        <Title text=course.title.clone() />
        <nav class="crumbs">
            <a href="/courses">{StudyText::CatalogTitle.get(lang)}</a>
        </nav>
        {course.cover_url.map(|src| view! { <img class="cover wide" src=src alt="" /> })}
        <h1 id="course-title">{course.title}</h1>
        <p class="tags">
            <span class="tag" class:required=course.required>{kind_tag(course.required, lang)}</span>
            {(course.credit_hours > 0.0).then(|| view! { <span class="tag">{credit_hours(course.credit_hours, lang)}</span> })}
            {course.due_on.map(|d| view! { <span class="tag due">{due_on(&d, lang)}</span> })}
            {(!course.published).then(|| view! { <span class="tag">{StudyText::Unpublished.get(lang)}</span> })}
        </p>
        <p class="muted">{course.summary}</p>
        <p class="muted small" id="course-progress">{progress}</p>
        {manage}
        <div class="card" id="lessons">{lessons}</div>
    }
}

#[component]
fn LessonItem(lesson: LessonView) -> impl IntoView {
    let lang = use_lang();
    let mixed = lesson.slides_media_id.is_some();
    view! {
        <li data-lesson-id=lesson.id>
            <a href=format!("/lessons/{}", lesson.id)>{lesson.title}</a>
            <span class="tag">{kind_name(lesson.kind, lang)}</span>
            {mixed.then(|| view! { <span class="tag">{StudyText::CompanionSlides.get(lang)}</span> })}
            <span class="muted small">{lesson_length(lesson.kind, lesson.duration_seconds, lesson.slide_count, lang)}</span>
        </li>
    }
}
