//! What an assignment must satisfy before anything is stored: the checks
//! that need no database. The server adds those that do (the node, the
//! course, where the target lies and whether its people may study the
//! course), reporting them with the same error type.

use super::{DueUpdate, NewAssignment, MAX_DUE_DAYS};
use crate::course::{Audience, AudienceError};
use crate::meeting::Date;

/// Why an assignment or its due day cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("the due date must be written YYYY-MM-DD")]
    BadDueDate,
    #[error("the due date cannot be before today")]
    PastDueDate,
    #[error("the due date can be at most three years ahead")]
    DueTooFar,
    #[error("a target needs at least one org node or one named person")]
    EmptyTarget,
    #[error("a target may list at most 500 org nodes, roles or people")]
    TargetTooLarge,
    #[error("the target names an org node or person that does not exist or lies outside the assignment's org node")]
    BadTarget,
    #[error("the course does not exist or you may not assign it")]
    UnknownCourse,
    #[error("the course `{course}` is not published")]
    UnpublishedCourse { course: String },
    #[error("nobody matches the target")]
    NobodyAssigned,
    #[error("{count} of the people assigned cannot study the course: {}", names.join(", "))]
    CannotStudy { count: usize, names: Vec<String> },
    /// The node already assigned this course to the same target (answered
    /// with 409); `due_on` is that assignment's due day.
    #[error("the course is already assigned to the same target, due {due_on}")]
    AlreadyAssigned { due_on: String },
}

impl From<AudienceError> for AssignmentError {
    fn from(e: AudienceError) -> Self {
        match e {
            AudienceError::Empty => Self::EmptyTarget,
            AudienceError::TooLarge => Self::TargetTooLarge,
        }
    }
}

/// A [`NewAssignment`] that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAssignment {
    pub org_id: i64,
    pub course_id: i64,
    /// Sorted, without duplicates, not empty.
    pub target: Audience,
    pub due_on: Date,
}

impl NewAssignment {
    /// Checks the due day against `today` (the platform's date) and the
    /// target's shape.
    pub fn check(&self, today: Date) -> Result<CheckedAssignment, AssignmentError> {
        let due_on = check_due(today, &self.due_on)?;
        let target = self.target.clone().normalized()?;
        Ok(CheckedAssignment { org_id: self.org_id, course_id: self.course_id, target, due_on })
    }
}

impl DueUpdate {
    pub fn check(&self, today: Date) -> Result<Date, AssignmentError> {
        check_due(today, &self.due_on)
    }
}

/// A due day: a date from today to [`MAX_DUE_DAYS`] ahead. An assignment
/// is due by the end of that day.
pub fn check_due(today: Date, raw: &str) -> Result<Date, AssignmentError> {
    let due = Date::parse(raw).map_err(|_| AssignmentError::BadDueDate)?;
    let days = today.days_until(due);
    if days < 0 {
        return Err(AssignmentError::PastDueDate);
    }
    if days > MAX_DUE_DAYS {
        return Err(AssignmentError::DueTooFar);
    }
    Ok(due)
}

/// Whether a due day has passed on `today`: the day itself still counts.
pub fn is_past(due_on: &str, today: Date) -> bool {
    Date::parse(due_on).is_ok_and(|due| due < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Role;

    fn today() -> Date {
        Date::parse("2026-03-20").unwrap()
    }

    fn new() -> NewAssignment {
        NewAssignment {
            org_id: 3,
            course_id: 7,
            target: Audience { orgs: vec![5, 3, 5], roles: vec![Role::Member], ..Audience::default() },
            due_on: "2026-04-30".into(),
        }
    }

    #[test]
    fn a_good_assignment_is_checked_with_its_target_normalized() {
        let a = new().check(today()).unwrap();
        assert_eq!(a.target.orgs, vec![3, 5]);
        assert_eq!(a.due_on.to_string(), "2026-04-30");
        let due_today = NewAssignment { due_on: " 2026-03-20 ".into(), ..new() };
        assert_eq!(due_today.check(today()).unwrap().due_on, today());
    }

    #[test]
    fn each_bad_field_is_refused_with_its_own_reason() {
        let cases = [
            (NewAssignment { due_on: "2026-02-30".into(), ..new() }, AssignmentError::BadDueDate),
            (NewAssignment { due_on: "30/04/2026".into(), ..new() }, AssignmentError::BadDueDate),
            (NewAssignment { due_on: "2026-03-19".into(), ..new() }, AssignmentError::PastDueDate),
            (NewAssignment { due_on: "2029-03-21".into(), ..new() }, AssignmentError::DueTooFar),
            (NewAssignment { target: Audience::default(), ..new() }, AssignmentError::EmptyTarget),
            (
                NewAssignment { target: Audience { people: (0..501).collect(), ..Audience::default() }, ..new() },
                AssignmentError::TargetTooLarge,
            ),
        ];
        for (a, expected) in cases {
            assert_eq!(a.check(today()), Err(expected.clone()), "{expected:?}");
        }
    }

    #[test]
    fn a_due_day_passes_only_after_it_ends() {
        assert!(!is_past("2026-03-20", today()));
        assert!(is_past("2026-03-19", today()));
        assert!(!is_past("2026-04-01", today()));
        assert_eq!(DueUpdate { due_on: "2026-03-19".into() }.check(today()), Err(AssignmentError::PastDueDate));
    }
}
