//! `/courses/{id}`: a course, its chapters and lessons, for its audience and
//! those who manage it. Anyone else gets "not found". Each lesson says
//! whether the person has finished it, how far they got, or that they have
//! not started; "继续学习" opens the lesson to study next. Below the
//! lessons, the discussion of the course itself (`pages::discussion`).

use crate::loaded::page_data;
use courses::course::{CourseStanding, CourseView, LessonStanding, LessonState, LessonView};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::catalog::due_source;
use crate::api::{course_standing, get_course};
use crate::components::notice::ErrorNotice;
use crate::i18n::study::{
    credit_hours, due_text, kind_name, kind_tag, lesson_length, lesson_percent, lessons_done, ProgressText, StudyText,
};
use crate::lang::use_lang;
use crate::pages::discussion::{Discussion, Place};
use crate::session::require_me;

#[component]
pub fn CoursePage() -> impl IntoView {
    let id = crate::pages::route_id();
    let course = page_data(move || id.get(), get_course);
    let standing = page_data(move || id.get(), course_standing);
    view! {
        {require_me(move |me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            // Without a standing (it failed) the lessons show
                            // no marks; the course itself still shows.
                            match (course.await, standing.await.ok()) {
                                (Ok(c), standing) => {
                                    let place = Place::Course(c.id);
                                    Either::Left(view! {
                                        <Course course=c standing />
                                        <Discussion place csrf />
                                    })
                                }
                                (Err(error), _) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

#[component]
fn Course(course: CourseView, standing: Option<CourseStanding>) -> impl IntoView {
    let lang = use_lang();
    let groups = super::by_chapter(&course.chapters, &course.lessons);
    let next =
        standing.as_ref().and_then(|s| s.next_lesson_id).and_then(|id| course.lessons.iter().find(|l| l.id == id));
    let resume = next.map(|lesson| {
        let started = standing.as_ref().is_some_and(|s| s.of(lesson.id).state != LessonState::NotStarted)
            || course.progress.as_ref().is_some_and(|p| p.lessons_completed > 0);
        let label = if started { ProgressText::ContinueButton } else { ProgressText::StartButton };
        view! {
            <a class="button continue" id="course-continue" href=format!("/lessons/{}", lesson.id) data-lesson-id=lesson.id>
                {label.get(lang)}
                <span class="continue-target">{lesson.title.clone()}</span>
            </a>
        }
    });
    let lessons = if course.lessons.is_empty() {
        Either::Left(view! { <p class="muted">{StudyText::NoLessons.get(lang)}</p> })
    } else {
        Either::Right(
            groups
                .into_iter()
                .map(|(chapter, lessons)| {
                    let heading =
                        chapter.as_ref().map_or(StudyText::LessonsHeading.get(lang).to_owned(), |c| c.title.clone());
                    let items = lessons
                        .into_iter()
                        .map(|l| {
                            let mark = standing.as_ref().map(|s| s.of(l.id));
                            view! { <LessonItem lesson=l standing=mark /> }
                        })
                        .collect_view();
                    view! {
                        <section class="chapter" data-chapter-id=chapter.map(|c| c.id)>
                            <h2>{heading}</h2>
                            <ol class="lesson-list">{items}</ol>
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
            {course.due.map(|d| view! { <span class="tag due" id="course-due" data-due-source=due_source(&d)>{due_text(&d, lang)}</span> })}
            {(!course.published).then(|| view! { <span class="tag">{StudyText::Unpublished.get(lang)}</span> })}
        </p>
        <p class="muted">{course.summary}</p>
        <p class="muted small" id="course-progress">{progress}</p>
        {resume}
        {manage}
        <div class="card" id="lessons">{lessons}</div>
    }
}

#[component]
fn LessonItem(lesson: LessonView, standing: Option<LessonStanding>) -> impl IntoView {
    let lang = use_lang();
    let mixed = lesson.slides_media_id.is_some();
    // Said in a symbol and in words, not only by colour.
    let (state, symbol, words) = match standing {
        Some(s) => match s.state {
            LessonState::Completed => ("done", "✓", ProgressText::LessonDone.get(lang).to_owned()),
            LessonState::InProgress => ("in-progress", "◐", lesson_percent(s.percent, lang)),
            LessonState::NotStarted => ("not-started", "○", ProgressText::LessonNotStarted.get(lang).to_owned()),
        },
        None => ("", "", String::new()),
    };
    let marked = standing.is_some();
    view! {
        <li class="lesson-item" data-lesson-id=lesson.id data-state=marked.then_some(state)>
            <span class="lesson-symbol" aria-hidden="true">{symbol}</span>
            <span class="lesson-body">
                <a href=format!("/lessons/{}", lesson.id)>{lesson.title}</a>
                <span class="lesson-meta">
                    {marked.then(|| view! { <span class="lesson-mark" data-state=state>{words}</span> })}
                    <span class="tag">{kind_name(lesson.kind, lang)}</span>
                    {mixed.then(|| view! { <span class="tag">{StudyText::CompanionSlides.get(lang)}</span> })}
                    <span class="muted small">{lesson_length(lesson.kind, lesson.duration_seconds, lesson.slide_count, lang)}</span>
                </span>
            </span>
        </li>
    }
}
