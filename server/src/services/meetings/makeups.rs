//! A member's make-up tasks (补学): every meeting they missed or were on
//! leave for, open tasks first and soonest deadline first, then those done;
//! each lesson with whether it is completed and whether it can be opened.

use std::collections::HashMap;

use courses::meeting::views::arrange;
use courses::meeting::{Attendance, Date, MakeupLesson, MakeupTask, MeetingKind};
use courses::Actor;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::views::completed_pairs;
use super::{lessons_with_courses, meeting_lesson, stored_date};
use crate::db::{meeting_attendance, meeting_lessons, meetings, orgs};
use crate::error::{Error, Result};
use crate::services::orgs as org_service;

/// The caller's make-up tasks; `today` decides which are overdue.
pub async fn my_makeups(db: &DatabaseConnection, actor: &Actor, today: Date) -> Result<Vec<MakeupTask>> {
    let owed: HashMap<i64, Attendance> = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::PersonId.eq(actor.id.0))
        .filter(meeting_attendance::Column::Status.ne(Attendance::Present.as_str()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| Attendance::parse(&a.status).map(|s| (a.meeting_id, s)))
        .collect();
    if owed.is_empty() {
        return Ok(Vec::new());
    }
    let meeting_ids: Vec<i64> = owed.keys().copied().collect();
    let rows: Vec<(meetings::Model, orgs::Model)> = meetings::Entity::find()
        .filter(meetings::Column::Id.is_in(meeting_ids.clone()))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(m, o)| o.map(|o| (m, o)))
        .collect();
    let mut lessons_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in meeting_lessons::Entity::find()
        .filter(meeting_lessons::Column::MeetingId.is_in(meeting_ids))
        .order_by_asc(meeting_lessons::Column::Position)
        .all(db)
        .await?
    {
        lessons_of.entry(row.meeting_id).or_default().push(row.lesson_id);
    }
    let mut all_lessons: Vec<i64> = lessons_of.values().flatten().copied().collect();
    all_lessons.sort_unstable();
    all_lessons.dedup();
    let found = lessons_with_courses(db, &all_lessons).await?;
    let completed = completed_pairs(db, vec![actor.id.0], all_lessons).await?;
    let nodes: Vec<orgs::Model> = rows.iter().map(|(_, o)| o.clone()).collect();
    let paths = org_service::name_paths(db, &nodes).await?;

    let mut tasks = Vec::with_capacity(rows.len());
    for (meeting, org) in rows {
        let kind = MeetingKind::parse(&meeting.kind)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("meeting {} has kind {}", meeting.id, meeting.kind)))?;
        let mut lessons = Vec::new();
        for id in lessons_of.get(&meeting.id).map(Vec::as_slice).unwrap_or_default() {
            let Some((lesson, course)) = found.get(id) else { continue };
            lessons.push(MakeupLesson {
                lesson: meeting_lesson(lesson, course)?,
                completed: completed.contains(&(actor.id.0, lesson.id)),
                available: actor.can_study(&course.org, course.row.published, &course.audience).is_ok(),
            });
        }
        let done = lessons.iter().all(|l| l.completed);
        let deadline = stored_date(meeting.id, &meeting.makeup_deadline)?;
        tasks.push(MakeupTask {
            meeting_id: meeting.id,
            kind,
            held_on: meeting.held_on,
            topic: meeting.topic,
            org_name_path: paths.get(&org.id).cloned().unwrap_or_default(),
            status: owed.get(&meeting.id).copied().unwrap_or(Attendance::Absent),
            deadline: deadline.to_string(),
            lessons,
            done,
            overdue: !done && today > deadline,
        });
    }
    arrange(&mut tasks);
    Ok(tasks)
}
