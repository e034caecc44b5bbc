//! `/reports/people/{id}`: a member's 学习档案, for whoever manages their
//! node and for the member themself.
//!
//! Each table's headings and each row's cells come from one function per
//! table, as arrays of the same length, so a value can only sit under its
//! own heading; every state is said in words (已完成, 逾期未完成), never
//! as a bare 是 / 否.

use crate::loaded::page_data;
use courses::exam::Outcome;
use courses::meeting::MakeupTask;
use courses::report::{ArchiveCourse, ArchiveExam, Format, MemberArchive, ReportKind, ReportQuery};
use courses::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_report;
use super::export_href;
use super::tables::{labelled_table, report_view, Row};
use crate::components::notice::ErrorNotice;
use crate::i18n::reports::{of, ReportText as T};
use crate::lang::use_lang;
use crate::pages::not_found::NotFoundPage;
use crate::session::require_me;

#[component]
pub fn PersonReportPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let query = Memo::new(move |_| {
        let mut q = ReportQuery::of(ReportKind::Person);
        q.person_id = Some(id.get());
        q
    });
    let report = page_data(move || query.get(), get_report);
    view! {
        <Title text=T::Archive.get(lang) />
        <h1>{T::Archive.get(lang)}</h1>
        {require_me(move |_| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let q = query.get_untracked();
                        match report.await {
                            Ok(data) => view! {
                                <div class="report-actions">
                                    <a class="button secondary small" href=export_href(&q, Format::Xlsx) download="">
                                        {T::ExportXlsx.get(lang)}
                                    </a>
                                </div>
                                <section class="card report-body" data-kind="person">{report_view(data, None, lang)}</section>
                            }
                            .into_any(),
                            Err(error) if error.0.code == "not_found" => view! { <NotFoundPage /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
            .into_any()
        })}
    }
}

const COURSE_COLUMNS: usize = 8;

fn course_headings(lang: Lang) -> [&'static str; COURSE_COLUMNS] {
    [
        T::Course.get(lang),
        T::StudyType.get(lang),
        T::Status.get(lang),
        T::Due.get(lang),
        T::Lessons.get(lang),
        T::StartedOn.get(lang),
        T::CompletedOn.get(lang),
        T::Hours.get(lang),
    ]
}

/// Which columns hold figures (right-aligned on a PC).
const COURSE_NUMBERS: [bool; COURSE_COLUMNS] = [false, false, false, false, true, false, false, true];

/// Where a member stands in a course, in words.
fn course_status(c: &ArchiveCourse) -> T {
    match (c.completed_on.is_some(), c.overdue) {
        (true, _) => T::Completed,
        (false, true) => T::OverdueNotDone,
        (false, false) => T::NotDone,
    }
}

/// A day, or a dash for none (an empty cell reads as missing data).
fn day(d: &Option<String>) -> String {
    d.clone().filter(|d| !d.is_empty()).unwrap_or_else(|| "—".to_owned())
}

fn course_cells(c: &ArchiveCourse, lang: Lang) -> [String; COURSE_COLUMNS] {
    let kind = if c.assigned { T::TypeAssigned } else { T::TypeSelf };
    [
        c.course.name.clone(),
        kind.get(lang).to_owned(),
        course_status(c).get(lang).to_owned(),
        day(&c.due_on),
        of(c.lessons_done, c.lessons_total),
        day(&c.started_on),
        day(&c.completed_on),
        format!("{:.2}", c.hours),
    ]
}

const MAKEUP_COLUMNS: usize = 5;

fn makeup_headings(lang: Lang) -> [&'static str; MAKEUP_COLUMNS] {
    [T::Topic.get(lang), T::HeldOn.get(lang), T::Attendance.get(lang), T::Due.get(lang), T::Status.get(lang)]
}

/// Where a member stands in a meeting's make-up study, in words.
fn makeup_status(m: &MakeupTask) -> T {
    match (m.done, m.overdue) {
        (true, _) => T::MadeUp,
        (false, true) => T::OverdueNotMadeUp,
        (false, false) => T::NotMadeUp,
    }
}

