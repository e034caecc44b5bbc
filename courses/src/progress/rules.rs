//! What a lesson is made of and the per-course rules that decide when it is
//! complete. Courses store their rules as JSON; missing fields take the
//! defaults, so adding a rule later never breaks a stored course.

use serde::{Deserialize, Serialize};

use super::assess::LessonLedger;

/// What a lesson presents, which decides how progress is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LessonKind {
    Video,
    Audio,
    Slides,
    Article,
    /// A quiz or test: complete when its result is a pass
    /// (`services::exams::credit`), never by heartbeats.
    Exam,
}

impl LessonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LessonKind::Video => "video",
            LessonKind::Audio => "audio",
            LessonKind::Slides => "slides",
            LessonKind::Article => "article",
            LessonKind::Exam => "exam",
        }
    }

    pub fn parse(s: &str) -> Option<LessonKind> {
        [LessonKind::Video, LessonKind::Audio, LessonKind::Slides, LessonKind::Article, LessonKind::Exam]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// Played media time is what counts (video and audio).
    pub fn is_timed(self) -> bool {
        matches!(self, LessonKind::Video | LessonKind::Audio)
    }
}

/// The measurable size of one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonFacts {
    pub kind: LessonKind,
    /// Media length (video, audio); 0 otherwise.
    pub duration_ms: u64,
    /// Number of slides (slide decks); 0 otherwise.
    pub slide_count: u32,
    /// Length of the article text in characters; 0 otherwise.
    pub article_chars: u32,
}

/// Whether a member may seek into parts they have not watched yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SeekRule {
    /// On first viewing, only inside already-watched parts (or onward from
    /// where playback is); anywhere once the lesson is complete.
    #[default]
    WithinWatched,
    /// Anywhere, always.
    Free,
}

/// A course's completion rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CompletionRules {
    /// Video/audio: complete at this share of unique watched media time.
    pub coverage_percent: u8,
    /// Slides: each slide must be shown at least this long.
    pub slide_min_seconds: u32,
    /// Slides: study time credited per slide at most.
    pub slide_max_seconds: u32,
    /// Articles: reading speed the minimum reading time is scaled by.
    pub article_chars_per_minute: u32,
    /// Articles: minimum reading time however short the text.
    pub article_min_seconds: u32,
    pub seek: SeekRule,
    /// No credit after this many minutes without interaction.
    pub idle_minutes: u32,
}

impl Default for CompletionRules {
    fn default() -> Self {
        CompletionRules {
            coverage_percent: 95,
            slide_min_seconds: 5,
            slide_max_seconds: 120,
            article_chars_per_minute: 400,
            article_min_seconds: 30,
            seek: SeekRule::WithinWatched,
            idle_minutes: 30,
        }
    }
}

/// A rule outside what makes sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be between {min} and {max}")]
pub struct RulesError {
    pub field: &'static str,
    pub min: u32,
    pub max: u32,
}

impl CompletionRules {
    pub fn validate(&self) -> Result<(), RulesError> {
        let check = |field, value: u32, min, max| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(RulesError { field, min, max })
            }
        };
        check("coverage_percent", u32::from(self.coverage_percent), 50, 100)?;
        check("slide_min_seconds", self.slide_min_seconds, 1, 600)?;
        check("slide_max_seconds", self.slide_max_seconds, self.slide_min_seconds.max(1), 3600)?;
        check("article_chars_per_minute", self.article_chars_per_minute, 50, 5000)?;
        check("article_min_seconds", self.article_min_seconds, 0, 3600)?;
        check("idle_minutes", self.idle_minutes, 1, 240)?;
        Ok(())
    }

    /// Media time that must be watched to complete a timed lesson.
    pub fn required_coverage_ms(&self, facts: &LessonFacts) -> u64 {
        (facts.duration_ms * u64::from(self.coverage_percent)).div_ceil(100)
    }

    /// Visible time an article needs: its length at the reading speed, at
    /// least the minimum.
    pub fn required_reading_ms(&self, facts: &LessonFacts) -> u64 {
        let scaled = u64::from(facts.article_chars) * 60_000 / u64::from(self.article_chars_per_minute.max(1));
        scaled.max(u64::from(self.article_min_seconds) * 1000)
    }

    /// Most study time an article earns: twice its required reading time.
    pub fn article_credit_cap_ms(&self, facts: &LessonFacts) -> u64 {
        self.required_reading_ms(facts) * 2
    }

    pub fn idle_limit_ms(&self) -> u64 {
        u64::from(self.idle_minutes) * 60_000
    }

    /// Whether the ledger meets the rules for this lesson.
    pub fn is_complete(&self, facts: &LessonFacts, ledger: &LessonLedger) -> bool {
        self.percent(facts, ledger) >= 100
    }

    /// Progress towards completion, 0–100.
    pub fn percent(&self, facts: &LessonFacts, ledger: &LessonLedger) -> u8 {
        let ratio = |done: u64, need: u64| -> u8 { (done.min(need) * 100).checked_div(need).map_or(100, |p| p as u8) };
        match facts.kind {
            LessonKind::Video | LessonKind::Audio => {
                if facts.duration_ms == 0 {
                    return 0;
                }
                ratio(ledger.watched.total(), self.required_coverage_ms(facts))
            }
            LessonKind::Slides => {
                if facts.slide_count == 0 {
                    return 0;
                }
                let min = u64::from(self.slide_min_seconds) * 1000;
                let shown = (0..facts.slide_count as usize)
                    .filter(|&i| ledger.slide_ms.get(i).copied().unwrap_or(0) >= min)
                    .count() as u64;
                ratio(shown, u64::from(facts.slide_count))
            }
            LessonKind::Article => ratio(ledger.visible_ms, self.required_reading_ms(facts)),
            LessonKind::Exam => {
                if ledger.completed_at.is_some() {
                    100
                } else {
                    0
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_rules_take_defaults_for_missing_fields_and_refuse_unknown_ones() {
        let r: CompletionRules = serde_json::from_str(r#"{"coverage_percent": 80}"#).unwrap();
        assert_eq!(r.coverage_percent, 80);
        assert_eq!(r.slide_min_seconds, 5);
        assert!(serde_json::from_str::<CompletionRules>(r#"{"coverag": 80}"#).is_err());
    }

    #[test]
    fn out_of_range_rules_name_the_field() {
        let r = CompletionRules { coverage_percent: 20, ..Default::default() };
        assert_eq!(r.validate().unwrap_err().field, "coverage_percent");
        let r = CompletionRules { idle_minutes: 0, ..Default::default() };
        assert_eq!(r.validate().unwrap_err().field, "idle_minutes");
        assert!(CompletionRules::default().validate().is_ok());
    }

    #[test]
    fn reading_time_scales_with_length_above_a_floor() {
        let r = CompletionRules::default();
        let short = LessonFacts { kind: LessonKind::Article, duration_ms: 0, slide_count: 0, article_chars: 100 };
        let long = LessonFacts { article_chars: 4000, ..short };
        assert_eq!(r.required_reading_ms(&short), 30_000);
        assert_eq!(r.required_reading_ms(&long), 600_000);
    }

    #[test]
    fn coverage_rounds_up() {
        let r = CompletionRules::default();
        let f = LessonFacts { kind: LessonKind::Video, duration_ms: 1001, slide_count: 0, article_chars: 0 };
        assert_eq!(r.required_coverage_ms(&f), 951);
    }
}
