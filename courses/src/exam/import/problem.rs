//! What can be wrong with an imported question beyond the question's own
//! checks: the file's format (a missing column, a GIFT brace, an Aiken
//! line). Each problem has a stable code and a message in Chinese and
//! English, like [`QuestionProblem`].

use serde::Serialize;

use crate::exam::problem::QuestionProblem;
use crate::i18n::{Lang, Localize};

/// A fault of the file's format at one question (or, for a missing column,
/// of the whole table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FormatProblem {
    #[error("the header has no column `{name}`")]
    MissingColumn { name: String },
    #[error("difficulty `{value}` is not a whole number")]
    BadDifficulty { value: String },
    #[error("the stem has {in_stem} blanks (`____`) but the answer fills {answers}")]
    BlanksDoNotMatchStem { in_stem: usize, answers: usize },
    #[error("an answer block `{{` is not closed with `}}`")]
    UnclosedBrace,
    #[error("a `}}` closes no answer block")]
    StrayClosingBrace,
    #[error("a `{{` opens inside an answer block; write a literal brace as `\\{{`")]
    NestedBrace,
    #[error("the question has two answer blocks")]
    TwoAnswerBlocks,
    #[error("the question has no answer block `{{…}}`")]
    NoAnswerBlock,
    #[error("no answer is marked correct (`=` or a positive `~%weight%`)")]
    NoCorrectAnswer,
    #[error("the positive weights add up to {total}%, not 100%")]
    WeightsNotHundred { total: String },
    #[error("this answer form is not supported: {what}")]
    UnsupportedAnswerForm { what: String },
    #[error("the question has no `ANSWER:` line")]
    MissingAnswerLine,
    #[error("line `{line}` is not an option (`A. text` or `A) text`)")]
    MalformedOptionLine { line: String },
}

impl FormatProblem {
    /// Stable machine-readable code (the `code` field of its JSON).
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingColumn { .. } => "missing_column",
            Self::BadDifficulty { .. } => "bad_difficulty",
            Self::BlanksDoNotMatchStem { .. } => "blanks_do_not_match_stem",
            Self::UnclosedBrace => "unclosed_brace",
            Self::StrayClosingBrace => "stray_closing_brace",
            Self::NestedBrace => "nested_brace",
            Self::TwoAnswerBlocks => "two_answer_blocks",
            Self::NoAnswerBlock => "no_answer_block",
            Self::NoCorrectAnswer => "no_correct_answer",
            Self::WeightsNotHundred { .. } => "weights_not_hundred",
            Self::UnsupportedAnswerForm { .. } => "unsupported_answer_form",
            Self::MissingAnswerLine => "missing_answer_line",
            Self::MalformedOptionLine { .. } => "malformed_option_line",
        }
    }
}

impl Localize for FormatProblem {
    fn localize(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return crate::i18n::sentence(self);
        }
        match self {
            Self::MissingColumn { name } => format!("表头缺少“{name}”列。"),
            Self::BadDifficulty { value } => format!("难度“{value}”不是整数，请填写 1–5。"),
            Self::BlanksDoNotMatchStem { in_stem, answers } => {
                format!("题干有 {in_stem} 个空（____），答案却有 {answers} 个；各空的答案请用“;”分隔。")
            }
            Self::UnclosedBrace => "答案块的“{”没有对应的“}”。".into(),
            Self::StrayClosingBrace => "出现了没有对应“{”的“}”。".into(),
            Self::NestedBrace => "答案块内又出现了“{”；题干中的花括号请写成“\\{”。".into(),
            Self::TwoAnswerBlocks => "一道题只能有一个答案块。".into(),
            Self::NoAnswerBlock => "题目没有答案块“{…}”。".into(),
            Self::NoCorrectAnswer => "没有标出正确答案（“=”或正的“~%权重%”）。".into(),
            Self::WeightsNotHundred { total } => format!("正确选项的权重合计为 {total}%，应为 100%。"),
            Self::UnsupportedAnswerForm { what } => format!("不支持这种答案形式：{what}。"),
            Self::MissingAnswerLine => "缺少“ANSWER:”行。".into(),
            Self::MalformedOptionLine { line } => {
                format!("“{line}”不是选项行，选项请写成“A. 内容”或“A) 内容”。")
            }
        }
    }
}

/// A problem of an imported question: its format, or the question itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ImportProblem {
    Format(FormatProblem),
    Question(QuestionProblem),
}

impl ImportProblem {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Format(p) => p.code(),
            Self::Question(p) => p.code(),
        }
    }
}

impl From<FormatProblem> for ImportProblem {
    fn from(p: FormatProblem) -> Self {
        Self::Format(p)
    }
}

impl From<QuestionProblem> for ImportProblem {
    fn from(p: QuestionProblem) -> Self {
        Self::Question(p)
    }
}

impl Localize for ImportProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Self::Format(p) => p.localize(lang),
            Self::Question(p) => p.localize(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_problem_reads_in_both_languages_with_a_distinct_stable_code() {
        use FormatProblem::*;
        let all = vec![
            MissingColumn { name: "题干".into() },
            BadDifficulty { value: "难".into() },
            BlanksDoNotMatchStem { in_stem: 2, answers: 1 },
            UnclosedBrace,
            StrayClosingBrace,
            NestedBrace,
            TwoAnswerBlocks,
            NoAnswerBlock,
            NoCorrectAnswer,
            WeightsNotHundred { total: "70".into() },
            UnsupportedAnswerForm { what: "matching".into() },
            MissingAnswerLine,
            MalformedOptionLine { line: "A、x".into() },
        ];
        let mut codes: Vec<&str> = all.iter().map(FormatProblem::code).collect();
        for p in &all {
            let (zh, en) = (p.localize(Lang::Zh), p.localize(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{p:?}");
            assert_eq!(serde_json::to_value(p).unwrap()["code"], p.code());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn a_wrapped_question_problem_keeps_its_own_code_and_message() {
        let p = ImportProblem::from(QuestionProblem::EmptyStem);
        assert_eq!(p.code(), "empty_stem");
        assert_eq!(p.localize(Lang::Zh), "题干为空。");
        assert_eq!(serde_json::to_value(&p).unwrap()["code"], "empty_stem");
    }
}
