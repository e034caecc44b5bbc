//! Reading question banks from the text formats people bring: the table
//! layout of Chinese exam systems (题型, 题干, 选项A…H, 答案, 解析, 难度,
//! 分类), Moodle GIFT and Aiken. Each parser returns a report with one
//! entry per question found: the built [`Question`] or every problem of it,
//! at a location a person can find in the file. The same formats are
//! written back by `table::export`, `gift_export::export` and
//! `aiken::export`, each read back unchanged by its parser.
//!
//! Decoding bytes (CSV, XLSX, GB18030) into text or cells is the server's
//! job; everything here works on `&str` and cells.

pub mod aiken;
pub mod gift;
pub mod gift_export;
pub mod problem;
pub mod table;

#[cfg(test)]
mod fixture_tests;

use serde::{Deserialize, Serialize};

use super::question::Question;
pub use problem::{FormatProblem, ImportProblem};

/// Where a question is in the imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// A table row as a person counts it: the header is row 1.
    Row { row: usize },
    /// The `number`th question of a text file, starting on `line` (1-based),
    /// with its GIFT `::title::` if it has one.
    Question { number: usize, line: usize, title: Option<String> },
}

/// One question of an import: built, or everything wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub location: Location,
    pub outcome: Result<Question, Vec<ImportProblem>>,
}

impl Entry {
    /// The problems of this entry (none when it built).
    pub fn problems(&self) -> &[ImportProblem] {
        match &self.outcome {
            Ok(_) => &[],
            Err(problems) => problems,
        }
    }
}

/// Every question of a file, in file order.
pub type Report = Vec<Entry>;
