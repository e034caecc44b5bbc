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

/// Whose due date binds a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueSource {
    /// The member's assignment of the course (their organizer's request).
    Assignment,
    /// The course's own due date.
    Course,
}

/// A due date and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueDate {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub source: DueSource,
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
    // Sorted by the binding due date; undated courses go last.
    required.sort_by_key(|c| {
        let due = c.due.as_ref().map(|d| d.day.clone());
        (due.is_none(), due, c.id)
    });
    let studied = |c: &CourseView| c.progress.as_ref().map_or(0.0, |p| p.studied_seconds);
    in_progress.sort_by(|a, b| studied(b).total_cmp(&studied(a)).then(b.id.cmp(&a.id)));
    completed.sort_by_key(|c| std::cmp::Reverse(c.id));
    (required, in_progress, completed)
}

/// Sets each course's binding due date for one member: the earliest due
/// day of their assignments of the course (`assigned` maps course ids to
/// it), else the course's own. The assignment's day wins: it is what the
/// member's organizer asked of them.
pub fn bind_due(courses: &mut [CourseView], assigned: &HashMap<i64, String>) {
    for c in courses {
        c.due = match assigned.get(&c.id) {
            Some(day) => Some(DueDate { day: day.clone(), source: DueSource::Assignment }),
            None => c.due_on.clone().map(|day| DueDate { day, source: DueSource::Course }),
        };
    }
}

/// Marks the courses assigned to the member (after [`bind_due`]) as
/// required of them.
pub fn assigned_are_required(courses: &mut [CourseView]) {
    for c in courses {
        if c.due.as_ref().is_some_and(|d| d.source == DueSource::Assignment) {
            c.required = true;
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
            due: due_on.map(|day| DueDate { day: day.to_owned(), source: DueSource::Course }),
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
        bind_due(&mut courses, &due);
        assigned_are_required(&mut courses);
        let (req, _, _) = arrange(courses);
        let got: Vec<(i64, Option<&str>)> =
            req.iter().map(|c| (c.id, c.due.as_ref().map(|d| d.day.as_str()))).collect();
        assert_eq!(got, [(1, Some("2026-05-01")), (2, Some("2026-06-01"))]);
        // The course's own date stays what its settings hold.
        assert_eq!(req[1].due_on.as_deref(), Some("2026-12-31"));
    }

    #[test]
    fn the_binding_due_date_says_whose_it_is() {
        use StudyStatus::*;
        let mut courses = vec![
            course(1, true, Some("2026-12-31"), NotStarted, 0.0),
            course(2, true, Some("2026-12-31"), NotStarted, 0.0),
            course(3, false, None, NotStarted, 0.0),
        ];
        bind_due(&mut courses, &HashMap::from([(2, "2026-12-20".to_owned())]));
        let due: Vec<Option<DueDate>> = courses.iter().map(|c| c.due.clone()).collect();
        let d = |day: &str, source| Some(DueDate { day: day.to_owned(), source });
        assert_eq!(due, [d("2026-12-31", DueSource::Course), d("2026-12-20", DueSource::Assignment), None]);
    }
}
