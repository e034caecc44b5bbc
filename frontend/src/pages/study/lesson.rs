//! `/lessons/{id}`: one lesson, as its audience studies it. The server
//! renders the player or slide viewer with the member's progress; after
//! hydration [`super::client`] opens the playback session and reports
//! heartbeats. Below the lesson, its discussion (`pages::discussion`),
//! which loads once the page is live.

use crate::loaded::page_data;
use courses::course::LessonStudy;
use courses::progress::api::LessonProgress;
use courses::progress::LessonKind;
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::study_lesson;
use crate::assets::use_assets;
use crate::components::notice::ErrorNotice;
use crate::i18n::exams::ExamText;
use crate::i18n::study::{file_size, kind_name, percent_done, StudyText};
use crate::lang::use_lang;
use crate::pages::discussion::{Discussion, Place};
use crate::session::require_me;

use super::article::ArticleReader;
use super::early::{early_start, PlayerScripts};
use super::slides::SlideViewer;

/// Playback rates offered (the server credits up to 2×).
pub(super) const SPEEDS: [f64; 6] = [0.75, 1.0, 1.25, 1.5, 1.75, 2.0];

/// What the page shows and the browser side updates.
#[derive(Clone, Copy)]
pub(super) struct LessonUi {
    pub progress: RwSignal<LessonProgress>,
    /// A message about the session (seek refused, taken over, offline).
    pub notice: RwSignal<Option<StudyText>>,
    /// The "still studying?" prompt is up.
    pub idle: RwSignal<bool>,
    /// 0-based slide on screen (slide lessons).
    pub slide: RwSignal<usize>,
    /// Slides the page has counted as shown long enough, before the
    /// server's answer says so.
    pub seen: RwSignal<Vec<usize>>,
    /// Chosen rendition height; `None` lets the player choose.
    pub quality: RwSignal<Option<u32>>,
    pub speed: RwSignal<f64>,
    /// Why the video cannot play, if it cannot.
    pub failure: RwSignal<Option<String>>,
    /// The course's minimum seconds per slide.
    pub slide_min_seconds: u32,
}

