//! Why a question cannot be saved: each problem with a stable code and a
//! message an author can act on, in Chinese and English. A question's
//! checks return all of them, so an import reports a bad row fully.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::question::{
    MAX_ACCEPTED, MAX_ACCEPTED_CHARS, MAX_BLANKS, MAX_CATEGORIES, MAX_CATEGORY_CHARS, MAX_EXPLANATION_CHARS,
    MAX_OPTIONS, MAX_OPTION_CHARS, MAX_STEM_CHARS, MIN_OPTIONS,
};
use crate::i18n::{Lang, Localize};

/// How an option is named to people: `A`…`Z` by its position, then numbers.
pub fn option_label(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => char::from(b'A' + i).to_string(),
        _ => (index + 1).to_string(),
    }
}

/// One thing wrong with a question. Options are named by their label
/// (`A`, `B`, …) in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum QuestionProblem {
    #[error("unknown question type `{value}`")]
    UnknownKind { value: String },
    #[error("the stem is empty")]
    EmptyStem,
    #[error("the stem is longer than {MAX_STEM_CHARS} characters")]
    StemTooLong,
    #[error("a choice question needs at least {MIN_OPTIONS} options, {given} given")]
    TooFewOptions { given: usize },
    #[error("a question has at most {MAX_OPTIONS} options, {given} given")]
    TooManyOptions { given: usize },
    #[error("option {option} is empty")]
    EmptyOption { option: String },
    #[error("option {option} is longer than {MAX_OPTION_CHARS} characters")]
    OptionTooLong { option: String },
    #[error("option {again} repeats option {first}")]
    DuplicateOption { first: String, again: String },
    #[error("option id {id} is used twice")]
    DuplicateOptionId { id: u16 },
    #[error("only single and multiple choice questions have options")]
    OptionsNotAllowed,
    #[error("the answer is missing")]
    NoAnswer,
    #[error("the answer `{value}` cannot be read")]
    BadAnswer { value: String },
    #[error("the answer `{answer}` is not one of the options")]
    AnswerNotAnOption { answer: String },
    #[error("a single choice question has one answer, {given} given")]
    SingleWithManyAnswers { given: usize },
    #[error("the answer given does not fit the question type")]
    AnswerDoesNotFitKind,
    #[error("a fill-in question needs at least one blank")]
    NoBlanks,
    #[error("a question has at most {MAX_BLANKS} blanks, {given} given")]
    TooManyBlanks { given: usize },
    #[error("blank {blank} has no accepted answer")]
    BlankWithoutAnswers { blank: usize },
    #[error("blank {blank} has more than {MAX_ACCEPTED} accepted answers")]
    TooManyAcceptedAnswers { blank: usize },
    #[error("an accepted answer of blank {blank} is longer than {MAX_ACCEPTED_CHARS} characters")]
    AcceptedAnswerTooLong { blank: usize },
    #[error("the explanation is longer than {MAX_EXPLANATION_CHARS} characters")]
    ExplanationTooLong,
    #[error("the reference answer is longer than {MAX_EXPLANATION_CHARS} characters")]
    ReferenceTooLong,
    #[error("difficulty must be 1 to 5, {given} given")]
    DifficultyOutOfRange { given: i64 },
    #[error("category `{value}` must be 1 to {MAX_CATEGORY_CHARS} characters")]
    BadCategory { value: String },
    #[error("a question has at most {MAX_CATEGORIES} categories, {given} given")]
    TooManyCategories { given: usize },
}

impl QuestionProblem {
    /// Stable machine-readable code (the `code` field of its JSON).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownKind { .. } => "unknown_kind",
            Self::EmptyStem => "empty_stem",
            Self::StemTooLong => "stem_too_long",
            Self::TooFewOptions { .. } => "too_few_options",
            Self::TooManyOptions { .. } => "too_many_options",
            Self::EmptyOption { .. } => "empty_option",
            Self::OptionTooLong { .. } => "option_too_long",
            Self::DuplicateOption { .. } => "duplicate_option",
            Self::DuplicateOptionId { .. } => "duplicate_option_id",
            Self::OptionsNotAllowed => "options_not_allowed",
            Self::NoAnswer => "no_answer",
            Self::BadAnswer { .. } => "bad_answer",
            Self::AnswerNotAnOption { .. } => "answer_not_an_option",
            Self::SingleWithManyAnswers { .. } => "single_with_many_answers",
            Self::AnswerDoesNotFitKind => "answer_does_not_fit_kind",
            Self::NoBlanks => "no_blanks",
            Self::TooManyBlanks { .. } => "too_many_blanks",
            Self::BlankWithoutAnswers { .. } => "blank_without_answers",
            Self::TooManyAcceptedAnswers { .. } => "too_many_accepted_answers",
            Self::AcceptedAnswerTooLong { .. } => "accepted_answer_too_long",
            Self::ExplanationTooLong => "explanation_too_long",
            Self::ReferenceTooLong => "reference_too_long",
            Self::DifficultyOutOfRange { .. } => "difficulty_out_of_range",
            Self::BadCategory { .. } => "bad_category",
            Self::TooManyCategories { .. } => "too_many_categories",
        }
    }
}

