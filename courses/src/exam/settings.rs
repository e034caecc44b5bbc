//! An exam's settings: time, window, attempts, pass mark, review,
//! prerequisites and practice mode. Plain values with their checks and the
//! decisions that follow from them; the server stores them and supplies
//! the clock, the attempt count and whether the prerequisites are met.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::grade::MultipleScoring;
use super::paper::Shuffle;
use super::score::{Counting, PassMark};
use crate::i18n::{Lang, Localize};

/// Longest time limit, in minutes.
pub const MAX_TIME_LIMIT_MINUTES: u32 = 24 * 60;
/// Most attempts an exam may allow when it limits them.
pub const MAX_ATTEMPTS: u32 = 100;
/// Most prerequisite courses.
pub const MAX_PREREQUISITE_COURSES: usize = 50;
/// Most 学时 a prerequisite may ask for.
pub const MAX_PREREQUISITE_HOURS: u32 = 2_000;

/// When the exam can be started: from `opens` until `closes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
}

/// When a taker sees the right answers and explanations of their attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    /// Only the score.
    Never,
    #[default]
    AfterSubmit,
    /// Once the window has closed, so answers do not pass to those still
    /// taking it.
    AfterWindowCloses,
}

/// What a person must have done before starting.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Prerequisites {
    /// Courses to have completed.
    pub courses: Vec<i64>,
    /// Credited 学时 to have earned (0: none asked).
    pub credited_hours: u32,
}

/// What the person starting has done, as the server found it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TakerRecord {
    pub completed_courses: BTreeSet<i64>,
    pub credited_hours: f64,
    /// Attempts started before, practice or not as this exam is.
    pub attempts_used: u32,
}

/// An exam's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamSettings {
    /// Minutes from the start; None: untimed (the window still ends it).
    pub time_limit_minutes: Option<u32>,
    pub window: Option<Window>,
    /// None: unlimited.
    pub attempts_allowed: Option<u32>,
    pub counting: Counting,
    pub pass_mark: PassMark,
    pub multiple_scoring: MultipleScoring,
    pub shuffle: Shuffle,
    pub review: ReviewPolicy,
    pub prerequisites: Prerequisites,
    /// Feedback after each question and never counted: no result, 学时 or
    /// completion comes from a practice attempt. Attempts are unlimited
    /// unless `attempts_allowed` says otherwise.
    pub practice: bool,
}

impl Default for ExamSettings {
    fn default() -> Self {
        ExamSettings {
            time_limit_minutes: None,
            window: None,
            attempts_allowed: Some(1),
            counting: Counting::Highest,
            pass_mark: PassMark::Percent(60),
            multiple_scoring: MultipleScoring::AllOrNothing,
            shuffle: Shuffle::default(),
            review: ReviewPolicy::AfterSubmit,
            prerequisites: Prerequisites::default(),
            practice: false,
        }
    }
}

/// Why settings cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the time limit must be 1 to {MAX_TIME_LIMIT_MINUTES} minutes")]
    BadTimeLimit,
    #[error("the window must close after it opens")]
    WindowClosesBeforeOpening,
    #[error("attempts allowed must be 1 to {MAX_ATTEMPTS}")]
    BadAttempts,
    #[error("a pass mark in percent must be 0 to 100")]
    BadPassMark,
    #[error("answers shown after the window closes need a window")]
    ReviewNeedsWindow,
    #[error("at most {MAX_PREREQUISITE_COURSES} prerequisite courses, each once")]
    BadPrerequisiteCourses,
    #[error("prerequisite hours must be 0 to {MAX_PREREQUISITE_HOURS}")]
    BadPrerequisiteHours,
}

/// Why a person may not start an attempt now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartRefusal {
    #[error("the exam opens at {opens}")]
    NotOpenYet { opens: DateTime<Utc> },
    #[error("the exam closed at {closes}")]
    Closed { closes: DateTime<Utc> },
    #[error("all {allowed} attempts are used")]
    NoAttemptsLeft { allowed: u32 },
    #[error("complete the required courses first ({missing} left)")]
    CoursesMissing { missing: usize },
    #[error("earn {needed} credited study hours first (you have {have})")]
    HoursMissing { needed: u32, have: String },
}

impl ExamSettings {
    pub fn check(&self) -> Result<(), SettingsError> {
        if self.time_limit_minutes.is_some_and(|m| !(1..=MAX_TIME_LIMIT_MINUTES).contains(&m)) {
            return Err(SettingsError::BadTimeLimit);
        }
        if self.window.is_some_and(|w| w.closes <= w.opens) {
            return Err(SettingsError::WindowClosesBeforeOpening);
        }
        if self.attempts_allowed.is_some_and(|n| !(1..=MAX_ATTEMPTS).contains(&n)) {
            return Err(SettingsError::BadAttempts);
        }
        if matches!(self.pass_mark, PassMark::Percent(p) if p > 100) {
            return Err(SettingsError::BadPassMark);
        }
        if self.review == ReviewPolicy::AfterWindowCloses && self.window.is_none() {
            return Err(SettingsError::ReviewNeedsWindow);
        }
        let courses = &self.prerequisites.courses;
        let distinct: BTreeSet<&i64> = courses.iter().collect();
        if courses.len() > MAX_PREREQUISITE_COURSES || distinct.len() != courses.len() {
            return Err(SettingsError::BadPrerequisiteCourses);
        }
        if self.prerequisites.credited_hours > MAX_PREREQUISITE_HOURS {
            return Err(SettingsError::BadPrerequisiteHours);
        }
        Ok(())
    }

