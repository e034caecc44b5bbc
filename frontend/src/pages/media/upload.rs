//! The upload form: target org, file, progress bar, pause/continue and
//! cancel, plus the caller's unfinished uploads from an earlier visit.
//!
//! The page starts the browser-side [`client`](super::client) and mirrors
//! its reports in signals. Choosing a file that has a remembered unfinished
//! upload continues it at once; any other file waits for "开始上传".

use courses::directory::{Me, OrgNode};
use courses::media::UploadStatus;
use courses::OrgId;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::plan::{human_bytes, percent};
use super::runner::{chosen_file, discard, resumable, start, stop, BrowserStorage, ChosenFile, Handle};
use super::MediaPageState;
use crate::components::notice::ErrorNotice;
use crate::i18n::{open_upload_line, upload_progress_text, Text};
use crate::lang::use_lang;
use crate::pages::orgs::tree::tree_order;

/// Where the current upload is. Only the browser moves past `Idle`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Phase {
    Idle,
    Preparing,
    Sending,
    Completing,
    Paused,
    Done,
    Cancelled,
    Failed(String),
}

impl Phase {
    /// An upload is running (its loop is alive).
    fn running(&self) -> bool {
        matches!(self, Phase::Preparing | Phase::Sending | Phase::Completing)
    }
}

/// The signals the upload reports into.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy)]
pub(super) struct UploadUi {
    pub phase: RwSignal<Phase>,
    pub sent: RwSignal<u64>,
    pub total: RwSignal<u64>,
    /// A passing remark: "continuing from 62 %", "retrying in 4 s".
    pub note: RwSignal<Option<String>>,
    /// The server's id of the current upload, once known.
    pub upload_id: RwSignal<Option<String>>,
    pub control: StoredValue<Option<Handle>, BrowserStorage>,
    /// The chosen file, kept to continue after a pause.
    pub file: StoredValue<Option<ChosenFile>, BrowserStorage>,
    pub csrf: StoredValue<String>,
}

/// The upload form and the list of unfinished uploads. `org` preselects
/// the target node (default: the caller's own).
#[component]
pub(crate) fn UploadSection(me: Me, state: MediaPageState, #[prop(optional)] org: Option<OrgId>) -> impl IntoView {
    let lang = use_lang();
    let ui = UploadUi {
        phase: RwSignal::new(Phase::Idle),
        sent: RwSignal::new(0),
        total: RwSignal::new(0),
        note: RwSignal::new(None),
        upload_id: RwSignal::new(None),
        control: StoredValue::new_with_storage(None),
        file: StoredValue::new_with_storage(None),
        csrf: StoredValue::new(me.csrf_token.clone()),
    };
    let file_input = NodeRef::<html::Input>::new();
    let org_select = NodeRef::<html::Select>::new();
    let own_org = org.unwrap_or(me.org_id);

    let chosen_org =
        move || org_select.get_untracked().and_then(|s| s.value().parse::<i64>().ok()).map(OrgId).unwrap_or(own_org);
    let chosen_file = move || chosen_file(file_input);
    let begin = move |file: ChosenFile| start(file, chosen_org(), lang, ui, state);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if ui.phase.get_untracked().running() {
            return;
        }
        match chosen_file() {
            Some(file) => begin(file),
            None => ui.phase.set(Phase::Failed(Text::ChooseFileFirst.get(lang).to_owned())),
        }
    };
    // Choosing a file with a remembered unfinished upload continues it.
    let on_change = move |_| {
        if ui.phase.get_untracked().running() {
            return;
        }
        ui.phase.set(Phase::Idle);
        ui.note.set(None);
        if let Some(file) = chosen_file().filter(resumable) {
            begin(file);
            ui.note.set(Some(Text::UploadWillResume.get(lang).to_owned()));
        }
    };
    let on_pause = move |_| match ui.phase.get_untracked() {
        Phase::Paused => {
            if let Some(file) = ui.file.get_value() {
                begin(file);
            }
        }
        phase if phase.running() => stop(ui, false),
        _ => {}
    };
    let on_cancel = move |_| {
        if ui.phase.get_untracked().running() {
            stop(ui, true);
        } else if ui.phase.get_untracked() == Phase::Paused {
            if let Some(id) = ui.upload_id.get_untracked() {
                discard(id, lang, ui, state);
            }
        }
    };

    // A finished file leaves the input, so it is not sent twice by mistake.
    Effect::new(move |_| {
        if ui.phase.with(|p| *p == Phase::Done) {
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
        }
    });

    let busy = move || ui.phase.with(Phase::running);
    let tree = state.tree;
    // The whole <select> waits for the nodes: markers inside a <select>
    // are easy for the HTML parser to mangle.
    let org_select_view = move || {
        Suspend::new(async move {
            let options = org_options(&tree.await.unwrap_or_default(), own_org);
            view! {
                <select id="upload-org" name="org_id" node_ref=org_select disabled=busy>
                    {options}
                </select>
            }
        })
    };

    view! {
        <section class="card upload-card" id="upload-section">
            <h2>{Text::UploadHeading.get(lang)}</h2>
            <p class="muted small">{Text::UploadHelp.get(lang)}</p>
            <OpenUploads ui state />
            <form id="upload-form" on:submit=on_submit>
                <label>
                    {Text::UploadOrg.get(lang)}
                    <Transition fallback=|| ()>{org_select_view}</Transition>
                </label>
                <label>
                    {Text::UploadFile.get(lang)}
                    <input
                        type="file"
                        id="upload-file"
                        name="file"
                        required
                        accept="video/*,audio/*,.ppt,.pptx,.odp,.pdf"
                        node_ref=file_input
                        disabled=busy
                        on:change=on_change
                    />
                </label>
                <div class="upload-buttons">
                    <button type="submit" id="upload-start" disabled=busy>
                        {Text::UploadStart.get(lang)}
                    </button>
                    <button
                        type="button"
                        id="upload-pause"
                        class="secondary"
                        disabled=move || !(busy() || ui.phase.with(|p| *p == Phase::Paused))
                        on:click=on_pause
                    >
                        {move || {
                            if ui.phase.with(|p| *p == Phase::Paused) {
                                Text::UploadContinue.get(lang)
                            } else {
                                Text::UploadPause.get(lang)
                            }
                        }}
                    </button>
                    <button
                        type="button"
                        id="upload-cancel"
                        class="danger"
                        disabled=move || !(busy() || ui.phase.with(|p| *p == Phase::Paused))
                        on:click=on_cancel
                    >
                        {Text::UploadCancel.get(lang)}
                    </button>
                </div>
            </form>
            <UploadStatusView ui />
        </section>
    }
}

