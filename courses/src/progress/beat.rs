//! The heartbeat a lesson page sends, as it arrives and once checked.
//!
//! A heartbeat reports what happened since the previous one: the media time
//! played, where playback is, how fast, whether the page was visible. It
//! never says "completed"; the server decides that. Parsing refuses what
//! cannot be true of any playback (negative or reversed ranges, absurd
//! rates, numbers that are not numbers) with a reason; what is merely
//! implausible for this lesson is discarded later, with a reason, by
//! [`assess`](super::assess::assess).

use serde::{Deserialize, Serialize};

use super::ranges::Span;

/// Most ranges or slide entries one heartbeat may carry.
pub const MAX_ENTRIES: usize = 64;
/// Playback rates the player offers.
pub const MIN_RATE: f64 = 0.5;
pub const MAX_RATE: f64 = 2.0;
/// No lesson is longer than a day; larger numbers are refused outright.
pub const MAX_MEDIA_SECONDS: f64 = 86_400.0;

/// What made the page send this heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BeatEvent {
    #[default]
    Tick,
    Play,
    Pause,
    Seek,
    Ended,
    RateChange,
    Hidden,
    Visible,
    SlideChange,
}

impl BeatEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            BeatEvent::Tick => "tick",
            BeatEvent::Play => "play",
            BeatEvent::Pause => "pause",
            BeatEvent::Seek => "seek",
            BeatEvent::Ended => "ended",
            BeatEvent::RateChange => "rate_change",
            BeatEvent::Hidden => "hidden",
            BeatEvent::Visible => "visible",
            BeatEvent::SlideChange => "slide_change",
        }
    }

    pub fn parse(s: &str) -> Option<BeatEvent> {
        use BeatEvent::*;
        [Tick, Play, Pause, Seek, Ended, RateChange, Hidden, Visible, SlideChange].into_iter().find(|e| e.as_str() == s)
    }
}

/// Time one slide was on screen since the previous heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlideTime {
    /// 0-based slide number.
    pub slide: u32,
    pub seconds: f64,
}

/// A heartbeat as the page sends it (`POST /api/v1/heartbeats`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeartbeatIn {
    /// The playback session from `POST /api/v1/lessons/{id}/sessions`.
    pub session_id: String,
    pub lesson_id: i64,
    /// Counts up from 1 within the session. A retry repeats the number; the
    /// server answers it again without crediting twice.
    pub seq: u32,
    #[serde(default)]
    pub event: BeatEvent,
    /// Media-time ranges `[from, to]` in seconds played since the previous
    /// heartbeat, in the order they were played (video, audio).
    #[serde(default)]
    pub played: Vec<[f64; 2]>,
    /// Where the lesson is now: media seconds (video, audio), the 0-based
    /// slide (slides) or the scrolled fraction 0–1 (articles).
    pub position: f64,
    /// Playback rate, 0.5–2.
    #[serde(default = "one")]
    pub rate: f64,
    /// Whether the page was visible throughout the time since the previous
    /// heartbeat.
    pub visible: bool,
    /// Seconds since the member last touched, clicked, scrolled or typed.
    #[serde(default)]
    pub idle_seconds: f64,
    /// Slides shown since the previous heartbeat (slide decks).
    #[serde(default)]
    pub slides: Vec<SlideTime>,
    /// Seconds the page was open and visible since the previous heartbeat
    /// (articles).
    #[serde(default)]
    pub visible_seconds: f64,
}

fn one() -> f64 {
    1.0
}

