//! Who owes what by when: open make-up tasks and assignment members who
//! have not completed the course, each with the reminder it warrants today.
//! Shared by the automatic sweep (which skips reminders already sent) and
//! the one-click reminder (which takes everyone overdue).

use std::collections::{HashMap, HashSet};

use courses::meeting::{Attendance, Date, MeetingKind};
use courses::notify::{Reason, Subject, SubjectKind};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};

use crate::db::{
    assignment_members as members, assignments, course_records as records, courses as course_rows, lesson_progress,
    meeting_attendance as attendance, meeting_lessons, meetings, reminders_sent as sent,
};
use crate::error::Result;

/// One person who owes something, and the reminder it warrants.
#[derive(Debug, Clone)]
pub(super) struct Due {
    pub person_id: i64,
    /// The node the meeting or assignment belongs to.
    pub org_id: i64,
    pub subject_id: i64,
    pub reason: Reason,
    pub subject: Subject,
}

impl Due {
    pub fn kind(&self) -> SubjectKind {
        self.subject.kind()
    }
}

#[derive(Debug, FromQueryResult)]
struct Owing {
    subject_id: i64,
    person_id: i64,
}

/// Leaves out people who already had the `reason` reminder of the subject
/// they owe (`subject_col` is the subject's id column in `select`).
fn skip_sent(select: &mut SelectStatement, kind: SubjectKind, reason: Reason, person_col: Expr, subject_col: Expr) {
    select
        .join(
            JoinType::LeftJoin,
            sent::Entity,
            Condition::all()
                .add(Expr::col((sent::Entity, sent::Column::PersonId)).eq(person_col))
                .add(Expr::col((sent::Entity, sent::Column::SubjectKind)).eq(kind.as_str()))
                .add(Expr::col((sent::Entity, sent::Column::SubjectId)).eq(subject_col))
                .add(Expr::col((sent::Entity, sent::Column::Reason)).eq(reason.as_str())),
        )
        .and_where(Expr::col((sent::Entity, sent::Column::PersonId)).is_null());
}

/// Meetings whose make-up deadline lies between `from` and `to`.
pub(super) async fn meetings_between(db: &impl ConnectionTrait, from: Date, to: Date) -> Result<Vec<meetings::Model>> {
    Ok(meetings::Entity::find()
        .filter(meetings::Column::MakeupDeadline.between(from.to_string(), to.to_string()))
        .all(db)
        .await?)
}

/// Assignments due between `from` and `to`.
pub(super) async fn assignments_between(
    db: &impl ConnectionTrait,
    from: Date,
    to: Date,
) -> Result<Vec<assignments::Model>> {
    Ok(assignments::Entity::find()
        .filter(assignments::Column::DueOn.between(from.to_string(), to.to_string()))
        .all(db)
        .await?)
}

/// A stored day; a row whose day does not parse is skipped (and logged)
/// rather than stopping every other reminder.
fn day_of(what: &str, id: i64, raw: &str) -> Option<Date> {
    let day = Date::parse(raw).ok();
    if day.is_none() {
        tracing::warn!(what, id, day = raw, "unreadable deadline; no reminders for it");
    }
    day
}

