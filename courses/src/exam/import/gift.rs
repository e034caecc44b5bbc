//! Moodle GIFT, as Moodle's own importer reads it: questions separated by
//! blank lines, `//` comment lines, `$CATEGORY:` lines, `::title::`, and
//! one answer block `{…}` per question, with `~ = # { } :` escaped by a
//! backslash in text.
//!
//! | GIFT | question |
//! |---|---|
//! | `{=right ~wrong}` | single choice |
//! | `{~%50%a ~%50%b ~%-100%c}` | multiple choice; every positive weight is correct, and they add up to 100 |
//! | `{T}` `{F}` `{TRUE}` `{FALSE}` | true/false |
//! | `{=a =b}` | fill in the blank: one blank accepting `a` or `b`, at the block's place in the stem |
//! | `{}` | short answer, graded by hand |
//!
//! `####text` inside the block is the general feedback, read as 解析.
//! GIFT has no difficulty; a `难度=N` in a comment line of the question
//! (as [`export`] writes) is read as one.

use super::problem::{FormatProblem, ImportProblem};
use super::table::BLANK;
use super::{Entry, Location, Report};
use crate::exam::draft::QuestionDraft;
use crate::exam::problem::option_label;
use crate::exam::question::QuestionKind;

/// A character of GIFT text and whether a backslash escaped it.
type Marked = Vec<(char, bool)>;

fn mark(s: &str) -> Marked {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push(('\n', true)),
                Some(next) => out.push((next, true)),
                None => out.push(('\\', false)),
            },
            (c, false) => out.push((c, false)),
        }
    }
    out
}

fn text(m: &[(char, bool)]) -> String {
    m.iter().map(|(c, _)| *c).collect()
}

fn find(m: &[(char, bool)], c: char) -> Vec<usize> {
    m.iter().enumerate().filter(|(_, x)| **x == (c, false)).map(|(i, _)| i).collect()
}

/// A question's lines after its comments, with the first one's number.
struct Block<'a> {
    line: usize,
    lines: Vec<&'a str>,
    difficulty: Option<i64>,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out: Vec<Block> = Vec::new();
    let mut current = Block { line: 0, lines: vec![], difficulty: None };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            if !current.lines.is_empty() {
                out.push(current);
            }
            current = Block { line: 0, lines: vec![], difficulty: None };
        } else if let Some(comment) = line.trim_start().strip_prefix("//") {
            current.difficulty = current.difficulty.or_else(|| difficulty_in(comment));
        } else {
            if current.lines.is_empty() {
                current.line = n + 1;
            }
            current.lines.push(line);
        }
    }
    if !current.lines.is_empty() {
        out.push(current);
    }
    out
}

