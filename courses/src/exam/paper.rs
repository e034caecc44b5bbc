//! The paper of an exam: which questions an attempt shows, at how many
//! points, in what order. A paper is fixed questions or draw rules; the
//! server draws it once per attempt from a seed and stores the result, so
//! an attempt always shows the same questions (and question versions).
//!
//! Drawing uses ChaCha8 seeded from the attempt's seed, with candidates
//! sorted by id first: the same seed and bank give the same paper on any
//! platform, whatever order the database returned the bank in.

use std::collections::BTreeSet;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::points::Points;
use super::question::{Category, Difficulty, OptionId, Question, QuestionKind};
use crate::i18n::{Lang, Localize};

/// Most questions one paper may hold.
pub const MAX_PAPER_QUESTIONS: usize = 300;

/// Database id of a question version: attempts keep the version they showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct QuestionId(pub i64);

/// A question chosen by hand, with its worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FixedItem {
    pub question: QuestionId,
    pub points: Points,
}

/// "`count` questions of `kind` from `category` at `difficulty`, `points`
/// each"; no category or difficulty means any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawRule {
    pub count: u16,
    pub kind: QuestionKind,
    #[serde(default)]
    pub category: Option<Category>,
    #[serde(default)]
    pub difficulty: Option<Difficulty>,
    pub points_each: Points,
}

impl DrawRule {
    fn matches(&self, q: &Question) -> bool {
        q.kind() == self.kind
            && self.category.as_ref().is_none_or(|c| q.categories().contains(c))
            && self.difficulty.is_none_or(|d| q.difficulty() == d)
    }

    /// "单选题 · 党章 · 难度 2", naming the rule in messages.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = vec![self.kind.name(lang).to_owned()];
        if let Some(c) = &self.category {
            parts.push(c.as_str().to_owned());
        }
        if let Some(d) = self.difficulty {
            parts.push(format!("{} {}", lang.pick("难度", "difficulty"), d.level()));
        }
        parts.join(" · ")
    }
}

/// What an exam's paper is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PaperSpec {
    Fixed { items: Vec<FixedItem> },
    Drawn { rules: Vec<DrawRule> },
}

/// Whether an attempt's questions, and each choice question's options,
/// come in a random order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Shuffle {
    pub questions: bool,
    pub options: bool,
}

/// One question of a drawn paper, as stored with the attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperItem {
    pub question: QuestionId,
    pub points: Points,
    /// The order the options are shown in (empty unless a choice question).
    pub option_order: Vec<OptionId>,
}

/// The questions of one attempt, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paper {
    pub items: Vec<PaperItem>,
}

impl Paper {
    pub fn max_points(&self) -> Points {
        self.items.iter().map(|i| i.points).sum()
    }

    pub fn item(&self, question: QuestionId) -> Option<&PaperItem> {
        self.items.iter().find(|i| i.question == question)
    }
}

/// Why a paper cannot be set or drawn. Rules and items are numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaperError {
    #[error("a paper needs at least one question")]
    Empty,
    #[error("a paper may hold at most {MAX_PAPER_QUESTIONS} questions")]
    TooManyQuestions,
    #[error("rule {rule} draws no questions")]
    ZeroCount { rule: usize },
    #[error("question {item} of the paper is worth no points")]
    ZeroPoints { item: usize },
    #[error("question {id} is on the paper twice")]
    DuplicateQuestion { id: i64 },
    #[error("question {id} is not in the bank")]
    UnknownQuestion { id: i64 },
    #[error(
        "rule {rule} ({}) wants {wanted} questions but the bank has {available} that match",
        what.describe(Lang::En)
    )]
    NotEnoughQuestions { rule: usize, what: Box<DrawRule>, wanted: usize, available: usize },
}

impl PaperError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "paper_empty",
            Self::TooManyQuestions => "paper_too_many_questions",
            Self::ZeroCount { .. } => "paper_rule_zero_count",
            Self::ZeroPoints { .. } => "paper_zero_points",
            Self::DuplicateQuestion { .. } => "paper_duplicate_question",
            Self::UnknownQuestion { .. } => "paper_unknown_question",
            Self::NotEnoughQuestions { .. } => "paper_not_enough_questions",
        }
    }
}

impl Localize for PaperError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Empty, Lang::Zh) => "试卷至少需要一道题。".into(),
            (Self::TooManyQuestions, Lang::Zh) => format!("一份试卷最多 {MAX_PAPER_QUESTIONS} 道题。"),
            (Self::ZeroCount { rule }, Lang::Zh) => format!("第 {rule} 条抽题规则的题数为 0。"),
            (Self::ZeroPoints { item }, Lang::Zh) => format!("试卷第 {item} 题（或规则）的分值为 0。"),
            (Self::DuplicateQuestion { id }, Lang::Zh) => format!("试题 {id} 在试卷中出现了两次。"),
            (Self::UnknownQuestion { id }, Lang::Zh) => format!("试题 {id} 不在题库中，或已被删除。"),
            (Self::NotEnoughQuestions { rule, what, wanted, available }, Lang::Zh) => format!(
                "第 {rule} 条抽题规则（{}）需要 {wanted} 道题，题库中符合条件的只有 {available} 道；请补充试题或减少题数。",
                what.describe(Lang::Zh)
            ),
            (e, Lang::En) => {
                let en = e.to_string();
                let mut cs = en.chars();
                cs.next().map(|c| c.to_uppercase().chain(cs).collect::<String>() + ".").unwrap_or(en)
            }
        }
    }
}

