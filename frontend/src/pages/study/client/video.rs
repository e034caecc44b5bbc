//! Video and audio: attaching the HLS stream, tracking what was played,
//! the seek rule.

use courses::progress::{BeatEvent, SeekRule};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::EventTarget;

use super::{beat, listen, Shared, State};
use crate::i18n::study::StudyText;

/// A seek this close behind or ahead of playback is not a seek.
const SEEK_SLACK: f64 = 0.5;
/// Seeking to within this much past the end of a watched part is allowed.
const WATCHED_SLACK: f64 = 1.0;
/// How long the "seek refused" message stays over the picture.
const REFUSAL_SHOWN: std::time::Duration = std::time::Duration::from_secs(6);

/// Takes over the stream the start script attached, with what played
/// before: those parts go into the first heartbeat, and the part playing
/// now goes on from where it started.
pub(super) async fn attach_stream(state: &Shared, early: &JsValue) {
    let ui = state.borrow().ui;
    match crate::pages::study::hls::adopt(early).await {
        Ok((hls, handover)) => {
            let mut s = state.borrow_mut();
            s.played.extend(handover.played);
            s.playing_from = handover.playing_from;
            s.last_time = handover.last_time;
            s.hls = Some(hls);
        }
        Err(e) => {
            ui.failure.set(Some(e));
            return;
        }
    }
    watch_video(state);
    if let Some(video) = state.borrow().video.as_ref() {
        video.set_attribute("data-adopted", "true").ok();
    }
}

/// Closes the part playing now at the last known position.
pub(super) fn close_part(s: &mut State) {
    if let Some(from) = s.playing_from.take() {
        if s.last_time > from {
            s.played.push([from, s.last_time]);
        }
    }
}

pub(super) fn in_watched(s: &State, t: f64) -> bool {
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
            let notice = st.ui.notice;
            notice.set(Some(StudyText::SeekRefused));
            drop(st);
            v.set_current_time(back);
            // Shown over the picture, playing or not, long enough to read.
            set_timeout(
                move || {
                    if notice.get_untracked() == Some(StudyText::SeekRefused) {
                        notice.set(None);
                    }
                },
                REFUSAL_SHOWN,
            );
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

    let (s, v) = (state.clone(), video.clone());
    listen(state, target, "playing", move |_| {
        let mut st = s.borrow_mut();
        st.last_time = v.current_time();
        st.playing_from = Some(st.last_time);
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
