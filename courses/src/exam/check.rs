//! Checking a question's stored form: every rule a question must meet,
//! each broken one reported.

use std::collections::BTreeSet;

use super::parts::{Category, Choice, Difficulty, QuestionKind};
use super::problem::{option_label, QuestionProblem};
use super::question::{
    Blank, Key, Question, QuestionData, MAX_ACCEPTED, MAX_ACCEPTED_CHARS, MAX_BLANKS, MAX_CATEGORIES,
    MAX_EXPLANATION_CHARS, MAX_OPTIONS, MAX_OPTION_CHARS, MAX_STEM_CHARS, MIN_OPTIONS,
};
use super::text::{chars, fold};

impl Question {
    /// Checks a stored or edited question, reporting every problem.
    pub fn from_data(data: QuestionData) -> Result<Question, Vec<QuestionProblem>> {
        let mut problems = Vec::new();
        let stem = check_stem(&data.stem, &mut problems);
        let options = check_options(data.kind, &data.options, &mut problems);
        let key = check_key(&data, &options, &mut problems);
        let explanation = check_long(&data.explanation, QuestionProblem::ExplanationTooLong, &mut problems);
        let difficulty = Difficulty::new(i64::from(data.difficulty)).map_err(|p| problems.push(p)).ok();
        let categories = check_categories(&data.categories, &mut problems);
        match (key, difficulty) {
            (Some(key), Some(difficulty)) if problems.is_empty() => {
                Ok(Question { stem, options, key, explanation, difficulty, categories })
            }
            _ => Err(problems),
        }
    }
}

fn check_stem(raw: &str, problems: &mut Vec<QuestionProblem>) -> String {
    let stem = raw.trim();
    if stem.is_empty() {
        problems.push(QuestionProblem::EmptyStem);
    } else if chars(stem) > MAX_STEM_CHARS {
        problems.push(QuestionProblem::StemTooLong);
    }
    stem.to_owned()
}

fn check_long(raw: &str, problem: QuestionProblem, problems: &mut Vec<QuestionProblem>) -> String {
    let t = raw.trim();
    if chars(t) > MAX_EXPLANATION_CHARS {
        problems.push(problem);
    }
    t.to_owned()
}

fn check_options(kind: QuestionKind, given: &[Choice], problems: &mut Vec<QuestionProblem>) -> Vec<Choice> {
    if !kind.has_options() {
        if !given.is_empty() {
            problems.push(QuestionProblem::OptionsNotAllowed);
        }
        return vec![];
    }
    if given.len() < MIN_OPTIONS {
        problems.push(QuestionProblem::TooFewOptions { given: given.len() });
    } else if given.len() > MAX_OPTIONS {
        problems.push(QuestionProblem::TooManyOptions { given: given.len() });
    }
    let mut seen_ids = BTreeSet::new();
    let mut folded: Vec<String> = Vec::with_capacity(given.len());
    let mut options = Vec::with_capacity(given.len());
    for (i, choice) in given.iter().enumerate() {
        let label = option_label(i);
        let text = choice.text.trim().to_owned();
        if !seen_ids.insert(choice.id) {
            problems.push(QuestionProblem::DuplicateOptionId { id: choice.id.0 });
        }
        if text.is_empty() {
            problems.push(QuestionProblem::EmptyOption { option: label });
        } else if chars(&text) > MAX_OPTION_CHARS {
            problems.push(QuestionProblem::OptionTooLong { option: label });
        } else {
            let f = fold(&text);
            if let Some(first) = folded.iter().position(|g| *g == f) {
                problems.push(QuestionProblem::DuplicateOption { first: option_label(first), again: label });
            }
        }
        folded.push(fold(&text));
        options.push(Choice { id: choice.id, text });
    }
    options
}

fn check_key(data: &QuestionData, options: &[Choice], problems: &mut Vec<QuestionProblem>) -> Option<Key> {
    let start = problems.len();
    let key = match data.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let mut correct = BTreeSet::new();
            for id in &data.correct {
                match options.iter().position(|c| c.id == *id) {
                    Some(_) => {
                        correct.insert(*id);
                    }
                    None => problems.push(QuestionProblem::AnswerNotAnOption { answer: id.0.to_string() }),
                }
            }
            match (data.kind, correct.len()) {
                (_, 0) if data.correct.is_empty() => {
                    problems.push(QuestionProblem::NoAnswer);
                    None
                }
                (_, 0) => None,
                (QuestionKind::Single, 1) => correct.first().copied().map(Key::Single),
                (QuestionKind::Single, n) => {
                    problems.push(QuestionProblem::SingleWithManyAnswers { given: n });
                    None
                }
                _ => Some(Key::Multiple(correct)),
            }
        }
        QuestionKind::TrueFalse => match data.truth {
            Some(t) => Some(Key::TrueFalse(t)),
            None => {
                problems.push(QuestionProblem::NoAnswer);
                None
            }
        },
        QuestionKind::FillIn => Some(Key::FillIn(check_blanks(&data.blanks, problems))),
        QuestionKind::ShortAnswer => Some(Key::ShortAnswer {
            reference: check_long(&data.reference, QuestionProblem::ReferenceTooLong, problems),
        }),
    };
    // Answer fields of another kind are refused so that an import never
    // silently drops what a person typed.
    let stray = match data.kind {
        QuestionKind::Single | QuestionKind::Multiple => data.truth.is_some() || !data.blanks.is_empty(),
        QuestionKind::TrueFalse => !data.correct.is_empty() || !data.blanks.is_empty(),
        QuestionKind::FillIn => !data.correct.is_empty() || data.truth.is_some(),
        QuestionKind::ShortAnswer => !data.correct.is_empty() || data.truth.is_some() || !data.blanks.is_empty(),
    };
    if stray {
        problems.push(QuestionProblem::AnswerDoesNotFitKind);
    }
    key.filter(|_| problems.len() == start)
}

