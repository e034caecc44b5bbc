//! The exam page's browser side: opens (or takes over) the attempt, saves
//! each answer as it is given, and submits.
//!
//! - The page is one *holder* (a token kept in `sessionStorage`, so a
//!   reload is the same page and another tab is another): opening the
//!   attempt from another page takes it over, and the server then refuses
//!   this page's saves.
//! - Every answer gets the next sequence number of its question and goes
//!   into a queue in `localStorage` before it is sent; it leaves the queue
//!   when the server acknowledges it. Without a network the queue waits
//!   and is sent again every few seconds and when the browser says it is
//!   online. A reload merges the queue with what the server has: a queued
//!   answer with a higher number than the server's is shown (as not yet
//!   saved) and sent.
//! - The clock counts down from the server's time, not the device's.
//! - When the page is hidden or shown again the server is told, for the
//!   grader to see.
//!
//! One exam page per document, so the page's state lives in a
//! thread-local.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use courses::exam::api::{AttemptView, Holder, SaveAnswer, SavedAnswer, StartAttempt, Visibility, SAVE_GRACE_SECONDS};
use courses::exam::Answer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::taker::{SaveState, TakerUi};
use crate::i18n::exams::ExamText as T;
use crate::pages::media::transport::{self, Fail};

/// How often unsent answers are tried again.
const RETRY: Duration = Duration::from_secs(3);
const HOLDER_KEY: &str = "dangxiao.exam.holder";

/// An answer given on this device and not yet acknowledged.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Queued {
    seq: i64,
    answer: Option<Answer>,
}