/// `难度=2` in a comment.
fn difficulty_in(comment: &str) -> Option<i64> {
    let (_, rest) = comment.split_once("难度=")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// One entry per question; `$CATEGORY:` lines set the category of the
/// questions after them.
pub fn parse(source: &str) -> Report {
    let mut category: Option<String> = None;
    let mut report = Vec::new();
    for block in blocks(source) {
        let mut lines = block.lines.as_slice();
        if let Some(rest) = lines.first().and_then(|l| l.trim_start().strip_prefix("$CATEGORY:")) {
            let path = rest.trim().trim_start_matches("$course$/").trim_start_matches("top/");
            category = path.rsplit('/').next().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
            lines = &lines[1..];
            if lines.is_empty() {
                continue;
            }
        }
        let marked = mark(&lines.join("\n"));
        let (title, rest) = split_title(&marked);
        let mut outcome = read_question(rest, block.difficulty);
        if let (Ok(draft), Some(c)) = (&mut outcome, &category) {
            draft.categories = vec![c.clone()];
        }
        report.push(Entry {
            location: Location::Question { number: report.len() + 1, line: block.line, title },
            outcome: outcome.and_then(|d| d.build().map_err(|ps| ps.into_iter().map(ImportProblem::from).collect())),
        });
    }
    report
}

/// `::title::rest` → the title and the rest.
fn split_title(m: &[(char, bool)]) -> (Option<String>, &[(char, bool)]) {
    let start = m.iter().take_while(|(c, e)| c.is_whitespace() && !e).count();
    let m = &m[start..];
    if m.len() >= 2 && m[0] == (':', false) && m[1] == (':', false) {
        let colons = find(&m[2..], ':');
        if let Some(end) = colons.windows(2).find(|w| w[1] == w[0] + 1).map(|w| w[0] + 2) {
            return (Some(text(&m[2..end]).trim().to_owned()), &m[end + 2..]);
        }
    }
    (None, m)
}

fn read_question(m: &[(char, bool)], difficulty: Option<i64>) -> Result<QuestionDraft, Vec<ImportProblem>> {
    let (opens, closes) = (find(m, '{'), find(m, '}'));
    let fault = |p: FormatProblem| Err(vec![ImportProblem::from(p)]);
    let Some(&open) = opens.first() else {
        return fault(if closes.is_empty() { FormatProblem::NoAnswerBlock } else { FormatProblem::StrayClosingBrace });
    };
    if closes.first().is_some_and(|&c| c < open) {
        return fault(FormatProblem::StrayClosingBrace);
    }
    let Some(&close) = closes.first() else { return fault(FormatProblem::UnclosedBrace) };
    if opens.get(1).is_some_and(|&o| o < close) {
        return fault(FormatProblem::NestedBrace);
    }
    if opens.len() > 1 {
        return fault(FormatProblem::TwoAnswerBlocks);
    }
    if closes.len() > 1 {
        return fault(FormatProblem::StrayClosingBrace);
    }
    let (before, body, after) = (text(&m[..open]), &m[open + 1..close], text(&m[close + 1..]));
    let stem = if after.trim().is_empty() {
        before.trim().to_owned()
    } else {
        format!("{}{BLANK}{}", before.trim_start(), after.trim_end())
    };
    let mut draft = QuestionDraft { stem, difficulty, ..Default::default() };
    let body = match (0..body.len()).find(|&i| body[i..].starts_with(&[('#', false); 4])) {
        Some(i) => {
            draft.explanation = text(&body[i + 4..]).trim().to_owned();
            &body[..i]
        }
        None => body,
    };
    read_answers(body, &mut draft)?;
    Ok(draft)
}

/// One `=` or `~` answer of a block.
struct Answer {
    correct_mark: bool,
    weight: Option<f64>,
    text: String,
}

fn read_answers(body: &[(char, bool)], draft: &mut QuestionDraft) -> Result<(), Vec<ImportProblem>> {
    let unsupported = |what: &str| Err(vec![FormatProblem::UnsupportedAnswerForm { what: what.to_owned() }.into()]);
    let head = text(&body[..find(body, '#').first().copied().unwrap_or(body.len())]);
    let kind = |k: QuestionKind| k.as_str().to_owned();
    match head.trim().to_uppercase().as_str() {
        "" if find(body, '=').is_empty() && find(body, '~').is_empty() => {
            if !head.trim().is_empty() || !find(body, '#').is_empty() {
                return unsupported("numeric (#)");
            }
            draft.kind = kind(QuestionKind::ShortAnswer);
            return Ok(());
        }
        "T" | "TRUE" | "F" | "FALSE" => {
            draft.kind = kind(QuestionKind::TrueFalse);
            draft.answer = if head.trim().to_uppercase().starts_with('T') { "对" } else { "错" }.into();
            return Ok(());
        }
        _ => {}
    }
    let answers = split_answers(body);
    if answers.is_empty() {
        return unsupported("an answer block without `=` or `~`");
    }
    if answers.iter().any(|a| a.text.contains("->")) {
        return unsupported("matching (->)");
    }
    if answers.iter().all(|a| a.correct_mark) {
        draft.kind = kind(QuestionKind::FillIn);
        draft.blanks = vec![answers.into_iter().filter(|a| a.weight.is_none_or(|w| w > 0.0)).map(|a| a.text).collect()];
        return Ok(());
    }
    let weighted: Vec<f64> =
        answers.iter().filter(|a| !a.correct_mark).filter_map(|a| a.weight).filter(|w| *w > 0.0).collect();
    let correct: Vec<String> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| a.correct_mark || a.weight.is_some_and(|w| w > 0.0))
        .map(|(i, _)| option_label(i))
        .collect();
    if correct.is_empty() {
        return Err(vec![FormatProblem::NoCorrectAnswer.into()]);
    }
    if !weighted.is_empty() {
        let total: f64 = weighted.iter().sum();
        if (total - 100.0).abs() > 0.01 {
            let total = format!("{}", (total * 1000.0).round() / 1000.0);
            return Err(vec![FormatProblem::WeightsNotHundred { total }.into()]);
        }
    }
    draft.kind = kind(if weighted.is_empty() { QuestionKind::Single } else { QuestionKind::Multiple });
    draft.answer = correct.join(",");
    draft.options = answers.into_iter().map(|a| a.text).collect();
    Ok(())
}

