//! `/`: the signed-in person's start page: make-up study owed first, then
//! "继续学习" (one tap to the lesson to study next), a greeting, where the
//! person belongs, and what they can do.

use courses::directory::Me;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::next_lesson;
use crate::i18n::study::{lesson_percent, lessons_done, ProgressText};
use crate::i18n::{greeting, role_title, Text};
use crate::lang::use_lang;
use crate::loaded::{page_data, PageData};
use crate::pages::meetings::{load_makeups, MakeupTasks, MakeupsData};
use crate::session::require_me;

/// The home page; visitors without a session go to `/login`.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let makeups = load_makeups();
    let next = page_data(|| (), |_| next_lesson());
    view! {
        <Title text=Text::HomeTitle.get(lang) />
        {require_me(move |me| {
            let password_changed = query.read_untracked().get("password").as_deref() == Some("changed");
            view! { <Home me password_changed makeups next /> }
        })}
    }
}

type NextData = PageData<Result<Option<courses::course::NextLesson>, crate::api::AppError>>;

#[component]
fn Home(me: Me, password_changed: bool, makeups: MakeupsData, next: NextData) -> impl IntoView {
    let lang = use_lang();
    view! {
        // Make-up study owed comes before anything else.
        <MakeupTasks tasks=makeups />
        <crate::pages::notices::HomeNotices />
        // Nothing to continue (or it failed to load): the study card below
        // still leads to the courses.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { next.await.ok().flatten().map(|next| view! { <ContinueCard next /> }) })}
        </Suspense>
        <section class="card">
            <h1 id="home-greeting">{greeting(me.name.as_str(), lang)}</h1>
            <dl class="facts">
                <dt>{Text::YourOrg.get(lang)}</dt>
                <dd id="home-org">{me.org_name_path.clone()}</dd>
                <dt>{Text::YourRole.get(lang)}</dt>
                <dd id="home-role">{role_title(me.role, lang)}</dd>
                <dt>{Text::YourStanding.get(lang)}</dt>
                <dd id="home-standing">{me.standing.name(lang)}</dd>
            </dl>
        </section>
        {password_changed
            .then(|| {
                view! {
                    <p class="notice success" role="status" id="password-changed">
                        {Text::PasswordChanged.get(lang)}
                    </p>
                }
            })}
        {me
            .must_change_password
            .then(|| {
                view! {
                    <p class="notice warning" role="alert" id="must-change-password">
                        {Text::MustChangePassword.get(lang)}
                        <a href="/password">{Text::ChangePasswordLink.get(lang)}</a>
                    </p>
                }
            })}
        <section class="card" id="study">
            <h2>{Text::StudyHeading.get(lang)}</h2>
            <p class="muted">{Text::StudyPlaceholder.get(lang)}</p>
            <a class="button" id="go-courses" href="/courses">
                {crate::i18n::study::StudyText::CatalogLink.get(lang)}
            </a>
        </section>
        <nav class="card links">
            {me
                .role
                .manages_people()
                .then(|| {
                    view! {
                        <a class="button" id="manage-orgs" href="/orgs">
                            {Text::ManageOrgsLink.get(lang)}
                        </a>
                    }
                })}
            <a class="button secondary" id="change-password" href="/password">
                {Text::ChangePasswordLink.get(lang)}
            </a>
        </nav>
    }
}

/// The lesson to study next: its course, title and how far the person got,
/// one tap away.
#[component]
fn ContinueCard(next: courses::course::NextLesson) -> impl IntoView {
    use courses::course::LessonState;
    let lang = use_lang();
    let started = next.state != LessonState::NotStarted;
    let (label, how_far) = if started {
        (ProgressText::ContinueButton, lesson_percent(next.percent, lang))
    } else {
        (ProgressText::StartButton, ProgressText::LessonNotStarted.get(lang).to_owned())
    };
    view! {
        <section class="card continue-card" id="continue" data-lesson-id=next.lesson_id>
            <h2>{ProgressText::ContinueHeading.get(lang)}</h2>
            <p class="continue-lesson">
                <strong id="continue-lesson">{next.lesson_title}</strong>
            </p>
            <p class="muted small continue-course">
                <span id="continue-course">{next.course_title}</span>
                " · "
                {lessons_done(next.lessons_completed, next.lessons_total, lang)}
            </p>
            <div class="continue-row">
                <div
                    class="meter"
                    role="progressbar"
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow=next.percent
                    aria-label=how_far.clone()
                >
                    <span style=format!("width:{}%", next.percent)></span>
                </div>
                <span class="small" id="continue-percent">{how_far}</span>
            </div>
            <a class="button" id="continue-study" href=format!("/lessons/{}", next.lesson_id)>
                {label.get(lang)}
            </a>
        </section>
    }
}