fn check_blanks(given: &[Vec<String>], problems: &mut Vec<QuestionProblem>) -> Vec<Blank> {
    if given.is_empty() {
        problems.push(QuestionProblem::NoBlanks);
    } else if given.len() > MAX_BLANKS {
        problems.push(QuestionProblem::TooManyBlanks { given: given.len() });
    }
    let mut blanks = Vec::with_capacity(given.len());
    for (i, accepted) in given.iter().enumerate() {
        let blank = i + 1;
        let mut kept: Vec<String> = Vec::new();
        for a in accepted.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
            if chars(a) > MAX_ACCEPTED_CHARS {
                problems.push(QuestionProblem::AcceptedAnswerTooLong { blank });
            } else if !kept.iter().any(|k| fold(k) == fold(a)) {
                kept.push(a.to_owned());
            }
        }
        if kept.is_empty() {
            problems.push(QuestionProblem::BlankWithoutAnswers { blank });
        } else if kept.len() > MAX_ACCEPTED {
            problems.push(QuestionProblem::TooManyAcceptedAnswers { blank });
        }
        blanks.push(Blank(kept));
    }
    blanks
}

fn check_categories(given: &[String], problems: &mut Vec<QuestionProblem>) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for raw in given {
        match Category::parse(raw) {
            Ok(c) if !out.contains(&c) => out.push(c),
            Ok(_) => {}
            Err(p) => problems.push(p),
        }
    }
    if out.len() > MAX_CATEGORIES {
        problems.push(QuestionProblem::TooManyCategories { given: out.len() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::question::OptionId;

    fn multiple(options: &[&str], categories: &[&str]) -> QuestionData {
        QuestionData {
            kind: QuestionKind::Multiple,
            stem: "下列属于党的优良作风的是？".into(),
            options: options
                .iter()
                .zip(1u16..)
                .map(|(t, id)| Choice { id: OptionId(id), text: t.to_string() })
                .collect(),
            correct: vec![OptionId(1)],
            truth: None,
            blanks: vec![],
            reference: String::new(),
            explanation: String::new(),
            difficulty: 3,
            categories: categories.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn options_that_differ_only_in_case_width_or_spacing_are_duplicates() {
        let d = multiple(&["CPC", "ｃｐｃ", "密切联系 群众", "密切联系  群众"], &[]);
        assert_eq!(
            Question::from_data(d),
            Err(vec![
                QuestionProblem::DuplicateOption { first: "A".into(), again: "B".into() },
                QuestionProblem::DuplicateOption { first: "C".into(), again: "D".into() },
            ])
        );
    }

    #[test]
    fn a_repeated_category_is_kept_once_and_too_many_are_refused() {
        let q = Question::from_data(multiple(&["a", "b"], &["党章", "党章", "党史"])).unwrap();
        assert_eq!(q.categories().len(), 2);
        let eleven: Vec<String> = (0..11).map(|i| format!("分类{i}")).collect();
        let names: Vec<&str> = eleven.iter().map(String::as_str).collect();
        assert_eq!(
            Question::from_data(multiple(&["a", "b"], &names)),
            Err(vec![QuestionProblem::TooManyCategories { given: 11 }])
        );
    }

    #[test]
    fn accepted_answers_of_a_blank_are_trimmed_and_kept_once() {
        let d = QuestionData {
            kind: QuestionKind::FillIn,
            options: vec![],
            correct: vec![],
            blanks: vec![vec![" 1921 ".into(), "１９２１".into(), "一九二一".into()]],
            ..multiple(&[], &[])
        };
        let q = Question::from_data(d).unwrap();
        match q.key() {
            Key::FillIn(blanks) => assert_eq!(blanks[0].accepted(), ["1921", "一九二一"]),
            other => panic!("{other:?}"),
        }
    }
}
