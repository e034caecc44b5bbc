//! Assignments as the API shows them: a list entry with its counts, and
//! the assignment page with every member's progress.

use serde::{Deserialize, Serialize};

use crate::people::Role;

/// An org node or a person of a target, with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

/// A target as people read it: nodes and people by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetView {
    /// Nodes, each with everything below it.
    pub orgs: Vec<NamedRef>,
    /// Roles that count within `orgs`; empty means every role.
    pub roles: Vec<Role>,
    /// Party standings that count within `orgs`; empty means every one.
    #[serde(default)]
    pub standings: Vec<crate::Standing>,
    /// People assigned by name.
    pub people: Vec<NamedRef>,
}

/// An assignment in a list, with how far its members are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentSummary {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    /// The node it was made for.
    pub org_id: i64,
    /// Names from the root down to that node, joined by `/`.
    pub org_name_path: String,
    pub target: TargetView,
    /// Last day, `YYYY-MM-DD` (inclusive).
    pub due_on: String,
    /// People it covers now.
    pub member_count: u32,
    /// Members who completed the course (at any time).
    pub done: u32,
    /// Members not done after the due day.
    pub overdue: u32,
    /// The due day has passed.
    pub past_due: bool,
    /// Unix seconds.
    pub created_at: i64,
}

/// One person an assignment covers, with their progress in the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentMember {
    pub person_id: i64,
    pub name: String,
    pub login: String,
    /// The node the person belongs to now.
    pub org_name: String,
    pub lessons_done: u32,
    pub lessons_total: u32,
    /// When the course was completed, Unix milliseconds.
    pub completed_at_ms: Option<i64>,
    /// The day it was completed in the platform's time zone, `YYYY-MM-DD`.
    pub completed_on: Option<String>,
    pub done: bool,
    /// Not done and the due day has passed.
    pub overdue: bool,
}

/// `GET /api/v1/assignments/{id}`: the assignment and every member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentView {
    #[serde(flatten)]
    pub summary: AssignmentSummary,
    /// Overdue first, then not done, then done; each by name. At most
    /// [`MEMBERS_SHOWN`]: an assignment of a whole organization has tens of
    /// thousands (the reports and their exports list them by node).
    pub members: Vec<AssignmentMember>,
    /// More members than listed.
    #[serde(default)]
    pub truncated: bool,
}

/// Most members an assignment page lists.
pub const MEMBERS_SHOWN: usize = 500;

/// Overdue first, then the others not done, then those done; by name
/// (pinyin, `crate::collation`) within each.
pub fn arrange(members: &mut [AssignmentMember]) {
    let rank = |m: &AssignmentMember| match (m.done, m.overdue) {
        (false, true) => 0,
        (false, false) => 1,
        (true, _) => 2,
    };
    members.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| crate::collation::compare_names(&a.name, &b.name))
            .then(a.person_id.cmp(&b.person_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(person_id: i64, name: &str, done: bool, overdue: bool) -> AssignmentMember {
        AssignmentMember {
            person_id,
            name: name.into(),
            login: name.into(),
            org_name: "o".into(),
            lessons_done: 0,
            lessons_total: 1,
            completed_at_ms: None,
            completed_on: None,
            done,
            overdue,
        }
    }

    #[test]
    fn overdue_members_come_first_then_open_then_done() {
        let mut list = vec![
            member(1, "b", true, false),
            member(2, "a", false, false),
            member(3, "c", false, true),
            member(4, "a", true, false),
            member(5, "a", false, true),
        ];
        arrange(&mut list);
        let ids: Vec<i64> = list.iter().map(|m| m.person_id).collect();
        assert_eq!(ids, [5, 3, 2, 4, 1]);
    }
}
