//! The lesson page's browser side: opens the playback session, plays HLS,
//! tracks what was played (video, audio) or shown (slides), and sends the
//! heartbeats the server credits. It never claims completion; the server's
//! answer carries the progress the page shows.
//!
//! Heartbeats go every `heartbeat_seconds` and on pause, seek, end, rate
//! change, slide change and page hide. A heartbeat without an answer is
//! sent again, unchanged, before anything new (the server answers a
//! repeated `seq` without crediting it twice). The seek rule is enforced
//! here for the member's sake; the server refuses to credit skipped parts
//! whatever the page does.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use courses::course::LessonStudy;
use courses::directory::CSRF_HEADER;
use courses::progress::api::OpenedSession;
use courses::progress::{BeatEvent, HeartbeatIn, LessonKind, SlideTime};
use courses::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget, HtmlVideoElement};

use crate::i18n::study::StudyText;
use crate::pages::media::transport::{self, Fail};

use super::hls::Hls;
use super::lesson::LessonUi;

mod article;
mod beats;
mod slides;
mod video;

use article::scroll_to_fraction;
use beats::{beat, next_beat};
use slides::watch_slides;
use video::{attach_stream, close_part};

const HEARTBEAT_URL: &str = "/api/v1/heartbeats";

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// An event listener the page added, to remove when it goes.
type Listener = (EventTarget, &'static str, Closure<dyn FnMut(Event)>);

/// Everything the page's handlers share.
struct State {
    study: LessonStudy,
    csrf: String,
    lang: Lang,
    ui: LessonUi,
    video: Option<HtmlVideoElement>,
    hls: Option<Hls>,
    session: Option<OpenedSession>,
    seq: u32,
    /// The heartbeat sent but not answered; sent again before any new one.
    unanswered: Option<HeartbeatIn>,
    sending: bool,
    /// Taken over by another device, or refused for good: send nothing more.
    stopped: bool,
    /// Media played since the last heartbeat.
    played: Vec<[f64; 2]>,
    /// Start of the part playing now.
    playing_from: Option<f64>,
    /// Playback position as of the last `timeupdate`.
    last_time: f64,
    /// Fastest rate since the last heartbeat.
    rate: f64,
    /// Slides shown since the last heartbeat, and since when the current one.
    slides: Vec<SlideTime>,
    slide_since: f64,
    shown_slide: usize,
    /// Since when the article has been read (counted up to the next beat).
    read_since: f64,
    /// The page was hidden at some point since the last heartbeat.
    hidden_since_beat: bool,
    last_activity: f64,
    listeners: Vec<Listener>,
    interval: Option<IntervalHandle>,
}

type Shared = Rc<RefCell<State>>;

/// Owned by the page: when it goes, the listeners, the timer and hls.js go,
/// and a last heartbeat reports what was not yet reported.
struct Guard(Shared);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(mut s) = self.0.try_borrow_mut() {
            close_part(&mut s);
            if let Some(beat) = next_beat(&mut s, BeatEvent::Hidden) {
                send_keepalive(&beat, &s.csrf);
            }
            for (target, name, f) in s.listeners.drain(..) {
                let _ = target.remove_event_listener_with_callback(name, f.as_ref().unchecked_ref());
            }
            if let Some(i) = s.interval.take() {
                i.clear();
            }
            if let Some(h) = s.hls.take() {
                h.destroy();
            }
        }
    }
}

