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

/// The query string of a report query: the fields that are set, without
/// `format` when JSON.
fn query_string(q: &ReportQuery) -> String {
    // Codes and numbers, which always serialize; an empty query would only
    // show the caller's default report.
    serde_urlencoded::to_string(q).unwrap_or_default()
}

/// The page URL of a report.
pub(crate) fn page_href(q: &ReportQuery) -> String {
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
pub(crate) fn export_href(q: &ReportQuery, format: Format) -> String {
    let mut q = q.clone();
    q.format = format;
    format!("/api/v1/reports?{}", query_string(&q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_urls_carry_the_fields_that_are_set_and_no_json_format() {
        let q = ReportQuery { org_id: Some(3), year: Some(2026), ..ReportQuery::of(ReportKind::Hours) };

        assert_eq!(page_href(&q), "/reports?kind=hours&org_id=3&year=2026");
        assert_eq!(export_href(&q, Format::Csv), "/api/v1/reports?kind=hours&org_id=3&year=2026&format=csv");
        assert_eq!(unfinished_href(&q), "/reports?kind=members&org_id=3&year=2026&only=unfinished");
    }
}