/// Open make-up tasks of `rows` and the reminder each warrants `today`
/// (`only`: just that reason). With `skip_already_sent`, people who had
/// that reminder are left out.
pub(super) async fn makeups(
    db: &impl ConnectionTrait,
    rows: Vec<meetings::Model>,
    today: Date,
    due_soon_days: u32,
    only: Option<Reason>,
    skip_already_sent: bool,
) -> Result<Vec<Due>> {
    let mut by_reason: HashMap<Reason, Vec<i64>> = HashMap::new();
    let mut meetings_by_id = HashMap::new();
    for m in rows {
        let Some(deadline) = day_of("meeting", m.id, &m.makeup_deadline) else { continue };
        let Some(reason) = Reason::on(today, deadline, due_soon_days).filter(|r| only.is_none_or(|o| o == *r)) else {
            continue;
        };
        by_reason.entry(reason).or_default().push(m.id);
        meetings_by_id.insert(m.id, (m, reason));
    }
    let mut owing: Vec<Owing> = Vec::new();
    for (reason, ids) in by_reason {
        let mut select = Query::select();
        select
            .expr_as(Expr::col((attendance::Entity, attendance::Column::MeetingId)), "subject_id")
            .expr_as(Expr::col((attendance::Entity, attendance::Column::PersonId)), "person_id")
            .from(attendance::Entity)
            .and_where(Expr::col((attendance::Entity, attendance::Column::MeetingId)).is_in(ids))
            .and_where(Expr::col((attendance::Entity, attendance::Column::Status)).ne(Attendance::Present.as_str()));
        if skip_already_sent {
            let person = Expr::col((attendance::Entity, attendance::Column::PersonId));
            let subject = Expr::col((attendance::Entity, attendance::Column::MeetingId));
            skip_sent(&mut select, SubjectKind::Meeting, reason, person, subject);
        }
        for row in db.query_all(&select).await? {
            owing.push(Owing::from_query_result(&row, "")?);
        }
    }
    if owing.is_empty() {
        return Ok(Vec::new());
    }
    let meeting_ids: Vec<i64> = meetings_by_id.keys().copied().collect();
    let mut lessons_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in meeting_lessons::Entity::find()
        .filter(meeting_lessons::Column::MeetingId.is_in(meeting_ids))
        .order_by_asc(meeting_lessons::Column::Position)
        .all(db)
        .await?
    {
        lessons_of.entry(row.meeting_id).or_default().push(row.lesson_id);
    }
    let completed = completed_lessons(db, &owing, &lessons_of).await?;

    let mut dues = Vec::new();
    for Owing { subject_id, person_id } in owing {
        let Some((m, reason)) = meetings_by_id.get(&subject_id) else { continue };
        let lessons = lessons_of.get(&subject_id).map(Vec::as_slice).unwrap_or_default();
        let todo = lessons.iter().find(|l| !completed.contains(&(person_id, **l)));
        let Some(first_todo) = todo else { continue };
        let Some(kind) = MeetingKind::parse(&m.kind) else {
            tracing::warn!(meeting = m.id, kind = %m.kind, "unknown meeting kind; no reminders for it");
            continue;
        };
        dues.push(Due {
            person_id,
            org_id: m.org_id,
            subject_id,
            reason: *reason,
            subject: Subject::Makeup {
                meeting_id: m.id,
                meeting_kind: kind,
                topic: m.topic.clone(),
                held_on: m.held_on.clone(),
                deadline: m.makeup_deadline.clone(),
                lesson_id: Some(*first_todo),
            },
        });
    }
    Ok(dues)
}

/// (person, lesson) pairs completed among those that matter, in chunks so
/// no statement carries more ids than a database accepts.
async fn completed_lessons(
    db: &impl ConnectionTrait,
    owing: &[Owing],
    lessons_of: &HashMap<i64, Vec<i64>>,
) -> Result<HashSet<(i64, i64)>> {
    let mut people: Vec<i64> = owing.iter().map(|o| o.person_id).collect();
    people.sort_unstable();
    people.dedup();
    let mut lessons: Vec<i64> = lessons_of.values().flatten().copied().collect();
    lessons.sort_unstable();
    lessons.dedup();
    let mut done = HashSet::new();
    if lessons.is_empty() {
        return Ok(done);
    }
    for chunk in people.chunks(1000) {
        for p in lesson_progress::Entity::find()
            .filter(lesson_progress::Column::PersonId.is_in(chunk.to_vec()))
            .filter(lesson_progress::Column::LessonId.is_in(lessons.clone()))
            .filter(lesson_progress::Column::CompletedAtMs.is_not_null())
            .all(db)
            .await?
        {
            done.insert((p.person_id, p.lesson_id));
        }
    }
    Ok(done)
}

