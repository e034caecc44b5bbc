//! Video and audio: attaching the HLS stream, tracking what was played,
//! the seek rule.

use courses::progress::{BeatEvent, SeekRule};
use leptos::prelude::*;
use web_sys::EventTarget;

use super::{beat, listen, Shared, State};
use crate::i18n::study::StudyText;

/// A seek this close behind or ahead of playback is not a seek.
const SEEK_SLACK: f64 = 0.5;
/// Seeking to within this much past the end of a watched part is allowed.
const WATCHED_SLACK: f64 = 1.0;

pub(super) async fn attach_stream(state: &Shared) {
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
    match crate::pages::study::hls::attach(&video, &url, start).await {
        Ok(hls) => {
            state.borrow_mut().hls = Some(hls);
            video.set_attribute("data-ready", "true").ok();
        }
        Err(e) => ui.failure.set(Some(e)),
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

pub(super) fn watch_video(state: &Shared) {
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