/// The org nodes as options, indented by depth; the caller's own selected.
fn org_options(nodes: &[OrgNode], own: OrgId) -> impl IntoView {
    tree_order(nodes)
        .into_iter()
        .map(|(depth, node)| {
            // Full-width spaces indent the same in every CJK font.
            let label = format!("{}{}", "\u{3000}".repeat(depth), node.name);
            view! {
                <option value=node.id.to_string() selected=node.id == own title=node.name_path.clone()>
                    {label}
                </option>
            }
        })
        .collect_view()
}

/// The progress bar and what is happening, once an upload has begun.
#[component]
fn UploadStatusView(ui: UploadUi) -> impl IntoView {
    let lang = use_lang();
    move || {
        let phase = ui.phase.get();
        if phase == Phase::Idle {
            return None;
        }
        let (sent, total) = (ui.sent.get(), ui.total.get());
        let pct = percent(sent, total);
        let headline = match &phase {
            Phase::Idle | Phase::Sending => None,
            Phase::Preparing => Some(Text::UploadPreparing.get(lang).to_owned()),
            Phase::Completing => Some(Text::UploadCompleting.get(lang).to_owned()),
            Phase::Paused => Some(Text::UploadPaused.get(lang).to_owned()),
            Phase::Done => Some(Text::UploadDone.get(lang).to_owned()),
            Phase::Cancelled => Some(Text::UploadCancelled.get(lang).to_owned()),
            Phase::Failed(message) => Some(message.clone()),
        };
        let class = match phase {
            Phase::Failed(_) => "notice error",
            Phase::Done => "notice success",
            Phase::Paused | Phase::Cancelled => "notice warning",
            _ => "notice",
        };
        let role = if matches!(phase, Phase::Failed(_)) { "alert" } else { "status" };
        // A progress bar only makes sense for a file that was not refused up front.
        let bar = (total > 0 || matches!(phase, Phase::Done)).then(|| {
            let max = total.max(1);
            let value = if matches!(phase, Phase::Done) { max } else { sent.min(max) };
            view! {
                <div class="upload-progress">
                    <progress id="upload-progress" max=max.to_string() value=value.to_string()></progress>
                    <span id="upload-percent" class="small">
                        {upload_progress_text(percent(value, max), &human_bytes(sent.min(total)), &human_bytes(total))}
                    </span>
                </div>
            }
        });
        let data_pct = pct.to_string();
        Some(view! {
            <div id="upload-status" data-phase=phase_code(&phase) data-percent=data_pct aria-live="polite">
                {bar}
                {ui.note.get().map(|note| view! { <p class="muted small" id="upload-note">{note}</p> })}
                {headline.map(|text| view! { <p class=class role=role id="upload-message">{text}</p> })}
            </div>
        })
    }
}

fn phase_code(phase: &Phase) -> &'static str {
    match phase {
        Phase::Idle => "idle",
        Phase::Preparing => "preparing",
        Phase::Sending => "sending",
        Phase::Completing => "completing",
        Phase::Paused => "paused",
        Phase::Done => "done",
        Phase::Cancelled => "cancelled",
        Phase::Failed(_) => "failed",
    }
}

/// The caller's unfinished uploads, other than the one running now.
#[component]
fn OpenUploads(ui: UploadUi, state: MediaPageState) -> impl IntoView {
    let open = state.open;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(list) => Either::Left(view! { <OpenUploadList list ui state /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

/// The list itself; nothing when there is nothing to resume.
#[component]
fn OpenUploadList(list: Vec<UploadStatus>, ui: UploadUi, state: MediaPageState) -> impl IntoView {
    let lang = use_lang();
    let items = list
        .into_iter()
        .map(|upload| {
            let id = upload.id.clone();
            let hidden = {
                let id = id.clone();
                move || {
                    ui.upload_id.with(|current| current.as_deref() == Some(id.as_str()))
                        && ui.phase.with(|p| *p != Phase::Idle)
                }
            };
            let line = open_upload_line(upload.file_name.as_str(), percent(upload.bytes_received, upload.size), lang);
            let discard_id = id.clone();
            view! {
                <li data-upload-id=id class:hidden=hidden>
                    <span>{line}</span>
                    <button
                        type="button"
                        class="small secondary"
                        data-action="discard"
                        on:click=move |_| discard(discard_id.clone(), lang, ui, state)
                    >
                        {Text::Discard.get(lang)}
                    </button>
                </li>
            }
        })
        .collect::<Vec<_>>();
    (!items.is_empty()).then(|| view! { <ul class="open-uploads notice warning" id="open-uploads">{items}</ul> })
}