    /// Whether `taker` may start an attempt at `now`.
    pub fn may_start(&self, now: DateTime<Utc>, taker: &TakerRecord) -> Result<(), StartRefusal> {
        if let Some(w) = self.window {
            if now < w.opens {
                return Err(StartRefusal::NotOpenYet { opens: w.opens });
            }
            if now >= w.closes {
                return Err(StartRefusal::Closed { closes: w.closes });
            }
        }
        if let Some(allowed) = self.attempts_allowed {
            if taker.attempts_used >= allowed {
                return Err(StartRefusal::NoAttemptsLeft { allowed });
            }
        }
        let missing = self.prerequisites.courses.iter().filter(|c| !taker.completed_courses.contains(c)).count();
        if missing > 0 {
            return Err(StartRefusal::CoursesMissing { missing });
        }
        let needed = self.prerequisites.credited_hours;
        if taker.credited_hours < f64::from(needed) {
            return Err(StartRefusal::HoursMissing { needed, have: format!("{:.1}", taker.credited_hours) });
        }
        Ok(())
    }

    /// When an attempt started at `started` is submitted by the server: the
    /// time limit or the window's end, whichever comes first.
    pub fn deadline(&self, started: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let by_limit = self.time_limit_minutes.map(|m| started + Duration::minutes(i64::from(m)));
        let by_window = self.window.map(|w| w.closes);
        match (by_limit, by_window) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether a submitted attempt's review may show answers and
    /// explanations at `now`. Practice attempts always may: feedback is
    /// their point.
    pub fn review_shows_answers(&self, now: DateTime<Utc>) -> bool {
        if self.practice {
            return true;
        }
        match self.review {
            ReviewPolicy::Never => false,
            ReviewPolicy::AfterSubmit => true,
            ReviewPolicy::AfterWindowCloses => self.window.is_none_or(|w| now >= w.closes),
        }
    }
}

fn sentence(en: String) -> String {
    let mut cs = en.chars();
    cs.next().map(|c| c.to_uppercase().chain(cs).collect::<String>() + ".").unwrap_or(en)
}

impl SettingsError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadTimeLimit => "exam_bad_time_limit",
            Self::WindowClosesBeforeOpening => "exam_window_closes_before_opening",
            Self::BadAttempts => "exam_bad_attempts",
            Self::BadPassMark => "exam_bad_pass_mark",
            Self::ReviewNeedsWindow => "exam_review_needs_window",
            Self::BadPrerequisiteCourses => "exam_bad_prerequisite_courses",
            Self::BadPrerequisiteHours => "exam_bad_prerequisite_hours",
        }
    }
}

impl Localize for SettingsError {
    fn localize(&self, lang: Lang) -> String {
        let zh = match self {
            Self::BadTimeLimit => format!("考试时长须为 1–{MAX_TIME_LIMIT_MINUTES} 分钟。"),
            Self::WindowClosesBeforeOpening => "考试结束时间须晚于开始时间。".into(),
            Self::BadAttempts => format!("允许作答次数须为 1–{MAX_ATTEMPTS} 次，或不限次数。"),
            Self::BadPassMark => "及格线百分比须在 0 到 100 之间。".into(),
            Self::ReviewNeedsWindow => "“考试结束后公布答案”需要设置考试开放时间段。".into(),
            Self::BadPrerequisiteCourses => format!("先修课程最多 {MAX_PREREQUISITE_COURSES} 门，且不能重复。"),
            Self::BadPrerequisiteHours => format!("先修学时须在 0 到 {MAX_PREREQUISITE_HOURS} 之间。"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => sentence(self.to_string()),
        }
    }
}

impl StartRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotOpenYet { .. } => "exam_not_open_yet",
            Self::Closed { .. } => "exam_closed",
            Self::NoAttemptsLeft { .. } => "exam_no_attempts_left",
            Self::CoursesMissing { .. } => "exam_courses_missing",
            Self::HoursMissing { .. } => "exam_hours_missing",
        }
    }
}

impl Localize for StartRefusal {
    fn localize(&self, lang: Lang) -> String {
        let at = |t: &DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
        match (self, lang) {
            (Self::NotOpenYet { opens }, Lang::Zh) => format!("考试尚未开始，开放时间为 {}。", at(opens)),
            (Self::NotOpenYet { opens }, Lang::En) => format!("The exam opens at {}.", at(opens)),
            (Self::Closed { closes }, Lang::Zh) => format!("考试已于 {} 结束。", at(closes)),
            (Self::Closed { closes }, Lang::En) => format!("The exam closed at {}.", at(closes)),
            (Self::NoAttemptsLeft { allowed }, Lang::Zh) => format!("本考试最多作答 {allowed} 次，您的次数已用完。"),
            (Self::CoursesMissing { missing }, Lang::Zh) => format!("请先学完规定的先修课程（还差 {missing} 门）。"),
            (Self::HoursMissing { needed, have }, Lang::Zh) => {
                format!("参加本考试须先取得 {needed} 学时（您目前为 {have} 学时）。")
            }
            (e, Lang::En) => sentence(e.to_string()),
        }
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
