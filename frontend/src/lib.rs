//! dangxiao's web UI: Leptos pages rendered on the server, with islands:
//! only the interactive parts (`#[island]`: the lesson, the forms and
//! editors, the bell) are hydrated in the browser, so the wasm carries only
//! their code. The organizers' islands are lazy (`#[island(lazy)]`, built
//! with `cargo leptos build --split`): their code is fetched only on a page
//! that has them, so a member never downloads the editors. What members use
//! (the lesson, its discussion, the bell) is in the main module: one file, kept by the
//! browser under a versioned address (server/src/http/assets.rs), rather
//! than dozens of small chunks a weak link pays a round trip for each. On a
//! lesson page the wasm waits until the video plays ([`hydration`]).
//! Islands share no state with the
//! page around them: they take what they need as (serialized) props, and
//! moving between pages is a page load.
//!
//! The server crate mounts [`shell`] / [`App`] with `leptos_axum`, handles
//! the server functions in [`api`] and provides a [`backend::Backend`] as
//! context; the browser runs [`hydrate`]. Islands whose data the server
//! functions do not carry (the discussion, suggestions) call the REST API
//! from the browser through [`rest`]. UI text lives in [`i18n`], the
//! choice of language in [`lang`].

// The pages' views are deeply nested types; without type-erased components
// (`--cfg erase_components`, which the tests and the browser build use) a
// release build of them needs more than rustc's default depth of 128.
#![recursion_limit = "256"]

pub mod api;
pub mod assets;
#[cfg(feature = "ssr")]
pub mod backend;
mod components;
mod hydration;
pub mod i18n;
pub mod lang;
mod loaded;
mod pages;
pub mod rest;
mod session;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::header::Header;
use crate::pages::{
    assignments::{AssignmentPage, AssignmentsPage},
    classes::manage::{ClassDeskPage, ManageClassesPage},
    classes::{MyClassPage, MyClassesPage},
    discussion::ManageDiscussionPage,
    exams::manage::{BankPage, ManageExamPage, ManageExamsPage},
    exams::{ExamPage, MyExamsPage},
    home::HomePage,
    login::LoginPage,
    manage::{CourseEditorPage, ManageCoursesPage},
    media::MediaPage,
    meetings::{MeetingPage, MeetingsPage},
    not_found::NotFoundPage,
    notices::{ManageNoticesPage, NoticePage, NoticesPage},
    notifications::NotificationsPage,
    orgs::OrgsPage,
    password::PasswordPage,
    reports::{PersonReportPage, ReportsPage, SnapshotPage, SnapshotsPage},
    study::{CatalogPage, CoursePage, LearningPage, LessonPage},
    suggestions::{ManageSuggestionsPage, SuggestionsPage},
    verify::VerifyPage,
};

/// The whole HTML document, rendered on the server only. `<html lang>`
/// carries the UI language to the browser (see [`lang`]).
pub fn shell(options: leptos::config::LeptosOptions) -> impl IntoView {
    let lang = lang::page_lang();
    let assets = assets::use_assets();
    let stylesheet = assets.url(&format!("/{}/{}.css", options.site_pkg_dir, options.output_name));
    let root = assets.root().to_owned();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#b71c1c" />
                <AutoReload options=options.clone() />
                <hydration::Hydration options=options.clone() root />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <link rel="icon" type="image/svg+xml" href=assets.url("/favicon.svg") />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: header and routed pages. Every page renders only after
/// its data has loaded on the server (`SsrMode::Async`), so a page can still
/// answer with a redirect (to `/login`) or a 404 status.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = lang::provide_lang();
    session::provide_me();

    view! {
        <Title formatter=move |page: String| i18n::page_title(&page, lang) />
        <Router>
            <Header />
            <main class="page" data-hydrated="false">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/password") view=PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/orgs") view=OrgsPage ssr=SsrMode::Async />
                    <Route path=path!("/media") view=MediaPage ssr=SsrMode::Async />
                    <Route path=path!("/courses") view=CatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:id") view=CoursePage ssr=SsrMode::Async />
                    <Route path=path!("/lessons/:id") view=LessonPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/courses") view=ManageCoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/courses/:id") view=CourseEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/exams") view=ManageExamsPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/exams/:id") view=ManageExamPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/banks/:id") view=BankPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/classes") view=ManageClassesPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/classes/:id") view=ClassDeskPage ssr=SsrMode::Async />
                    <Route path=path!("/classes") view=MyClassesPage ssr=SsrMode::Async />
                    <Route path=path!("/classes/:id") view=MyClassPage ssr=SsrMode::Async />
                    <Route path=path!("/verify/:serial") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/notices") view=NoticesPage ssr=SsrMode::Async />
                    <Route path=path!("/notices/:id") view=NoticePage ssr=SsrMode::Async />
                    <Route path=path!("/manage/notices") view=ManageNoticesPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/discussion") view=ManageDiscussionPage ssr=SsrMode::Async />
                    <Route path=path!("/suggestions") view=SuggestionsPage ssr=SsrMode::Async />
                    <Route path=path!("/manage/suggestions") view=ManageSuggestionsPage ssr=SsrMode::Async />
                    <Route path=path!("/learning") view=LearningPage ssr=SsrMode::Async />
                    <Route path=path!("/exams") view=MyExamsPage ssr=SsrMode::Async />
                    <Route path=path!("/exams/:id") view=ExamPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings") view=MeetingsPage ssr=SsrMode::Async />
                    <Route path=path!("/meetings/:id") view=MeetingPage ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/assignments") view=AssignmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/assignments/:id") view=AssignmentPage ssr=SsrMode::Async />
                    <Route path=path!("/reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("/reports/people/:id") view=PersonReportPage ssr=SsrMode::Async />
                    <Route path=path!("/reports/snapshots") view=SnapshotsPage ssr=SsrMode::Async />
                    <Route path=path!("/reports/snapshots/:id") view=SnapshotPage ssr=SsrMode::Async />
                </Routes>
                <HydrationMark />
            </main>
        </Router>
    }
}

/// Marks `<main>` with `data-hydrated="true"` once the page's islands are
/// live (tests wait for it). The browser hydrates islands one after another
/// in document order, waiting for each lazy island's chunk to load, and this
/// one comes last.
#[island]
fn HydrationMark() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(main) = document().query_selector("main").ok().flatten() {
            let _ = main.set_attribute("data-hydrated", "true");
        }
    });
}

/// The browser's entry point: Leptos's island script then hydrates each
/// `<leptos-island>` of the server-rendered page, in document order.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
