//! A question from loose parts, as an import row (题型, 题干, 选项A…H,
//! 答案, 解析, 难度, 分类) or an editing form gives them. Building reports
//! every problem of the row, not just the first.

use super::problem::QuestionProblem;
use super::question::{Choice, Difficulty, OptionId, Question, QuestionData, QuestionKind};

/// A question as typed. Importers fill the fields from their format;
/// nothing is checked until [`QuestionDraft::build`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionDraft {
    /// A code (`single`) or a Chinese name (`单选题`); see [`QuestionKind::parse`].
    pub kind: String,
    pub stem: String,
    /// Option texts in order A, B, …; empty trailing cells are ignored.
    pub options: Vec<String>,
    /// Option letters for choice questions (`A`, `A,C`, `ACD`, `A、C`);
    /// `对`/`错` (or `正确`/`错误`, `√`/`×`, `T`/`F`, `true`/`false`) for
    /// true/false; the reference answer for a short answer. Fill-in
    /// questions use `blanks`.
    pub answer: String,
    /// Each blank's accepted answers (fill-in only).
    pub blanks: Vec<Vec<String>>,
    pub explanation: String,
    /// None (an empty cell) is the default difficulty, 3.
    pub difficulty: Option<i64>,
    pub categories: Vec<String>,
}

impl QuestionDraft {
    /// The checked question, or every problem found. Options get ids 1, 2, …
    /// in order.
    pub fn build(&self) -> Result<Question, Vec<QuestionProblem>> {
        let mut problems = Vec::new();
        let kind = QuestionKind::parse(&self.kind);
        if kind.is_none() {
            problems.push(QuestionProblem::UnknownKind { value: self.kind.trim().to_owned() });
        }
        let kind_or_any = kind.unwrap_or(QuestionKind::ShortAnswer);
        let texts = trim_trailing_empty(&self.options);
        let options: Vec<Choice> =
            texts.iter().zip(1u16..).map(|(text, id)| Choice { id: OptionId(id), text: text.to_string() }).collect();
        let (correct, truth, reference) = match kind_or_any {
            QuestionKind::Single | QuestionKind::Multiple => {
                (letters(&self.answer, options.len(), &mut problems), None, String::new())
            }
            QuestionKind::TrueFalse => (vec![], truth(&self.answer, &mut problems), String::new()),
            QuestionKind::FillIn => (vec![], None, String::new()),
            QuestionKind::ShortAnswer => (vec![], None, self.answer.clone()),
        };
        let difficulty = match self.difficulty.map(Difficulty::new).unwrap_or(Ok(Difficulty::DEFAULT)) {
            Ok(d) => d.level(),
            Err(p) => {
                problems.push(p);
                Difficulty::DEFAULT.level()
            }
        };
        let data = QuestionData {
            kind: kind_or_any,
            stem: self.stem.clone(),
            options: if kind.is_some() { options } else { vec![] },
            correct,
            truth,
            blanks: if kind == Some(QuestionKind::FillIn) { self.blanks.clone() } else { vec![] },
            reference,
            explanation: self.explanation.clone(),
            difficulty,
            categories: self.categories.clone(),
        };
        if kind.is_some() && kind != Some(QuestionKind::FillIn) && !self.blanks.is_empty() {
            problems.push(QuestionProblem::AnswerDoesNotFitKind);
        }
        match Question::from_data(data) {
            Ok(q) if problems.is_empty() => Ok(q),
            Ok(_) => Err(problems),
            Err(more) => {
                // With an unknown kind, only the checks every kind shares say
                // something true about the row.
                // An unreadable answer already explains why none is left.
                let answer_reported = problems.iter().any(|p| {
                    matches!(p, QuestionProblem::BadAnswer { .. } | QuestionProblem::AnswerNotAnOption { .. })
                });
                let shared = more
                    .into_iter()
                    .filter(|p| kind.is_some() || !depends_on_kind(p))
                    .filter(|p| !(answer_reported && *p == QuestionProblem::NoAnswer));
                problems.extend(shared);
                Err(problems)
            }
        }
    }
}

fn depends_on_kind(p: &QuestionProblem) -> bool {
    !matches!(
        p,
        QuestionProblem::EmptyStem
            | QuestionProblem::StemTooLong
            | QuestionProblem::ExplanationTooLong
            | QuestionProblem::DifficultyOutOfRange { .. }
            | QuestionProblem::BadCategory { .. }
            | QuestionProblem::TooManyCategories { .. }
    )
}

fn trim_trailing_empty(cells: &[String]) -> &[String] {
    let end = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
    &cells[..end]
}

