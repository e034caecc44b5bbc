//! `/manage/courses/{id}`: the page and its layout. On phones the cards
//! stack; on wide screens the structure sits beside the tools that feed it.

use crate::loaded::page_data;
use courses::course::CourseView;
use courses::directory::Me;
use courses::OrgId;
use leptos::prelude::*;
use leptos_meta::Title;

use super::add_lesson::{AddLessonCard, MaterialProgress};
use super::api::CourseEdit;
use super::discussion::DiscussionCard;
use super::files::{CoverField, UploadStatus};
use super::settings::SettingsCard;
use super::structure::StructureCard;
use super::{refusal, Ed};
use crate::api::get_course;
use crate::components::notice::{ActionStatus, ErrorNotice};
use crate::i18n::manage::ManageText as T;
use crate::lang::use_lang;
use crate::pages::media::{MediaPageState, MediaSeed, UploadSection};
use crate::pages::not_found::NotFoundPage;
use crate::session::require_me;

#[component]
pub fn CourseEditorPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let course = page_data(move || id.get(), get_course);
    view! {
        <Title text=T::Title.get(lang) />
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            match course.await {
                                Ok(course) if course.can_manage => {
                                    let seed = MediaSeed::load().await;
                                    view! { <Editor course me seed /> }.into_any()
                                }
                                Err(error) if error.0.code != "not_found" => view! { <ErrorNotice error /> }.into_any(),
                                // Outside the caller's scope: as if it did not exist.
                                _ => view! { <NotFoundPage /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        })}
    }
}

/// The editor, as an island.
#[island(lazy)]
fn Editor(course: CourseView, me: Me, seed: MediaSeed) -> impl IntoView {
    let lang = use_lang();
    // The material library and the org tree, as the media page loads them:
    // the upload form, the lesson source and the audience use them.
    let media = MediaPageState::new(seed);
    let org = OrgId(course.org_id);
    let ed = Ed::new(course, me.csrf_token.clone(), lang);
    view! {
        <nav class="crumbs">
            <a href="/manage/courses">{T::BackToList.get(lang)}</a>
        </nav>
        <h1 id="editor-title">{move || ed.course.with(|c| c.title.clone())}</h1>
        <div class="editor">
            <div class="editor-main">
                <SettingsCard ed tree=media.tree />
                <StructureCard ed />
            </div>
            <div class="editor-side">
                <PublishCard ed />
                <DiscussionCard ed />
                <AddLessonCard ed media />
                <UploadSection me org state=media />
                <p class="muted small">{T::MaterialHelp.get(lang)}</p>
                <MaterialProgress media />
            </div>
        </div>
        <div class="editor-status" id="editor-status" aria-live="polite">
            <UploadStatus ed />
            <ActionStatus outcome=ed.outcome />
            {move || {
                (ed.outcome.with(Option::is_some) || ed.upload.with(Option::is_some))
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="small secondary"
                                id="status-close"
                                on:click=move |_| {
                                    ed.outcome.set(None);
                                    if !ed.upload.with_untracked(|u| u.as_ref().is_some_and(|u| u.sending())) {
                                        ed.upload.set(None);
                                    }
                                }
                            >
                                {T::Close.get(lang)}
                            </button>
                        }
                    })
            }}
        </div>
    }
}

/// Published or not, the switch, a link to the course as members see it,
/// and the cover.
#[component]
fn PublishCard(ed: Ed) -> impl IntoView {
    let lang = ed.lang;
    let published = Memo::new(move |_| ed.course.with(|c| c.published));
    let toggle = move |_| ed.edit(CourseEdit::Publish(!published.get_untracked()), T::Saved);
    view! {
        <section class="card" id="publishing">
            <h2>{T::Publishing.get(lang)}</h2>
            <p>
                <span class=move || if published.get() { "tag success" } else { "tag" } id="publish-state">
                    {move || if published.get() { T::Published } else { T::Unpublished }.get(lang)}
                </span>
                " "
                <span class="muted small">
                    {move || if published.get() { T::PublishedHint } else { T::UnpublishedHint }.get(lang)}
                </span>
            </p>
            <div class="links">
                <button
                    type="button"
                    id="publish-toggle"
                    class=move || if published.get() { "secondary" } else { "" }
                    data-published=move || published.get().to_string()
                    disabled=ed.waiting_or(false)
                    on:click=toggle
                >
                    {move || if published.get() { T::Unpublish } else { T::Publish }.get(lang)}
                </button>
                <a class="button secondary" id="course-preview" href=move || format!("/courses/{}", ed.id())>
                    {T::PreviewCourse.get(lang)}
                </a>
            </div>
            <CoverField ed />
        </section>
    }
}
