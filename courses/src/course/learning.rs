//! "My learning": a member's courses in the order they should be studied,
//! and the year's 学时 against the target.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::find::StudyStatus;
use super::CourseView;
use crate::progress::hours::HoursSummary;

/// `GET /api/v1/me/learning`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyLearning {
    pub year: i32,
    /// This year's 学时 after the daily cap, against the target.
    pub hours: HoursSummary,
    /// Required (必修) courses not yet completed, soonest due first; those
    /// without a due date last.
    pub required: Vec<CourseView>,
    /// Elective courses begun and not completed, most studied first.
    pub in_progress: Vec<CourseView>,
    /// Completed courses, newest first.
    pub completed: Vec<CourseView>,
}

/// Sorts courses into the three lists of [`MyLearning`]. Electives not yet
/// begun are left out: they are in the catalog.
pub fn arrange(courses: Vec<CourseView>) -> (Vec<CourseView>, Vec<CourseView>, Vec<CourseView>) {
    let status = |c: &CourseView| c.progress.as_ref().map_or(StudyStatus::NotStarted, |p| p.status);
    let (mut required, mut in_progress, mut completed) = (Vec::new(), Vec::new(), Vec::new());
    for c in courses {
        match (status(&c), c.required) {
            (StudyStatus::Completed, _) => completed.push(c),
            (_, true) => required.push(c),
            (StudyStatus::InProgress, false) => in_progress.push(c),
            (StudyStatus::NotStarted, false) => {}
        }
    }
    // `None` sorts before `Some`; undated courses go last.
    required.sort_by(|a, b| (a.due_on.is_none(), &a.due_on, a.id).cmp(&(b.due_on.is_none(), &b.due_on, b.id)));
    let studied = |c: &CourseView| c.progress.as_ref().map_or(0.0, |p| p.studied_seconds);
    in_progress.sort_by(|a, b| studied(b).total_cmp(&studied(a)).then(b.id.cmp(&a.id)));
    completed.sort_by_key(|c| std::cmp::Reverse(c.id));
    (required, in_progress, completed)
}

/// Marks the courses assigned to the person as required, due by the
/// earliest due day of their assignments of each (`due` maps course ids to
/// it). The assignment's day replaces the course's own: it is what the
/// person's organizer asked of them.
pub fn apply_assignments(courses: &mut [CourseView], due: &HashMap<i64, String>) {
    for c in courses {
        if let Some(day) = due.get(&c.id) {
            c.required = true;
            c.due_on = Some(day.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::find::CourseProgress;
    use crate::progress::CompletionRules;

    fn course(id: i64, required: bool, due_on: Option<&str>, status: StudyStatus, studied: f64) -> CourseView {
        CourseView {
            id,
            org_id: 1,
            title: format!("c{id}"),
            summary: String::new(),
            published: true,
            rules: CompletionRules::default(),
            required,
            credit_hours: 1.0,
            due_on: due_on.map(str::to_owned),
            cover_url: None,
            chapters: vec![],
            lessons: vec![],
            can_manage: false,
            audience: None,
            progress: Some(CourseProgress { status, lessons_completed: 0, lessons_total: 1, studied_seconds: studied }),
        }
    }

    #[test]
    fn required_by_due_date_then_in_progress_then_completed() {
        use StudyStatus::*;
        let (req, prog, done) = arrange(vec![
            course(1, true, None, NotStarted, 0.0),
            course(2, true, Some("2026-12-31"), InProgress, 5.0),
            course(3, true, Some("2026-12-01"), NotStarted, 0.0),
            course(4, false, None, InProgress, 10.0),
            course(5, false, None, InProgress, 50.0),
            course(6, false, None, NotStarted, 0.0),
            course(7, true, Some("2026-01-01"), Completed, 60.0),
            course(8, false, None, Completed, 60.0),
        ]);
        let ids = |v: &[CourseView]| v.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(&req), [3, 2, 1]);
        assert_eq!(ids(&prog), [5, 4]);
        assert_eq!(ids(&done), [8, 7]);
    }

    #[test]
    fn an_assigned_elective_becomes_required_by_its_assignment_day() {
        use StudyStatus::*;
        let mut courses = vec![
            course(1, false, None, NotStarted, 0.0),
            course(2, true, Some("2026-12-31"), NotStarted, 0.0),
            course(3, false, None, NotStarted, 0.0),
        ];
        let due = HashMap::from([(1, "2026-05-01".to_owned()), (2, "2026-06-01".to_owned())]);
        apply_assignments(&mut courses, &due);
        let (req, _, _) = arrange(courses);
        let got: Vec<(i64, Option<&str>)> = req.iter().map(|c| (c.id, c.due_on.as_deref())).collect();
        assert_eq!(got, [(1, Some("2026-05-01")), (2, Some("2026-06-01"))]);
    }
}
