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
use courses::progress::api::{HeartbeatAck, OpenedSession};
use courses::progress::{BeatEvent, HeartbeatIn, LessonKind, SeekRule, SlideTime, Verdict};
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

const HEARTBEAT_URL: &str = "/api/v1/heartbeats";
/// A seek this close behind or ahead of playback is not a seek.
const SEEK_SLACK: f64 = 0.5;
/// Seeking to within this much past the end of a watched part is allowed.
const WATCHED_SLACK: f64 = 1.0;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

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
    listeners: Vec<(EventTarget, &'static str, Closure<dyn FnMut(Event)>)>,
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
        LessonKind::Video | LessonKind::Audio => watch_video(&state),
        LessonKind::Slides => watch_slides(&state),
        LessonKind::Article => {}
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
        let (lesson_id, csrf, lang) = {
            let s = state.borrow();
            (s.study.lesson.id, s.csrf.clone(), s.lang)
        };
        let url = format!("/api/v1/lessons/{lesson_id}/sessions");
        let opened = match transport::json::<(), OpenedSession>("POST", &url, &csrf, None, lang).await {
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
            LessonKind::Video | LessonKind::Audio => attach_stream(&state).await,
            LessonKind::Article => {
                let at = state.borrow().session.as_ref().map_or(0.0, |o| o.progress.position);
                scroll_to_fraction(at);
                state.borrow_mut().read_since = now_ms();
            }
            LessonKind::Slides => {}
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

async fn attach_stream(state: &Shared) {
    let (video, url, resume, ui) = {
        let s = state.borrow();
        let Some(video) = s.video.clone() else { return };
        let Some(url) = s.study.playlist_url.clone() else { return };
        let resume = s.session.as_ref().map_or(0.0, |o| o.progress.position);
        (video, url, resume, s.ui)
    };
    // Resume where the member stopped, unless that was the very end.
    let duration = state.borrow().study.lesson.duration_seconds;
    let start = if resume > 1.0 && resume < duration - 2.0 { resume } else { 0.0 };
    state.borrow_mut().last_time = start;
    match super::hls::attach(&video, &url, start).await {
        Ok(hls) => {
            state.borrow_mut().hls = Some(hls);
            video.set_attribute("data-ready", "true").ok();
        }
        Err(e) => ui.failure.set(Some(e)),
    }
}

/// Closes the part playing now at the last known position.
fn close_part(s: &mut State) {
    if let Some(from) = s.playing_from.take() {
        if s.last_time > from {
            s.played.push([from, s.last_time]);
        }
    }
}

fn in_watched(s: &State, t: f64) -> bool {
    let server = s.ui.progress.with_untracked(|p| p.watched.iter().any(|[a, b]| t >= *a && t <= b + WATCHED_SLACK));
    server || s.played.iter().any(|[a, b]| t >= *a && t <= b + WATCHED_SLACK)
}

fn watch_video(state: &Shared) {
    let Some(video) = state.borrow().video.clone() else { return };
    let target: &EventTarget = video.as_ref();

    let (s, v) = (state.clone(), video.clone());
    listen(state, target, "timeupdate", move |_| {
        let mut st = s.borrow_mut();
        if v.seeking() {
            return;
        }
        let t = v.current_time();
        let rate = v.playback_rate().max(1.0);
        if !v.paused() {
            match st.playing_from {
                // A jump (not a seek the page saw): close the part before it.
                Some(_) if t < st.last_time || t - st.last_time > 2.0 * rate + 1.0 => {
                    close_part(&mut st);
                    st.playing_from = Some(t);
                }
                Some(_) => {}
                None => st.playing_from = Some(t.min(st.last_time.max(0.0)).max(t - 1.0)),
            }
        }
        st.last_time = t;
    });

    let (s, v) = (state.clone(), video.clone());
    listen(state, target, "seeking", move |_| {
        let mut st = s.borrow_mut();
        let target = v.current_time();
        close_part(&mut st);
        let free = st.study.rules.seek == SeekRule::Free || st.ui.progress.with_untracked(|p| p.completed);
        let allowed = free || target <= st.last_time + SEEK_SLACK || in_watched(&st, target);
        if allowed {
            st.last_time = target;
        } else {
            let back = st.last_time;
            st.ui.notice.set(Some(StudyText::SeekRefused));
            drop(st);
            v.set_current_time(back);
        }
    });

    let (s, v) = (state.clone(), video.clone());
    listen(state, target, "seeked", move |_| {
        {
            let mut st = s.borrow_mut();
            st.last_time = v.current_time();
            if !v.paused() {
                st.playing_from = Some(st.last_time);
            }
        }
        beat(&s, BeatEvent::Seek);
    });

    let s = state.clone();
    listen(state, target, "play", move |_| {
        if let Some(h) = s.borrow_mut().hls.as_mut() {
            h.start_loading();
        }
    });

    let (s, v) = (state.clone(), video.clone());
    listen(state, target, "playing", move |_| {
        let mut st = s.borrow_mut();
        st.last_time = v.current_time();
        st.playing_from = Some(st.last_time);
        if st.ui.notice.get_untracked() == Some(StudyText::SeekRefused) {
            st.ui.notice.set(None);
        }
    });

    // Playback stops: report what was played up to here.
    for (name, event) in [("pause", BeatEvent::Pause), ("ended", BeatEvent::Ended)] {
        let (s, v) = (state.clone(), video.clone());
        listen(state, target, name, move |_| {
            {
                let mut st = s.borrow_mut();
                st.last_time = v.current_time();
                close_part(&mut st);
            }
            beat(&s, event);
        });
    }

    let (s, v) = (state.clone(), video.clone());
    listen(state, target, "ratechange", move |_| {
        {
            let mut st = s.borrow_mut();
            st.rate = st.rate.max(v.playback_rate());
        }
        beat(&s, BeatEvent::RateChange);
    });
}

fn watch_slides(state: &Shared) {
    let ui = state.borrow().ui;
    let s = state.clone();
    Effect::new(move |previous: Option<usize>| {
        let slide = ui.slide.get();
        if previous.is_some_and(|p| p != slide) {
            {
                let mut st = s.borrow_mut();
                note_slide(&mut st);
                st.shown_slide = slide;
            }
            beat(&s, BeatEvent::SlideChange);
        }
        slide
    });
}

/// Adds the time the current slide has been on screen since last noted.
fn note_slide(s: &mut State) {
    let now = now_ms();
    let seconds = ((now - s.slide_since) / 1000.0).max(0.0);
    s.slide_since = now;
    if seconds > 0.0 {
        match s.slides.iter_mut().find(|t| t.slide as usize == s.shown_slide) {
            Some(t) => t.seconds += seconds,
            None => s.slides.push(SlideTime { slide: s.shown_slide as u32, seconds }),
        }
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

/// The heartbeat to send now: the unanswered one again, or a new one with
/// what happened since the last. `None` when there is nothing to send.
fn next_beat(s: &mut State, event: BeatEvent) -> Option<HeartbeatIn> {
    if s.stopped {
        return None;
    }
    if let Some(b) = &s.unanswered {
        return Some(b.clone());
    }
    let session_id = s.session.as_ref()?.session_id.clone();
    let kind = s.study.lesson.kind;
    let position = match kind {
        LessonKind::Video | LessonKind::Audio => {
            // The part playing now is reported up to here and goes on.
            if let Some(from) = s.playing_from {
                if s.last_time > from {
                    s.played.push([from, s.last_time]);
                    s.playing_from = Some(s.last_time);
                }
            }
            s.last_time
        }
        LessonKind::Slides => {
            note_slide(s);
            s.shown_slide as f64
        }
        LessonKind::Article => scrolled_fraction(),
    };
    let now = now_ms();
    let reading = kind == LessonKind::Article && !s.ui.idle.get_untracked();
    let visible_seconds = if reading { ((now - s.read_since) / 1000.0).max(0.0) } else { 0.0 };
    s.read_since = now;
    let rate = s.video.as_ref().map_or(1.0, |v| v.playback_rate()).max(s.rate).clamp(0.5, 2.0);
    s.seq += 1;
    let beat = HeartbeatIn {
        session_id,
        lesson_id: s.study.lesson.id,
        seq: s.seq,
        event,
        played: std::mem::take(&mut s.played),
        position,
        rate,
        visible: !s.hidden_since_beat && !document_hidden(),
        idle_seconds: ((now_ms() - s.last_activity) / 1000.0).max(0.0),
        slides: std::mem::take(&mut s.slides),
        visible_seconds,
    };
    s.rate = rate;
    s.hidden_since_beat = document_hidden();
    s.unanswered = Some(beat.clone());
    Some(beat)
}

/// Sends a heartbeat unless one is on its way (what happened stays
/// collected for the next).
fn beat(state: &Shared, event: BeatEvent) {
    let (beat, csrf, lang) = {
        let mut st = state.borrow_mut();
        if st.sending {
            return;
        }
        let Some(beat) = next_beat(&mut st, event) else { return };
        st.sending = true;
        (beat, st.csrf.clone(), st.lang)
    };
    let state = state.clone();
    spawn_local(async move {
        let answer =
            transport::json::<HeartbeatIn, HeartbeatAck>("POST", HEARTBEAT_URL, &csrf, Some(&beat), lang).await;
        let mut st = state.borrow_mut();
        st.sending = false;
        match answer {
            Ok(ack) => {
                st.unanswered = None;
                st.ui.progress.set(ack.progress);
                if ack.verdict == Verdict::Superseded {
                    st.stopped = true;
                    st.ui.notice.set(Some(StudyText::Superseded));
                    if let Some(v) = &st.video {
                        let _ = v.pause();
                    }
                } else if st.ui.notice.get_untracked() == Some(StudyText::Offline) {
                    st.ui.notice.set(None);
                }
            }
            // Kept, and sent again with the next heartbeat.
            Err(Fail::Transient(_)) => st.ui.notice.set(Some(StudyText::Offline)),
            Err(Fail::Refused(status, message)) => {
                st.unanswered = None;
                if matches!(status, 401 | 403 | 404) {
                    st.stopped = true;
                    st.ui.failure.set(Some(message));
                }
            }
            Err(Fail::Stopped(_)) => {}
        }
    });
}

/// How far down the page the reader has scrolled, 0–1.
fn scrolled_fraction() -> f64 {
    let Some(window) = web_sys::window() else { return 0.0 };
    let total = window.document().and_then(|d| d.document_element()).map_or(0.0, |e| f64::from(e.scroll_height()));
    let view = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let y = window.scroll_y().unwrap_or(0.0);
    if total <= view {
        1.0
    } else {
        (y / (total - view)).clamp(0.0, 1.0)
    }
}

/// Scrolls to where an earlier reading stopped (`fraction` of the page).
fn scroll_to_fraction(fraction: f64) {
    let Some(window) = web_sys::window() else { return };
    let total = window.document().and_then(|d| d.document_element()).map_or(0.0, |e| f64::from(e.scroll_height()));
    let view = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    if fraction > 0.0 && total > view {
        window.scroll_to_with_x_and_y(0.0, fraction.clamp(0.0, 1.0) * (total - view));
    }
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
