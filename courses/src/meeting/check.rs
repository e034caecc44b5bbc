//! What a meeting must satisfy before anything is stored: the checks that
//! need no database. The server adds those that do (the roster, the lessons
//! and whether every absent member may study them), reporting them with the
//! same error type.

use std::collections::HashSet;

use super::date::Date;
use super::{Attendance, AttendanceIn, MeetingKind, NewMeeting, MAX_LESSONS, MAX_MAKEUP_DAYS};
use crate::course::Title;

/// Why a meeting, its attendance or its deadline cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    #[error("kind must be branch_assembly, branch_committee, group_meeting, party_lecture or theme_day")]
    BadKind,
    #[error("the meeting date must be written YYYY-MM-DD")]
    BadDate,
    #[error("the meeting date cannot be later than today")]
    FutureDate,
    #[error("a topic must be 1–200 characters without control characters")]
    BadTopic,
    #[error("choose at least one lesson as the meeting's material")]
    NoLessons,
    #[error("a meeting may use at most 20 lessons")]
    TooManyLessons,
    #[error("the same lesson is chosen twice")]
    DuplicateLesson,
    #[error("the make-up period must be 1–365 days")]
    BadMakeupDays,
    #[error("the make-up deadline must be a date YYYY-MM-DD from the meeting's date to 365 days after it")]
    BadDeadline,
    #[error("attendance must be present, absent or leave")]
    BadStatus,
    #[error("the same person is listed twice")]
    DuplicatePerson,
    #[error("list at least one person whose attendance changes")]
    NoChanges,
    #[error("{count} listed people do not belong to the meeting's org node or the nodes below it")]
    NotOnRoster { count: usize },
    #[error("the attendance leaves out people of the org node: {}", names.join(", "))]
    MissingFromRoster { names: Vec<String> },
    #[error("{count} listed people were not on this meeting's roster")]
    NotAttendee { count: usize },
    #[error("a chosen lesson does not exist or belongs to a course you do not manage")]
    UnknownLesson,
    #[error("the course of the lesson `{lesson}` is not published, so absent members could not study it")]
    UnpublishedCourse { lesson: String },
    #[error("{person} is not in the audience of the course of the lesson `{lesson}`, so could not make it up")]
    NotInAudience { lesson: String, person: String },
}

/// A [`NewMeeting`] that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMeeting {
    pub org_id: i64,
    pub kind: MeetingKind,
    pub held_on: Date,
    pub topic: Title,
    /// In the order given, without repeats.
    pub lesson_ids: Vec<i64>,
    /// `held_on` plus the make-up days.
    pub deadline: Date,
    pub attendance: Vec<(i64, Attendance)>,
}

impl NewMeeting {
    /// Checks everything but the roster and the lessons' courses. `today`
    /// is the platform's date: a meeting is recorded once it was held.
    pub fn check(&self, today: Date) -> Result<CheckedMeeting, MeetingError> {
        let kind = MeetingKind::parse(&self.kind).ok_or(MeetingError::BadKind)?;
        let held_on = Date::parse(&self.held_on).map_err(|_| MeetingError::BadDate)?;
        if held_on > today {
            return Err(MeetingError::FutureDate);
        }
        let topic = Title::parse(&self.topic).map_err(|_| MeetingError::BadTopic)?;
        let lesson_ids = check_lessons(&self.lesson_ids)?;
        if !(1..=MAX_MAKEUP_DAYS).contains(&self.makeup_days) {
            return Err(MeetingError::BadMakeupDays);
        }
        let deadline = held_on.plus_days(i64::from(self.makeup_days)).ok_or(MeetingError::BadMakeupDays)?;
        let attendance = check_attendance(&self.attendance)?;
        Ok(CheckedMeeting { org_id: self.org_id, kind, held_on, topic, lesson_ids, deadline, attendance })
    }
}

/// 1–20 lessons, none twice.
pub fn check_lessons(ids: &[i64]) -> Result<Vec<i64>, MeetingError> {
    if ids.is_empty() {
        return Err(MeetingError::NoLessons);
    }
    if ids.len() > MAX_LESSONS {
        return Err(MeetingError::TooManyLessons);
    }
    let mut seen = HashSet::new();
    if !ids.iter().all(|id| seen.insert(*id)) {
        return Err(MeetingError::DuplicateLesson);
    }
    Ok(ids.to_vec())
}

/// Known statuses, nobody twice.
pub fn check_attendance(list: &[AttendanceIn]) -> Result<Vec<(i64, Attendance)>, MeetingError> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for entry in list {
        let status = Attendance::parse(&entry.status).ok_or(MeetingError::BadStatus)?;
        if !seen.insert(entry.person_id) {
            return Err(MeetingError::DuplicatePerson);
        }
        out.push((entry.person_id, status));
    }
    Ok(out)
}

/// Changes to a recorded meeting's attendance: at least one, checked as
/// above.
pub fn check_changes(list: &[AttendanceIn]) -> Result<Vec<(i64, Attendance)>, MeetingError> {
    if list.is_empty() {
        return Err(MeetingError::NoChanges);
    }
    check_attendance(list)
}

/// A new make-up deadline: a date from the meeting's day to 365 days after.
pub fn check_deadline(held_on: Date, raw: &str) -> Result<Date, MeetingError> {
    let deadline = Date::parse(raw).map_err(|_| MeetingError::BadDeadline)?;
    let days = held_on.days_until(deadline);
    if !(0..=i64::from(MAX_MAKEUP_DAYS)).contains(&days) {
        return Err(MeetingError::BadDeadline);
    }
    Ok(deadline)
}

