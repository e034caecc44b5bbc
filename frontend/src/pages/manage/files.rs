//! Files of a course sent straight to the REST API: the cover
//! (`PUT /api/v1/courses/{id}/cover`), captions (`PUT|DELETE
//! /api/v1/lessons/{id}/captions.vtt`) and attachments (`PUT
//! /api/v1/lessons/{id}/attachments?name=`, `DELETE …/attachments/{aid}`).
//!
//! The body is the chosen file itself, sent with `XMLHttpRequest` through
//! the media page's transport so its upload progress shows in the editor's
//! status line. Only the browser sends anything.

use leptos::prelude::*;

use super::Ed;
use crate::i18n::manage::{file_progress, ManageText as T};

/// The file being sent, or the last one sent.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FileUpload {
    pub name: String,
    pub sent: u64,
    pub total: u64,
    /// `None` while sending; then `Ok` or the reason it failed.
    pub result: Option<Result<(), String>>,
}

impl FileUpload {
    pub fn sending(&self) -> bool {
        self.result.is_none()
    }

    fn percent(&self) -> u8 {
        match (&self.result, self.total) {
            (Some(Ok(())), _) => 100,
            (_, 0) => 0,
            _ => (self.sent.min(self.total) * 100 / self.total) as u8,
        }
    }
}

/// What to load again once a file is stored.
#[derive(Debug, Clone, Copy)]
pub(super) enum After {
    Course,
    Attachments(i64),
}

impl After {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn run(self, ed: Ed) {
        match self {
            After::Course => ed.reload(),
            After::Attachments(lesson) => ed.load_attachments(lesson),
        }
    }
}

/// The first file chosen in the `<input type=file>` an event came from;
/// the input is emptied so the same file can be chosen again.
pub(super) fn chosen(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = event_target::<web_sys::HtmlInputElement>(ev);
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

/// `PUT`s `file` as the body of `url`, showing its progress.
pub(super) fn put_file(ed: Ed, url: String, file: web_sys::File, after: After) {
    #[cfg(feature = "hydrate")]
    {
        use std::rc::Rc;

        use crate::pages::media::transport::{put_part, Control, Fail};

        let total = file.size().max(0.0) as u64;
        ed.upload.set(Some(FileUpload { name: file.name(), sent: 0, total, result: None }));
        let progress: Rc<dyn Fn(u64)> = Rc::new(move |sent| {
            ed.upload.try_update(|u| {
                if let Some(u) = u {
                    u.sent = sent;
                }
            });
        });
        leptos::task::spawn_local(async move {
            let control = Control::default();
            let sent = put_part(&url, Some(&ed.csrf.get_value()), &file, &control, progress, ed.lang).await;
            let result = sent.map_err(|fail| match fail {
                Fail::Transient(m) | Fail::Refused(_, m) => m,
                Fail::Stopped(_) => String::new(),
            });
            let ok = result.is_ok();
            ed.upload.try_update(|u| {
                if let Some(u) = u {
                    u.result = Some(result);
                }
            });
            if ok {
                after.run(ed);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ed, url, file, after);
}

/// `DELETE`s `url` (captions, an attachment).
pub(super) fn delete_file(ed: Ed, url: String, after: After) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        use crate::pages::media::transport::{empty, Fail};

        ed.busy.set(true);
        let result = empty::<()>("DELETE", &url, &ed.csrf.get_value(), None, ed.lang).await;
        ed.busy.try_set(false);
        match result {
            Ok(()) => {
                ed.outcome.try_set(Some(Ok(T::Deleted.get(ed.lang).to_owned())));
                after.run(ed);
            }
            Err(Fail::Transient(m) | Fail::Refused(_, m)) => ed.refuse(m),
            Err(Fail::Stopped(_)) => {}
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (ed, url, after);
}

/// The progress bar of the file being sent, then its outcome.
#[component]
pub(super) fn UploadStatus(ed: Ed) -> impl IntoView {
    let lang = ed.lang;
    move || {
        ed.upload.get().map(|u| {
            let pct = u.percent();
            let state = match &u.result {
                None => "sending",
                Some(Ok(())) => "done",
                Some(Err(_)) => "failed",
            };
            let ok = u.result == Some(Ok(()));
            let outcome = match u.result {
                None => None,
                Some(Ok(())) => Some(T::Uploaded.get(lang).to_owned()),
                Some(Err(message)) => Some(message),
            };
            view! {
                <div class="upload-progress" id="file-upload" data-state=state data-percent=pct>
                    <progress max="100" value=pct></progress>
                    <span class="small">{file_progress(&u.name, pct, lang)}</span>
                </div>
                {outcome.map(|text| {
                    view! {
                        <p class=if ok { "notice success" } else { "notice error" } role=if ok { "status" } else { "alert" }>
                            {text}
                        </p>
                    }
                })}
            }
        })
    }
}

/// The cover image and the input that replaces it.
#[component]
pub(super) fn CoverField(ed: Ed) -> impl IntoView {
    let lang = ed.lang;
    let cover = Memo::new(move |_| ed.course.with(|c| c.cover_url.clone()));
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(file) = chosen(&ev) {
            put_file(ed, format!("/api/v1/courses/{}/cover", ed.id()), file, After::Course);
        }
    };
    view! {
        <h3>{T::Cover.get(lang)}</h3>
        <div class="editor-cover" id="cover">
            {move || cover.get().map(|src| view! { <img class="cover" src=src alt=T::Cover.get(lang) /> })}
            <p class="muted small" hidden=move || cover.with(Option::is_some)>
                {T::NoCover.get(lang)}
            </p>
        </div>
        <label>
            {T::UploadCover.get(lang)}
            <input
                type="file"
                id="cover-file"
                accept="image/jpeg,image/png,image/webp"
                aria-describedby="cover-help"
                disabled=move || ed.upload.with(|u| u.as_ref().is_some_and(FileUpload::sending))
                on:change=on_change
            />
        </label>
        <p class="muted small" id="cover-help">{T::CoverHelp.get(lang)}</p>
    }
}
