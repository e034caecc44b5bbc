//! A question of a bank, checked: its kind, stem, options with stable ids,
//! answer key, explanation (解析), difficulty and categories; and the view
//! a taker receives, which carries no key.
//!
//! Questions are built from loose parts ([`QuestionDraft`](super::draft::QuestionDraft), as an import
//! row or a form gives them) or from their stored form ([`QuestionData`],
//! options already numbered). Both report every problem at once, so an
//! import can tell a person all that is wrong with a row.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use super::parts::{Category, Choice, Difficulty, OptionId, QuestionKind};
use super::problem::Problems;
use super::text::fold;

/// Longest stem (Markdown), in characters.
pub const MAX_STEM_CHARS: usize = 10_000;
/// Longest option text, in characters.
pub const MAX_OPTION_CHARS: usize = 1_000;
/// Longest explanation or reference answer, in characters.
pub const MAX_EXPLANATION_CHARS: usize = 10_000;
/// Fewest options of a choice question.
pub const MIN_OPTIONS: usize = 2;
/// Most options: the import layout has columns 选项A … 选项H.
pub const MAX_OPTIONS: usize = 8;
/// Most blanks of a fill-in question.
pub const MAX_BLANKS: usize = 20;
/// Most accepted answers of one blank.
pub const MAX_ACCEPTED: usize = 20;
/// Longest accepted answer of a blank, in characters.
pub const MAX_ACCEPTED_CHARS: usize = 200;
/// Most categories of one question.
pub const MAX_CATEGORIES: usize = 10;
/// Longest category name, in characters.
pub const MAX_CATEGORY_CHARS: usize = 32;

/// The accepted answers of one blank; any of them, folded as
/// [`fold`] does, is right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blank(pub(super) Vec<String>);

impl Blank {
    pub fn accepted(&self) -> &[String] {
        &self.0
    }

    pub fn accepts(&self, given: &str) -> bool {
        let given = fold(given);
        !given.is_empty() && self.0.iter().any(|a| fold(a) == given)
    }
}

/// The answer key: never sent to a taker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Single(OptionId),
    /// Every right option; at least one.
    Multiple(BTreeSet<OptionId>),
    TrueFalse(bool),
    FillIn(Vec<Blank>),
    /// Graded by hand; the reference answer guides the grader (may be empty).
    ShortAnswer {
        reference: String,
    },
}

impl Key {
    pub fn kind(&self) -> QuestionKind {
        match self {
            Key::Single(_) => QuestionKind::Single,
            Key::Multiple(_) => QuestionKind::Multiple,
            Key::TrueFalse(_) => QuestionKind::TrueFalse,
            Key::FillIn(_) => QuestionKind::FillIn,
            Key::ShortAnswer { .. } => QuestionKind::ShortAnswer,
        }
    }
}

/// A checked question. Stored and read back as [`QuestionData`], checked
/// again on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "QuestionData", into = "QuestionData")]
pub struct Question {
    pub(super) stem: String,
    pub(super) options: Vec<Choice>,
    pub(super) key: Key,
    pub(super) explanation: String,
    pub(super) difficulty: Difficulty,
    pub(super) categories: Vec<Category>,
}

impl Question {
    pub fn kind(&self) -> QuestionKind {
        self.key.kind()
    }
    /// Markdown, unsanitized: it is sanitized when rendered, like articles.
    pub fn stem(&self) -> &str {
        &self.stem
    }
    /// In the author's order; empty unless single or multiple choice.
    pub fn options(&self) -> &[Choice] {
        &self.options
    }
    pub fn key(&self) -> &Key {
        &self.key
    }
    /// 解析, shown in the review when the exam allows.
    pub fn explanation(&self) -> &str {
        &self.explanation
    }
    pub fn difficulty(&self) -> Difficulty {
        self.difficulty
    }
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }
    pub fn has_option(&self, id: OptionId) -> bool {
        self.options.iter().any(|c| c.id == id)
    }
    /// Blanks a fill-in answer must give (0 for other kinds).
    pub fn blank_count(&self) -> usize {
        match &self.key {
            Key::FillIn(blanks) => blanks.len(),
            _ => 0,
        }
    }
}

/// A question's stored form: plain fields, options numbered. Which answer
/// fields apply depends on `kind`: `correct` for choices, `truth` for
/// true/false, `blanks` for fill-in, `reference` for short answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionData {
    pub kind: QuestionKind,
    pub stem: String,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub correct: Vec<OptionId>,
    #[serde(default)]
    pub truth: Option<bool>,
    /// Each blank's accepted answers.
    #[serde(default)]
    pub blanks: Vec<Vec<String>>,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub explanation: String,
    pub difficulty: u8,
    #[serde(default)]
    pub categories: Vec<String>,
}

impl TryFrom<QuestionData> for Question {
    type Error = Problems;
    fn try_from(data: QuestionData) -> Result<Self, Self::Error> {
        Question::from_data(data).map_err(Problems)
    }
}

impl From<Question> for QuestionData {
    fn from(q: Question) -> QuestionData {
        let kind = q.kind();
        let (mut correct, mut truth, mut blanks, mut reference) = (vec![], None, vec![], String::new());
        match q.key {
            Key::Single(id) => correct.push(id),
            Key::Multiple(ids) => correct.extend(ids),
            Key::TrueFalse(t) => truth = Some(t),
            Key::FillIn(bs) => blanks = bs.into_iter().map(|b| b.0).collect(),
            Key::ShortAnswer { reference: r } => reference = r,
        }
        QuestionData {
            kind,
            stem: q.stem,
            options: q.options,
            correct,
            truth,
            blanks,
            reference,
            explanation: q.explanation,
            difficulty: q.difficulty.level(),
            categories: q.categories.into_iter().map(String::from).collect(),
        }
    }
}

/// What a taker's page receives: the stem, and the options in the order
/// the attempt's paper shows them. No key, no explanation, no reference
/// answer: nothing here tells a right answer from a wrong one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionForTaker {
    pub kind: QuestionKind,
    pub stem: String,
    /// Empty unless single or multiple choice.
    pub options: Vec<Choice>,
    /// Blanks to fill (0 unless fill-in).
    pub blanks: usize,
}

impl QuestionForTaker {
    /// The question with its options in `order` (option ids); ids not in
    /// the question are skipped and options left out of `order` follow in
    /// the author's order, so a stale order never hides an option.
    pub fn new(q: &Question, order: &[OptionId]) -> QuestionForTaker {
        let mut options: Vec<Choice> = Vec::with_capacity(q.options.len());
        let in_order = order.iter().filter_map(|id| q.options.iter().find(|c| c.id == *id));
        for c in in_order.chain(&q.options) {
            if !options.iter().any(|o| o.id == c.id) {
                options.push(c.clone());
            }
        }
        QuestionForTaker { kind: q.kind(), stem: q.stem.clone(), options, blanks: q.blank_count() }
    }
}

#[cfg(test)]
#[path = "question_tests.rs"]
mod tests;
