//! The small parts of a question: its kind, option ids, difficulty,
//! categories and options.

use serde::{Deserialize, Serialize};

use super::problem::QuestionProblem;
use super::question::MAX_CATEGORY_CHARS;
use super::text::chars;
use crate::i18n::Lang;

/// The kinds of questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// 单选题.
    Single,
    /// 多选题.
    Multiple,
    /// 判断题.
    TrueFalse,
    /// 填空题.
    FillIn,
    /// 简答题, graded by hand.
    ShortAnswer,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [Self::Single, Self::Multiple, Self::TrueFalse, Self::FillIn, Self::ShortAnswer];

    /// The stable code stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::TrueFalse => "true_false",
            Self::FillIn => "fill_in",
            Self::ShortAnswer => "short_answer",
        }
    }

    /// Accepts the code or the Chinese name, as spreadsheets use both.
    pub fn parse(s: &str) -> Option<QuestionKind> {
        let s = s.trim().to_lowercase();
        let kind = match s.as_str() {
            "single" | "单选" | "单选题" | "单项选择题" => Self::Single,
            "multiple" | "多选" | "多选题" | "多项选择题" => Self::Multiple,
            "true_false" | "判断" | "判断题" => Self::TrueFalse,
            "fill_in" | "填空" | "填空题" => Self::FillIn,
            "short_answer" | "简答" | "简答题" | "问答题" => Self::ShortAnswer,
            _ => return None,
        };
        Some(kind)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Single => ("单选题", "single choice"),
            Self::Multiple => ("多选题", "multiple choice"),
            Self::TrueFalse => ("判断题", "true/false"),
            Self::FillIn => ("填空题", "fill in the blank"),
            Self::ShortAnswer => ("简答题", "short answer"),
        };
        lang.pick(zh, en)
    }

    pub(super) fn has_options(self) -> bool {
        matches!(self, Self::Single | Self::Multiple)
    }
}

/// An option's id within its question version: stable when options are
/// shown shuffled, and the only thing a taker's answer names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OptionId(pub u16);

/// How hard a question is, 1 (easiest) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Difficulty(u8);

impl Difficulty {
    /// What an import row with an empty 难度 cell gets.
    pub const DEFAULT: Difficulty = Difficulty(3);

    pub fn new(level: i64) -> Result<Difficulty, QuestionProblem> {
        match u8::try_from(level) {
            Ok(l @ 1..=5) => Ok(Difficulty(l)),
            _ => Err(QuestionProblem::DifficultyOutOfRange { given: level }),
        }
    }

    pub fn level(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Difficulty {
    type Error = QuestionProblem;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Difficulty::new(i64::from(level))
    }
}

impl From<Difficulty> for u8 {
    fn from(d: Difficulty) -> u8 {
        d.0
    }
}

/// A category such as 党章 or 党史: trimmed, 1–32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Category(String);

impl Category {
    pub fn parse(raw: &str) -> Result<Category, QuestionProblem> {
        let t = raw.trim();
        if (1..=MAX_CATEGORY_CHARS).contains(&chars(t)) && !t.chars().any(char::is_control) {
            Ok(Category(t.to_owned()))
        } else {
            Err(QuestionProblem::BadCategory { value: raw.to_owned() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Category {
    type Error = QuestionProblem;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Category::parse(&s)
    }
}

impl From<Category> for String {
    fn from(c: Category) -> String {
        c.0
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub id: OptionId,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_kinds_parse_from_codes_and_chinese_names() {
        for k in QuestionKind::ALL {
            assert_eq!(QuestionKind::parse(k.as_str()), Some(k));
            assert_eq!(QuestionKind::parse(k.name(Lang::Zh)), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(QuestionKind::parse("论述题"), None);
    }

    #[test]
    fn difficulty_is_one_to_five() {
        assert!(Difficulty::new(1).is_ok() && Difficulty::new(5).is_ok());
        assert_eq!(Difficulty::new(0), Err(QuestionProblem::DifficultyOutOfRange { given: 0 }));
        assert!(serde_json::from_value::<Difficulty>(serde_json::json!(6)).is_err());
    }
}
