//! Meetings (三会一课) and make-up study (补学).
//!
//! Organizers record meetings of the nodes they manage; everyone on the
//! roster who was absent or on leave owes make-up study of the meeting's
//! lessons by its deadline. The rules, as decided here:
//!
//! - **Roster**: everyone whose node is the meeting's node or lies below it
//!   (a branch's meeting includes its party groups), whatever their role.
//!   The attendance must list each of them exactly once and nobody else.
//!   The roster is fixed when the meeting is recorded; people who join the
//!   node later are not added.
//! - **Lessons**: 1–20 lessons of courses the organizer manages; each course
//!   must be published, and every absent or on-leave person must be able to
//!   study it (`Actor::can_study`), so a make-up task can always be opened.
//!   The same holds for anyone later marked absent or on leave.
//! - **Make-up task**: an attendance row that is not `present`. Marking the
//!   person present withdraws it; marking them absent again brings it back.
//!   Progress lives in `lesson_progress` and is never touched here.
//! - **Made up**: every lesson of the meeting completed by that person, at
//!   any time (before the meeting, after the deadline: it counts).
//! - **Deadline**: the meeting's day plus 1–365 days (default 14), editable
//!   later within the same bounds; a task not done after that day is
//!   overdue, and stays open.
//! - **Delete**: always allowed to those who manage the meeting; the tasks
//!   go with it, the study progress stays with the lessons.
//!
//! Out-of-scope meetings answer 404; members get 403 on everything but
//! their own tasks (`my_makeups`).
//!
//! - `record.rs`: recording a meeting and the checks that need the database.
//! - `change.rs`: attendance, deadline, deletion.
//! - `views.rs`: lists and the meeting page's 应到 / 实到 / 已补学.
//! - `makeups.rs`: a member's make-up tasks.

mod change;
mod makeups;
mod record;
mod views;

pub use change::{delete, set_attendance, set_deadline};
pub use makeups::my_makeups;
pub use record::record;
pub use views::{get, list};

use std::collections::HashMap;

use chrono::Datelike;
use courses::meeting::{Date, MeetingError, MeetingLesson};
use courses::Actor;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::config::Settings;
use crate::db::{courses as course_rows, lessons, meetings, orgs};
use crate::error::{Error, Result};
use crate::services::catalog::{audience_of, facts_of, rules_of, Course};
use crate::services::orgs::{in_scope, path_of};

/// Today in the platform's time zone: when a meeting may have been held,
/// and whether a task is overdue.
pub fn today(settings: &Settings) -> Result<Date> {
    let now = chrono::Utc::now().with_timezone(&settings.time_zone()).date_naive();
    Date::from_ymd(now.year(), now.month(), now.day())
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("today ({now}) is outside the supported years")))
}

fn invalid(e: MeetingError) -> Error {
    Error::invalid(&e)
}

/// Members and activists manage no meetings: 403 before anything is
/// looked up, so they learn nothing about which ids exist.
fn require_manager(actor: &Actor) -> Result<()> {
    in_scope(&actor.scope()).map(|_| ()).ok_or(Error::Forbidden)
}

/// A meeting the actor manages, with its node; 404 when it does not exist
/// or lies outside the actor's subtree.
async fn find_managed(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<(meetings::Model, orgs::Model)> {
    require_manager(actor)?;
    let (meeting, org) =
        meetings::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    let org = org.ok_or(Error::NotFound)?;
    super::hide_out_of_scope(actor.can_manage_meetings(&path_of(&org)?))?;
    Ok((meeting, org))
}

/// A stored date; one that no longer parses is a server fault.
fn stored_date(meeting_id: i64, raw: &str) -> Result<Date> {
    Date::parse(raw).map_err(|_| Error::Internal(anyhow::anyhow!("meeting {meeting_id} has the date {raw}")))
}

/// Lessons by id, each with its course; ids that do not exist are absent.
async fn lessons_with_courses(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, (lessons::Model, Course)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = lessons::Entity::find().filter(lessons::Column::Id.is_in(ids.to_vec())).all(db).await?;
    let mut course_ids: Vec<i64> = rows.iter().map(|l| l.course_id).collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    let mut courses: HashMap<i64, Course> = HashMap::new();
    for (row, org) in course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(course_ids))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?
    {
        let org = org.ok_or_else(|| Error::Internal(anyhow::anyhow!("course {} has no org", row.id)))?;
        let course = Course { rules: rules_of(&row)?, audience: audience_of(&row)?, org: path_of(&org)?, row };
        courses.insert(course.row.id, course);
    }
    let mut out = HashMap::new();
    for lesson in rows {
        if let Some(course) = courses.get(&lesson.course_id) {
            out.insert(lesson.id, (lesson.clone(), course.clone()));
        }
    }
    Ok(out)
}

fn meeting_lesson(lesson: &lessons::Model, course: &Course) -> Result<MeetingLesson> {
    Ok(MeetingLesson {
        id: lesson.id,
        course_id: course.row.id,
        course_title: course.row.title.clone(),
        title: lesson.title.clone(),
        kind: facts_of(lesson)?.kind,
    })
}
