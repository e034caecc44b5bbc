//! The parsers on the real fixtures of `tests/fixtures/exams/` (see its
//! README for the bank and for which question or row has which fault).

use serde_json::Value;

use super::{aiken, gift, gift_export, table, ImportProblem, Location, Report};
use crate::exam::question::{Question, QuestionData};

const BANK_JSON: &str = include_str!("../../../../tests/fixtures/exams/bank.json");
const BANK_CSV: &str = include_str!("../../../../tests/fixtures/exams/bank.csv");
const BANK_GIFT: &str = include_str!("../../../../tests/fixtures/exams/bank.gift");
const BANK_AIKEN: &str = include_str!("../../../../tests/fixtures/exams/bank.aiken.txt");
const BAD_ROWS: &str = include_str!("../../../../tests/fixtures/exams/bad-rows.csv");
const BAD_GIFT: &str = include_str!("../../../../tests/fixtures/exams/bad.gift");
const BAD_AIKEN: &str = include_str!("../../../../tests/fixtures/exams/bad.aiken.txt");

/// The bank's rows in the table layout, written from `bank.json` (the
/// CSV quotes its multiple-choice answers, so it is not split here).
fn bank_rows() -> Vec<Vec<String>> {
    let bank: Value = serde_json::from_str(BANK_JSON).unwrap();
    let mut rows = vec![table::HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    for q in bank["questions"].as_array().unwrap() {
        let s = |k: &str| q[k].as_str().unwrap().to_owned();
        let mut options: Vec<String> =
            q["options"].as_array().unwrap().iter().map(|o| o.as_str().unwrap().into()).collect();
        options.resize(8, String::new());
        let mut row = vec![s("type"), s("stem")];
        row.extend(options);
        row.extend([s("answer"), s("explanation"), q["difficulty"].to_string(), s("category")]);
        rows.push(row);
    }
    rows
}

/// Quoted fields without embedded quotes, as the fixtures have.
fn split_csv_line(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines().map(split_csv_line).collect()
}

fn built(report: &Report) -> Vec<&Question> {
    report.iter().filter_map(|e| e.outcome.as_ref().ok()).collect()
}

fn faults(report: &Report) -> Vec<(String, Vec<&'static str>)> {
    report
        .iter()
        .filter(|e| e.outcome.is_err())
        .map(|e| {
            let at = match &e.location {
                Location::Row { row } => row.to_string(),
                Location::Question { number, title, .. } => title.clone().unwrap_or_else(|| number.to_string()),
            };
            (at, e.problems().iter().map(ImportProblem::code).collect())
        })
        .collect()
}

fn owned(expected: &[(&str, &[&'static str])]) -> Vec<(String, Vec<&'static str>)> {
    expected.iter().map(|(at, codes)| (at.to_string(), codes.to_vec())).collect()
}

#[test]
fn the_bank_table_builds_a_hundred_questions_without_a_problem() {
    let report = table::parse(&bank_rows()).unwrap();
    assert_eq!(faults(&report), owned(&[]));
    assert_eq!(built(&report).len(), 100);
    assert_eq!(report[99].location, Location::Row { row: 101 });
}

#[test]
fn the_bank_csv_split_simply_gives_the_same_questions_as_the_json() {
    let from_csv = table::parse(&csv_rows(BANK_CSV)).unwrap();
    let from_json = table::parse(&bank_rows()).unwrap();
    assert_eq!(from_csv, from_json);
}

#[test]
fn the_bank_gift_builds_its_98_questions_as_the_table_does() {
    let report = gift::parse(BANK_GIFT);
    assert_eq!(faults(&report), owned(&[]));
    assert_eq!(report.len(), 98);
    let table = table::parse(&bank_rows()).unwrap();
    for entry in &report {
        let Location::Question { title: Some(title), .. } = &entry.location else { panic!("untitled") };
        let id: usize = title.trim_start_matches('Q').parse().unwrap();
        let mut expected = QuestionData::from(table[id - 1].outcome.clone().unwrap());
        // GIFT files a question under its first category only.
        expected.categories.truncate(1);
        assert_eq!(QuestionData::from(entry.outcome.clone().unwrap()), expected, "{title}");
    }
}

#[test]
fn the_bank_aiken_builds_the_50_single_choice_questions() {
    let report = aiken::parse(BANK_AIKEN);
    assert_eq!(faults(&report), owned(&[]));
    let table = table::parse(&bank_rows()).unwrap();
    for (entry, row) in report.iter().zip(&table) {
        let (got, want) = (entry.outcome.as_ref().unwrap(), row.outcome.as_ref().unwrap());
        assert_eq!((got.stem(), got.options(), got.key()), (want.stem(), want.options(), want.key()));
    }
    assert_eq!(report.len(), 50);
}

#[test]
fn bad_rows_are_reported_at_the_rows_the_fixture_readme_lists() {
    let report = table::parse(&csv_rows(BAD_ROWS)).unwrap();
    assert_eq!(report.len(), 10);
    assert_eq!(
        faults(&report),
        owned(&[
            ("3", &["answer_not_an_option"]),
            ("5", &["duplicate_option"]),
            ("7", &["empty_stem"]),
            ("8", &["unknown_kind"]),
            ("10", &["difficulty_out_of_range"]),
        ])
    );
}

#[test]
fn bad_gift_is_reported_at_the_questions_the_fixture_readme_lists() {
    let report = gift::parse(BAD_GIFT);
    assert_eq!(report.len(), 8);
    assert_eq!(
        faults(&report),
        owned(&[
            ("B02", &["unclosed_brace"]),
            ("B03", &["stray_closing_brace"]),
            ("B04", &["no_correct_answer"]),
            ("B05", &["weights_not_hundred"]),
            ("B06", &["nested_brace"]),
            ("B07", &["two_answer_blocks"]),
        ])
    );
}

#[test]
fn bad_aiken_is_reported_at_the_questions_the_fixture_readme_lists() {
    let report = aiken::parse(BAD_AIKEN);
    assert_eq!(report.len(), 7);
    assert_eq!(
        faults(&report),
        owned(&[
            ("2", &["missing_answer_line"]),
            ("3", &["answer_not_an_option"]),
            ("4", &["too_few_options"]),
            ("5", &["malformed_option_line"]),
            ("6", &["no_answer"]),
        ])
    );
}

fn bank() -> Vec<Question> {
    table::parse(&bank_rows()).unwrap().into_iter().map(|e| e.outcome.unwrap()).collect()
}

#[test]
fn the_bank_exported_as_a_table_gives_back_the_fixture_rows_and_the_same_questions() {
    let bank = bank();
    let rows = table::export(&bank);
    assert_eq!(rows, bank_rows());
    let back: Vec<Question> = table::parse(&rows).unwrap().into_iter().map(|e| e.outcome.unwrap()).collect();
    assert_eq!(back, bank);
}

#[test]
fn the_bank_exported_as_gift_parses_back_to_the_same_questions_but_the_two_blank_fill_ins() {
    let bank = bank();
    let (text, skipped) = gift_export::export(&bank);
    assert_eq!(skipped, [93, 94]);
    let back: Vec<Question> = gift::parse(&text).into_iter().map(|e| e.outcome.unwrap()).collect();
    let expected: Vec<QuestionData> = bank
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !skipped.contains(i))
        .map(|(_, q)| {
            let mut data = QuestionData::from(q);
            data.categories.truncate(1);
            data
        })
        .collect();
    assert_eq!(back.into_iter().map(QuestionData::from).collect::<Vec<_>>(), expected);
}

#[test]
fn the_bank_exported_as_aiken_is_the_aiken_fixture() {
    assert_eq!(aiken::export(&bank()), BANK_AIKEN.replace("\r\n", "\n"));
}