#[component]
pub fn LessonPage() -> impl IntoView {
    let id = crate::pages::route_id();
    let lesson = page_data(move || id.get(), study_lesson);
    view! {
        {require_me(move |me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match lesson.await {
                                Ok(study) => Either::Left({
                                    let scripts = PlayerScripts::new(&use_assets());
                                    let early = study
                                        .playlist_url
                                        .as_deref()
                                        .map(|master| early_start(&scripts, master, &study.renditions));
                                    let place = Place::Lesson(study.lesson.id);
                                    view! {
                                        <Title text=study.lesson.title.clone() />
                                        <Lesson study csrf=csrf.clone() scripts />
                                        <Discussion place csrf />
                                        {early}
                                    }
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

/// The lesson itself: an island, the part of the page the browser runs.
/// Not lazy: split out, its code came as a hundred small wasm chunks, each
/// a round trip on a weak link; in the main module it is one file that the
/// home page has already cached by the time a member opens a lesson.
#[island]
fn Lesson(study: LessonStudy, csrf: String, scripts: PlayerScripts) -> impl IntoView {
    let lang = use_lang();
    // A slide lesson resumes at its slide; a mixed lesson's position is the video's.
    let start_slide =
        if study.lesson.kind == LessonKind::Slides { study.progress.position.max(0.0) as usize } else { 0 };
    let ui = LessonUi {
        progress: RwSignal::new(study.progress.clone()),
        notice: RwSignal::new(None),
        idle: RwSignal::new(false),
        slide: RwSignal::new(start_slide.min(study.slides.len().saturating_sub(1))),
        seen: RwSignal::new(Vec::new()),
        quality: RwSignal::new(None),
        speed: RwSignal::new(1.0),
        failure: RwSignal::new(None),
        slide_min_seconds: study.rules.slide_min_seconds,
    };
    let video = NodeRef::<leptos::html::Video>::new();
    #[cfg(feature = "hydrate")]
    {
        let study = study.clone();
        let csrf = csrf.clone();
        // Once, in the browser, when the page is live.
        Effect::new(move |started: Option<()>| {
            // A quiz is taken on its exam's page: no playback session here.
            if started.is_none() && study.lesson.kind != LessonKind::Exam {
                super::client::start(study.clone(), csrf.clone(), ui, video, lang);
            }
        });
    }
    let player_csrf = csrf.clone();
    #[cfg(not(feature = "hydrate"))]
    let _ = &csrf;

    let lesson = study.lesson.clone();
    let course_href = format!("/courses/{}", lesson.course_id);
    let body = match (lesson.kind, study.playlist_url.clone(), study.slides.is_empty()) {
        // The mixed lesson: the video, its slide deck beside it (paged
        // freely; progress is the video's).
        (LessonKind::Video, Some(src), false) => EitherOf4::A(Either::Left(view! {
            <div class="mixed" id="mixed">
                <Player study=study.clone() src ui video csrf=player_csrf.clone() scripts=scripts.clone() />
                <section class="companion" aria-label=StudyText::CompanionSlides.get(lang)>
                    <SlideViewer slides=study.slides.clone() ui companion=true />
                </section>
            </div>
        })),
        (LessonKind::Video | LessonKind::Audio, Some(src), _) => EitherOf4::A(Either::Right(view! {
            <Player study=study.clone() src ui video csrf=player_csrf scripts />
        })),
        (LessonKind::Slides, _, false) => EitherOf4::B(view! { <SlideViewer slides=study.slides.clone() ui /> }),
        (LessonKind::Article, _, _) if study.article.is_some() => EitherOf4::C(view! {
            <ArticleReader article=study.article.clone().unwrap_or_default() />
        }),
        (LessonKind::Exam, _, _) => EitherOf4::D(Either::Left(view! {
            <section class="card quiz" id="quiz">
                <p>{ExamText::QuizLesson.get(lang)}</p>
                <a class="button primary" id="enter-quiz" href=format!("/exams/{}", lesson.exam_id.unwrap_or(0))>
                    {ExamText::EnterQuiz.get(lang)}
                </a>
            </section>
        })),
        _ => EitherOf4::D(Either::Right(view! {
            <p class="notice warning" id="not-ready">{StudyText::NotReady.get(lang)}</p>
        })),
    };
    let lesson_id = lesson.id;
    let preview = study.preview.then(|| {
        view! {
            <p class="notice" id="preview-banner">
                {StudyText::Preview.get(lang)} " "
                <a href=format!("/manage/courses/{}", lesson.course_id)>{StudyText::Manage.get(lang)}</a>
            </p>
        }
    });
    let attachments = (!study.attachments.is_empty()).then(|| {
        view! {
            <section class="card attachments" id="attachments">
                <h2>{StudyText::Attachments.get(lang)}</h2>
                <ul>
                    {study
                        .attachments
                        .iter()
                        .map(|a| {
                            view! {
                                <li>
                                    <a href=a.url.clone() download=a.file_name.clone() rel="external">
                                        {a.file_name.clone()}
                                    </a>
                                    " "
                                    <span class="muted small">{file_size(a.size_bytes)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let siblings = super::by_chapter(&study.chapters, &study.siblings)
        .into_iter()
        .map(|(chapter, lessons)| {
            view! {
                {chapter.map(|c| view! { <h3>{c.title}</h3> })}
                <ol>
                    {lessons
                        .into_iter()
                        .map(|l| {
                            let current = l.id == lesson_id;
                            view! {
                                <li class:current=current>
                                    <a href=format!("/lessons/{}", l.id) aria-current=current.then_some("page")>
                                        {l.title}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
        })
        .collect_view();
    view! {
        {preview}
        <nav class="crumbs">
            <a href="/courses">{StudyText::CatalogTitle.get(lang)}</a>
            " › "
            <a href=course_href>{study.course_title.clone()}</a>
        </nav>
        <h1 id="lesson-title">
            {lesson.title.clone()} <span class="tag">{kind_name(lesson.kind, lang)}</span>
        </h1>
        <div class="lesson" id="lesson" data-lesson-id=lesson_id data-kind=lesson.kind.as_str()>
            {body}
            <p class="lesson-status" id="lesson-progress" data-percent=move || ui.progress.with(|p| p.percent)>
                {move || percent_done(ui.progress.with(|p| p.percent), lang)}
                {move || {
                    ui.progress
                        .with(|p| p.completed)
                        .then(|| view! { <span class="tag success">{StudyText::Completed.get(lang)}</span> })
                }}
            </p>
            <p
                class="notice"
                class:toast=move || ui.notice.get() == Some(StudyText::SeekRefused)
                id="lesson-notice"
                role="status"
                hidden=move || ui.notice.get().is_none()
            >
                {move || ui.notice.get().map(|n| n.get(lang))}
            </p>
            <IdlePrompt ui />
        </div>
        {attachments}
        <nav class="card lesson-siblings">
            <h2>{StudyText::LessonsHeading.get(lang)}</h2>
            {siblings}
        </nav>
    }
}

/// The video or audio player with its quality and speed choices and the
/// bar of watched parts.
#[component]
fn Player(
    study: LessonStudy,
    src: String,
    ui: LessonUi,
    video: NodeRef<leptos::html::Video>,
    csrf: String,
    scripts: PlayerScripts,
) -> impl IntoView {
    let lang = use_lang();
    let duration = study.lesson.duration_seconds.max(0.001);
    // Resume where the member stopped, unless that was the very end.
    let resume = study.progress.position;
    let start = if resume > 1.0 && resume < study.lesson.duration_seconds - 2.0 { resume } else { 0.0 };
    let audio = study.lesson.kind == LessonKind::Audio;
    let qualities = (!audio && study.renditions.len() > 1).then(|| {
        view! {
            <label>
                {StudyText::Quality.get(lang)}
                <select
                    id="quality"
                    on:change=move |ev| ui.quality.set(event_target_value(&ev).parse().ok())
                >
                    <option value="auto" selected=true>
                        {StudyText::QualityAuto.get(lang)}
                    </option>
                    {study
                        .renditions
                        .iter()
                        .map(|h| view! { <option value=h.to_string()>{format!("{h}p")}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    });
    view! {
        <div class="player" class:audio=audio>
            <div class="screen">
            <video
                id="player"
                node_ref=video
                controls=true
                playsinline=true
                preload="none"
                poster=study.poster_url.clone()
                data-src=src
                data-lesson=study.lesson.id
                data-csrf=csrf
                data-start=start
                data-hls=scripts.hls
                data-script=scripts.start
            >
                {study.captions_url.clone().map(|src| {
                    view! {
                        <track kind="captions" srclang="zh" label=StudyText::Captions.get(lang) src=src default=true />
                    }
                })}
            </video>
            // Over the poster until the first play: a tap anywhere on the
            // picture plays, even before any script has arrived.
            <button
                type="button"
                class="play-start"
                id="play-start"
                aria-label=StudyText::PlayStart.get(lang)
                onclick="this.parentNode.classList.add('started');document.getElementById('player').play();"
            >
                <span aria-hidden="true">"▶"</span>
            </button>
            </div>
            <div
                class="watched-bar"
                id="watched-bar"
                role="img"
                aria-label=StudyText::WatchedBar.get(lang)
                title=StudyText::WatchedBar.get(lang)
            >
                {move || {
                    ui.progress
                        .with(|p| p.watched.clone())
                        .into_iter()
                        .map(|[a, b]| {
                            let style = format!(
                                "left:{:.3}%;width:{:.3}%",
                                100.0 * a / duration,
                                100.0 * (b - a).max(0.0) / duration,
                            );
                            view! { <span style=style></span> }
                        })
                        .collect_view()
                }}
            </div>
            <div class="player-tools">
                {qualities}
                <label>
                    {StudyText::Speed.get(lang)}
                    <select id="speed" on:change=move |ev| ui.speed.set(event_target_value(&ev).parse().unwrap_or(1.0))>
                        {SPEEDS
                            .iter()
                            .map(|s| view! { <option value=s.to_string() selected=*s == 1.0>{format!("{s}×")}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <p class="notice error" id="player-failure" role="alert" hidden=move || ui.failure.get().is_none()>
                {StudyText::PlayerFailed.get(lang)}
                {move || ui.failure.get()}
            </p>
        </div>
    }
}

/// "Still studying?": shown after the course's idle time without any
/// interaction; playback pauses and nothing is credited until the member
/// answers.
#[component]
fn IdlePrompt(ui: LessonUi) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="idle-prompt card" id="idle-prompt" role="alertdialog" hidden=move || !ui.idle.get()>
            <h2>{StudyText::StillStudying.get(lang)}</h2>
            <p>{StudyText::StillStudyingBody.get(lang)}</p>
            <button id="idle-continue" type="button" on:click=move |_| ui.idle.set(false)>
                {StudyText::Continue.get(lang)}
            </button>
        </div>
    }
}
