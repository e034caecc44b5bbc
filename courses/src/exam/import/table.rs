//! The table layout of Chinese exam systems: a header row naming the
//! columns 题型, 题干, 选项A … 选项H, 答案, 解析, 难度, 分类, then one question
//! per row. Columns are found by name, in any order; extra and trailing
//! empty columns are ignored.
//!
//! 答案 is option letters (`A`, `A,C`) for choices, `对`/`错` for
//! true/false, and for fill-in the blanks' answers separated by `;` with
//! each blank's alternatives separated by `|`. 分类 may hold several
//! categories separated by `;`.

use super::problem::{FormatProblem, ImportProblem};
use super::{Entry, Location, Report};
use crate::exam::draft::QuestionDraft;
use crate::exam::problem::option_label;
use crate::exam::question::{Key, OptionId, Question, QuestionKind, MAX_OPTIONS};
use crate::i18n::Lang;

/// Column names in the order the export writes them.
pub const HEADER: [&str; 14] = [
    "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "选项G", "选项H", "答案", "解析", "难度",
    "分类",
];

/// The marker of a blank in a fill-in stem.
pub const BLANK: &str = "____";

const REQUIRED: [&str; 3] = ["题型", "题干", "答案"];

/// Where each named column is in the rows.
struct Columns {
    kind: usize,
    stem: usize,
    options: Vec<usize>,
    answer: usize,
    explanation: Option<usize>,
    difficulty: Option<usize>,
    category: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Result<Columns, Vec<ImportProblem>> {
        let at = |name: &str| header.iter().position(|h| h.trim() == name);
        let missing: Vec<ImportProblem> = REQUIRED
            .iter()
            .filter(|name| at(name).is_none())
            .map(|name| FormatProblem::MissingColumn { name: (*name).to_owned() }.into())
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let options = HEADER[2..10].iter().map_while(|name| at(name)).collect();
        Ok(Columns {
            kind: at("题型").unwrap_or_default(),
            stem: at("题干").unwrap_or_default(),
            options,
            answer: at("答案").unwrap_or_default(),
            explanation: at("解析"),
            difficulty: at("难度"),
            category: at("分类"),
        })
    }
}

/// Reads rows of cells, the header first, into one entry per non-empty
/// data row. A header without 题型, 题干 or 答案 is refused as a whole.
pub fn parse(rows: &[Vec<String>]) -> Result<Report, Vec<ImportProblem>> {
    let Some((header, data)) = rows.split_first() else {
        return Err(REQUIRED.iter().map(|n| FormatProblem::MissingColumn { name: (*n).into() }.into()).collect());
    };
    let columns = Columns::find(header)?;
    Ok(data
        .iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| Entry { location: Location::Row { row: i + 2 }, outcome: read_row(&columns, cells) })
        .collect())
}

fn read_row(columns: &Columns, cells: &[String]) -> Result<Question, Vec<ImportProblem>> {
    let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut draft = QuestionDraft {
        kind: cell(columns.kind).to_owned(),
        stem: cell(columns.stem).to_owned(),
        options: columns.options.iter().map(|&i| cell(i).to_owned()).collect(),
        explanation: columns.explanation.map_or("", cell).to_owned(),
        categories: split_list(columns.category.map_or("", cell)),
        ..Default::default()
    };
    draft.difficulty = match columns.difficulty.map_or("", cell) {
        "" => None,
        raw => match parse_whole(raw) {
            Some(n) => Some(n),
            None => {
                problems.push(FormatProblem::BadDifficulty { value: raw.to_owned() }.into());
                None
            }
        },
    };
    let answer = cell(columns.answer);
    if QuestionKind::parse(&draft.kind) == Some(QuestionKind::FillIn) {
        draft.blanks = parse_blanks(answer);
        let in_stem = draft.stem.matches(BLANK).count();
        if in_stem > 0 && in_stem != draft.blanks.len() {
            problems.push(FormatProblem::BlanksDoNotMatchStem { in_stem, answers: draft.blanks.len() }.into());
        }
    } else {
        draft.answer = answer.to_owned();
    }
    match draft.build() {
        Ok(q) if problems.is_empty() => Ok(q),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more.into_iter().map(ImportProblem::from));
            Err(problems)
        }
    }
}

