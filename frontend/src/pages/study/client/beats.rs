//! Building heartbeats from what was tracked, sending them and applying
//! the answers.

use courses::progress::api::HeartbeatAck;
use courses::progress::{BeatEvent, HeartbeatIn, LessonKind, Verdict};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::article::scrolled_fraction;
use super::slides::note_slide;
use super::{document_hidden, now_ms, Shared, State, HEARTBEAT_URL};
use crate::i18n::study::StudyText;
use crate::pages::media::transport::{self, Fail};

/// The heartbeat to send now: the unanswered one again, or a new one with
/// what happened since the last. `None` when there is nothing to send.
pub(super) fn next_beat(s: &mut State, event: BeatEvent) -> Option<HeartbeatIn> {
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
        // Never started for a quiz (the lesson page links the exam).
        LessonKind::Exam => 0.0,
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
pub(super) fn beat(state: &Shared, event: BeatEvent) {
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
