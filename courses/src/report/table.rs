//! Every report as one table, the shape CSV and XLSX export: a title,
//! headers in the reader's language, and typed cells.
//!
//! Text that a spreadsheet would read as a formula (starting with `=`,
//! `+`, `-`, `@`, or a tab or carriage return that hides one) is
//! neutralized with a leading apostrophe, the OWASP advice for CSV
//! injection: a member named `=HYPERLINK(…)` must not become a live link in
//! the organizer's spreadsheet. Numbers are typed cells and never text, so
//! they stay numbers.

use serde::{Deserialize, Serialize};

use super::views::{Counts, ReportData};
use crate::i18n::Lang;

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    /// Text, neutralized against formula injection.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(neutralize(s.into()))
    }

    pub fn int(n: u32) -> Cell {
        Cell::Number(f64::from(n))
    }

    fn opt(n: Option<f64>) -> Cell {
        n.map(Cell::Number).unwrap_or(Cell::Empty)
    }

    fn opt_text(s: &Option<String>) -> Cell {
        s.as_ref().map(|s| Cell::text(s.clone())).unwrap_or(Cell::Empty)
    }

    /// The cell as CSV writes it.
    pub fn as_csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// Prefixes text a spreadsheet would evaluate with an apostrophe.
pub fn neutralize(s: String) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s,
    }
}

/// A report as rows and columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Also the XLSX sheet name and the file name stem.
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Column headings in `lang`, from (Chinese, English) pairs.
pub(crate) fn headers(lang: Lang, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs.iter().map(|(zh, en)| lang.pick(zh, en).to_owned()).collect()
}

/// The completion columns shared by node and member rows.
const COUNT_HEADERS: [(&str, &str); 6] = [
    ("应学人次", "Assigned"),
    ("已完成", "Completed"),
    ("完成率（%）", "Completion (%)"),
    ("逾期", "Overdue"),
    ("已开始（含自学）", "Started (incl. self-study)"),
    ("已完成（含自学）", "Completed (incl. self-study)"),
];

fn count_cells(c: &Counts) -> Vec<Cell> {
    vec![
        Cell::int(c.assigned),
        Cell::int(c.assigned_done),
        Cell::opt(c.completion()),
        Cell::int(c.overdue),
        Cell::int(c.started),
        Cell::int(c.completed),
    ]
}

/// A section of the 学习档案 below its courses: a blank row, the section's
/// own headings, then its rows; every row as wide as the course rows (CSV
/// records have one length). Nothing when it has no rows.
fn section(lang: Lang, titles: &[(&str, &str)], rows: Vec<Vec<Cell>>) -> Vec<Vec<Cell>> {
    const WIDTH: usize = 9;
    if rows.is_empty() {
        return Vec::new();
    }
    let pad = |mut row: Vec<Cell>| {
        row.resize_with(WIDTH, || Cell::Empty);
        row
    };
    let headings = headers(lang, titles).into_iter().map(Cell::text).collect();
    [vec![], headings].into_iter().chain(rows).map(pad).collect()
}

/// The 学习档案's changes of party standing, last.
fn milestone_section(milestones: &[crate::standing::MilestoneView], lang: Lang) -> Vec<Vec<Cell>> {
    let rows = milestones
        .iter()
        .map(|m| vec![Cell::text(m.standing.milestone(lang)), Cell::text(&m.on), Cell::opt_text(&m.recorded_by)])
        .collect();
    section(lang, &[("身份变更", "Change of standing"), ("日期", "On"), ("记录人", "Recorded by")], rows)
}

/// The 学习档案's party classes.
fn class_section(classes: &[super::views::ArchiveClass], lang: Lang) -> Vec<Vec<Cell>> {
    let rows = classes
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.class.name),
                Cell::text(&c.org_name),
                Cell::text(format!("{} – {}", c.term_from, c.term_to)),
                Cell::text(match c.graduated {
                    Some(grade) => grade.name(lang),
                    None => lang.pick("未结业", "Not yet"),
                }),
                match &c.certificate {
                    Some(cert) if cert.revoked => {
                        Cell::text(format!("{}（{}）", cert.serial, lang.pick("已撤销", "revoked")))
                    }
                    Some(cert) => Cell::text(&cert.serial),
                    None => Cell::Empty,
                },
            ]
        })
        .collect();
    section(
        lang,
        &[
            ("培训班", "Party class"),
            ("举办组织", "Held by"),
            ("培训时间", "Term"),
            ("结业", "Graduated"),
            ("结业证书编号", "Certificate"),
        ],
        rows,
    )
}