/// `=a ~%50%b#feedback` → answers, per-answer feedback dropped.
fn split_answers(body: &[(char, bool)]) -> Vec<Answer> {
    let mut answers: Vec<(bool, Marked)> = Vec::new();
    for &(c, escaped) in body {
        match (c, escaped) {
            ('=', false) | ('~', false) => answers.push((c == '=', Vec::new())),
            _ => {
                if let Some((_, m)) = answers.last_mut() {
                    m.push((c, escaped));
                }
            }
        }
    }
    answers
        .into_iter()
        .map(|(correct_mark, m)| {
            let m = &m[..find(&m, '#').first().copied().unwrap_or(m.len())];
            let raw = text(m);
            let trimmed = raw.trim();
            let (weight, rest) = match trimmed.strip_prefix('%').and_then(|r| r.split_once('%')) {
                Some((w, rest)) => (w.trim().parse::<f64>().ok(), rest),
                None => (None, trimmed),
            };
            Answer { correct_mark, weight, text: rest.trim().to_owned() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::question::{Key, OptionId};

    fn one(source: &str) -> Entry {
        let mut report = parse(source);
        assert_eq!(report.len(), 1, "{report:?}");
        report.remove(0)
    }

    #[test]
    fn a_titled_single_choice_with_feedback_and_a_category_builds() {
        let e = one("// 难度=2\n$CATEGORY: $course$/top/党章\n\n::Q1::预备期\\: 多长？ {\n\t~两年\n\t=一年\n\t####见党章\\=第七条。\n}\n");
        assert_eq!(e.location, Location::Question { number: 1, line: 4, title: Some("Q1".into()) });
        let q = e.outcome.unwrap();
        assert_eq!(q.stem(), "预备期: 多长？");
        assert_eq!(q.key(), &Key::Single(OptionId(2)));
        assert_eq!(q.explanation(), "见党章=第七条。");
        assert_eq!(q.categories()[0].as_str(), "党章");
    }

    #[test]
    fn positive_weights_make_a_multiple_choice_key() {
        let q = one("题 {~%50%甲 ~%-100%乙 ~%50%丙}").outcome.unwrap();
        assert_eq!(q.key(), &Key::Multiple([OptionId(1), OptionId(3)].into()));
    }

    #[test]
    fn true_false_short_answer_and_fill_in_are_read() {
        assert_eq!(one("对吗 {TRUE#好}").outcome.unwrap().key(), &Key::TrueFalse(true));
        assert_eq!(one("对吗 {F}").outcome.unwrap().key(), &Key::TrueFalse(false));
        let essay = one("简述。 {####要点}").outcome.unwrap();
        assert_eq!(essay.kind(), QuestionKind::ShortAnswer);
        let fill = one("年满{=十八 =18}岁。").outcome.unwrap();
        assert_eq!(fill.stem(), "年满____岁。");
        let Key::FillIn(blanks) = fill.key() else { panic!("not a fill-in") };
        assert_eq!(blanks[0].accepted(), ["十八", "18"]);
    }

    #[test]
    fn brace_faults_are_each_reported() {
        let code = |s: &str| one(s).problems().iter().map(ImportProblem::code).collect::<Vec<_>>();
        assert_eq!(code("题 {=a ~b"), ["unclosed_brace"]);
        assert_eq!(code("题 =a ~b}"), ["stray_closing_brace"]);
        assert_eq!(code("题 { 又 {=a ~b}"), ["nested_brace"]);
        assert_eq!(code("题 {T} {F}"), ["two_answer_blocks"]);
        assert_eq!(code("只有题干"), ["no_answer_block"]);
        assert_eq!(code("题 {~a ~b}"), ["no_correct_answer"]);
        assert_eq!(code("题 {=a -> b =c -> d}"), ["unsupported_answer_form"]);
        assert_eq!(code("题 {#5:1}"), ["unsupported_answer_form"]);
        assert_eq!(code("题 {甲}"), ["unsupported_answer_form"]);
    }

    #[test]
    fn weights_that_do_not_add_up_to_a_hundred_are_reported_with_their_sum() {
        let e = one("题 {~%50%a ~%20%b ~%-100%c}");
        assert_eq!(e.problems(), [FormatProblem::WeightsNotHundred { total: "70".into() }.into()]);
    }
}