/// `A`, `A,C`, `ACD`, `a、c`, full-width `Ａ` → option ids (1-based
/// positions). An empty answer is left to the question's own check.
fn letters(raw: &str, option_count: usize, problems: &mut Vec<QuestionProblem>) -> Vec<OptionId> {
    let mut ids = Vec::new();
    for c in raw.chars() {
        if c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；' | '/') {
            continue;
        }
        let half = match c {
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c => c,
        };
        if !half.is_ascii_alphabetic() {
            problems.push(QuestionProblem::BadAnswer { value: raw.trim().to_owned() });
            return vec![];
        }
        let upper = half.to_ascii_uppercase();
        let position = usize::from(upper as u8 - b'A');
        if position >= option_count {
            problems.push(QuestionProblem::AnswerNotAnOption { answer: upper.to_string() });
            continue;
        }
        let id = OptionId(u16::from(upper as u8 - b'A') + 1);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn truth(raw: &str, problems: &mut Vec<QuestionProblem>) -> Option<bool> {
    let value = match raw.trim().to_lowercase().as_str() {
        "" => return None,
        "对" | "正确" | "是" | "√" | "✓" | "t" | "true" | "yes" | "y" => true,
        "错" | "错误" | "否" | "×" | "✗" | "x" | "f" | "false" | "no" | "n" => false,
        _ => {
            problems.push(QuestionProblem::BadAnswer { value: raw.trim().to_owned() });
            return None;
        }
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::question::Key;

    fn row(kind: &str, stem: &str, options: &[&str], answer: &str) -> QuestionDraft {
        QuestionDraft {
            kind: kind.into(),
            stem: stem.into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            answer: answer.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_spreadsheet_row_of_a_multiple_choice_question_builds() {
        let mut r = row("多选题", "党的纪律包括哪些？", &["政治纪律", "组织纪律", "廉洁纪律", "", ""], "A，C");
        r.explanation = "见党章第四十条。".into();
        r.difficulty = Some(2);
        r.categories = vec!["党章".into(), " 党章 ".into(), "纪律".into()];
        let q = r.build().unwrap();
        assert_eq!(q.options().len(), 3);
        assert_eq!(q.key(), &Key::Multiple([OptionId(1), OptionId(3)].into()));
        assert_eq!(q.difficulty().level(), 2);
        let cats: Vec<&str> = q.categories().iter().map(|c| c.as_str()).collect();
        assert_eq!(cats, ["党章", "纪律"]);
    }

    #[test]
    fn true_false_answers_are_read_in_their_usual_spellings() {
        for (answer, expected) in [("对", true), ("错", false), ("√", true), ("×", false), ("F", false)] {
            let q = row("判断题", "党章是党的根本大法。", &[], answer).build().unwrap();
            assert_eq!(q.key(), &Key::TrueFalse(expected), "{answer}");
        }
        assert_eq!(
            row("判断题", "题干", &[], "也许").build().unwrap_err(),
            vec![QuestionProblem::BadAnswer { value: "也许".into() }]
        );
    }

    #[test]
    fn fill_in_blanks_and_short_answers_build_from_their_own_fields() {
        let mut fill = row("填空题", "中国共产党成立于____年。", &[], "");
        fill.blanks = vec![vec!["1921".into(), "一九二一".into()]];
        assert_eq!(fill.build().unwrap().blank_count(), 1);
        let short = row("简答题", "简述党的三大作风。", &[], "理论联系实际……").build().unwrap();
        assert_eq!(short.key(), &Key::ShortAnswer { reference: "理论联系实际……".into() });
    }

    #[test]
    fn every_problem_of_a_bad_row_is_reported_at_once() {
        let mut r = row("单选题", "  ", &["甲", "乙", "甲"], "E");
        r.difficulty = Some(7);
        assert_eq!(
            r.build().unwrap_err(),
            vec![
                QuestionProblem::AnswerNotAnOption { answer: "E".into() },
                QuestionProblem::DifficultyOutOfRange { given: 7 },
                QuestionProblem::EmptyStem,
                QuestionProblem::DuplicateOption { first: "A".into(), again: "C".into() },
            ]
        );
    }

    #[test]
    fn an_unknown_type_is_reported_with_the_problems_every_type_shares() {
        let mut r = row("论述题", "", &["a"], "A");
        r.difficulty = Some(0);
        assert_eq!(
            r.build().unwrap_err(),
            vec![
                QuestionProblem::UnknownKind { value: "论述题".into() },
                QuestionProblem::DifficultyOutOfRange { given: 0 },
                QuestionProblem::EmptyStem,
            ]
        );
    }

    #[test]
    fn unreadable_letters_and_two_answers_to_a_single_choice_are_refused() {
        let bad = row("单选题", "题", &["a", "b"], "甲").build().unwrap_err();
        assert_eq!(bad, vec![QuestionProblem::BadAnswer { value: "甲".into() }]);
        let two = row("单选题", "题", &["a", "b"], "AB").build().unwrap_err();
        assert_eq!(two, vec![QuestionProblem::SingleWithManyAnswers { given: 2 }]);
        let none = row("多选题", "题", &["a", "b"], "").build().unwrap_err();
        assert_eq!(none, vec![QuestionProblem::NoAnswer]);
    }
}