/// `2`, or `2.0` as a spreadsheet's number cell reads.
fn parse_whole(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().or_else(|| {
        let f = raw.parse::<f64>().ok()?;
        // A whole number within i64's range converts exactly.
        (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
    })
}

/// `党史;理论` → two categories; empty parts are dropped.
fn split_list(raw: &str) -> Vec<String> {
    raw.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `1921|一九二一;上海|上海市` → two blanks with their accepted answers.
pub fn parse_blanks(raw: &str) -> Vec<Vec<String>> {
    if raw.trim().is_empty() {
        return vec![];
    }
    raw.split([';', '；'])
        .map(|blank| blank.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .collect()
}

/// The header and one row per question, as [`parse`] reads them back.
pub fn export(questions: &[Question]) -> Vec<Vec<String>> {
    let mut rows = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    for q in questions {
        let mut options: Vec<String> = q.options().iter().map(|o| o.text.clone()).collect();
        options.resize(MAX_OPTIONS, String::new());
        let letters = |right: &dyn Fn(OptionId) -> bool| {
            let at: Vec<String> =
                q.options().iter().enumerate().filter(|(_, o)| right(o.id)).map(|(i, _)| option_label(i)).collect();
            at.join(",")
        };
        let answer = match q.key() {
            Key::Single(id) => letters(&|o| o == *id),
            Key::Multiple(ids) => letters(&|o| ids.contains(&o)),
            Key::TrueFalse(t) => (if *t { "对" } else { "错" }).to_owned(),
            Key::FillIn(blanks) => blanks.iter().map(|b| b.accepted().join("|")).collect::<Vec<_>>().join(";"),
            Key::ShortAnswer { reference } => reference.clone(),
        };
        let categories: Vec<&str> = q.categories().iter().map(|c| c.as_str()).collect();
        let mut row = vec![q.kind().name(Lang::Zh).to_owned(), q.stem().to_owned()];
        row.extend(options);
        row.extend([answer, q.explanation().to_owned(), q.difficulty().level().to_string(), categories.join(";")]);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn columns_are_found_by_name_in_any_order_with_trailing_empty_ones() {
        let table = rows(&[
            &["答案", "题干", "题型", "选项A", "选项B", "选项C", "难度", "", ""],
            &["B", "预备期多长？", "单选题", "两年", "一年", "", "2", "", ""],
        ]);
        let report = parse(&table).unwrap();
        let q = report[0].outcome.as_ref().unwrap();
        assert_eq!(report[0].location, Location::Row { row: 2 });
        assert_eq!(q.options().len(), 2);
        assert_eq!(q.key(), &Key::Single(OptionId(2)));
        assert_eq!(q.difficulty().level(), 2);
    }

    #[test]
    fn a_header_without_a_required_column_is_refused_naming_it() {
        let err = parse(&rows(&[&["题型", "选项A", "解析"]])).unwrap_err();
        assert_eq!(
            err,
            vec![
                ImportProblem::from(FormatProblem::MissingColumn { name: "题干".into() }),
                FormatProblem::MissingColumn { name: "答案".into() }.into(),
            ]
        );
    }

    #[test]
    fn fill_in_answers_split_into_blanks_and_alternatives() {
        let table = rows(&[
            &HEADER,
            &[
                "填空题",
                "一大于____年在____开幕。",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "1921|一九二一;上海",
                "",
                "1",
                "党史;理论",
            ],
        ]);
        let q = parse(&table).unwrap().remove(0).outcome.unwrap();
        assert_eq!(q.blank_count(), 2);
        let Key::FillIn(blanks) = q.key() else { panic!("not a fill-in key") };
        assert_eq!(blanks[0].accepted(), ["1921", "一九二一"]);
        assert_eq!(q.categories().len(), 2);
    }

    #[test]
    fn a_fill_in_whose_answers_do_not_match_its_blanks_is_reported() {
        let table = rows(&[&["题型", "题干", "答案"], &["填空题", "____和____", "甲"]]);
        let report = parse(&table).unwrap();
        assert_eq!(report[0].problems(), [FormatProblem::BlanksDoNotMatchStem { in_stem: 2, answers: 1 }.into()]);
    }

    #[test]
    fn a_bad_difficulty_and_the_row_problems_are_reported_together_and_empty_rows_skipped() {
        let table = rows(&[&["题型", "题干", "答案", "难度"], &["", "", "", ""], &["判断题", " ", "对", "难"]]);
        let report = parse(&table).unwrap();
        assert_eq!(report.len(), 1);
        assert_eq!(report[0].location, Location::Row { row: 3 });
        let codes: Vec<&str> = report[0].problems().iter().map(ImportProblem::code).collect();
        assert_eq!(codes, ["bad_difficulty", "empty_stem"]);
    }

    #[test]
    fn number_cells_read_as_whole_difficulties() {
        assert_eq!(parse_whole("4.0"), Some(4));
        assert_eq!(parse_whole("4.5"), None);
    }
}