fn makeup_cells(m: &MakeupTask, lang: Lang) -> [String; MAKEUP_COLUMNS] {
    [
        m.topic.clone(),
        m.held_on.clone(),
        m.status.name(lang).to_owned(),
        m.deadline.clone(),
        makeup_status(m).get(lang).to_owned(),
    ]
}

const EXAM_COLUMNS: usize = 5;

fn exam_headings(lang: Lang) -> [&'static str; EXAM_COLUMNS] {
    [T::Exam.get(lang), T::Score.get(lang), T::ExamResult.get(lang), T::Attempts.get(lang), T::SubmittedOn.get(lang)]
}

/// The counted result of one exam: points out of the paper's, and in words.
fn exam_cells(e: &ArchiveExam, lang: Lang) -> [String; EXAM_COLUMNS] {
    let (score, result) = match &e.result {
        Some(s) => (
            format!("{} / {}", s.total, s.max),
            match s.outcome {
                Outcome::Passed => T::Passed,
                Outcome::Failed => T::Failed,
                Outcome::Pending => T::AwaitingGrading,
            }
            .get(lang)
            .to_owned(),
        ),
        None => ("—".to_owned(), "—".to_owned()),
    };
    [e.exam.name.clone(), score, result, e.attempts.to_string(), e.submitted_on.clone().unwrap_or_default()]
}

