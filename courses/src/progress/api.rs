//! What the progress endpoints send and receive (JSON). Media times are in
//! seconds here, as players count them; the ledger keeps milliseconds.

use serde::{Deserialize, Serialize};

use super::assess::{DiscardReason, LessonLedger, Verdict};
use super::hours::{HoursSummary, StudyHourRules};
use super::rules::{CompletionRules, LessonFacts, LessonKind};

fn secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// A member's progress in one lesson: what resume and the seek bar need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonProgress {
    pub lesson_id: i64,
    pub kind: LessonKind,
    /// Watched media ranges `[from, to]` in seconds (video, audio).
    pub watched: Vec<[f64; 2]>,
    /// Where to resume: media seconds, slide number or scrolled fraction.
    pub position: f64,
    /// Progress towards completion, 0–100.
    pub percent: u8,
    pub completed: bool,
    /// When it was completed (ms since the epoch).
    pub completed_at: Option<i64>,
    /// Study time credited in this lesson, seconds.
    pub study_seconds: f64,
    /// Credited seconds per slide (slides).
    pub slide_seconds: Vec<f64>,
    /// Credited reading seconds (articles).
    pub visible_seconds: f64,
}

impl LessonProgress {
    pub fn of(lesson_id: i64, facts: &LessonFacts, rules: &CompletionRules, ledger: &LessonLedger) -> Self {
        let position = match facts.kind {
            LessonKind::Video | LessonKind::Audio => secs(ledger.position),
            LessonKind::Slides => ledger.position as f64,
            LessonKind::Article => ledger.position as f64 / 1000.0,
            LessonKind::Exam => 0.0,
        };
        LessonProgress {
            lesson_id,
            kind: facts.kind,
            watched: ledger.watched.spans().iter().map(|s| [secs(s.start()), secs(s.end())]).collect(),
            position,
            percent: rules.percent(facts, ledger),
            completed: ledger.completed_at.is_some(),
            completed_at: ledger.completed_at,
            study_seconds: secs(ledger.study_ms),
            slide_seconds: ledger.slide_ms.iter().map(|&ms| secs(ms)).collect(),
            visible_seconds: secs(ledger.visible_ms),
        }
    }
}

/// A newly opened playback session (`POST /api/v1/lessons/{id}/sessions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenedSession {
    /// Send with every heartbeat of this viewing.
    pub session_id: String,
    pub rules: CompletionRules,
    /// Heartbeat every this many seconds while the lesson is open.
    pub heartbeat_seconds: u32,
    /// Lesson length in seconds (video, audio).
    pub duration_seconds: f64,
    pub slide_count: u32,
    pub progress: LessonProgress,
}

/// Time of a heartbeat that was not credited, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discarded {
    pub reason: DiscardReason,
    pub seconds: f64,
    /// The reason in the caller's language.
    pub message: String,
}

/// The answer to a heartbeat, sent only once it is committed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartbeatAck {
    pub seq: u32,
    pub verdict: Verdict,
    /// Study seconds this heartbeat earned.
    pub credited_seconds: f64,
    pub discarded: Vec<Discarded>,
    pub progress: LessonProgress,
}

/// One line of the 学时 receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptLine {
    pub id: i64,
    /// When the heartbeat arrived, ms since the epoch.
    pub at: i64,
    pub day: String,
    pub course_id: i64,
    pub course_title: String,
    pub lesson_id: i64,
    pub lesson_title: String,
    /// Media range `[from, to]` in seconds (video, audio).
    pub media: Option<[f64; 2]>,
    /// 0-based slide (slides).
    pub slide: Option<u32>,
    /// Wall-clock seconds credited, or that would have been.
    pub seconds: f64,
    pub credited: bool,
    pub reason: Option<DiscardReason>,
    /// The reason in the caller's language.
    pub reason_text: Option<String>,
}

/// A page of a member's receipt for one year, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub person_id: i64,
    pub year: i32,
    pub lines: Vec<ReceiptLine>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_after: Option<i64>,
}

/// Credited time and 学时 of one lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonHours {
    pub lesson_id: i64,
    pub title: String,
    pub credited_seconds: f64,
    pub hours: f64,
    pub completed: bool,
}

/// Credited time and 学时 of one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseHours {
    pub course_id: i64,
    pub title: String,
    pub credited_seconds: f64,
    pub hours: f64,
    pub lessons: Vec<LessonHours>,
}

/// A member's 学时 for one year: the total after the daily cap against the
/// target, and the uncapped time per course and lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudyHours {
    pub person_id: i64,
    pub year: i32,
    pub rules: StudyHourRules,
    pub total: HoursSummary,
    pub courses: Vec<CourseHours>,
}