/// Starts the lesson's browser side; call once, after hydration.
pub fn start(study: LessonStudy, csrf: String, ui: LessonUi, video: NodeRef<leptos::html::Video>, lang: Lang) {
    let kind = study.lesson.kind;
    let state: Shared = Rc::new(RefCell::new(State {
        study,
        csrf,
        lang,
        ui,
        video: video.get_untracked(),
        hls: None,
        session: None,
        seq: 0,
        unanswered: None,
        sending: false,
        stopped: false,
        played: Vec::new(),
        playing_from: None,
        last_time: 0.0,
        rate: 1.0,
        slides: Vec::new(),
        slide_since: now_ms(),
        shown_slide: ui.slide.get_untracked(),
        read_since: now_ms(),
        hidden_since_beat: document_hidden(),
        last_activity: now_ms(),
        listeners: Vec::new(),
        interval: None,
    }));
    StoredValue::new_local(Guard(state.clone()));

    watch_page(&state);
    match kind {
        // Video and audio are watched from the hand-over on (`attach_stream`).
        LessonKind::Video | LessonKind::Audio => {}
        LessonKind::Slides => watch_slides(&state),
        LessonKind::Article | LessonKind::Exam => {}
    }
    // Quality, speed and the idle prompt's answer come from the page's controls.
    let s = state.clone();
    Effect::new(move |_| {
        let height = ui.quality.get();
        if let Some(h) = &s.borrow().hls {
            h.choose(height);
        }
    });
    let s = state.clone();
    Effect::new(move |_| {
        let speed = ui.speed.get();
        if let Some(v) = &s.borrow().video {
            v.set_playback_rate(speed);
        }
    });
    let s = state.clone();
    Effect::new(move |_| {
        if !ui.idle.get() {
            s.borrow_mut().last_activity = now_ms();
        }
    });

    spawn_local(async move {
        let (lesson_id, csrf, lang, video) = {
            let s = state.borrow();
            (s.study.lesson.id, s.csrf.clone(), s.lang, s.video.clone())
        };
        // Video and audio: the start script has already asked for the
        // session and attached the stream.
        let early = match (kind, video) {
            (LessonKind::Video | LessonKind::Audio, Some(video)) => match super::hls::early_lesson(&video).await {
                Ok(early) => Some(early),
                Err(e) => {
                    ui.failure.set(Some(e));
                    return;
                }
            },
            _ => None,
        };
        let opened = match early.as_ref().and_then(super::hls::session_request) {
            Some(request) => transport::json_from::<OpenedSession>(request, lang).await,
            None => {
                let url = format!("/api/v1/lessons/{lesson_id}/sessions");
                transport::json::<(), OpenedSession>("POST", &url, &csrf, None, lang).await
            }
        };
        let opened = match opened {
            Ok(o) => o,
            Err(Fail::Transient(m) | Fail::Refused(_, m)) => {
                ui.failure.set(Some(m));
                ui.notice.set(Some(StudyText::OpenFailed));
                return;
            }
            Err(Fail::Stopped(_)) => return,
        };
        let seconds = opened.heartbeat_seconds.clamp(5, 60);
        ui.progress.set(opened.progress.clone());
        state.borrow_mut().session = Some(opened);
        let s = state.clone();
        let interval = set_interval_with_handle(move || tick(&s), Duration::from_secs(u64::from(seconds))).ok();
        state.borrow_mut().interval = interval;
        match kind {
            LessonKind::Video | LessonKind::Audio => {
                if let Some(early) = early {
                    attach_stream(&state, &early).await;
                }
            }
            LessonKind::Article => {
                let at = state.borrow().session.as_ref().map_or(0.0, |o| o.progress.position);
                scroll_to_fraction(at);
                state.borrow_mut().read_since = now_ms();
            }
            LessonKind::Slides | LessonKind::Exam => {}
        }
    });
}

fn document_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

fn listen(state: &Shared, target: &EventTarget, name: &'static str, f: impl FnMut(Event) + 'static) {
    let f = Closure::<dyn FnMut(Event)>::new(f);
    if target.add_event_listener_with_callback(name, f.as_ref().unchecked_ref()).is_ok() {
        state.borrow_mut().listeners.push((target.clone(), name, f));
    }
}

/// Visibility, page hide and the member's interactions.
fn watch_page(state: &Shared) {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let s = state.clone();
    listen(state, &document, "visibilitychange", move |_| {
        if document_hidden() {
            // What was played so far was played in view.
            beat(&s, BeatEvent::Hidden);
            s.borrow_mut().hidden_since_beat = true;
        } else {
            beat(&s, BeatEvent::Visible);
        }
    });
    let s = state.clone();
    listen(state, &window, "pagehide", move |_| {
        let mut st = s.borrow_mut();
        close_part(&mut st);
        if let Some(beat) = next_beat(&mut st, BeatEvent::Hidden) {
            send_keepalive(&beat, &st.csrf);
        }
    });
    for name in ["pointerdown", "keydown", "touchstart", "wheel", "scroll"] {
        let s = state.clone();
        listen(state, &window, name, move |_| {
            if let Ok(mut st) = s.try_borrow_mut() {
                if !st.ui.idle.get_untracked() {
                    st.last_activity = now_ms();
                }
            }
        });
    }
}

/// The periodic heartbeat, and the idle check.
fn tick(state: &Shared) {
    let idle = {
        let st = state.borrow();
        let limit = f64::from(st.study.rules.idle_minutes) * 60_000.0;
        !st.ui.idle.get_untracked() && now_ms() - st.last_activity >= limit
    };
    if idle {
        let st = state.borrow();
        st.ui.idle.set(true);
        if let Some(v) = &st.video {
            let _ = v.pause();
        }
    }
    beat(state, BeatEvent::Tick);
}

/// Sends a heartbeat that outlives the page (`fetch` with `keepalive`).
fn send_keepalive(beat: &HeartbeatIn, csrf: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(body) = serde_json::to_string(beat) else { return };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // (`keepalive` has no typed setter in web-sys yet.)
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &wasm_bindgen::JsValue::TRUE);
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    if let Ok(headers) = web_sys::Headers::new() {
        let _ = headers.set("content-type", "application/json");
        let _ = headers.set(CSRF_HEADER, csrf);
        init.set_headers(&headers);
    }
    let _ = window.fetch_with_str_and_init(HEARTBEAT_URL, &init);
}
