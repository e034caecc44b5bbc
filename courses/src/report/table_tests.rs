//! Tests of `table.rs`: reports as export tables.

use super::super::{ArchiveCourse, MemberArchive, MemberReport, NodeRef};
use super::*;

#[test]
fn formula_starts_are_neutralized_and_other_text_is_kept() {
    for bad in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"] {
        assert_eq!(neutralize(bad.into()), format!("'{bad}"));
    }
    for fine in ["王书记", "a=b", "", "1-2"] {
        assert_eq!(neutralize(fine.into()), fine);
    }
    assert_eq!(Cell::text("=HYPERLINK(\"x\")"), Cell::Text("'=HYPERLINK(\"x\")".into()));
    assert_eq!(Cell::Number(-3.0).as_csv(), "-3");
}

fn texts(table: &Table) -> Vec<Vec<String>> {
    table.rows.iter().map(|r| r.iter().map(Cell::as_csv).collect()).collect()
}

fn no_bare_yes_or_no(table: &Table) {
    for cell in table.headers.iter().chain(texts(table).iter().flatten()) {
        assert!(!["是", "否", "yes", "no"].contains(&cell.as_str()), "{table:?}");
    }
}

#[test]
fn chinese_headers_use_full_width_brackets_and_english_ones_ascii() {
    let report = ReportData::Members(MemberReport {
        org: NodeRef { id: 1, name: "第一党支部".into() },
        course: None,
        assignment: None,
        as_of: "2026-03-01".into(),
        year: 2026,
        rows: vec![],
        truncated: false,
    });
    let zh = report.to_table(Lang::Zh).headers;
    assert!(zh.iter().all(|h| !h.contains('(') && !h.contains(')')), "{zh:?}");
    assert!(zh.contains(&"完成率（%）".to_owned()) && zh.contains(&"已完成（含自学）".to_owned()), "{zh:?}");
    assert!(report.to_table(Lang::En).headers.contains(&"Completion (%)".to_owned()));
}

#[test]
fn a_learning_record_says_its_states_in_words() {
    let course = |name: &str, assigned: bool, completed: bool, overdue: bool| ArchiveCourse {
        course: NodeRef { id: 1, name: name.into() },
        assigned,
        due_on: assigned.then(|| "2026-12-20".into()),
        lessons_done: 1,
        lessons_total: 2,
        started_on: Some("2026-03-01".into()),
        completed_on: completed.then(|| "2026-03-02".into()),
        overdue,
        hours: 0.5,
    };
    let archive = ReportData::Person(MemberArchive {
        person_id: 7,
        name: "李学习".into(),
        login: "member".into(),
        role: "member".into(),
        org: NodeRef { id: 2, name: "第一党小组".into() },
        as_of: "2026-03-03".into(),
        courses: vec![
            course("党章", true, true, false),
            course("党史", true, false, true),
            course("党规", false, false, false),
        ],
        years: vec![],
        makeups: vec![],
        exams: vec![],
        standing: None,
        milestones: vec![],
        classes: vec![],
    });
    let table = archive.to_table(Lang::Zh);
    assert_eq!(table.headers[1..3], ["学习类型", "状态"]);
    let rows = texts(&table);
    let states: Vec<(&str, &str)> = rows.iter().map(|r| (r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(states, [("指派必学", "已完成"), ("指派必学", "逾期未完成"), ("自主学习", "未完成")]);
    assert!(rows.iter().all(|r| r.len() == table.headers.len()));
    no_bare_yes_or_no(&table);
    let en = texts(&archive.to_table(Lang::En));
    assert_eq!((en[1][1].as_str(), en[1][2].as_str()), ("Assigned", "Overdue"));
}

#[test]
fn a_learning_record_lists_exams_then_changes_of_standing_below_the_courses() {
    use crate::exam::{AttemptScore, Outcome, Points};
    use crate::report::ArchiveExam;
    let exam = |id: i64, outcome: Outcome| ArchiveExam {
        exam: NodeRef { id, name: format!("测验{id}") },
        attempts: 2,
        result: Some(AttemptScore { total: Points::whole(45), max: Points::whole(50), pending: 0, outcome }),
        submitted_on: Some("2026-12-07".into()),
    };
    let archive = ReportData::Person(MemberArchive {
        person_id: 7,
        name: "李学习".into(),
        login: "member".into(),
        role: "member".into(),
        org: NodeRef { id: 2, name: "第一党小组".into() },
        as_of: "2026-12-07".into(),
        courses: vec![],
        years: vec![],
        makeups: vec![],
        exams: vec![exam(1, Outcome::Passed), exam(2, Outcome::Pending)],
        standing: Some(crate::Standing::Candidate),
        milestones: vec![crate::standing::MilestoneView {
            id: 1,
            standing: crate::Standing::Candidate,
            on: "2026-01-05".into(),
            recorded_by: Some("王书记".into()),
            recorded_at_ms: 0,
        }],
        classes: vec![],
    });
    let table = archive.to_table(Lang::Zh);
    let rows = texts(&table);
    assert!(rows.iter().all(|r| r.len() == table.headers.len()), "one width for CSV: {rows:?}");
    assert!(rows[0].iter().all(String::is_empty));
    assert_eq!(rows[1][..4], ["考试", "成绩", "满分", "结果"]);
    assert_eq!(rows[2][..6], ["测验1", "45", "50", "通过", "2", "2026-12-07"]);
    assert_eq!(rows[3][3], "待评分");
    // Then the changes of standing, in words, with who recorded them.
    assert!(rows[4].iter().all(String::is_empty));
    assert_eq!(rows[5][..3], ["身份变更", "日期", "记录人"]);
    assert_eq!(rows[6][..3], ["列为发展对象", "2026-01-05", "王书记"]);
    no_bare_yes_or_no(&table);
}

#[test]
fn a_meeting_export_says_who_made_it_up_in_words() {
    use crate::meeting::{Attendance, Attendee, MeetingKind, MeetingSummary, MeetingView};
    let person = |id: i64, status: Attendance, made_up: bool| Attendee {
        person_id: id,
        name: format!("党员{id}"),
        login: format!("m{id}"),
        status,
        lessons_completed: u32::from(made_up),
        made_up,
    };
    let attendance = vec![
        person(1, Attendance::Present, false),
        person(2, Attendance::Absent, true),
        person(3, Attendance::Leave, false),
    ];
    let meeting = ReportData::Meeting(MeetingView {
        summary: MeetingSummary {
            id: 1,
            org_id: 2,
            org_name_path: "机关党委/第一党支部".into(),
            kind: MeetingKind::ALL[0],
            held_on: "2026-03-01".into(),
            topic: "学习党章".into(),
            deadline: "2026-03-15".into(),
            lesson_count: 1,
            expected: 3,
            present: 1,
            absent: 1,
            on_leave: 1,
            made_up: 1,
            created_at: 0,
        },
        lessons: vec![],
        attendance,
        missing: vec![],
    });
    let table = meeting.to_table(Lang::Zh);
    assert_eq!(table.headers[2], "补学情况");
    let made_up: Vec<String> = texts(&table).into_iter().map(|r| r[2].clone()).collect();
    assert_eq!(made_up, ["", "已补学", "未补学"]);
    no_bare_yes_or_no(&table);
    no_bare_yes_or_no(&meeting.to_table(Lang::En));
}