impl PaperSpec {
    /// Checks what needs no bank: at least one question, at most
    /// [`MAX_PAPER_QUESTIONS`], every count and worth above zero, no
    /// question twice.
    pub fn check(&self) -> Result<(), PaperError> {
        let total: usize = match self {
            PaperSpec::Fixed { items } => {
                let mut seen = BTreeSet::new();
                for (i, item) in items.iter().enumerate() {
                    if item.points == Points::ZERO {
                        return Err(PaperError::ZeroPoints { item: i + 1 });
                    }
                    if !seen.insert(item.question) {
                        return Err(PaperError::DuplicateQuestion { id: item.question.0 });
                    }
                }
                items.len()
            }
            PaperSpec::Drawn { rules } => {
                for (i, rule) in rules.iter().enumerate() {
                    if rule.count == 0 {
                        return Err(PaperError::ZeroCount { rule: i + 1 });
                    }
                    if rule.points_each == Points::ZERO {
                        return Err(PaperError::ZeroPoints { item: i + 1 });
                    }
                }
                rules.iter().map(|r| usize::from(r.count)).sum()
            }
        };
        match total {
            0 => Err(PaperError::Empty),
            n if n > MAX_PAPER_QUESTIONS => Err(PaperError::TooManyQuestions),
            _ => Ok(()),
        }
    }

    /// How many questions every paper of this spec holds.
    pub fn question_count(&self) -> usize {
        match self {
            PaperSpec::Fixed { items } => items.len(),
            PaperSpec::Drawn { rules } => rules.iter().map(|r| usize::from(r.count)).sum(),
        }
    }

    /// The points every paper of this spec is worth.
    pub fn max_points(&self) -> Points {
        match self {
            PaperSpec::Fixed { items } => items.iter().map(|i| i.points).sum(),
            PaperSpec::Drawn { rules } => rules
                .iter()
                .map(|r| Points::from_tenths(r.points_each.tenths().saturating_mul(u32::from(r.count))))
                .sum(),
        }
    }

    /// The paper of one attempt, drawn from `bank` with `seed`. Rules draw
    /// in order without replacement: a question drawn by one rule is not
    /// drawn again by a later, wider one. Without question shuffling a
    /// drawn paper keeps the rules' order (all single choice first, ...).
    pub fn draw(&self, bank: &[(QuestionId, &Question)], shuffle: Shuffle, seed: u64) -> Result<Paper, PaperError> {
        self.check()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut sorted: Vec<(QuestionId, &Question)> = bank.to_vec();
        sorted.sort_by_key(|(id, _)| *id);
        sorted.dedup_by_key(|(id, _)| *id);
        let mut chosen: Vec<(QuestionId, &Question, Points)> = Vec::new();
        match self {
            PaperSpec::Fixed { items } => {
                for item in items {
                    let (_, q) = sorted
                        .iter()
                        .find(|(id, _)| *id == item.question)
                        .ok_or(PaperError::UnknownQuestion { id: item.question.0 })?;
                    chosen.push((item.question, q, item.points));
                }
            }
            PaperSpec::Drawn { rules } => {
                let mut used = BTreeSet::new();
                for (i, rule) in rules.iter().enumerate() {
                    let mut candidates: Vec<&(QuestionId, &Question)> =
                        sorted.iter().filter(|(id, q)| !used.contains(id) && rule.matches(q)).collect();
                    let wanted = usize::from(rule.count);
                    if candidates.len() < wanted {
                        return Err(PaperError::NotEnoughQuestions {
                            rule: i + 1,
                            what: Box::new(rule.clone()),
                            wanted,
                            available: candidates.len(),
                        });
                    }
                    let (picked, _) = candidates.partial_shuffle(&mut rng, wanted);
                    for (id, q) in picked.iter() {
                        used.insert(*id);
                        chosen.push((*id, q, rule.points_each));
                    }
                }
            }
        }
        if shuffle.questions {
            chosen.shuffle(&mut rng);
        }
        let items = chosen
            .into_iter()
            .map(|(question, q, points)| {
                let mut option_order: Vec<OptionId> = q.options().iter().map(|c| c.id).collect();
                if shuffle.options {
                    option_order.shuffle(&mut rng);
                }
                PaperItem { question, points, option_order }
            })
            .collect();
        Ok(Paper { items })
    }
}

#[cfg(test)]
#[path = "paper_tests.rs"]
mod tests;
