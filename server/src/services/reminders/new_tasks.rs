//! Telling people at once about a task they were just given: a make-up
//! task (补学) when a meeting records them absent or on leave, a course
//! when an organizer assigns it. Without this a member first heard of a
//! task from the due-soon reminder, days before its deadline.
//!
//! [`makeups`] and [`assignment`] write the notifications in the caller's
//! transaction (the task and its announcement commit together) after
//! claiming `reminders_sent` rows with the reason `new`, so each person
//! hears of each task once. They answer what to e-mail; [`email_later`]
//! sends it on a background task after the commit.

use courses::meeting::{Date, MeetingKind};
use courses::notify::{Reason, Subject};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::deliver::{self, Outgoing};
use super::due::Due;
use super::sweep::claim;
use super::Mailer;
use crate::config::Settings;
use crate::db::{self, assignments, courses as course_rows, meeting_lessons, meetings};
use crate::error::Result;

/// Notifications written, to e-mail once the transaction committed.
#[derive(Debug, Default)]
#[must_use = "e-mail them with `email_later` after the commit"]
pub struct Announced(Vec<Outgoing>);

impl Announced {
    /// How many people were notified.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds what another announcement wrote, to e-mail both at once.
    pub fn extend(&mut self, other: Announced) {
        self.0.extend(other.0);
    }
}

/// Claims and writes the notifications of `dues` (inside `db`'s
/// transaction); people already told of the same task are skipped.
async fn announce(db: &impl ConnectionTrait, dues: Vec<Due>) -> Result<Announced> {
    if dues.is_empty() {
        return Ok(Announced::default());
    }
    let now = db::now_ms();
    let mut items = Vec::with_capacity(dues.len());
    for chunk in dues.chunks(500) {
        let claimed: Vec<Outgoing> = claim(db, chunk, now).await?.into_iter().map(|d| Outgoing::of(d, None)).collect();
        deliver::notify(db, &claimed, now).await?;
        items.extend(claimed);
    }
    Ok(Announced(items))
}

/// Announces the make-up task of `meeting_id` to `people` (those who now
/// owe it). Reads the meeting as the caller's transaction sees it. A task
/// whose deadline passed before `today` (a meeting recorded late) is not
/// announced as new: the sweep's overdue reminder tells of it instead, so
/// the member is not told twice in a moment.
pub async fn makeups(db: &impl ConnectionTrait, today: Date, meeting_id: i64, people: &[i64]) -> Result<Announced> {
    if people.is_empty() {
        return Ok(Announced::default());
    }
    let Some(m) = meetings::Entity::find_by_id(meeting_id).one(db).await? else { return Ok(Announced::default()) };
    if Date::parse(&m.makeup_deadline).is_ok_and(|deadline| today.days_until(deadline) < 0) {
        return Ok(Announced::default());
    }
    let Some(kind) = MeetingKind::parse(&m.kind) else {
        tracing::warn!(meeting = m.id, kind = %m.kind, "unknown meeting kind; make-up tasks not announced");
        return Ok(Announced::default());
    };
    let first_lesson = meeting_lessons::Entity::find()
        .filter(meeting_lessons::Column::MeetingId.eq(m.id))
        .order_by_asc(meeting_lessons::Column::Position)
        .one(db)
        .await?
        .map(|l| l.lesson_id);
    let subject = Subject::Makeup {
        meeting_id: m.id,
        meeting_kind: kind,
        topic: m.topic.clone(),
        held_on: m.held_on.clone(),
        deadline: m.makeup_deadline.clone(),
        lesson_id: first_lesson,
    };
    let dues = people
        .iter()
        .map(|&person_id| Due {
            person_id,
            org_id: m.org_id,
            subject_id: m.id,
            reason: Reason::New,
            subject: subject.clone(),
        })
        .collect();
    announce(db, dues).await
}

/// Announces the assignment `assignment_id` to `people` (its members).
pub async fn assignment(db: &impl ConnectionTrait, assignment_id: i64, people: &[i64]) -> Result<Announced> {
    if people.is_empty() {
        return Ok(Announced::default());
    }
    let Some(a) = assignments::Entity::find_by_id(assignment_id).one(db).await? else {
        return Ok(Announced::default());
    };
    let title = course_rows::Entity::find_by_id(a.course_id).one(db).await?.map(|c| c.title).unwrap_or_default();
    let subject = Subject::Assignment {
        assignment_id: a.id,
        course_id: a.course_id,
        course_title: title,
        due_on: a.due_on.clone(),
    };
    let dues = people
        .iter()
        .map(|&person_id| Due {
            person_id,
            org_id: a.org_id,
            subject_id: a.id,
            reason: Reason::New,
            subject: subject.clone(),
        })
        .collect();
    announce(db, dues).await
}

/// E-mails what was announced, on a background task: the request that
/// gave the tasks answers without waiting for the SMTP server.
pub fn email_later(db: &DatabaseConnection, settings: &Settings, announced: Announced) {
    let Some(mailer) = Mailer::from_settings(settings) else { return };
    if announced.is_empty() {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move { send(&db, &mailer, announced).await });
}

/// E-mails what was announced and waits for it (the command line, which
/// would otherwise exit first).
pub async fn email(db: &DatabaseConnection, settings: &Settings, announced: Announced) {
    let Some(mailer) = Mailer::from_settings(settings) else { return };
    send(db, &mailer, announced).await;
}

/// Without SMTP settings nothing is sent; a failed delivery is logged (the
/// in-app notification stays).
async fn send(db: &DatabaseConnection, mailer: &Mailer, announced: Announced) {
    if announced.is_empty() {
        return;
    }
    match deliver::email_all(db, Some(mailer), &announced.0).await {
        Ok(sent) => {
            let emailed = sent.iter().filter(|s| **s).count();
            tracing::info!(notified = announced.0.len(), emailed, "announced new tasks");
        }
        Err(error) => tracing::warn!(%error, "could not e-mail new tasks"),
    }
}
