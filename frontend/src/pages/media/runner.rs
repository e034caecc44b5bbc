//! Connects the upload form to the browser-side client: starts a run whose
//! reports land in the form's signals, pauses or cancels it, abandons an
//! unfinished upload. Events only happen in the browser, so on the server
//! these are empty.
//!
//! Signals are written with `try_*`: an upload may finish after the person
//! has left the page, when they no longer exist.

use courses::{Lang, OrgId};

use super::upload::UploadUi;
use super::MediaPageState;

/// The running upload's controls (browser only).
#[cfg(feature = "hydrate")]
pub type Handle = std::rc::Rc<super::transport::Control>;
#[cfg(not(feature = "hydrate"))]
pub type Handle = ();

/// The file the person chose (browser only; a stand-in on the server).
#[cfg(feature = "hydrate")]
pub type ChosenFile = web_sys::File;
#[cfg(not(feature = "hydrate"))]
pub type ChosenFile = ();

/// Storage for the browser-only values above. In the browser they are JS
/// objects, kept in thread-local storage. On the server a page is rendered
/// (and its reactive owners dropped) on whichever thread runs the task, so
/// thread-local storage would panic there: the stand-ins are plain values in
/// thread-safe storage.
#[cfg(feature = "hydrate")]
pub type BrowserStorage = leptos::prelude::LocalStorage;
#[cfg(not(feature = "hydrate"))]
pub type BrowserStorage = leptos::prelude::SyncStorage;

/// The file selected in `input`, if any.
#[cfg(feature = "hydrate")]
pub fn chosen_file(input: leptos::prelude::NodeRef<leptos::html::Input>) -> Option<ChosenFile> {
    use leptos::prelude::GetUntracked;
    input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0))
}

#[cfg(not(feature = "hydrate"))]
pub fn chosen_file(_input: leptos::prelude::NodeRef<leptos::html::Input>) -> Option<ChosenFile> {
    None
}

/// Uploads `file` into `org` (or continues its remembered upload).
#[cfg(feature = "hydrate")]
pub fn start(file: web_sys::File, org: OrgId, lang: Lang, ui: UploadUi, state: MediaPageState) {
    use std::cell::Cell;
    use std::rc::Rc;

    use leptos::prelude::*;

    use super::client::{self, Job, Outcome, Report};
    use super::plan::percent;
    use super::transport::Control;
    use super::upload::Phase;
    use crate::i18n::{upload_resumed, upload_retrying};

    let control = Rc::new(Control::default());
    ui.control.set_value(Some(Rc::clone(&control)));
    ui.file.set_value(Some(file.clone()));
    ui.phase.set(Phase::Preparing);
    ui.note.set(None);
    ui.sent.set(0);
    ui.total.set(file.size().max(0.0) as u64);

    // Set while a retry note is showing, so the next progress clears it.
    let retrying = Rc::new(Cell::new(false));
    let report: Rc<dyn Fn(Report)> = Rc::new(move |report| match report {
        Report::Started { status, resumed } => {
            if resumed {
                let done = percent(status.bytes_received, status.size);
                ui.note.try_set(Some(upload_resumed(done, lang)));
            }
            ui.upload_id.try_set(Some(status.id));
            ui.phase.try_set(Phase::Sending);
        }
        Report::Progress { sent, total } => {
            ui.sent.try_set(sent);
            ui.total.try_set(total);
            if retrying.replace(false) {
                ui.note.try_set(None);
            }
        }
        Report::Retrying { attempt, wait_ms, message } => {
            retrying.set(true);
            ui.note.try_set(Some(upload_retrying(attempt, wait_ms, &message, lang)));
        }
        Report::Completing => {
            ui.phase.try_set(Phase::Completing);
        }
    });

    let job = Job { file, org_id: org, csrf: ui.csrf.get_value(), lang, control, report };
    leptos::task::spawn_local(async move {
        let outcome = client::run(job).await;
        ui.control.try_set_value(None);
        let phase = match outcome {
            Outcome::Done => {
                ui.file.try_set_value(None);
                ui.note.try_set(None);
                state.reload();
                Phase::Done
            }
            Outcome::Paused => Phase::Paused,
            Outcome::Cancelled => {
                ui.file.try_set_value(None);
                ui.upload_id.try_set(None);
                ui.note.try_set(None);
                Phase::Cancelled
            }
            Outcome::Failed(message) => Phase::Failed(message),
        };
        ui.phase.try_set(phase);
        state.reload_uploads();
    });
}

/// Pauses (or, with `cancel`, abandons) the running upload.
#[cfg(feature = "hydrate")]
pub fn stop(ui: UploadUi, cancel: bool) {
    use leptos::prelude::*;

    use super::transport::Stop;

    ui.control.with_value(|control| {
        if let Some(control) = control {
            control.request(if cancel { Stop::Cancel } else { Stop::Pause });
        }
    });
}

/// Abandons the unfinished upload `id` (not running now).
#[cfg(feature = "hydrate")]
pub fn discard(id: String, lang: Lang, ui: UploadUi, state: MediaPageState) {
    use leptos::prelude::*;

    use super::upload::Phase;

    let csrf = ui.csrf.get_value();
    leptos::task::spawn_local(async move {
        match super::client::abandon(&id, &csrf, lang).await {
            Ok(()) => {
                if ui.upload_id.try_get_untracked().flatten().as_deref() == Some(id.as_str()) {
                    ui.file.try_set_value(None);
                    ui.upload_id.try_set(None);
                    ui.phase.try_set(Phase::Cancelled);
                }
            }
            Err(message) => {
                ui.phase.try_set(Phase::Failed(message));
            }
        }
        state.reload_uploads();
    });
}

/// Whether `file` has an unfinished upload remembered in this browser.
#[cfg(feature = "hydrate")]
pub fn resumable(file: &web_sys::File) -> bool {
    super::client::has_stored_upload(file)
}

#[cfg(not(feature = "hydrate"))]
pub fn start(_file: ChosenFile, _org: OrgId, _lang: Lang, _ui: UploadUi, _state: MediaPageState) {}

#[cfg(not(feature = "hydrate"))]
pub fn stop(_ui: UploadUi, _cancel: bool) {}

#[cfg(not(feature = "hydrate"))]
pub fn discard(_id: String, _lang: Lang, _ui: UploadUi, _state: MediaPageState) {}

#[cfg(not(feature = "hydrate"))]
pub fn resumable(_file: &ChosenFile) -> bool {
    false
}
