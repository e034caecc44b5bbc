//! Recording a meeting: the node, its roster, the lessons and whether every
//! absent member could study them; then one transaction writes the meeting,
//! its lessons and its attendance (the make-up tasks) together.

use std::collections::HashMap;

use courses::meeting::check::check_roster;
use courses::meeting::{Attendance, Date, MeetingError, MeetingView, NewMeeting};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use super::{invalid, lessons_with_courses};
use crate::config::Settings;
use crate::db::{self, lessons, meeting_attendance, meeting_lessons, meetings, orgs, people};
use crate::error::Result;
use crate::services::catalog::Course;
use crate::services::orgs::{self as org_service, path_of};
use crate::services::reminders::new_tasks;

/// Rows per multi-row insert, well under every database's parameter limit.
const INSERT_CHUNK: usize = 500;

/// A person on a roster: the row, and where they sit in the tree.
pub(super) struct Rostered {
    pub row: people::Model,
    pub org: OrgPath,
}

impl Rostered {
    /// The person as the access rules see them.
    fn actor(&self) -> Result<Actor> {
        let actor = crate::services::auth::actor_from(
            self.row.id,
            &self.row.role,
            &self.row.standing,
            self.org.id().0,
            self.org.as_str().to_owned(),
        )?;
        Ok(actor)
    }
}

/// Everyone whose node is `path` or lies below it.
async fn roster_of(db: &impl ConnectionTrait, path: &OrgPath) -> Result<Vec<Rostered>> {
    let rows =
        people::Entity::find().find_also_related(orgs::Entity).filter(org_service::subtree(path)).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, org) in rows {
        if let Some(org) = org {
            out.push(Rostered { org: path_of(&org)?, row });
        }
    }
    Ok(out)
}

/// A class session's roster: the class's students. The class must be one
/// the actor manages, of the meeting's node, and the session 1 minute to a
/// day long.
async fn class_roster(
    db: &impl ConnectionTrait,
    actor: &Actor,
    class_id: i64,
    org_id: i64,
    minutes: u32,
) -> Result<Vec<Rostered>> {
    let class = crate::services::classes::managed(db, actor, class_id).await?;
    if class.row.org_id != org_id {
        return Err(crate::error::Error::Invalid(crate::error::Detail::text(
            "培训班的集中学习须记录在该班所属组织下。",
            "A class session is recorded for the class's own node.",
        )));
    }
    if !(1..=1440).contains(&minutes) {
        return Err(crate::error::Error::Invalid(crate::error::Detail::text(
            "集中学习的时长须为 1 到 1440 分钟。",
            "A class session lasts 1 to 1,440 minutes.",
        )));
    }
    let students = crate::services::classes::student_ids(db, class_id).await?;
    people_by_id(db, students).await
}

/// People by id, with their nodes.
pub(super) async fn people_by_id(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<Rostered>> {
    let rows =
        people::Entity::find().filter(people::Column::Id.is_in(ids)).find_also_related(orgs::Entity).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, org) in rows {
        if let Some(org) = org {
            out.push(Rostered { org: path_of(&org)?, row });
        }
    }
    Ok(out)
}

