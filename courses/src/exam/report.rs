//! An exam's reports: results by org node (who should take it, who did,
//! passed, failed, waiting for a grader, the average score and the pass
//! rate), rolled up the tree with drill-down like the completion reports;
//! and per question, how often it was answered right and how often each
//! wrong option was chosen, so an organizer sees what needs teaching again.
//! Both as tables for CSV and XLSX.

use serde::{Deserialize, Serialize};

use super::question::QuestionKind;
use crate::i18n::Lang;
use crate::report::table::headers;
use crate::report::views::NodeRef;
use crate::report::{Cell, Table};

/// Results of one node and everything below it. Only counted attempts
/// (not practice) count, one result per person as the exam's counting
/// rule picks it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamCounts {
    /// People the exam is for (its audience) in the subtree.
    pub audience: u32,
    /// People with a submitted attempt.
    pub takers: u32,
    pub passed: u32,
    pub failed: u32,
    /// Results waiting for a grader.
    pub pending: u32,
    /// Sum of the final results' percentages, for the average.
    #[serde(skip)]
    pub percent_sum: f64,
}

impl ExamCounts {
    /// The average score of final results, in percent of the paper.
    pub fn average_percent(&self) -> Option<f64> {
        let n = self.passed + self.failed;
        (n > 0).then(|| (self.percent_sum / f64::from(n) * 10.0).round() / 10.0)
    }

    /// Passed of final results, in percent.
    pub fn pass_rate_percent(&self) -> Option<f64> {
        let n = self.passed + self.failed;
        (n > 0).then(|| (f64::from(self.passed) * 1000.0 / f64::from(n)).round() / 10.0)
    }

    pub fn add(&mut self, other: &ExamCounts) {
        self.audience += other.audience;
        self.takers += other.takers;
        self.passed += other.passed;
        self.failed += other.failed;
        self.pending += other.pending;
        self.percent_sum += other.percent_sum;
    }
}

/// A row of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamNodeRow {
    pub org: NodeRef,
    pub counts: ExamCounts,
    pub average_percent: Option<f64>,
    pub pass_rate_percent: Option<f64>,
    /// Whether the node has nodes below it to drill into.
    pub has_children: bool,
}

impl ExamNodeRow {
    pub fn new(org: NodeRef, counts: ExamCounts, has_children: bool) -> ExamNodeRow {
        ExamNodeRow {
            average_percent: counts.average_percent(),
            pass_rate_percent: counts.pass_rate_percent(),
            org,
            counts,
            has_children,
        }
    }
}

/// Results of an exam below one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamResultsReport {
    pub exam_id: i64,
    pub title: String,
    pub org: NodeRef,
    pub total: ExamNodeRow,
    pub children: Vec<ExamNodeRow>,
    /// The people who belong to the node itself, when there are any.
    pub own: Option<ExamNodeRow>,
}

/// How often one option was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionStat {
    pub id: u16,
    pub text: String,
    pub correct: bool,
    pub chosen: u32,
}

/// How one question went, over every submitted (not practice) attempt
/// that showed it, whichever version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionStat {
    pub question_id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub shown: u32,
    pub correct: u32,
    pub partial: u32,
    pub wrong: u32,
    pub unanswered: u32,
    /// Waiting for a grader.
    pub pending: u32,
    /// Correct of those shown, in percent.
    pub correct_percent: Option<f64>,
    /// Choice questions: each option (of the current version) and how
    /// often it was chosen.
    pub options: Vec<OptionStat>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamQuestionReport {
    pub exam_id: i64,
    pub title: String,
    /// Hardest first: the lowest share correct.
    pub questions: Vec<QuestionStat>,
}

fn percent(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

impl ExamResultsReport {
    pub fn to_table(&self, lang: Lang) -> Table {
        let row = |r: &ExamNodeRow, name: String| {
            vec![
                Cell::text(name),
                Cell::int(r.counts.audience),
                Cell::int(r.counts.takers),
                Cell::int(r.counts.passed),
                Cell::int(r.counts.failed),
                Cell::int(r.counts.pending),
                percent(r.pass_rate_percent),
                percent(r.average_percent),
            ]
        };
        let mut rows: Vec<Vec<Cell>> = self.children.iter().map(|c| row(c, c.org.name.clone())).collect();
        if let Some(own) = &self.own {
            rows.push(row(own, format!("{}{}", own.org.name, lang.pick("（本级）", " (own)"))));
        }
        rows.push(row(&self.total, lang.pick("合计", "Total").to_owned()));
        Table {
            title: format!("{}{}", self.title, lang.pick("-成绩", " - results")),
            headers: headers(
                lang,
                &[
                    ("组织", "Org node"),
                    ("应考人数", "Audience"),
                    ("参考人数", "Took it"),
                    ("通过", "Passed"),
                    ("未通过", "Failed"),
                    ("待评分", "Awaiting grading"),
                    ("通过率%", "Pass rate %"),
                    ("平均分%", "Average %"),
                ],
            ),
            rows,
        }
    }
}

impl ExamQuestionReport {
    pub fn to_table(&self, lang: Lang) -> Table {
        let rows = self
            .questions
            .iter()
            .map(|q| {
                let wrong_choices = q
                    .options
                    .iter()
                    .filter(|o| !o.correct)
                    .map(|o| format!("{}: {}", o.text, o.chosen))
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    Cell::text(q.stem.clone()),
                    Cell::text(q.kind.name(lang)),
                    Cell::int(q.shown),
                    Cell::int(q.correct),
                    Cell::int(q.partial),
                    Cell::int(q.wrong),
                    Cell::int(q.unanswered),
                    percent(q.correct_percent),
                    Cell::text(wrong_choices),
                ]
            })
            .collect();
        Table {
            title: format!("{}{}", self.title, lang.pick("-试题分析", " - questions")),
            headers: headers(
                lang,
                &[
                    ("题干", "Stem"),
                    ("题型", "Kind"),
                    ("作答次数", "Shown"),
                    ("答对", "Correct"),
                    ("部分正确", "Partial"),
                    ("答错", "Wrong"),
                    ("未作答", "Unanswered"),
                    ("正确率%", "Correct %"),
                    ("错误选项被选次数", "Wrong options chosen"),
                ],
            ),
            rows,
        }
    }
}