impl Localize for QuestionProblem {
    fn localize(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return crate::i18n::sentence(self);
        }
        match self {
            Self::UnknownKind { value } => {
                format!("未知的题型“{value}”，请填写：单选题、多选题、判断题、填空题或简答题。")
            }
            Self::EmptyStem => "题干为空。".into(),
            Self::StemTooLong => format!("题干超过 {MAX_STEM_CHARS} 个字符。"),
            Self::TooFewOptions { given } => format!("选择题至少需要 {MIN_OPTIONS} 个选项，当前只有 {given} 个。"),
            Self::TooManyOptions { given } => format!("选项最多 {MAX_OPTIONS} 个（A–H），当前有 {given} 个。"),
            Self::EmptyOption { option } => format!("选项 {option} 为空。"),
            Self::OptionTooLong { option } => format!("选项 {option} 超过 {MAX_OPTION_CHARS} 个字符。"),
            Self::DuplicateOption { first, again } => format!("选项 {again} 与选项 {first} 重复。"),
            Self::DuplicateOptionId { id } => format!("选项编号 {id} 重复，请刷新页面后重试。"),
            Self::OptionsNotAllowed => "只有单选题和多选题有选项；判断题请在答案中填写“对”或“错”。".into(),
            Self::NoAnswer => "缺少答案。".into(),
            Self::BadAnswer { value } => {
                format!("答案“{value}”无法识别：选择题填写选项字母（如 A 或 A,C），判断题填写“对”或“错”。")
            }
            Self::AnswerNotAnOption { answer } => format!("答案“{answer}”不是本题的选项。"),
            Self::SingleWithManyAnswers { given } => {
                format!("单选题只能有一个答案，当前有 {given} 个；多个答案请使用多选题。")
            }
            Self::AnswerDoesNotFitKind => "答案与题型不符。".into(),
            Self::NoBlanks => "填空题至少需要一个空及其答案。".into(),
            Self::TooManyBlanks { given } => format!("填空题最多 {MAX_BLANKS} 个空，当前有 {given} 个。"),
            Self::BlankWithoutAnswers { blank } => format!("第 {blank} 个空没有可接受的答案。"),
            Self::TooManyAcceptedAnswers { blank } => format!("第 {blank} 个空的可接受答案超过 {MAX_ACCEPTED} 个。"),
            Self::AcceptedAnswerTooLong { blank } => {
                format!("第 {blank} 个空的某个答案超过 {MAX_ACCEPTED_CHARS} 个字符。")
            }
            Self::ExplanationTooLong => format!("解析超过 {MAX_EXPLANATION_CHARS} 个字符。"),
            Self::ReferenceTooLong => format!("参考答案超过 {MAX_EXPLANATION_CHARS} 个字符。"),
            Self::DifficultyOutOfRange { given } => format!("难度须为 1–5 的整数，当前为 {given}。"),
            Self::BadCategory { value } => {
                format!("分类“{value}”无效：须为 1–{MAX_CATEGORY_CHARS} 个字符，且不能包含控制字符。")
            }
            Self::TooManyCategories { given } => format!("每题最多 {MAX_CATEGORIES} 个分类，当前有 {given} 个。"),
        }
    }
}

/// All the problems of one question, for places that need one error value
/// (reading a stored question back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<QuestionProblem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&all.join("; "))
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<QuestionProblem> {
        use QuestionProblem::*;
        let s = |v: &str| v.to_string();
        vec![
            UnknownKind { value: s("论述题") },
            EmptyStem,
            StemTooLong,
            TooFewOptions { given: 1 },
            TooManyOptions { given: 9 },
            EmptyOption { option: s("B") },
            OptionTooLong { option: s("C") },
            DuplicateOption { first: s("A"), again: s("C") },
            DuplicateOptionId { id: 2 },
            OptionsNotAllowed,
            NoAnswer,
            BadAnswer { value: s("甲") },
            AnswerNotAnOption { answer: s("E") },
            SingleWithManyAnswers { given: 2 },
            AnswerDoesNotFitKind,
            NoBlanks,
            TooManyBlanks { given: 21 },
            BlankWithoutAnswers { blank: 2 },
            TooManyAcceptedAnswers { blank: 1 },
            AcceptedAnswerTooLong { blank: 1 },
            ExplanationTooLong,
            ReferenceTooLong,
            DifficultyOutOfRange { given: 9 },
            BadCategory { value: s("") },
            TooManyCategories { given: 11 },
        ]
    }

    #[test]
    fn every_problem_reads_in_both_languages_with_a_distinct_stable_code() {
        let problems = all();
        let mut codes: Vec<&str> = problems.iter().map(QuestionProblem::code).collect();
        for p in &problems {
            let (zh, en) = (p.localize(Lang::Zh), p.localize(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{p:?}");
            assert_eq!(serde_json::to_value(p).unwrap()["code"], p.code());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), problems.len());
    }

    #[test]
    fn messages_name_the_option_and_the_blank() {
        let dup = QuestionProblem::DuplicateOption { first: "A".into(), again: "C".into() };
        assert_eq!(dup.localize(Lang::Zh), "选项 C 与选项 A 重复。");
        assert_eq!(dup.localize(Lang::En), "Option C repeats option A.");
        assert!(QuestionProblem::BlankWithoutAnswers { blank: 2 }.localize(Lang::Zh).contains("第 2 个空"));
    }

    #[test]
    fn options_are_labelled_by_letter() {
        assert_eq!(option_label(0), "A");
        assert_eq!(option_label(7), "H");
        assert_eq!(option_label(26), "27");
    }
}