#[derive(Default)]
struct State {
    attempt_id: i64,
    /// The highest sequence number used per position (server's or ours).
    seqs: Vec<i64>,
    /// By position; mirrored in `localStorage`.
    queue: BTreeMap<usize, Queued>,
    sending: bool,
    /// The server's clock minus the device's, when the attempt was read.
    clock_offset_ms: f64,
    deadline_ms: Option<i64>,
    /// Fetched the result after the deadline already.
    settled: bool,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// This page's holder token, made up once per tab.
fn holder() -> String {
    let storage = window().session_storage().ok().flatten();
    if let Some(h) = storage.as_ref().and_then(|s| s.get_item(HOLDER_KEY).ok().flatten()) {
        if courses::exam::api::valid_holder(&h) {
            return h;
        }
    }
    let made: String = (0..24)
        .map(|_| {
            let n = (js_sys::Math::random() * 36.0) as u32;
            char::from_digit(n.min(35), 36).unwrap_or('0')
        })
        .collect();
    let h = format!("page-{made}");
    if let Some(s) = storage {
        let _ = s.set_item(HOLDER_KEY, &h);
    }
    h
}

fn queue_key(attempt_id: i64) -> String {
    format!("dangxiao.exam.{attempt_id}.queue")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn load_queue(attempt_id: i64) -> BTreeMap<usize, Queued> {
    storage()
        .and_then(|s| s.get_item(&queue_key(attempt_id)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn store_queue(s: &State) {
    let Some(storage) = storage() else { return };
    if s.queue.is_empty() {
        let _ = storage.remove_item(&queue_key(s.attempt_id));
    } else if let Ok(json) = serde_json::to_string(&s.queue) {
        let _ = storage.set_item(&queue_key(s.attempt_id), &json);
    }
}

/// Once, after hydration: the clock, the retries, and the browser's
/// online and visibility events.
pub fn watch(ui: TakerUi, csrf: String) {
    let tick = move || {
        let (deadline, offset, settled) = STATE.with_borrow(|s| (s.deadline_ms, s.clock_offset_ms, s.settled));
        if let (Some(deadline), true) = (deadline, ui.taking_now()) {
            let left = deadline - (now_ms() + offset) as i64;
            ui.left_ms.set(Some(left));
            if left <= 0 && !ui.frozen.get_untracked() {
                ui.frozen.set(true);
                ui.notice.set(Some(T::TimeUp.get(ui.lang).to_owned()));
            }
            // The server submits once the grace is over; read the result then.
            if left < -(SAVE_GRACE_SECONDS * 1000) - 1000 && !settled {
                STATE.with_borrow_mut(|s| s.settled = true);
                reload(ui);
            }
        }
    };
    // Both timers run as long as the page (a handle only clears them).
    let _ = set_interval_with_handle(tick, Duration::from_secs(1));
    let retry_csrf = csrf.clone();
    let _ = set_interval_with_handle(move || flush(ui, retry_csrf.clone()), RETRY);
    let online_csrf = csrf.clone();
    listen(&window(), "online", move || flush(ui, online_csrf.clone()));
    listen(&window(), "offline", move || ui.offline.set(true));
    listen(&document(), "visibilitychange", move || {
        let hidden = document().hidden();
        tell_visibility(ui, csrf.clone(), hidden);
    });
}

fn listen(target: &web_sys::EventTarget, name: &str, f: impl Fn() + 'static) {
    let closure = Closure::<dyn Fn(web_sys::Event)>::new(move |_| f());
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    // The page lives as long as the document: the listener never goes.
    closure.forget();
}

impl TakerUi {
    fn taking_now(&self) -> bool {
        self.attempt.with_untracked(|a| a.as_ref().is_some_and(|a| a.open))
    }
}

/// Starts or resumes the attempt from this page.
pub fn open(ui: TakerUi, csrf: String) {
    if ui.busy.get_untracked() {
        return;
    }
    ui.busy.set(true);
    ui.notice.set(None);
    spawn_local(async move {
        let url = format!("/api/v1/exams/{}/attempts", ui.exam_id);
        let body = StartAttempt { holder: holder() };
        match transport::json::<_, AttemptView>("POST", &url, &csrf, Some(&body), ui.lang).await {
            Ok(view) => {
                ui.offline.set(false);
                show(ui, view);
                flush(ui, csrf);
            }
            Err(Fail::Transient(_)) => ui.offline.set(true),
            Err(Fail::Refused(_, message)) => ui.notice.set(Some(message)),
            Err(Fail::Stopped(_)) => {}
        }
        ui.busy.set(false);
    });
}

/// Shows an attempt as the server sent it, with this device's unsent
/// answers over the server's older ones.
fn show(ui: TakerUi, view: AttemptView) {
    let queue = load_queue(view.id);
    let mut answers = Vec::with_capacity(view.questions.len());
    let mut saves = Vec::with_capacity(view.questions.len());
    let mut seqs = Vec::with_capacity(view.questions.len());
    let mut kept = BTreeMap::new();
    for q in &view.questions {
        let pos = usize::try_from(q.position).unwrap_or(0);
        match queue.get(&pos) {
            Some(queued) if queued.seq > q.seq && view.open => {
                answers.push(queued.answer.clone());
                saves.push(SaveState::Pending);
                seqs.push(queued.seq);
                kept.insert(pos, queued.clone());
            }
            _ => {
                answers.push(q.answer.clone());
                saves.push(SaveState::Saved);
                seqs.push(q.seq);
            }
        }
    }
    STATE.with_borrow_mut(|s| {
        s.attempt_id = view.id;
        s.seqs = seqs;
        s.queue = kept;
        s.clock_offset_ms = view.server_now_ms as f64 - now_ms();
        s.deadline_ms = if view.open { view.deadline_ms } else { None };
        s.settled = false;
        store_queue(s);
    });
    let count = view.questions.len();
    ui.left_ms.set(view.deadline_ms.filter(|_| view.open).map(|d| d - view.server_now_ms));
    ui.frozen.set(!view.open);
    ui.answers.set(answers);
    ui.saves.set(saves);
    if ui.flagged.with_untracked(Vec::len) != count {
        ui.flagged.set(vec![false; count]);
        ui.feedback.set(vec![None; count]);
        ui.current.set(0);
    }
    ui.attempt.set(Some(view));
}

/// An answer given on the page: shown at once, queued, sent.
pub fn answer(ui: TakerUi, csrf: String, position: usize, answer: Option<Answer>) {
    if ui.frozen.get_untracked() {
        return;
    }
    STATE.with_borrow_mut(|s| {
        let Some(seq) = s.seqs.get_mut(position) else { return };
        *seq += 1;
        s.queue.insert(position, Queued { seq: *seq, answer: answer.clone() });
        store_queue(s);
    });
    ui.answers.update(|a| {
        if let Some(slot) = a.get_mut(position) {
            *slot = answer;
        }
    });
    ui.saves.update(|s| {
        if let Some(slot) = s.get_mut(position) {
            *slot = SaveState::Pending;
        }
    });
    flush(ui, csrf);
}

/// Sends the queued answers, oldest position first, until one fails for
/// want of a network (then the next retry goes on) or none are left.
fn flush(ui: TakerUi, csrf: String) {
    let start = STATE.with_borrow_mut(|s| {
        if s.sending || s.queue.is_empty() || s.attempt_id == 0 {
            return false;
        }
        s.sending = true;
        true
    });
    if !start {
        return;
    }
    spawn_local(async move {
        loop {
            let next = STATE.with_borrow(|s| s.queue.iter().next().map(|(p, q)| (*p, q.clone(), s.attempt_id)));
            let Some((position, queued, attempt_id)) = next else {
                if ui.offline.get_untracked() {
                    ui.offline.set(false);
                    ui.notice.set(Some(T::BackOnline.get(ui.lang).to_owned()));
                }
                break;
            };
            let url = format!("/api/v1/attempts/{attempt_id}/answers/{position}");
            let body = SaveAnswer { holder: holder(), seq: queued.seq, answer: queued.answer.clone() };
            match transport::json::<_, SavedAnswer>("PUT", &url, &csrf, Some(&body), ui.lang).await {
                Ok(saved) => {
                    settle(ui, position, queued.seq, SaveState::Saved);
                    if let Some(feedback) = saved.feedback {
                        ui.feedback.update(|f| {
                            if let Some(slot) = f.get_mut(position) {
                                *slot = Some(feedback);
                            }
                        });
                    }
                }
                Err(Fail::Transient(_)) => {
                    ui.offline.set(true);
                    break;
                }
                Err(Fail::Refused(409, _)) => {
                    // Taken over, submitted, or a newer save holds this
                    // answer: what the server has now says which.
                    STATE.with_borrow_mut(|s| {
                        s.queue.remove(&position);
                        store_queue(s);
                    });
                    reload(ui);
                    break;
                }
                Err(Fail::Refused(_, message)) => {
                    settle(ui, position, queued.seq, SaveState::Refused(message));
                }
                Err(Fail::Stopped(_)) => break,
            }
        }
        STATE.with_borrow_mut(|s| s.sending = false);
    });
}

/// The answer at `position` with number `seq` is done with: acknowledged
/// or refused for good. A newer one given meanwhile stays queued.
fn settle(ui: TakerUi, position: usize, seq: i64, state: SaveState) {
    let newer = STATE.with_borrow_mut(|s| {
        let newer = s.queue.get(&position).is_some_and(|q| q.seq > seq);
        if !newer {
            s.queue.remove(&position);
            store_queue(s);
        }
        newer
    });
    if !newer {
        ui.saves.update(|s| {
            if let Some(slot) = s.get_mut(position) {
                *slot = state;
            }
        });
    }
}

/// Reads the attempt again and shows it; when another page holds it now,
/// this one stops saving and says so.
fn reload(ui: TakerUi) {
    let Some(id) = STATE.with_borrow(|s| (s.attempt_id != 0).then_some(s.attempt_id)) else { return };
    spawn_local(async move {
        let url = format!("/api/v1/attempts/{id}");
        match transport::json::<(), AttemptView>("GET", &url, "", None, ui.lang).await {
            Ok(view) if view.open && view.holder != holder() => {
                STATE.with_borrow_mut(|s| {
                    s.queue.clear();
                    store_queue(s);
                });
                ui.frozen.set(true);
                ui.notice.set(Some(T::TakenOver.get(ui.lang).to_owned()));
            }
            Ok(view) => {
                if !view.open && view.result.as_ref().is_some_and(|r| r.by_deadline) {
                    ui.notice.set(Some(T::TimeUp.get(ui.lang).to_owned()));
                }
                show(ui, view);
            }
            Err(Fail::Transient(_)) => ui.offline.set(true),
            Err(Fail::Refused(_, message)) => ui.notice.set(Some(message)),
            Err(Fail::Stopped(_)) => {}
        }
    });
}

/// Submits once every answer is saved; with answers still queued it asks
/// the person to wait for the network instead.
pub fn submit(ui: TakerUi, csrf: String) {
    let (id, unsent) = STATE.with_borrow(|s| (s.attempt_id, s.queue.len()));
    if unsent > 0 {
        ui.notice.set(Some(T::UnsavedBeforeSubmit.get(ui.lang).to_owned()));
        flush(ui, csrf);
        return;
    }
    if !window().confirm_with_message(T::ConfirmSubmit.get(ui.lang)).unwrap_or(false) {
        return;
    }
    ui.busy.set(true);
    spawn_local(async move {
        let url = format!("/api/v1/attempts/{id}/submit");
        match transport::json::<_, AttemptView>("POST", &url, &csrf, Some(&Holder { holder: holder() }), ui.lang).await
        {
            Ok(view) => {
                ui.notice.set(None);
                show(ui, view);
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
            Err(Fail::Transient(_)) => ui.offline.set(true),
            Err(Fail::Refused(409, _)) => reload(ui),
            Err(Fail::Refused(_, message)) => ui.notice.set(Some(message)),
            Err(Fail::Stopped(_)) => {}
        }
        ui.busy.set(false);
    });
}

/// Tells the server the page was hidden or shown again (best effort: a
/// lost report costs nothing but a line for the grader).
fn tell_visibility(ui: TakerUi, csrf: String, hidden: bool) {
    let Some(id) = STATE.with_borrow(|s| (s.attempt_id != 0).then_some(s.attempt_id)) else { return };
    if !ui.taking_now() || ui.frozen.get_untracked() {
        return;
    }
    spawn_local(async move {
        let url = format!("/api/v1/attempts/{id}/visibility");
        let body = Visibility { holder: holder(), hidden };
        let _ = transport::empty("POST", &url, &csrf, Some(&body), ui.lang).await;
    });
}
