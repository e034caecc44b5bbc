//! One lesson in the outline: its place (up/down), its kind, a preview
//! link, and behind "编辑" its tools: title, article text, captions,
//! attachments, deletion.

use courses::course::{LessonEdit, LessonView};
use courses::progress::LessonKind;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::api::CourseEdit;
use super::files::{chosen, delete_file, put_file, After};
use super::structure::move_buttons;
use super::{confirmed, Ed};
use crate::i18n::manage::{confirm_delete, ManageText as T};
use crate::i18n::study::kind_name;
use crate::session::encode_query_value;

/// Which ways an item can move.
#[derive(Debug, Clone, Copy)]
pub(super) struct Moves {
    pub up: bool,
    pub down: bool,
}

#[component]
pub(super) fn LessonRow(ed: Ed, lesson: LessonView, moves: Moves) -> impl IntoView {
    let lang = ed.lang;
    let LessonView { id, kind, title, .. } = lesson.clone();
    let timed = matches!(kind, LessonKind::Video | LessonKind::Audio);
    let kind_tag = if lesson.slides_media_id.is_some() { T::Mixed.get(lang) } else { kind_name(kind, lang) };
    let captions_tag =
        lesson.has_captions.then(|| view! { <span class="tag success captions-tag">{T::HasCaptions.get(lang)}</span> });
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        if open {
            ed.open.set(Some(id));
            ed.load_attachments(id);
        } else if ed.open.get_untracked() == Some(id) {
            ed.open.set(None);
        }
    };

    let name = NodeRef::<html::Input>::new();
    let text = NodeRef::<html::Textarea>::new();
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let title = name.get_untracked().map(|i| i.value()).unwrap_or_default();
        // Only an article's own form sends text; an empty box keeps it.
        let article = text.get_untracked().map(|t| t.value()).filter(|t| !t.trim().is_empty());
        ed.edit(CourseEdit::EditLesson(id, LessonEdit { title, article }), T::Saved);
    };
    let article_field = (kind == LessonKind::Article).then(|| {
        view! {
            <label>
                {T::ArticleText.get(lang)}
                <textarea
                    rows="8"
                    data-field="article"
                    placeholder=T::ArticleReplace.get(lang)
                    node_ref=text
                    prop:value=move || {
                        ed.articles.with(|all| all.iter().find(|(l, _)| *l == id).map(|(_, t)| t.clone()))
                    }
                ></textarea>
            </label>
            <p class="muted small">{T::ArticleHelp.get(lang)}</p>
        }
    });
    let captions = timed.then(|| {
        let url = format!("/api/v1/lessons/{id}/captions.vtt");
        let remove_url = url.clone();
        let remove = lesson.has_captions.then(|| {
            view! {
                <button
                    type="button"
                    class="small danger"
                    data-action="remove-captions"
                    on:click=move |_| delete_file(ed, remove_url.clone(), After::Course)
                >
                    {T::RemoveCaptions.get(lang)}
                </button>
            }
        });
        view! {
            <label>
                {T::UploadCaptions.get(lang)}
                <input
                    type="file"
                    accept=".vtt,text/vtt"
                    data-action="captions"
                    on:change=move |ev| {
                        if let Some(file) = chosen(&ev) {
                            put_file(ed, url.clone(), file, After::Course);
                        }
                    }
                />
            </label>
            {remove}
        }
    });
    let question = confirm_delete(&title, false, lang);
    let delete = move |_| {
        if confirmed(&question) {
            ed.edit(CourseEdit::DeleteLesson(id), T::Deleted);
        }
    };

    view! {
        <li class="outline-lesson" data-lesson-id=id data-kind=kind.as_str()>
            <div class="row">
                {move_buttons(ed, false, id, &title, moves)}
                <span class="lesson-name">{title.clone()}</span>
                <span class="tag">{kind_tag}</span>
                {captions_tag}
                <a href=format!("/lessons/{id}") class="small" data-action="preview">
                    {T::Preview.get(lang)}
                </a>
            </div>
            <details class="row-tools" open=ed.open.get_untracked() == Some(id) on:toggle=on_toggle>
                <summary>{T::Edit.get(lang)}</summary>
                <form class="lesson-form" data-action="edit-lesson" on:submit=save>
                    <label>
                        {T::LessonTitle.get(lang)}
                        <input type="text" required maxlength="200" value=title data-field="title" node_ref=name />
                    </label>
                    {article_field}
                    <button type="submit" class="small" disabled=ed.waiting_or(false)>
                        {if kind == LessonKind::Article { T::SaveArticle } else { T::Rename }.get(lang)}
                    </button>
                </form>
                {captions}
                <Attachments ed lesson=id />
                <button type="button" class="small danger" data-action="delete-lesson" on:click=delete>
                    {T::Delete.get(lang)}
                </button>
            </details>
        </li>
    }
}

/// The open lesson's attachments, each deletable, and the input that adds one.
#[component]
fn Attachments(ed: Ed, lesson: i64) -> impl IntoView {
    let lang = ed.lang;
    // Loaded when the tools open; "none" shows only once known.
    let none = move || ed.attachments.with(|all| all.iter().any(|(l, list)| *l == lesson && list.is_empty()));
    let list = move || {
        ed.attachments.with(|all| match all.iter().find(|(l, _)| *l == lesson) {
            Some((_, list)) => list
                .iter()
                .map(|a| {
                    let url = format!("/api/v1/lessons/{lesson}/attachments/{}", a.id);
                    view! {
                        <li data-attachment-id=a.id>
                            <a href=a.url.clone() rel="external">{a.file_name.clone()}</a>
                            <button
                                type="button"
                                class="small danger"
                                data-action="delete-attachment"
                                on:click=move |_| delete_file(ed, url.clone(), After::Attachments(lesson))
                            >
                                {T::Delete.get(lang)}
                            </button>
                        </li>
                    }
                })
                .collect_view(),
            None => Vec::new(),
        })
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(file) = chosen(&ev) {
            let url = format!("/api/v1/lessons/{lesson}/attachments?name={}", encode_query_value(&file.name()));
            put_file(ed, url, file, After::Attachments(lesson));
        }
    };
    view! {
        <div class="editor-attachments">
            <h4>{T::Attachments.get(lang)}</h4>
            <p
                class="muted small"
                hidden=move || !none()
            >
                {T::NoAttachments.get(lang)}
            </p>
            <ul class="attachment-list">{list}</ul>
            <label>
                {T::UploadAttachment.get(lang)}
                <input type="file" data-action="attachment" on:change=on_change />
            </label>
        </div>
    }
}