/// Compares the attendance given with the node's roster: everyone on it
/// exactly once (duplicates were refused before), nobody else. People
/// missing are named with `name_of`; outsiders are only counted, so ids
/// outside the caller's scope reveal nothing.
pub fn check_roster(
    roster: &[i64],
    given: &[(i64, Attendance)],
    name_of: impl Fn(i64) -> String,
) -> Result<(), MeetingError> {
    let on_roster: HashSet<i64> = roster.iter().copied().collect();
    let listed: HashSet<i64> = given.iter().map(|(id, _)| *id).collect();
    let outsiders = listed.difference(&on_roster).count();
    if outsiders > 0 {
        return Err(MeetingError::NotOnRoster { count: outsiders });
    }
    let missing: Vec<String> = roster.iter().filter(|id| !listed.contains(id)).map(|id| name_of(*id)).collect();
    if !missing.is_empty() {
        return Err(MeetingError::MissingFromRoster { names: missing });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new() -> NewMeeting {
        let a = |person_id, status: &str| AttendanceIn { person_id, status: status.into() };
        NewMeeting {
            org_id: 3,
            kind: "party_lecture".into(),
            held_on: "2026-03-15".into(),
            topic: "  学习党章  ".into(),
            lesson_ids: vec![7, 5],
            makeup_days: 14,
            attendance: vec![a(1, "present"), a(2, "absent"), a(4, "leave")],
            class_id: None,
            minutes: 0,
        }
    }

    fn today() -> Date {
        Date::parse("2026-03-20").unwrap()
    }

    #[test]
    fn a_good_meeting_is_checked_with_its_deadline() {
        let m = new().check(today()).unwrap();
        assert_eq!((m.kind, m.topic.as_str()), (MeetingKind::PartyLecture, "学习党章"));
        assert_eq!((m.held_on.to_string(), m.deadline.to_string()), ("2026-03-15".into(), "2026-03-29".into()));
        assert_eq!(m.lesson_ids, vec![7, 5]);
        assert_eq!(m.attendance, vec![(1, Attendance::Present), (2, Attendance::Absent), (4, Attendance::Leave)]);
        let same_day = NewMeeting { held_on: "2026-03-20".into(), makeup_days: 365, ..new() };
        assert_eq!(same_day.check(today()).unwrap().deadline.to_string(), "2027-03-20");
    }

    #[test]
    fn each_bad_field_is_refused_with_its_own_reason() {
        type Change = fn(&mut NewMeeting);
        let cases: [(Change, MeetingError); 12] = [
            (|m| m.kind = "党课".into(), MeetingError::BadKind),
            (|m| m.held_on = "2026-02-30".into(), MeetingError::BadDate),
            (|m| m.held_on = "15/03/2026".into(), MeetingError::BadDate),
            (|m| m.held_on = "2026-03-21".into(), MeetingError::FutureDate),
            (|m| m.topic = " ".into(), MeetingError::BadTopic),
            (|m| m.lesson_ids.clear(), MeetingError::NoLessons),
            (|m| m.lesson_ids = (1..=21).collect(), MeetingError::TooManyLessons),
            (|m| m.lesson_ids = vec![5, 6, 5], MeetingError::DuplicateLesson),
            (|m| m.makeup_days = 0, MeetingError::BadMakeupDays),
            (|m| m.makeup_days = 366, MeetingError::BadMakeupDays),
            (|m| m.attendance[1].status = "late".into(), MeetingError::BadStatus),
            (|m| m.attendance[2].person_id = 1, MeetingError::DuplicatePerson),
        ];
        for (change, expected) in cases {
            let mut m = new();
            change(&mut m);
            assert_eq!(m.check(today()), Err(expected.clone()), "{expected:?}");
        }
        let twenty = NewMeeting { lesson_ids: (1..=20).collect(), ..new() };
        assert!(twenty.check(today()).is_ok());
    }

    #[test]
    fn deadlines_lie_within_a_year_of_the_meeting() {
        let held = Date::parse("2026-03-15").unwrap();
        assert_eq!(check_deadline(held, "2026-03-15").unwrap().to_string(), "2026-03-15");
        assert_eq!(check_deadline(held, "2027-03-15").unwrap().to_string(), "2027-03-15");
        for bad in ["2026-03-14", "2027-03-16", "soon", ""] {
            assert_eq!(check_deadline(held, bad), Err(MeetingError::BadDeadline), "{bad}");
        }
    }

    #[test]
    fn the_roster_must_be_listed_exactly() {
        let name = |id: i64| format!("p{id}");
        let given = [(1, Attendance::Present), (2, Attendance::Absent)];
        assert_eq!(check_roster(&[1, 2], &given, name), Ok(()));
        assert_eq!(
            check_roster(&[1, 2, 3, 4], &given, name),
            Err(MeetingError::MissingFromRoster { names: vec!["p3".into(), "p4".into()] })
        );
        assert_eq!(check_roster(&[1], &given, name), Err(MeetingError::NotOnRoster { count: 1 }));
    }

    #[test]
    fn attendance_changes_need_at_least_one_person() {
        assert_eq!(check_changes(&[]), Err(MeetingError::NoChanges));
        let one = [AttendanceIn { person_id: 9, status: "present".into() }];
        assert_eq!(check_changes(&one), Ok(vec![(9, Attendance::Present)]));
    }
}
