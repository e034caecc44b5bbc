//! Grading one answer against a question's key.
//!
//! Scoring rules:
//! - single choice and true/false: all the points or none;
//! - multiple choice, as the exam sets ([`MultipleScoring`]):
//!   all-or-nothing, or proportional: choosing any wrong option scores 0,
//!   otherwise the points × right options chosen ÷ right options, rounded
//!   down to a tenth (so A,C of a key A,C,D at 3 points scores 2);
//! - fill-in: each blank earns an equal share, points × right blanks ÷
//!   blanks, rounded down to a tenth; a blank is right when its folded text
//!   (see [`fold`](super::text::fold)) equals a folded accepted answer;
//! - short answer: pending until a grader scores it, unless left empty;
//! - no answer at all scores 0.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::points::Points;
use super::question::{Key, OptionId, Question, QuestionKind};
use super::text::chars;
use crate::i18n::{Lang, Localize};

/// Longest text a taker may give for one blank or one short answer, in
/// characters. Longer saves are refused, not cut.
pub const MAX_ANSWER_CHARS: usize = 10_000;

/// A taker's answer to one question, as the page sends it. Unknown fields
/// (a `score` or `correct` the client made up) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    Single {
        option: OptionId,
    },
    Multiple {
        options: Vec<OptionId>,
    },
    TrueFalse {
        value: bool,
    },
    /// One text per blank, in order.
    FillIn {
        blanks: Vec<String>,
    },
    ShortAnswer {
        text: String,
    },
}

impl Answer {
    pub fn kind(&self) -> QuestionKind {
        match self {
            Answer::Single { .. } => QuestionKind::Single,
            Answer::Multiple { .. } => QuestionKind::Multiple,
            Answer::TrueFalse { .. } => QuestionKind::TrueFalse,
            Answer::FillIn { .. } => QuestionKind::FillIn,
            Answer::ShortAnswer { .. } => QuestionKind::ShortAnswer,
        }
    }

    /// Whether this answer can be saved for `q`: the right kind, only its
    /// own option ids, each blank once, no oversized text. Saves call it
    /// as grading does.
    pub fn check(&self, q: &Question) -> Result<(), AnswerError> {
        if self.kind() != q.kind() {
            return Err(AnswerError::WrongKind { expected: q.kind(), given: self.kind() });
        }
        let known =
            |id: &OptionId| if q.has_option(*id) { Ok(()) } else { Err(AnswerError::UnknownOption { id: id.0 }) };
        match self {
            Answer::Single { option } => known(option),
            Answer::Multiple { options } => {
                options.iter().try_for_each(known)?;
                let distinct: BTreeSet<_> = options.iter().collect();
                if distinct.len() == options.len() {
                    Ok(())
                } else {
                    Err(AnswerError::RepeatedOption)
                }
            }
            Answer::TrueFalse { .. } => Ok(()),
            Answer::FillIn { blanks } => {
                if blanks.len() != q.blank_count() {
                    return Err(AnswerError::WrongBlankCount { expected: q.blank_count(), given: blanks.len() });
                }
                if blanks.iter().any(|b| chars(b) > MAX_ANSWER_CHARS) {
                    return Err(AnswerError::TextTooLong);
                }
                Ok(())
            }
            Answer::ShortAnswer { text } if chars(text) > MAX_ANSWER_CHARS => Err(AnswerError::TextTooLong),
            Answer::ShortAnswer { .. } => Ok(()),
        }
    }
}

/// How multiple choice questions score in an exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MultipleScoring {
    /// Exactly the right options, or nothing.
    #[default]
    AllOrNothing,
    /// Any wrong option scores 0; otherwise a share per right option chosen.
    Proportional,
}

/// The outcome of grading one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Grade {
    /// Scored; `points` is at most the question's worth.
    Scored { points: Points, correctness: Correctness },
    /// A short answer waiting for a grader.
    Pending,
}

/// How right a scored answer is, for the review and per-question reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Correctness {
    Correct,
    Partial,
    Wrong,
    Unanswered,
}

impl Grade {
    fn scored(points: Points, worth: Points) -> Grade {
        let correctness = if points == worth {
            Correctness::Correct
        } else if points == Points::ZERO {
            Correctness::Wrong
        } else {
            Correctness::Partial
        };
        Grade::Scored { points, correctness }
    }

    /// A grader's score for a short answer: at most the question's worth.
    pub fn manual(points: Points, worth: Points) -> Result<Grade, AnswerError> {
        if points > worth {
            return Err(AnswerError::ScoreAboveWorth { worth });
        }
        Ok(Grade::scored(points, worth))
    }

