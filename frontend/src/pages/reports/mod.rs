//! Organizer reports: `/reports` (completion rolled up the org tree with
//! drill-down, the unfinished list, members, overdue, study hours; a
//! course filter; charts;
//! CSV/XLSX links; "save a snapshot"), `/reports/people/{id}` (a member's
//! 学习档案) and `/reports/snapshots[/{id}]`. What a report shows is
//! decided on the server (`services::reports`); out-of-scope ids are "not
//! found" there, and these pages say so.
//!
//! Every navigation is a link or a GET form with the report's query in the
//! URL, so a report can be bookmarked, shared and opened before hydration.

mod api;
mod chart;
mod page;
mod person;
mod snapshots;
mod tables;
mod unfinished;

pub use page::ReportsPage;
pub use person::PersonReportPage;
pub use snapshots::{SnapshotPage, SnapshotsPage};

use courses::report::{Format, ReportKind, ReportQuery};
use courses::Lang;
use leptos::prelude::*;

use crate::i18n::reports::ReportText;

/// What members and activists see instead.
fn refusal(lang: Lang) -> AnyView {
    crate::components::notice::refusal(ReportText::NoPermission.get(lang))
}

/// The query string of a report query (without `format` when JSON).
fn query_string(q: &ReportQuery) -> String {
    let mut parts = vec![format!("kind={}", q.kind.as_str())];
    let mut add = |name: &str, v: Option<i64>| {
        if let Some(v) = v {
            parts.push(format!("{name}={v}"));
        }
    };
    add("org_id", q.org_id);
    add("course_id", q.course_id);
    add("assignment_id", q.assignment_id);
    add("meeting_id", q.meeting_id);
    add("person_id", q.person_id);
    add("year", q.year.map(i64::from));
    match q.format {
        Format::Json => {}
        Format::Csv => parts.push("format=csv".into()),
        Format::Xlsx => parts.push("format=xlsx".into()),
    }
    parts.join("&")
}

/// The page URL of a report.
fn page_href(q: &ReportQuery) -> String {
    format!("/reports?{}", query_string(q))
}

/// The page URL of the people of `q`'s node (and course or assignment)
/// who have not finished what they were assigned: the members report,
/// narrowed on the page (`only=unfinished`).
fn unfinished_href(q: &ReportQuery) -> String {
    let mut q = q.clone();
    q.kind = ReportKind::Members;
    format!("{}&only=unfinished", page_href(&q))
}

/// The download URL of a report.
fn export_href(q: &ReportQuery, format: Format) -> String {
    let mut q = q.clone();
    q.format = format;
    format!("/api/v1/reports?{}", query_string(&q))
}
