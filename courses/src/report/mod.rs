//! Completion reports for organizers: what the records say, rolled up the
//! org tree, and the tables they export as.
//!
//! An organizer sees the subtree of their own node; an admin sees all of
//! it. Counts are of member-course records: a member *assigned* a course
//! (by an assignment, with a due day) or who *started* it on their own.
//! Completion rates are of assigned records: "of the courses required of
//! this branch's members, how many are done", which is what a branch
//! secretary reports upwards. Overdue: assigned, not completed, and the due
//! day has passed.
//!
//! - `views.rs`: the report types the API answers with.
//! - `table.rs`: every report as one table with Chinese or English headers,
//!   for CSV and XLSX, with formula injection neutralized.
//! - `rollup.rs`: summing per-node counts into the children of a node.

use serde::{Deserialize, Serialize};

mod rollup;
pub mod table;
pub mod views;

pub use rollup::{roll_up, NodeCounts};
pub use table::{Cell, Table};
pub use views::{
    ArchiveCourse, ArchiveExam, Counts, HoursReport, HoursRow, MemberArchive, MemberReport, MemberRow, NodeRef,
    NodeRow, OrgReport, OverdueReport, OverdueRow, ReportData, SnapshotSummary, YearHours,
};

/// What a report is about: the stable codes stored with snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Completion rolled up a node's subtree (optionally of one course).
    Org,
    /// One course, rolled up.
    Course,
    /// One assignment, rolled up.
    Assignment,
    /// One meeting's make-up status.
    Meeting,
    /// The members of a node, one row each.
    Members,
    /// Overdue tasks in a subtree.
    Overdue,
    /// Study hours against the yearly target.
    Hours,
    /// One member's 学习档案.
    Person,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Org => "org",
            Self::Course => "course",
            Self::Assignment => "assignment",
            Self::Meeting => "meeting",
            Self::Members => "members",
            Self::Overdue => "overdue",
            Self::Hours => "hours",
            Self::Person => "person",
        }
    }

    pub fn parse(code: &str) -> Option<ReportKind> {
        [
            Self::Org,
            Self::Course,
            Self::Assignment,
            Self::Meeting,
            Self::Members,
            Self::Overdue,
            Self::Hours,
            Self::Person,
        ]
        .into_iter()
        .find(|k| k.as_str() == code)
    }
}

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Csv,
    Xlsx,
}

impl Format {
    /// The default: a query that says nothing about its format is JSON, so
    /// report URLs leave it out.
    pub fn is_json(&self) -> bool {
        *self == Format::Json
    }
}

/// `GET /api/v1/reports`: which report, of what, in which format.
///
/// - `org`: completion of `org_id`'s subtree rolled up into its children;
///   `course_id` or `assignment_id` narrows it to one course or assignment.
/// - `course`, `assignment`: the same, with the id required.
/// - `members`: one row per person of `org_id`'s subtree (same filters).
/// - `overdue`: overdue assigned courses and make-up study in the subtree.
/// - `hours`: study hours of `year` against the target.
/// - `person`: `person_id`'s 学习档案.
/// - `meeting`: `meeting_id`'s make-up status.
///
/// `org_id` defaults to the caller's own node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub kind: ReportKind,
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub course_id: Option<i64>,
    #[serde(default)]
    pub assignment_id: Option<i64>,
    #[serde(default)]
    pub meeting_id: Option<i64>,
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub year: Option<i32>,
    /// `json` (default), `csv` or `xlsx`.
    #[serde(default, skip_serializing_if = "Format::is_json")]
    pub format: Format,
}

impl ReportQuery {
    /// A query of `kind` with nothing else set.
    pub fn of(kind: ReportKind) -> ReportQuery {
        ReportQuery {
            kind,
            org_id: None,
            course_id: None,
            assignment_id: None,
            meeting_id: None,
            person_id: None,
            year: None,
            format: Format::Json,
        }
    }
}

/// Completion as a percentage with one decimal, of `done` out of `of`;
/// none when nothing is counted.
pub fn percent(done: u32, of: u32) -> Option<f64> {
    (of > 0).then(|| (f64::from(done) * 1000.0 / f64::from(of)).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_one_decimal_and_is_none_of_nothing() {
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(5, 5), Some(100.0));
    }

    #[test]
    fn kinds_round_trip_their_codes() {
        for code in ["org", "course", "assignment", "meeting", "members", "overdue", "hours", "person"] {
            assert_eq!(ReportKind::parse(code).map(ReportKind::as_str), Some(code));
        }
        assert_eq!(ReportKind::parse("orgs"), None);
    }
}
