//! Written work of a party class (心得体会, 思想汇报): what the 班主任 asks
//! for, what a student hands in, and the review (accepted, or returned
//! with a comment). Length is counted in characters as a reader counts
//! them: each Chinese character, letter or emoji is one; whitespace is
//! not counted.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::i18n::{Lang, Localize};

/// Longest essay, in characters.
pub const MAX_ESSAY_CHARS: usize = 100_000;

/// What kind of writing is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EssayKind {
    /// 心得体会.
    Reflection,
    /// 思想汇报.
    ThoughtReport,
}

impl EssayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reflection => "reflection",
            Self::ThoughtReport => "thought_report",
        }
    }

    pub fn parse(s: &str) -> Option<EssayKind> {
        [Self::Reflection, Self::ThoughtReport].into_iter().find(|k| k.as_str() == s)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Reflection => lang.pick("心得体会", "Reflection"),
            Self::ThoughtReport => lang.pick("思想汇报", "Thought report"),
        }
    }
}

/// Where a student's essay stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EssayState {
    /// Handed in, waiting for the 班主任.
    Submitted,
    Accepted,
    /// Sent back with a comment; the student may hand it in again.
    Returned,
}

impl EssayState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<EssayState> {
        [Self::Submitted, Self::Accepted, Self::Returned].into_iter().find(|k| k.as_str() == s)
    }
}

/// Characters as a reader counts them.
pub fn essay_chars(text: &str) -> usize {
    text.graphemes(true).filter(|g| !g.chars().all(char::is_whitespace)).count()
}

/// An assignment to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEssayTask {
    pub title: String,
    pub kind: EssayKind,
    /// Shortest accepted text; the class's setting when absent.
    #[serde(default)]
    pub min_chars: Option<u32>,
}

/// A student's essay as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EssayView {
    pub task_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub text: String,
    pub chars: u32,
    pub state: EssayState,
    /// The 班主任's comment on a returned (or accepted) essay.
    pub comment: Option<String>,
    /// Unix milliseconds.
    pub submitted_at_ms: i64,
    /// The document it was handed in as (its text is `text`), to download.
    pub file_name: Option<String>,
    pub file_url: Option<String>,
}

/// An assignment of a class, with the essays handed in (all of them for
/// its 班主任, the caller's own for a student).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EssayTaskView {
    pub id: i64,
    pub class_id: i64,
    pub title: String,
    pub kind: EssayKind,
    pub min_chars: u32,
    pub essays: Vec<EssayView>,
}

/// A student hands in (or again, after it was returned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EssayIn {
    pub text: String,
}

/// The 班主任's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EssayReview {
    pub accept: bool,
    /// Required when returning it.
    #[serde(default)]
    pub comment: String,
}

/// Why an essay or a task is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EssayError {
    #[error("a title must be 1–200 characters")]
    BadTitle,
    #[error("the essay has {have} characters; at least {need} are asked for")]
    TooShort { have: usize, need: u32 },
    #[error("an essay may have at most 100,000 characters")]
    TooLong,
    #[error("this essay was accepted and cannot change")]
    AlreadyAccepted,
    #[error("say why the essay is returned")]
    NoComment,
    #[error("the shortest essay must be at most 100,000 characters")]
    BadMinimum,
}

impl Localize for EssayError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::BadTitle, Lang::Zh) => "题目须为 1–200 个字符。".into(),
            (Self::BadTitle, Lang::En) => "A title must be 1–200 characters.".into(),
            (Self::TooShort { have, need }, Lang::Zh) => {
                format!("当前 {have} 字，要求至少 {need} 字，请补充后再提交。")
            }
            (Self::TooShort { have, need }, Lang::En) => {
                format!(
                    "The essay has {have} characters; at least {need} are asked for. Add to it and hand it in again."
                )
            }
            (Self::TooLong, Lang::Zh) => "文章不能超过 100,000 字。".into(),
            (Self::TooLong, Lang::En) => "An essay may have at most 100,000 characters.".into(),
            (Self::AlreadyAccepted, Lang::Zh) => "这篇文章已通过审阅，不能再修改。".into(),
            (Self::AlreadyAccepted, Lang::En) => "This essay was accepted and cannot change.".into(),
            (Self::NoComment, Lang::Zh) => "退回时请写明原因。".into(),
            (Self::NoComment, Lang::En) => "Say why the essay is returned.".into(),
            (Self::BadMinimum, Lang::Zh) => "最少字数不能超过 100,000。".into(),
            (Self::BadMinimum, Lang::En) => "The shortest essay must be at most 100,000 characters.".into(),
        }
    }
}

/// Checks a hand-in against the task's minimum.
pub fn check_essay(text: &str, min_chars: u32) -> Result<u32, EssayError> {
    let n = essay_chars(text);
    if n > MAX_ESSAY_CHARS {
        return Err(EssayError::TooLong);
    }
    if n < min_chars as usize {
        return Err(EssayError::TooShort { have: n, need: min_chars });
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_counted_by_character_and_whitespace_not_at_all() {
        assert_eq!(essay_chars("坚持 全心全意\n为人民服务。"), 12);
        assert_eq!(essay_chars("a b"), 2);
        assert_eq!(essay_chars("👍🏽党"), 2, "an emoji with its skin tone is one character");
        assert_eq!(essay_chars("  \n\t "), 0);
    }

    #[test]
    fn a_short_essay_says_how_long_it_is_and_how_long_it_must_be() {
        let err = check_essay(&"学".repeat(1499), 1500).unwrap_err();
        assert_eq!(err, EssayError::TooShort { have: 1499, need: 1500 });
        assert!(err.localize(Lang::Zh).contains("1499") && err.localize(Lang::Zh).contains("1500"));
        assert_eq!(check_essay(&"学".repeat(1500), 1500), Ok(1500));
        assert_eq!(check_essay(&"学".repeat(100_001), 0), Err(EssayError::TooLong));
    }
}