    pub fn points(self) -> Option<Points> {
        match self {
            Grade::Scored { points, .. } => Some(points),
            Grade::Pending => None,
        }
    }
}

/// Grades `answer` (None: left unanswered) to `q`, worth `worth` points.
pub fn grade(
    q: &Question,
    answer: Option<&Answer>,
    worth: Points,
    scoring: MultipleScoring,
) -> Result<Grade, AnswerError> {
    let Some(answer) = answer else {
        return Ok(Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered });
    };
    answer.check(q)?;
    let all_or_nothing = |right: bool| Grade::scored(if right { worth } else { Points::ZERO }, worth);
    let grade = match (q.key(), answer) {
        (Key::Single(key), Answer::Single { option }) => all_or_nothing(key == option),
        (Key::TrueFalse(key), Answer::TrueFalse { value }) => all_or_nothing(key == value),
        (Key::Multiple(key), Answer::Multiple { options }) => {
            let chosen: BTreeSet<OptionId> = options.iter().copied().collect();
            if chosen.is_empty() {
                Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered }
            } else if !chosen.is_subset(key) {
                all_or_nothing(false)
            } else {
                match scoring {
                    MultipleScoring::AllOrNothing => all_or_nothing(chosen == *key),
                    MultipleScoring::Proportional => {
                        Grade::scored(worth.share(count(chosen.len()), count(key.len())), worth)
                    }
                }
            }
        }
        (Key::FillIn(_), Answer::FillIn { blanks }) if blanks.iter().all(|b| b.trim().is_empty()) => {
            Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered }
        }
        (Key::FillIn(key), Answer::FillIn { blanks }) => {
            let right = key.iter().zip(blanks).filter(|(k, given)| k.accepts(given)).count();
            Grade::scored(worth.share(count(right), count(key.len())), worth)
        }
        (Key::ShortAnswer { .. }, Answer::ShortAnswer { text }) if text.trim().is_empty() => {
            Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered }
        }
        (Key::ShortAnswer { .. }, Answer::ShortAnswer { .. }) => Grade::Pending,
        // `check` has matched the answer's kind with the key's.
        _ => return Err(AnswerError::WrongKind { expected: q.kind(), given: answer.kind() }),
    };
    Ok(grade)
}

/// Counts of options or blanks, bounded far below `u32::MAX` by the
/// question's limits.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Why an answer cannot be saved or graded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("this question is {}, not {}", expected.name(Lang::En), given.name(Lang::En))]
    WrongKind { expected: QuestionKind, given: QuestionKind },
    #[error("option {id} is not an option of this question")]
    UnknownOption { id: u16 },
    #[error("the same option is chosen twice")]
    RepeatedOption,
    #[error("this question has {expected} blanks, {given} answered")]
    WrongBlankCount { expected: usize, given: usize },
    #[error("an answer may be at most {MAX_ANSWER_CHARS} characters")]
    TextTooLong,
    #[error("a score may be at most the question's {worth} points")]
    ScoreAboveWorth { worth: Points },
}

impl AnswerError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongKind { .. } => "answer_wrong_kind",
            Self::UnknownOption { .. } => "answer_unknown_option",
            Self::RepeatedOption => "answer_repeated_option",
            Self::WrongBlankCount { .. } => "answer_wrong_blank_count",
            Self::TextTooLong => "answer_too_long",
            Self::ScoreAboveWorth { .. } => "score_above_worth",
        }
    }
}

impl Localize for AnswerError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::WrongKind { expected, given }, Lang::Zh) => {
                format!("本题是{}，提交的答案却是{}，请刷新页面后重试。", expected.name(lang), given.name(lang))
            }
            (Self::UnknownOption { id }, Lang::Zh) => format!("选项 {id} 不属于本题，请刷新页面后重试。"),
            (Self::RepeatedOption, Lang::Zh) => "同一选项被选择了两次。".into(),
            (Self::WrongBlankCount { expected, given }, Lang::Zh) => {
                format!("本题有 {expected} 个空，提交了 {given} 个答案。")
            }
            (Self::TextTooLong, Lang::Zh) => format!("答案最多 {MAX_ANSWER_CHARS} 个字符。"),
            (Self::ScoreAboveWorth { worth }, Lang::Zh) => format!("评分不能超过本题分值 {worth} 分。"),
            (e, Lang::En) => {
                let en = e.to_string();
                let mut cs = en.chars();
                cs.next().map(|c| c.to_uppercase().chain(cs).collect::<String>() + ".").unwrap_or(en)
            }
        }
    }
}

#[cfg(test)]
#[path = "grade_tests.rs"]
mod tests;
