//! Files attached to a notice: download links (name and size) for everyone
//! who sees it; for those who manage it while its files may still change
//! (an ordinary notice while published, a 党务公开 item while proposed or
//! sent back) an upload with its progress in percent and a remove button.
//!
//! The file goes straight to the REST API as the body of
//! `PUT /api/v1/notices/{id}/attachments?name=`, through `XMLHttpRequest`
//! (the media page's transport), which reports upload progress; then the
//! list is read again with the notice.

use courses::course::AttachmentView;
use courses::notice::{NoticeState, NoticeView};
use courses::Lang;
use leptos::prelude::*;

use crate::i18n::manage::file_progress;
use crate::i18n::notices::NoticeText as T;
use crate::i18n::study::file_size;
use crate::lang::use_lang;

/// Largest file the server takes (`MAX_NOTICE_ATTACHMENT_BYTES`): refused
/// here before a weak link spends minutes sending it.
const MAX_BYTES: f64 = 50.0 * 1024.0 * 1024.0;

/// Whether the files of a notice the caller organizes may still change.
pub(super) fn changeable(notice: &NoticeView) -> bool {
    match notice.state {
        NoticeState::Proposed | NoticeState::Rejected => true,
        NoticeState::Published => !notice.openness,
        NoticeState::Reviewed | NoticeState::Withdrawn => false,
    }
}

/// One attachment: its download link and size.
fn link(a: &AttachmentView) -> impl IntoView {
    view! {
        <a class="attachment-link" href=a.url.clone() download=a.file_name.clone() rel="external">{a.file_name.clone()}</a>
        " " <span class="muted small">{file_size(a.size_bytes)}</span>
    }
}

/// The attachments for readers (nothing when there are none).
#[component]
pub(super) fn Attachments(list: Vec<AttachmentView>) -> impl IntoView {
    let lang = use_lang();
    (!list.is_empty()).then(|| {
        view! {
            <section class="card attachments" id="notice-attachments">
                <h2>{T::Attachments.get(lang)}</h2>
                <ul id="notice-attachment-list">
                    {list.iter().map(|a| view! { <li data-attachment-id=a.id>{link(a)}</li> }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The file being sent, or the last one sent.
#[derive(Debug, Clone, PartialEq)]
struct Sending {
    name: String,
    sent: u64,
    total: u64,
    /// `None` while sending; then `Ok` or the message why it failed.
    result: Option<Result<(), String>>,
}

impl Sending {
    fn percent(&self) -> u8 {
        match (&self.result, self.total) {
            (Some(Ok(())), _) => 100,
            (_, 0) => 0,
            _ => (self.sent.min(self.total) * 100 / self.total) as u8,
        }
    }
}

/// The attachments with `button[data-action=remove-attachment]` each, and
/// `input#notice-attachment-file`, whose progress is
/// `#notice-attachment-progress` (`data-state`, `data-percent`).
#[island(lazy)]
pub(super) fn NoticeFiles(id: i64, csrf: String, attachments: Vec<AttachmentView>) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let list = RwSignal::new(attachments);
    let sending = RwSignal::new(None::<Sending>);
    let error = RwSignal::new(None::<crate::api::AppError>);
    let live = crate::components::live::use_live();
    let busy = move || sending.with(|s| s.as_ref().is_some_and(|s| s.result.is_none()));

    // Reads the list again, as the notice now has it.
    let reload = move || {
        leptos::task::spawn_local(async move {
            match super::api::open_notice(id).await {
                Ok(n) => drop(list.try_set(n.attachments)),
                Err(e) => drop(error.try_set(Some(e))),
            }
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let file = input.files().and_then(|f| f.get(0));
        input.set_value("");
        let Some(file) = file else { return };
        error.set(None);
        if file.size() > MAX_BYTES {
            sending.set(Some(Sending {
                name: file.name(),
                sent: 0,
                total: 0,
                result: Some(Err(T::TooLarge.get(lang).to_owned())),
            }));
            return;
        }
        upload(id, csrf, file, sending, reload, lang);
    };
    let remove = move |aid: i64| {
        error.set(None);
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/notices/{id}/attachments/{aid}");
            let csrf = csrf.try_get_value().unwrap_or_default();
            match crate::rest::call_empty(crate::rest::Method::Delete, &url, &csrf, None::<&()>).await {
                Ok(()) => {
                    list.try_update(|l| l.retain(|a| a.id != aid));
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
        });
    };
    let items = move || {
        list.get()
            .into_iter()
            .map(|a| {
                let aid = a.id;
                view! {
                    <li data-attachment-id=aid>
                        {link(&a)}
                        " "
                        <button type="button" class="small danger" data-action="remove-attachment"
                            disabled=move || !live.get() on:click=move |_| remove(aid)>
                            {T::RemoveAttachment.get(lang)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let progress = move || {
        sending.get().map(|s| {
            let pct = s.percent();
            let state = match &s.result {
                None => "sending",
                Some(Ok(())) => "done",
                Some(Err(_)) => "failed",
            };
            let failure = match &s.result {
                Some(Err(message)) => Some(view! { <p class="notice error" role="alert">{message.clone()}</p> }),
                _ => None,
            };
            view! {
                <div class="upload-progress" id="notice-attachment-progress" data-state=state data-percent=pct>
                    <progress max="100" value=pct></progress>
                    <span class="small">{file_progress(&s.name, pct, lang)}</span>
                </div>
                {failure}
            }
        })
    };
    view! {
        <section class="card attachments" id="notice-attachments">
            <h2>{T::Attachments.get(lang)}</h2>
            <ul id="notice-attachment-list">{items}</ul>
            <label>
                {T::AddAttachment.get(lang)}
                <input type="file" id="notice-attachment-file" aria-describedby="notice-attachment-help"
                    disabled=move || busy() || !live.get() on:change=on_change />
            </label>
            <p class="muted small" id="notice-attachment-help">{T::AttachmentHelp.get(lang)}</p>
            {progress}
            {move || error.get().map(|error| view! { <crate::components::notice::ErrorNotice error /> })}
        </section>
    }
}

/// `PUT`s `file` as the notice's new attachment, showing its progress, and
/// reads the list again once it is stored.
fn upload(
    id: i64,
    csrf: StoredValue<String>,
    file: web_sys::File,
    sending: RwSignal<Option<Sending>>,
    reload: impl Fn() + 'static,
    lang: Lang,
) {
    #[cfg(feature = "hydrate")]
    {
        use std::rc::Rc;

        use crate::pages::media::transport::{put_part, Control, Fail};
        use crate::session::encode_query_value;

        let total = file.size().max(0.0) as u64;
        sending.set(Some(Sending { name: file.name(), sent: 0, total, result: None }));
        let progress: Rc<dyn Fn(u64)> = Rc::new(move |sent| {
            sending.try_update(|s| {
                if let Some(s) = s {
                    s.sent = sent;
                }
            });
        });
        let url = format!("/api/v1/notices/{id}/attachments?name={}", encode_query_value(&file.name()));
        leptos::task::spawn_local(async move {
            let csrf = csrf.try_get_value().unwrap_or_default();
            let sent = put_part(&url, Some(&csrf), &file, &Control::default(), progress, lang).await;
            let result = sent.map_err(|fail| match fail {
                Fail::Transient(m) | Fail::Refused(_, m) => m,
                Fail::Stopped(_) => String::new(),
            });
            let ok = result.is_ok();
            sending.try_update(|s| {
                if let Some(s) = s {
                    s.result = Some(result);
                }
            });
            if ok {
                reload();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, csrf, file, sending, reload, lang);
}
