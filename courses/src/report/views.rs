//! The reports the API answers with. Each is self-contained (names, not
//! only ids), so a snapshot of it reads the same years later.

use serde::{Deserialize, Serialize};

use crate::meeting::MeetingView;

/// Counts of member-course records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// Records assigned (required by a due day).
    pub assigned: u32,
    /// Assigned and completed.
    pub assigned_done: u32,
    /// Assigned, not completed, due day passed.
    pub overdue: u32,
    /// Records started, assigned or not.
    pub started: u32,
    /// Records completed, assigned or not.
    pub completed: u32,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.assigned += other.assigned;
        self.assigned_done += other.assigned_done;
        self.overdue += other.overdue;
        self.started += other.started;
        self.completed += other.completed;
    }

    /// Completion of what was assigned, in percent.
    pub fn completion(&self) -> Option<f64> {
        super::percent(self.assigned_done, self.assigned)
    }
}

/// An org node by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeRef {
    pub id: i64,
    pub name: String,
}

/// One node and everything below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeRow {
    pub org: NodeRef,
    /// `courses::OrgKind` code.
    pub kind: String,
    /// People in the node and below it.
    pub people: u32,
    pub counts: Counts,
    /// Whether it has child nodes to drill into.
    pub has_children: bool,
}

/// Completion of a node's subtree, rolled up into each child, of all
/// assigned courses or of one course or assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgReport {
    /// The node, and above it the way up to the caller's own node.
    pub org: NodeRef,
    pub breadcrumb: Vec<NodeRef>,
    /// The course reported on, if one.
    pub course: Option<NodeRef>,
    /// The assignment reported on, if one (its id and course title), and its due day.
    pub assignment: Option<NodeRef>,
    pub due_on: Option<String>,
    /// The day overdue was judged on, `YYYY-MM-DD`.
    pub as_of: String,
    /// The whole subtree.
    pub total: NodeRow,
    /// Each child node with its subtree.
    pub children: Vec<NodeRow>,
    /// People of the node itself (not of a child), if any.
    pub own: Option<NodeRow>,
}

/// One member of a node, with their records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRow {
    pub person_id: i64,
    pub name: String,
    pub login: String,
    /// `courses::Role` code.
    pub role: String,
    pub org: NodeRef,
    pub counts: Counts,
    /// Study hours (学时) of `year`, after the daily cap.
    pub hours: f64,
    pub target_hours: u32,
}

/// The members of a node's subtree, one row each (drill-down from a node).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberReport {
    pub org: NodeRef,
    pub course: Option<NodeRef>,
    pub assignment: Option<NodeRef>,
    pub as_of: String,
    pub year: i32,
    pub rows: Vec<MemberRow>,
    /// More members than listed (the list stops at its limit).
    pub truncated: bool,
}

/// A task not done by its due day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueRow {
    pub person_id: i64,
    pub name: String,
    pub org: NodeRef,
    /// `assignment` (a course required by a due day) or `meeting` (make-up study).
    pub source: String,
    /// The course (assignment) or meeting.
    pub subject: NodeRef,
    pub due_on: String,
    pub days_overdue: u32,
    pub lessons_done: u32,
    pub lessons_total: u32,
}

/// Overdue tasks in a subtree, most overdue first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueReport {
    pub org: NodeRef,
    pub as_of: String,
    pub rows: Vec<OverdueRow>,
    pub truncated: bool,
}

/// Study hours of one node's subtree in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursRow {
    pub org: NodeRef,
    pub people: u32,
    /// People who reached their yearly target.
    pub reached: u32,
    /// Average 学时 per person.
    pub average_hours: f64,
}

/// Study hours against the yearly target, per child node, and per month
/// for the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursReport {
    pub org: NodeRef,
    pub year: i32,
    pub member_target_hours: u32,
    pub activist_target_hours: u32,
    pub total: HoursRow,
    pub children: Vec<HoursRow>,
    /// People of the node itself (not of a child), if any: with the
    /// children, every person the total counts has a row.
    #[serde(default)]
    pub own: Option<HoursRow>,
    /// 学时 credited in each month, January first (before the daily cap).
    pub months: Vec<f64>,
}

/// One course in a member's 学习档案.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveCourse {
    pub course: NodeRef,
    pub assigned: bool,
    pub due_on: Option<String>,
    pub lessons_done: u32,
    pub lessons_total: u32,
    /// `YYYY-MM-DD` in the platform's zone.
    pub started_on: Option<String>,
    pub completed_on: Option<String>,
    pub overdue: bool,
    /// Credited study time in the course, in 学时.
    pub hours: f64,
}

/// One exam in a member's 学习档案: the result that counts (highest or
/// last, as the exam says; practice never counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveExam {
    pub exam: NodeRef,
    /// Submitted attempts that count.
    pub attempts: u32,
    pub result: Option<crate::exam::AttemptScore>,
    /// When the last of them was submitted, `YYYY-MM-DD`.
    pub submitted_on: Option<String>,
}

/// A party class the member was enrolled in, and whether they graduated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveClass {
    pub class: NodeRef,
    pub org_name: String,
    pub term_from: String,
    pub term_to: String,
    /// The grade they graduated (结业) with, once confirmed.
    pub graduated: Option<crate::class::GradeLevel>,
    /// Their certificate (结业证书), once issued.
    pub certificate: Option<ArchiveCertificate>,
}

/// A certificate as the 学习档案 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveCertificate {
    pub serial: String,
    pub issued_on: String,
    pub revoked: bool,
}

/// A member's 学时 of one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearHours {
    pub year: i32,
    pub hours: f64,
    pub target_hours: u32,
}

/// One member's 学习档案: every course, study hours by year, make-ups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberArchive {
    pub person_id: i64,
    pub name: String,
    pub login: String,
    pub role: String,
    pub org: NodeRef,
    pub as_of: String,
    pub courses: Vec<ArchiveCourse>,
    pub years: Vec<YearHours>,
    pub makeups: Vec<crate::meeting::MakeupTask>,
    /// Exam results; absent from snapshots taken before exams existed.
    #[serde(default)]
    pub exams: Vec<ArchiveExam>,
    /// Party standing; absent from snapshots taken before standings existed.
    #[serde(default)]
    pub standing: Option<crate::Standing>,
    /// Each change of standing, oldest first.
    #[serde(default)]
    pub milestones: Vec<crate::standing::MilestoneView>,
    /// Party classes, the newest first.
    #[serde(default)]
    pub classes: Vec<ArchiveClass>,
}

/// Any report, as a snapshot stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "report", rename_all = "snake_case")]
pub enum ReportData {
    Org(OrgReport),
    Members(MemberReport),
    Overdue(OverdueReport),
    Hours(HoursReport),
    Person(MemberArchive),
    Meeting(MeetingView),
}

/// A stored snapshot, without its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotSummary {
    pub id: i64,
    pub org: NodeRef,
    /// `ReportKind` code.
    pub kind: String,
    pub title: String,
    /// `manual` or `deadline`.
    pub reason: String,
    pub due_on: Option<String>,
    /// Unix ms.
    pub taken_at_ms: i64,
    pub taken_by: Option<String>,
}
