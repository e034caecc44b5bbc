//! What organizers read: meetings in their scope, newest first, each with
//! 应到 / 实到 / 已补学; and one meeting with everyone's attendance and
//! make-up progress and who is still missing.

use std::collections::{HashMap, HashSet};

use courses::collation::sort_by_name;
use courses::meeting::views::tally;
use courses::meeting::{Attendance, Attendee, MeetingKind, MeetingQuery, MeetingSummary, MeetingView};
use courses::{Actor, OrgId};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{find_managed, lessons_with_courses, meeting_lesson};
use crate::db::{lesson_progress, meeting_attendance, meeting_lessons, meetings, orgs, people};
use crate::error::{Error, Result};
use crate::services::orgs::{self as org_service, in_scope, path_of};

/// The lessons, attendance and completed lessons of some meetings, read
/// with three queries whatever their number.
struct Facts {
    lessons: HashMap<i64, Vec<i64>>,
    attendance: HashMap<i64, Vec<meeting_attendance::Model>>,
    /// (person, lesson) pairs completed.
    completed: HashSet<(i64, i64)>,
}

impl Facts {
    async fn load(db: &impl ConnectionTrait, meeting_ids: &[i64]) -> Result<Facts> {
        let mut lessons: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in meeting_lessons::Entity::find()
            .filter(meeting_lessons::Column::MeetingId.is_in(meeting_ids.to_vec()))
            .order_by_asc(meeting_lessons::Column::Position)
            .all(db)
            .await?
        {
            lessons.entry(row.meeting_id).or_default().push(row.lesson_id);
        }
        let mut attendance: HashMap<i64, Vec<meeting_attendance::Model>> = HashMap::new();
        for row in meeting_attendance::Entity::find()
            .filter(meeting_attendance::Column::MeetingId.is_in(meeting_ids.to_vec()))
            .all(db)
            .await?
        {
            attendance.entry(row.meeting_id).or_default().push(row);
        }
        // Progress matters only for those who owe make-up study.
        let mut owing: Vec<i64> = attendance
            .values()
            .flatten()
            .filter(|a| a.status != Attendance::Present.as_str())
            .map(|a| a.person_id)
            .collect();
        owing.sort_unstable();
        owing.dedup();
        let mut all_lessons: Vec<i64> = lessons.values().flatten().copied().collect();
        all_lessons.sort_unstable();
        all_lessons.dedup();
        let completed = completed_pairs(db, owing, all_lessons).await?;
        Ok(Facts { lessons, attendance, completed })
    }

    /// The roster of a meeting; names from `names` (empty when not given).
    fn attendees(&self, meeting_id: i64, names: &HashMap<i64, (String, String)>) -> Result<Vec<Attendee>> {
        let lessons = self.lessons.get(&meeting_id).map(Vec::as_slice).unwrap_or_default();
        let rows = self.attendance.get(&meeting_id).map(Vec::as_slice).unwrap_or_default();
        rows.iter()
            .map(|row| {
                let status = Attendance::parse(&row.status).ok_or_else(|| {
                    Error::Internal(anyhow::anyhow!("meeting {meeting_id} has attendance {}", row.status))
                })?;
                let done = lessons.iter().filter(|l| self.completed.contains(&(row.person_id, **l))).count();
                let (name, login) = names.get(&row.person_id).cloned().unwrap_or_default();
                Ok(Attendee {
                    person_id: row.person_id,
                    name,
                    login,
                    status,
                    lessons_completed: u32::try_from(done).unwrap_or(u32::MAX),
                    made_up: status.owes_makeup() && done == lessons.len(),
                })
            })
            .collect()
    }
}

/// The (person, lesson) pairs among these completed, at any time.
pub(super) async fn completed_pairs(
    db: &impl ConnectionTrait,
    people_ids: Vec<i64>,
    lesson_ids: Vec<i64>,
) -> Result<HashSet<(i64, i64)>> {
    if people_ids.is_empty() || lesson_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.is_in(people_ids))
        .filter(lesson_progress::Column::LessonId.is_in(lesson_ids))
        .filter(lesson_progress::Column::CompletedAtMs.is_not_null())
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|p| (p.person_id, p.lesson_id)).collect())
}

