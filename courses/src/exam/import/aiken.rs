//! Aiken, the simplest quiz text format: single choice questions only.
//!
//! ```text
//! 预备党员的预备期为多长时间？
//! A. 一年
//! B. 两年
//! ANSWER: A
//! ```
//!
//! Questions are separated by blank lines; options are `A.` or `A)`.

use super::problem::{FormatProblem, ImportProblem};
use super::{Entry, Location, Report};
use crate::exam::draft::QuestionDraft;
use crate::exam::problem::option_label;
use crate::exam::question::QuestionKind;

/// One entry per question of the text.
pub fn parse(text: &str) -> Report {
    blocks(text)
        .into_iter()
        .enumerate()
        .map(|(i, (line, lines))| Entry {
            location: Location::Question { number: i + 1, line, title: None },
            outcome: read_question(&lines),
        })
        .collect()
}

/// Runs of non-blank lines, each with its first line's number (1-based).
pub(super) fn blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut open = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\u{feff}').trim();
        if line.is_empty() {
            open = false;
        } else if open {
            if let Some(last) = out.last_mut() {
                last.1.push(line);
            }
        } else {
            out.push((n + 1, vec![line]));
            open = true;
        }
    }
    out
}

/// `A. text` or `A) text` → the text.
fn option_text(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let letter = chars.next()?;
    let mark = chars.next()?;
    (letter.is_ascii_uppercase() && matches!(mark, '.' | ')')).then(|| line[2..].trim())
}

fn read_question(lines: &[&str]) -> Result<crate::exam::Question, Vec<ImportProblem>> {
    let (stem, rest) = lines.split_first().map_or(("", &[][..]), |(s, r)| (*s, r));
    let mut options = Vec::new();
    let mut answer = None;
    let mut problems: Vec<ImportProblem> = Vec::new();
    for line in rest {
        if let Some(letter) = line.strip_prefix("ANSWER:") {
            answer = Some(letter.trim());
            break;
        }
        match option_text(line) {
            Some(text) => options.push(text.to_owned()),
            None if problems.is_empty() => {
                problems.push(FormatProblem::MalformedOptionLine { line: (*line).to_owned() }.into())
            }
            None => {}
        }
    }
    if answer.is_none() {
        problems.push(FormatProblem::MissingAnswerLine.into());
    }
    // A question whose lines could not be read says nothing more that is true.
    if !problems.is_empty() {
        return Err(problems);
    }
    let draft = QuestionDraft {
        kind: QuestionKind::Single.as_str().to_owned(),
        stem: stem.to_owned(),
        options,
        answer: answer.unwrap_or_default().to_owned(),
        ..Default::default()
    };
    draft.build().map_err(|ps| ps.into_iter().map(ImportProblem::from).collect())
}

/// The Aiken text of single choice questions; others are skipped, as Aiken
/// cannot hold them.
pub fn export(questions: &[crate::exam::Question]) -> String {
    let mut out = String::new();
    for q in questions {
        let crate::exam::question::Key::Single(id) = q.key() else { continue };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&q.stem().replace('\n', " "));
        out.push('\n');
        for (i, o) in q.options().iter().enumerate() {
            out.push_str(&format!("{}. {}\n", option_label(i), o.text));
        }
        let at = q.options().iter().position(|o| o.id == *id).unwrap_or_default();
        out.push_str(&format!("ANSWER: {}\n", option_label(at)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::problem::QuestionProblem;
    use crate::exam::question::{Key, OptionId};

    #[test]
    fn a_question_with_options_and_an_answer_line_is_single_choice() {
        let report = parse("\u{feff}预备期？\nA. 一年\nB) 两年\nANSWER: A\n\n\n第二题？\nA. 甲\nB. 乙\nANSWER: B\n");
        assert_eq!(report.len(), 2);
        assert_eq!(report[0].outcome.as_ref().unwrap().key(), &Key::Single(OptionId(1)));
        assert_eq!(report[1].location, Location::Question { number: 2, line: 7, title: None });
    }

    #[test]
    fn a_missing_answer_line_is_reported_alone() {
        let report = parse("题？\nA. 甲\nB. 乙\n");
        assert_eq!(report[0].problems(), [FormatProblem::MissingAnswerLine.into()]);
    }

    #[test]
    fn a_letter_beyond_the_options_and_a_lone_option_are_reported() {
        let far = parse("题？\nA. 甲\nB. 乙\nANSWER: C\n");
        assert_eq!(far[0].problems(), [QuestionProblem::AnswerNotAnOption { answer: "C".into() }.into()]);
        let lone = parse("题？\nA. 甲\nANSWER: A\n");
        assert_eq!(lone[0].problems(), [QuestionProblem::TooFewOptions { given: 1 }.into()]);
    }

    #[test]
    fn an_option_with_a_chinese_comma_is_a_malformed_line() {
        let report = parse("题？\nA、甲\nB、乙\nANSWER: A\n");
        assert_eq!(report[0].problems(), [FormatProblem::MalformedOptionLine { line: "A、甲".into() }.into()]);
    }

    #[test]
    fn exported_single_choice_questions_parse_back_the_same() {
        let source = "预备期？\nA. 一年\nB. 两年\nANSWER: B\n\n第二题？\nA. 甲\nB. 乙\nC. 丙\nANSWER: C\n";
        let questions: Vec<_> = parse(source).into_iter().map(|e| e.outcome.unwrap()).collect();
        let text = export(&questions);
        assert_eq!(text, source);
        let again: Vec<_> = parse(&text).into_iter().map(|e| e.outcome.unwrap()).collect();
        assert_eq!(again, questions);
    }
}
