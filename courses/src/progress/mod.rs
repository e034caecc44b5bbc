//! Trustworthy progress: the rules that turn heartbeats from a lesson page
//! into watched intervals, completion and study hours (学时).
//!
//! - [`ranges`]: the watched-interval set (exact, in ms).
//! - [`beat`]: the heartbeat on the wire and its shape checks.
//! - [`rules`]: lessons' sizes and the per-course completion rules.
//! - [`assess`]: one heartbeat → credit and discards, with reasons.
//! - [`hours`]: credited time → 学时 under editable rules.
//! - [`api`]: the JSON the progress endpoints exchange.

pub mod api;
pub mod assess;
pub mod beat;
pub mod hours;
mod messages;
pub mod ranges;
pub mod rules;

pub use assess::{assess, Assessment, DiscardReason, LessonLedger, Outcome, ReceiptEntry, SessionState, Verdict};
pub use beat::{BeatError, BeatEvent, Heartbeat, HeartbeatIn, SlideTime};
pub use hours::{DayTotal, HoursSummary, StudyHourRules};
pub use ranges::{Span, WatchedRanges};
pub use rules::{CompletionRules, LessonFacts, LessonKind, SeekRule};