/// The meeting's lessons in the order given: each must exist in a course
/// the actor manages (otherwise the same "unknown" answer, so ids outside
/// the actor's scope reveal nothing).
pub(super) async fn managed_lessons(
    db: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<(lessons::Model, Course)>> {
    let mut found = lessons_with_courses(db, ids).await?;
    ids.iter()
        .map(|id| match found.remove(id) {
            Some((lesson, course)) if actor.can_manage_course(&course.org).is_ok() => Ok((lesson, course)),
            _ => Err(invalid(MeetingError::UnknownLesson)),
        })
        .collect()
}

/// Every lesson's course is published, and everyone in `owing` may study
/// it: a make-up task must always be something its holder can open.
pub(super) fn check_studiable(lessons: &[(lessons::Model, Course)], owing: &[&Rostered]) -> Result<()> {
    for (lesson, course) in lessons {
        if !course.row.published {
            return Err(invalid(MeetingError::UnpublishedCourse { lesson: lesson.title.clone() }));
        }
        for person in owing {
            if person.actor()?.can_study(&course.org, course.row.published, &course.audience).is_err() {
                return Err(invalid(MeetingError::NotInAudience {
                    lesson: lesson.title.clone(),
                    person: person.row.name.clone(),
                }));
            }
        }
    }
    Ok(())
}

/// Inserts attendance rows in chunks.
pub(super) async fn insert_attendance(
    db: &impl ConnectionTrait,
    meeting_id: i64,
    rows: &[(i64, Attendance)],
    now: i64,
) -> Result<()> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        let models = chunk.iter().map(|(person_id, status)| meeting_attendance::ActiveModel {
            meeting_id: Set(meeting_id),
            person_id: Set(*person_id),
            status: Set(status.as_str().to_owned()),
            updated_at: Set(now),
        });
        meeting_attendance::Entity::insert_many(models).exec(db).await?;
    }
    Ok(())
}

/// Records a meeting of a node the actor manages, with everyone's
/// attendance; absent and on-leave people receive their make-up tasks in
/// the same transaction, and are told of them at once (in the app, and by
/// e-mail after the commit).
pub async fn record(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    today: Date,
    new: NewMeeting,
) -> Result<MeetingView> {
    let org = org_service::find_visible(db, actor, OrgId(new.org_id)).await?;
    let path = path_of(&org)?;
    crate::services::hide_out_of_scope(actor.can_manage_meetings(&path))?;
    let meeting = new.check(today).map_err(invalid)?;

    let roster = match new.class_id {
        None => roster_of(db, &path).await?,
        Some(class_id) => class_roster(db, actor, class_id, org.id, new.minutes).await?,
    };
    let by_id: HashMap<i64, &Rostered> = roster.iter().map(|p| (p.row.id, p)).collect();
    let ids: Vec<i64> = roster.iter().map(|p| p.row.id).collect();
    let name_of = |id: i64| by_id.get(&id).map(|p| p.row.name.clone()).unwrap_or_default();
    check_roster(&ids, &meeting.attendance, name_of).map_err(invalid)?;

    let lessons = managed_lessons(db, actor, &meeting.lesson_ids).await?;
    let owing: Vec<&Rostered> = meeting
        .attendance
        .iter()
        .filter(|(_, status)| status.owes_makeup())
        .filter_map(|(id, _)| by_id.get(id).copied())
        .collect();
    check_studiable(&lessons, &owing)?;

    let now = db::now();
    let txn = db.begin().await?;
    let row = meetings::ActiveModel {
        org_id: Set(org.id),
        kind: Set(meeting.kind.as_str().to_owned()),
        held_on: Set(meeting.held_on.to_string()),
        topic: Set(meeting.topic.as_str().to_owned()),
        makeup_deadline: Set(meeting.deadline.to_string()),
        class_id: Set(new.class_id),
        minutes: Set(i32::try_from(new.minutes).unwrap_or(i32::MAX)),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let lesson_rows = meeting.lesson_ids.iter().enumerate().map(|(i, lesson_id)| meeting_lessons::ActiveModel {
        meeting_id: Set(row.id),
        lesson_id: Set(*lesson_id),
        position: Set(i32::try_from(i).unwrap_or(i32::MAX) + 1),
    });
    meeting_lessons::Entity::insert_many(lesson_rows).exec(&txn).await?;
    insert_attendance(&txn, row.id, &meeting.attendance, now).await?;
    let owing_ids: Vec<i64> = owing.iter().map(|p| p.row.id).collect();
    let announced = new_tasks::makeups(&txn, today, row.id, &owing_ids).await?;
    txn.commit().await?;
    new_tasks::email_later(db, settings, announced);
    super::views::view(db, row, org).await
}