/// The 学习档案 itself (also what a snapshot of it shows).
pub(super) fn archive_view(a: MemberArchive, lang: Lang) -> AnyView {
    let courses: Vec<Row<COURSE_COLUMNS>> =
        a.courses.iter().map(|c| Row { id: c.course.id, alert: c.overdue, cells: course_cells(c, lang) }).collect();
    let makeups: Vec<Row<MAKEUP_COLUMNS>> =
        a.makeups.iter().map(|m| Row { id: m.meeting_id, alert: m.overdue, cells: makeup_cells(m, lang) }).collect();
    let exams: Vec<Row<EXAM_COLUMNS>> = a
        .exams
        .iter()
        .map(|e| Row {
            id: e.exam.id,
            alert: e.result.is_some_and(|s| s.outcome == Outcome::Failed),
            cells: exam_cells(e, lang),
        })
        .collect();
    view! {
        <h2 id="archive-name">{a.name.clone()} " · " {a.org.name.clone()}</h2>
        {a.standing.map(|s| view! { <p id="archive-standing">{T::Standing.get(lang)} "：" {s.name(lang)}</p> })}
        {(!a.classes.is_empty()).then(|| view! {
            <h3>{T::Classes.get(lang)}</h3>
            <ul id="archive-classes">
                {a.classes.iter().map(|c| view! {
                    <li>{c.class.name.clone()} " · " {c.org_name.clone()} " · " {c.term_from.clone()} " – " {c.term_to.clone()}
                        " · " {c.graduated.map_or(T::NotGraduated.get(lang), |g| g.name(lang))}
                        {c.certificate.as_ref().map(|cert| view! {
                            " · " {T::Certificate.get(lang)} " " <span class="serial">{cert.serial.clone()}</span>
                            {cert.revoked.then(|| view! { " " <span class="badge alert">{T::Revoked.get(lang)}</span> })}
                        })}</li>
                }).collect_view()}
            </ul>
        })}
        {(!a.milestones.is_empty()).then(|| view! {
            <ol class="milestones" id="archive-milestones">
                {a.milestones.iter().map(|m| view! {
                    <li>{m.on.clone()} " " {m.standing.milestone(lang)}
                        {m.recorded_by.clone().map(|who| format!("（{who}）"))}</li>
                }).collect_view()}
            </ol>
        })}
        <h3>{T::Courses.get(lang)}</h3>
        {if courses.is_empty() {
            view! { <p class="muted">{T::NoRows.get(lang)}</p> }.into_any()
        } else {
            labelled_table("archive-courses", course_headings(lang), COURSE_NUMBERS, courses)
        }}
        <h3>{T::Years.get(lang)}</h3>
        <ul id="archive-years">
            {a.years
                .into_iter()
                .map(|y| view! { <li>{y.year} ": " {format!("{:.2}", y.hours)} " / " {y.target_hours} " " {T::Hours.get(lang)}</li> })
                .collect_view()}
        </ul>
        <h3>{T::Makeups.get(lang)}</h3>
        {if makeups.is_empty() {
            view! { <p class="muted" id="archive-makeups">{T::NoRows.get(lang)}</p> }.into_any()
        } else {
            labelled_table("archive-makeups", makeup_headings(lang), [false; MAKEUP_COLUMNS], makeups)
        }}
        <h3>{T::Exams.get(lang)}</h3>
        {if exams.is_empty() {
            view! { <p class="muted" id="archive-exams">{T::NoRows.get(lang)}</p> }.into_any()
        } else {
            labelled_table("archive-exams", exam_headings(lang), [false, true, false, true, false], exams)
        }}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::meeting::{Attendance, MeetingKind};
    use courses::report::NodeRef;

    fn course(assigned: bool, completed: bool, overdue: bool) -> ArchiveCourse {
        ArchiveCourse {
            course: NodeRef { id: 1, name: "党章学习".into() },
            assigned,
            due_on: assigned.then(|| "2026-12-20".into()),
            lessons_done: 1,
            lessons_total: 2,
            started_on: Some("2026-03-01".into()),
            completed_on: completed.then(|| "2026-03-02".into()),
            overdue,
            hours: 0.5,
        }
    }

    fn makeup(done: bool, overdue: bool) -> MakeupTask {
        MakeupTask {
            meeting_id: 9,
            kind: MeetingKind::ALL[0],
            held_on: "2026-03-01".into(),
            topic: "学习党章".into(),
            org_name_path: "第一党支部".into(),
            status: Attendance::Absent,
            deadline: "2026-03-15".into(),
            lessons: vec![],
            done,
            overdue,
        }
    }

    #[test]
    fn every_course_value_sits_under_its_own_heading() {
        let headings = course_headings(Lang::Zh);
        let cells = course_cells(&course(true, false, true), Lang::Zh);
        let under = |heading: &str| headings.iter().position(|h| *h == heading).map(|i| cells[i].as_str());
        assert_eq!(under("课程"), Some("党章学习"));
        assert_eq!(under("学习类型"), Some("指派必学"));
        assert_eq!(under("状态"), Some("逾期未完成"));
        assert_eq!(under("截止日期"), Some("2026-12-20"));
        assert_eq!(under("课时进度"), Some("1 / 2"));
        assert_eq!(under("完成日期"), Some("—"));
        assert_eq!(under("学时"), Some("0.50"));
        assert_eq!(under("应学人次"), None, "a count's heading has no place in one person's record");
    }

    #[test]
    fn course_states_are_words_not_yes_or_no() {
        for lang in [Lang::Zh, Lang::En] {
            for (assigned, completed, overdue) in
                [(true, true, false), (true, false, true), (true, false, false), (false, false, false)]
            {
                for cell in course_cells(&course(assigned, completed, overdue), lang) {
                    assert!(!["是", "否", "yes", "no"].contains(&cell.as_str()), "{cell}");
                }
            }
        }
        let status = |a, c, o| course_status(&course(a, c, o)).get(Lang::Zh);
        assert_eq!(status(true, true, false), "已完成");
        assert_eq!(status(true, false, true), "逾期未完成");
        assert_eq!(status(true, false, false), "未完成");
        assert_eq!(course_cells(&course(false, false, false), Lang::Zh)[1], "自主学习");
    }

    #[test]
    fn make_up_lines_say_what_their_state_is() {
        let headings = makeup_headings(Lang::Zh);
        let cells = makeup_cells(&makeup(false, true), Lang::Zh);
        let status = headings.iter().position(|h| *h == "状态").map(|i| cells[i].as_str());
        assert_eq!(status, Some("逾期未补学"));
        assert_eq!(makeup_cells(&makeup(true, false), Lang::Zh)[4], "已补学");
        assert_eq!(makeup_cells(&makeup(false, false), Lang::Zh)[4], "未补学");
        assert_eq!(makeup_cells(&makeup(false, false), Lang::En)[4], "Not made up");
        assert_eq!(cells[2], "缺席");
    }
}