fn summary(
    meeting: &meetings::Model,
    org_name_path: String,
    lesson_count: usize,
    roster: &[Attendee],
) -> Result<MeetingSummary> {
    let kind = MeetingKind::parse(&meeting.kind)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("meeting {} has kind {}", meeting.id, meeting.kind)))?;
    let (expected, present, absent, on_leave, made_up) = tally(roster);
    Ok(MeetingSummary {
        id: meeting.id,
        org_id: meeting.org_id,
        org_name_path,
        kind,
        held_on: meeting.held_on.clone(),
        topic: meeting.topic.clone(),
        deadline: meeting.makeup_deadline.clone(),
        lesson_count: u32::try_from(lesson_count).unwrap_or(u32::MAX),
        expected,
        present,
        absent,
        on_leave,
        made_up,
        created_at: meeting.created_at,
    })
}

/// Meetings the actor manages, newest first (by date, then by when they
/// were recorded); with `org_id`, only those of that node and below.
pub async fn list(db: &DatabaseConnection, actor: &Actor, query: &MeetingQuery) -> Result<Vec<MeetingSummary>> {
    let scope = in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let mut find = meetings::Entity::find().find_also_related(orgs::Entity).filter(scope);
    if let Some(org_id) = query.org_id {
        let org = org_service::find_visible(db, actor, OrgId(org_id)).await?;
        find = find.filter(org_service::subtree(&path_of(&org)?));
    }
    let rows: Vec<(meetings::Model, orgs::Model)> = find
        .order_by_desc(meetings::Column::HeldOn)
        .order_by_desc(meetings::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(m, o)| o.map(|o| (m, o)))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|(m, _)| m.id).collect();
    let facts = Facts::load(db, &ids).await?;
    let nodes: Vec<orgs::Model> = rows.iter().map(|(_, o)| o.clone()).collect();
    let paths = org_service::name_paths(db, &nodes).await?;
    let no_names = HashMap::new();
    rows.iter()
        .map(|(m, o)| {
            let roster = facts.attendees(m.id, &no_names)?;
            let lessons = facts.lessons.get(&m.id).map_or(0, Vec::len);
            summary(m, paths.get(&o.id).cloned().unwrap_or_default(), lessons, &roster)
        })
        .collect()
}

/// One meeting the actor manages.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<MeetingView> {
    let (meeting, org) = find_managed(db, actor, id).await?;
    view(db, meeting, org).await
}

/// The meeting page: lessons, the roster by name with each person's
/// make-up progress, the counts, and who still has to make it up.
pub(super) async fn view(db: &impl ConnectionTrait, meeting: meetings::Model, org: orgs::Model) -> Result<MeetingView> {
    let facts = Facts::load(db, &[meeting.id]).await?;
    let lesson_ids = facts.lessons.get(&meeting.id).cloned().unwrap_or_default();
    let mut found = lessons_with_courses(db, &lesson_ids).await?;
    let lessons = lesson_ids
        .iter()
        .filter_map(|id| found.remove(id))
        .map(|(lesson, course)| meeting_lesson(&lesson, &course))
        .collect::<Result<Vec<_>>>()?;
    let person_ids: Vec<i64> =
        facts.attendance.get(&meeting.id).map(|rows| rows.iter().map(|a| a.person_id).collect()).unwrap_or_default();
    let names: HashMap<i64, (String, String)> = people::Entity::find()
        .filter(people::Column::Id.is_in(person_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.name, p.login)))
        .collect();
    let mut attendance = facts.attendees(meeting.id, &names)?;
    sort_by_name(&mut attendance, |a| &a.name, |a| a.person_id);
    let org_name_path = org_service::name_paths(db, std::slice::from_ref(&org)).await?.remove(&org.id);
    let summary = summary(&meeting, org_name_path.unwrap_or_default(), lessons.len(), &attendance)?;
    let missing = attendance.iter().filter(|a| a.missing()).cloned().collect();
    Ok(MeetingView { summary, lessons, attendance, missing })
}