/// Why a heartbeat was refused as a whole.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BeatError {
    #[error("session_id is not a playback session id")]
    BadSessionId,
    #[error("seq must be at least 1")]
    BadSeq,
    #[error("{field} must be a finite number")]
    NotANumber { field: &'static str },
    #[error("{field} must not be negative")]
    Negative { field: &'static str },
    #[error("{field} is larger than any lesson allows")]
    TooLarge { field: &'static str },
    #[error("played range {index} ends before it starts")]
    Reversed { index: usize },
    #[error("at most {MAX_ENTRIES} ranges or slide entries per heartbeat")]
    TooManyEntries,
    #[error("playback rate {rate} is outside 0.5–2")]
    RateOutOfRange { rate: f64 },
}

/// A checked heartbeat: times in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    pub session_id: String,
    pub lesson_id: i64,
    pub seq: u32,
    pub event: BeatEvent,
    /// Non-empty played spans, in the order played.
    pub played: Vec<Span>,
    /// Media ms (video, audio), slide number (slides) or permille scrolled
    /// (articles).
    pub position: u64,
    pub rate: f64,
    pub visible: bool,
    pub idle_ms: u64,
    /// (slide, ms shown), zero-length entries dropped.
    pub slides: Vec<(u32, u64)>,
    pub visible_ms: u64,
}

/// Whether `s` looks like a UUID as the server issues them.
pub fn is_session_id(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn seconds(field: &'static str, v: f64, max: f64) -> Result<u64, BeatError> {
    if !v.is_finite() {
        return Err(BeatError::NotANumber { field });
    }
    if v < 0.0 {
        return Err(BeatError::Negative { field });
    }
    if v > max {
        return Err(BeatError::TooLarge { field });
    }
    Ok((v * 1000.0).round() as u64)
}

impl Heartbeat {
    /// Checks a heartbeat's shape; nothing about the lesson is known here.
    pub fn parse(raw: &HeartbeatIn) -> Result<Heartbeat, BeatError> {
        if !is_session_id(&raw.session_id) {
            return Err(BeatError::BadSessionId);
        }
        if raw.seq == 0 {
            return Err(BeatError::BadSeq);
        }
        if raw.played.len() > MAX_ENTRIES || raw.slides.len() > MAX_ENTRIES {
            return Err(BeatError::TooManyEntries);
        }
        if !raw.rate.is_finite() {
            return Err(BeatError::NotANumber { field: "rate" });
        }
        if !(MIN_RATE..=MAX_RATE).contains(&raw.rate) {
            return Err(BeatError::RateOutOfRange { rate: raw.rate });
        }
        let mut played = Vec::with_capacity(raw.played.len());
        for (index, [from, to]) in raw.played.iter().copied().enumerate() {
            let from = seconds("played", from, MAX_MEDIA_SECONDS)?;
            let to = seconds("played", to, MAX_MEDIA_SECONDS)?;
            if to < from {
                return Err(BeatError::Reversed { index });
            }
            // Ranges shorter than a millisecond carry no time.
            if let Ok(span) = Span::new(from, to) {
                played.push(span);
            }
        }
        let mut slides = Vec::with_capacity(raw.slides.len());
        for s in &raw.slides {
            let ms = seconds("slides.seconds", s.seconds, MAX_MEDIA_SECONDS)?;
            if ms > 0 {
                slides.push((s.slide, ms));
            }
        }
        let position = seconds("position", raw.position, MAX_MEDIA_SECONDS)?;
        Ok(Heartbeat {
            session_id: raw.session_id.to_ascii_lowercase(),
            lesson_id: raw.lesson_id,
            seq: raw.seq,
            event: raw.event,
            played,
            position,
            rate: raw.rate,
            visible: raw.visible,
            idle_ms: seconds("idle_seconds", raw.idle_seconds, MAX_MEDIA_SECONDS)?,
            slides,
            visible_ms: seconds("visible_seconds", raw.visible_seconds, MAX_MEDIA_SECONDS)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn raw() -> HeartbeatIn {
        HeartbeatIn {
            session_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            lesson_id: 1,
            seq: 1,
            event: BeatEvent::Tick,
            played: vec![[0.0, 10.0]],
            position: 10.0,
            rate: 1.0,
            visible: true,
            idle_seconds: 0.0,
            slides: vec![],
            visible_seconds: 0.0,
        }
    }

    #[test]
    fn a_normal_heartbeat_is_kept_in_milliseconds() {
        let b = Heartbeat::parse(&raw()).unwrap();
        assert_eq!(b.played, vec![Span::new(0, 10_000).unwrap()]);
        assert_eq!(b.position, 10_000);
    }

    #[test]
    fn impossible_heartbeats_are_refused_with_a_reason() {
        type Mutation = Box<dyn Fn(&mut HeartbeatIn)>;
        let cases: Vec<(Mutation, BeatError)> = vec![
            (Box::new(|b| b.played = vec![[5.0, 2.0]]), BeatError::Reversed { index: 0 }),
            (Box::new(|b| b.played = vec![[-1.0, 2.0]]), BeatError::Negative { field: "played" }),
            (Box::new(|b| b.played = vec![[0.0, f64::NAN]]), BeatError::NotANumber { field: "played" }),
            (Box::new(|b| b.played = vec![[0.0, 1e12]]), BeatError::TooLarge { field: "played" }),
            (Box::new(|b| b.rate = 16.0), BeatError::RateOutOfRange { rate: 16.0 }),
            (Box::new(|b| b.rate = 0.0), BeatError::RateOutOfRange { rate: 0.0 }),
            (Box::new(|b| b.rate = f64::INFINITY), BeatError::NotANumber { field: "rate" }),
            (Box::new(|b| b.played = vec![[0.0, 1.0]; 65]), BeatError::TooManyEntries),
            (Box::new(|b| b.session_id = "x".into()), BeatError::BadSessionId),
            (Box::new(|b| b.seq = 0), BeatError::BadSeq),
            (Box::new(|b| b.position = -3.0), BeatError::Negative { field: "position" }),
        ];
        for (mutate, want) in cases {
            let mut b = raw();
            mutate(&mut b);
            assert_eq!(Heartbeat::parse(&b).unwrap_err(), want);
        }
    }

    #[test]
    fn unknown_fields_are_refused_so_a_completed_flag_cannot_sneak_in() {
        let mut v = serde_json::to_value(raw()).unwrap();
        v["completed"] = serde_json::json!(true);
        assert!(serde_json::from_value::<HeartbeatIn>(v).is_err());
    }
}
