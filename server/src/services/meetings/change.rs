//! Changing a recorded meeting: attendance (which assigns or withdraws
//! make-up tasks), the make-up deadline, and deleting it.

use std::collections::HashMap;

use courses::meeting::check::{check_changes, check_deadline};
use courses::meeting::{Attendance, AttendanceUpdate, DeadlineUpdate, MeetingError, MeetingView};
use courses::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};

use super::record::{check_studiable, people_by_id, Rostered};
use super::{find_managed, invalid, lessons_with_courses, stored_date, views::view};
use crate::config::Settings;
use crate::db::{self, meeting_attendance, meeting_lessons, meetings};
use crate::error::{Error, Result};
use crate::services::reminders::new_tasks;

/// Changes the attendance of some people on the meeting's roster. Marking
/// someone present withdraws their make-up task; absent or on leave gives
/// it (back), and those who newly owe it are told at once. Study progress is never touched: someone marked absent again
/// finds the lessons they completed still completed.
pub async fn set_attendance(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    changes: AttendanceUpdate,
) -> Result<MeetingView> {
    let (meeting, org) = find_managed(db, actor, id).await?;
    let changes = check_changes(&changes.attendance).map_err(invalid)?;
    let current: HashMap<i64, String> = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::MeetingId.eq(meeting.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.person_id, a.status))
        .collect();
    let outsiders = changes.iter().filter(|(person, _)| !current.contains_key(person)).count();
    if outsiders > 0 {
        return Err(invalid(MeetingError::NotAttendee { count: outsiders }));
    }
    // Those who newly owe make-up study must be able to study the lessons.
    let newly_owing: Vec<i64> = changes
        .iter()
        .filter(|(person, status)| {
            status.owes_makeup() && current.get(person).is_some_and(|s| s == Attendance::Present.as_str())
        })
        .map(|(person, _)| *person)
        .collect();
    if !newly_owing.is_empty() {
        let lesson_ids: Vec<i64> = meeting_lessons::Entity::find()
            .filter(meeting_lessons::Column::MeetingId.eq(meeting.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.lesson_id)
            .collect();
        // Whoever recorded the meeting chose the lessons; whether the
        // organizer changing it manages their courses does not matter here.
        let mut found = lessons_with_courses(db, &lesson_ids).await?;
        let lessons: Vec<_> = lesson_ids.iter().filter_map(|id| found.remove(id)).collect();
        let people = people_by_id(db, newly_owing.clone()).await?;
        let owing: Vec<&Rostered> = people.iter().collect();
        check_studiable(&lessons, &owing)?;
    }

    let now = db::now();
    let txn = db.begin().await?;
    for status in Attendance::ALL {
        let people: Vec<i64> = changes.iter().filter(|(_, s)| *s == status).map(|(p, _)| *p).collect();
        if people.is_empty() {
            continue;
        }
        meeting_attendance::Entity::update_many()
            .col_expr(meeting_attendance::Column::Status, Expr::value(status.as_str()))
            .col_expr(meeting_attendance::Column::UpdatedAt, Expr::value(now))
            .filter(meeting_attendance::Column::MeetingId.eq(meeting.id))
            .filter(meeting_attendance::Column::PersonId.is_in(people))
            .exec(&txn)
            .await?;
    }
    let announced = new_tasks::makeups(&txn, super::today(settings)?, meeting.id, &newly_owing).await?;
    let mut row = meeting.into_active_model();
    row.updated_at = Set(now);
    let meeting = row.update(&txn).await?;
    txn.commit().await?;
    new_tasks::email_later(db, settings, announced);
    view(db, meeting, org).await
}

/// Moves the make-up deadline: a day from the meeting's date to 365 days
/// after it.
pub async fn set_deadline(db: &DatabaseConnection, actor: &Actor, id: i64, new: DeadlineUpdate) -> Result<MeetingView> {
    let (meeting, org) = find_managed(db, actor, id).await?;
    let held_on = stored_date(meeting.id, &meeting.held_on)?;
    let deadline = check_deadline(held_on, &new.deadline).map_err(invalid)?;
    let mut row = meeting.into_active_model();
    row.makeup_deadline = Set(deadline.to_string());
    row.updated_at = Set(db::now());
    let meeting = row.update(db).await?;
    view(db, meeting, org).await
}

/// Deletes a meeting with its lessons list and attendance (and so its
/// make-up tasks). Study progress stays: it belongs to the lessons.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let (meeting, _) = find_managed(db, actor, id).await?;
    let txn = db.begin().await?;
    // The foreign keys cascade too; deleting explicitly keeps this correct
    // on a SQLite connection without `foreign_keys`.
    meeting_attendance::Entity::delete_many()
        .filter(meeting_attendance::Column::MeetingId.eq(meeting.id))
        .exec(&txn)
        .await?;
    meeting_lessons::Entity::delete_many().filter(meeting_lessons::Column::MeetingId.eq(meeting.id)).exec(&txn).await?;
    let gone = meetings::Entity::delete_by_id(meeting.id).exec(&txn).await?;
    if gone.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    txn.commit().await?;
    Ok(())
}