/// The 学习档案's exams, right below its courses.
fn exam_section(exams: &[super::views::ArchiveExam], lang: Lang) -> Vec<Vec<Cell>> {
    let rows = exams
        .iter()
        .map(|e| {
            let (score, max, result) = match &e.result {
                Some(s) => (
                    Cell::Number(f64::from(s.total.tenths()) / 10.0),
                    Cell::Number(f64::from(s.max.tenths()) / 10.0),
                    Cell::text(match s.outcome {
                        crate::exam::Outcome::Passed => lang.pick("通过", "Passed"),
                        crate::exam::Outcome::Failed => lang.pick("未通过", "Failed"),
                        crate::exam::Outcome::Pending => lang.pick("待评分", "Awaiting grading"),
                    }),
                ),
                None => (Cell::Empty, Cell::Empty, Cell::Empty),
            };
            vec![Cell::text(&e.exam.name), score, max, result, Cell::int(e.attempts), Cell::opt_text(&e.submitted_on)]
        })
        .collect();
    let titles = [
        ("考试", "Exam"),
        ("成绩", "Score"),
        ("满分", "Out of"),
        ("结果", "Result"),
        ("作答次数", "Attempts"),
        ("交卷日期", "Submitted"),
    ];
    section(lang, &titles, rows)
}