/// Members of `rows` who have not completed the course, and the reminder
/// each warrants `today` (`only`: just that reason). Reads
/// `course_records`: refresh them first. The members are filtered in the
/// database, so an assignment of a whole organization stays one query.
pub(super) async fn assignment_members(
    db: &impl ConnectionTrait,
    rows: Vec<assignments::Model>,
    today: Date,
    due_soon_days: u32,
    only: Option<Reason>,
    skip_already_sent: bool,
) -> Result<Vec<Due>> {
    let mut by_reason: HashMap<Reason, Vec<i64>> = HashMap::new();
    let mut by_id = HashMap::new();
    for a in rows {
        let Some(due_on) = day_of("assignment", a.id, &a.due_on) else { continue };
        let Some(reason) = Reason::on(today, due_on, due_soon_days).filter(|r| only.is_none_or(|o| o == *r)) else {
            continue;
        };
        by_reason.entry(reason).or_default().push(a.id);
        by_id.insert(a.id, (a, reason));
    }
    if by_id.is_empty() {
        return Ok(Vec::new());
    }
    let course_ids: Vec<i64> = by_id.values().map(|(a, _)| a.course_id).collect();
    let titles: HashMap<i64, String> = course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let mut dues = Vec::new();
    for (reason, ids) in by_reason {
        let mut select = Query::select();
        select
            .expr_as(Expr::col((members::Entity, members::Column::AssignmentId)), "subject_id")
            .expr_as(Expr::col((members::Entity, members::Column::PersonId)), "person_id")
            .from(members::Entity)
            .inner_join(
                assignments::Entity,
                Expr::col((assignments::Entity, assignments::Column::Id))
                    .equals((members::Entity, members::Column::AssignmentId)),
            )
            .join(
                JoinType::LeftJoin,
                records::Entity,
                Condition::all()
                    .add(
                        Expr::col((records::Entity, records::Column::PersonId))
                            .equals((members::Entity, members::Column::PersonId)),
                    )
                    .add(
                        Expr::col((records::Entity, records::Column::CourseId))
                            .equals((assignments::Entity, assignments::Column::CourseId)),
                    ),
            )
            .and_where(Expr::col((members::Entity, members::Column::AssignmentId)).is_in(ids))
            .and_where(Expr::col((records::Entity, records::Column::CompletedAtMs)).is_null());
        if skip_already_sent {
            let person = Expr::col((members::Entity, members::Column::PersonId));
            let subject = Expr::col((members::Entity, members::Column::AssignmentId));
            skip_sent(&mut select, SubjectKind::Assignment, reason, person, subject);
        }
        for row in db.query_all(&select).await? {
            let Owing { subject_id, person_id } = Owing::from_query_result(&row, "")?;
            let Some((a, _)) = by_id.get(&subject_id) else { continue };
            dues.push(Due {
                person_id,
                org_id: a.org_id,
                subject_id,
                reason,
                subject: Subject::Assignment {
                    assignment_id: a.id,
                    course_id: a.course_id,
                    course_title: titles.get(&a.course_id).cloned().unwrap_or_default(),
                    due_on: a.due_on.clone(),
                },
            });
        }
    }
    Ok(dues)
}

/// Everyone a published must-read notice is for who has not read it; for
/// any other notice, nobody.
pub(super) async fn notice_unread(db: &impl ConnectionTrait, notice_id: i64) -> Result<Vec<Due>> {
    use crate::db::{notice_reads, notice_targets, notices, orgs, people};
    let Some(notice) = notices::Entity::find_by_id(notice_id).one(db).await? else { return Ok(Vec::new()) };
    if !notice.must_read || notice.state != courses::notice::NoticeState::Published.as_str() {
        return Ok(Vec::new());
    }
    let targets: Vec<i64> = notice_targets::Entity::find()
        .filter(notice_targets::Column::NoticeId.eq(notice_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.org_id)
        .collect();
    let mut within = Condition::any();
    for t in orgs::Entity::find().filter(orgs::Column::Id.is_in(targets)).all(db).await? {
        within = within.add(crate::services::orgs::subtree(&crate::services::orgs::path_of(&t)?));
    }
    let select = Query::select()
        .expr_as(Expr::col((people::Entity, people::Column::Id)), sea_orm::sea_query::Alias::new("person_id"))
        .expr_as(Expr::val(notice_id), sea_orm::sea_query::Alias::new("subject_id"))
        .from(people::Entity)
        .join(
            JoinType::InnerJoin,
            orgs::Entity,
            Expr::col((orgs::Entity, orgs::Column::Id)).equals((people::Entity, people::Column::OrgId)),
        )
        .join(
            JoinType::LeftJoin,
            notice_reads::Entity,
            Condition::all().add(Expr::col((notice_reads::Entity, notice_reads::Column::NoticeId)).eq(notice_id)).add(
                Expr::col((notice_reads::Entity, notice_reads::Column::PersonId))
                    .equals((people::Entity, people::Column::Id)),
            ),
        )
        .cond_where(within)
        .and_where(Expr::col((notice_reads::Entity, notice_reads::Column::PersonId)).is_null())
        .to_owned();
    let owing = Owing::find_by_statement(db.get_database_backend().build(&select)).all(db).await?;
    let subject =
        Subject::Notice { notice_id, title: notice.title.clone(), must_read: true, read_by: notice.read_by.clone() };
    Ok(owing
        .into_iter()
        .map(|o| Due {
            person_id: o.person_id,
            org_id: notice.org_id,
            subject_id: o.subject_id,
            reason: Reason::Overdue,
            subject: subject.clone(),
        })
        .collect())
}