impl ReportData {
    /// The report as one table, in `lang`.
    pub fn to_table(&self, lang: Lang) -> Table {
        match self {
            ReportData::Org(r) => {
                let mut h = headers(lang, &[("组织", "Org node"), ("人数", "People")]);
                h.extend(headers(lang, &COUNT_HEADERS));
                let mut rows = Vec::new();
                let mut push = |name: String, people: u32, c: &Counts| {
                    let mut row = vec![Cell::text(name), Cell::int(people)];
                    row.extend(count_cells(c));
                    rows.push(row);
                };
                for child in &r.children {
                    push(child.org.name.clone(), child.people, &child.counts);
                }
                if let Some(own) = &r.own {
                    push(
                        format!("{}{}", own.org.name, lang.pick("（本级）", " (own members)")),
                        own.people,
                        &own.counts,
                    );
                }
                push(lang.pick("合计", "Total").to_owned(), r.total.people, &r.total.counts);
                let subject = r.assignment.as_ref().or(r.course.as_ref()).map(|s| format!(" · {}", s.name));
                Table {
                    title: format!(
                        "{}{}{}",
                        r.org.name,
                        subject.unwrap_or_default(),
                        lang.pick(" 完成情况", " completion")
                    ),
                    headers: h,
                    rows,
                }
            }
            ReportData::Members(r) => {
                let mut h = headers(lang, &[("姓名", "Name"), ("登录名", "Login"), ("组织", "Org node")]);
                h.extend(headers(lang, &COUNT_HEADERS));
                h.extend(headers(lang, &[("年度学时", "Study hours this year"), ("学时目标", "Target hours")]));
                let rows = r
                    .rows
                    .iter()
                    .map(|m| {
                        let mut row = vec![Cell::text(&m.name), Cell::text(&m.login), Cell::text(&m.org.name)];
                        row.extend(count_cells(&m.counts));
                        row.extend([Cell::Number(m.hours), Cell::int(m.target_hours)]);
                        row
                    })
                    .collect();
                Table {
                    title: format!("{}{}", r.org.name, lang.pick(" 人员学习情况", " members")), headers: h, rows
                }
            }
            ReportData::Overdue(r) => Table {
                title: format!("{}{}", r.org.name, lang.pick(" 逾期名单", " overdue")),
                headers: headers(
                    lang,
                    &[
                        ("姓名", "Name"),
                        ("组织", "Org node"),
                        ("类型", "Type"),
                        ("课程或会议", "Course or meeting"),
                        ("截止日期", "Due"),
                        ("逾期天数", "Days overdue"),
                        ("已完成课时", "Lessons done"),
                        ("课时总数", "Lessons"),
                    ],
                ),
                rows: r
                    .rows
                    .iter()
                    .map(|o| {
                        let source = match o.source.as_str() {
                            "meeting" => lang.pick("会议补学", "Meeting make-up"),
                            _ => lang.pick("课程任务", "Assigned course"),
                        };
                        vec![
                            Cell::text(&o.name),
                            Cell::text(&o.org.name),
                            Cell::text(source),
                            Cell::text(&o.subject.name),
                            Cell::text(&o.due_on),
                            Cell::int(o.days_overdue),
                            Cell::int(o.lessons_done),
                            Cell::int(o.lessons_total),
                        ]
                    })
                    .collect(),
            },
            ReportData::Hours(r) => {
                let row = |name: String, h: &super::HoursRow| {
                    vec![Cell::text(name), Cell::int(h.people), Cell::int(h.reached), Cell::Number(h.average_hours)]
                };
                let mut rows: Vec<Vec<Cell>> = r.children.iter().map(|h| row(h.org.name.clone(), h)).collect();
                if let Some(own) = &r.own {
                    rows.push(row(format!("{}{}", own.org.name, lang.pick("（本级）", " (own members)")), own));
                }
                rows.push(row(lang.pick("合计", "Total").to_owned(), &r.total));
                Table {
                    title: format!("{} {}{}", r.org.name, r.year, lang.pick(" 年度学时", " study hours")),
                    headers: headers(
                        lang,
                        &[
                            ("组织", "Org node"),
                            ("人数", "People"),
                            ("达标人数", "Reached target"),
                            ("人均学时", "Average hours"),
                        ],
                    ),
                    rows,
                }
            }
            ReportData::Person(a) => Table {
                title: format!("{}{}", a.name, lang.pick(" 学习档案", " learning record")),
                headers: headers(
                    lang,
                    &[
                        ("课程", "Course"),
                        ("学习类型", "Type"),
                        ("状态", "Status"),
                        ("截止日期", "Due"),
                        ("已完成课时", "Lessons done"),
                        ("课时总数", "Lessons"),
                        ("开始日期", "Started"),
                        ("完成日期", "Completed"),
                        ("学时", "Hours"),
                    ],
                ),
                rows: a
                    .courses
                    .iter()
                    .map(|c| {
                        vec![
                            Cell::text(&c.course.name),
                            Cell::text(if c.assigned {
                                lang.pick("指派必学", "Assigned")
                            } else {
                                lang.pick("自主学习", "Self-chosen")
                            }),
                            Cell::text(match (c.completed_on.is_some(), c.overdue) {
                                (true, _) => lang.pick("已完成", "Completed"),
                                (false, true) => lang.pick("逾期未完成", "Overdue"),
                                (false, false) => lang.pick("未完成", "Not finished"),
                            }),
                            Cell::opt_text(&c.due_on),
                            Cell::int(c.lessons_done),
                            Cell::int(c.lessons_total),
                            Cell::opt_text(&c.started_on),
                            Cell::opt_text(&c.completed_on),
                            Cell::Number(c.hours),
                        ]
                    })
                    .chain(exam_section(&a.exams, lang))
                    .chain(class_section(&a.classes, lang))
                    .chain(milestone_section(&a.milestones, lang))
                    .collect(),
            },
            ReportData::Meeting(m) => Table {
                title: format!("{} {}{}", m.summary.held_on, m.summary.topic, lang.pick(" 补学情况", " make-up")),
                headers: headers(lang, &[("姓名", "Name"), ("出席情况", "Attendance"), ("补学情况", "Make-up")]),
                rows: m
                    .attendance
                    .iter()
                    .map(|a| {
                        let status = a.status.name(lang);
                        let made_up = match (a.status.owes_makeup(), a.made_up) {
                            (false, _) => Cell::Empty,
                            (true, true) => Cell::text(lang.pick("已补学", "Made up")),
                            (true, false) => Cell::text(lang.pick("未补学", "Not made up")),
                        };
                        vec![Cell::text(&a.name), Cell::text(status), made_up]
                    })
                    .collect(),
            },
        }
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
