//! The one-click reminder (一键提醒): an organizer notifies everyone still
//! overdue on a meeting's make-up study or an assignment; and the log of
//! every round about a subject.

use courses::notify::{Reason, RemindOutcome, ReminderLogEntry, SubjectKind};
use courses::Actor;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::deliver::{self, Outgoing};
use super::{due, local_time, Mailer};
use crate::config::Settings;
use crate::db::{self, assignments, meetings, notices, orgs, people, reminder_log};
use crate::error::{Error, Result};
use crate::services::orgs::{in_scope, path_of};
use crate::services::{course_records, hide_out_of_scope, meetings as meeting_service};

/// The node of a subject the actor manages: members and activists 403
/// before anything is looked up, a subject outside the actor's subtree (or
/// none at all) 404.
async fn managed_org(db: &impl ConnectionTrait, actor: &Actor, kind: SubjectKind, id: i64) -> Result<i64> {
    in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let org_id = match kind {
        SubjectKind::Meeting => meetings::Entity::find_by_id(id).one(db).await?.map(|m| m.org_id),
        SubjectKind::Assignment => assignments::Entity::find_by_id(id).one(db).await?.map(|a| a.org_id),
        SubjectKind::Notice => notices::Entity::find_by_id(id).one(db).await?.map(|n| n.org_id),
    }
    .ok_or(Error::NotFound)?;
    let org = orgs::Entity::find_by_id(org_id).one(db).await?.ok_or(Error::NotFound)?;
    let path = path_of(&org)?;
    hide_out_of_scope(match kind {
        SubjectKind::Meeting => actor.can_manage_meetings(&path),
        SubjectKind::Assignment => actor.can_manage_assignments(&path),
        SubjectKind::Notice => actor.can_manage_meetings(&path),
    })?;
    Ok(org_id)
}

/// Takes the subject's row lock for the rest of the transaction (a no-op
/// update: a row lock on PostgreSQL, the write lock on SQLite), so two
/// organizers clicking at once on two servers cannot both pass the cooldown.
async fn lock_subject(db: &impl ConnectionTrait, kind: SubjectKind, id: i64) -> Result<()> {
    let mut update = Query::update();
    match kind {
        SubjectKind::Meeting => update
            .table(meetings::Entity)
            .value(meetings::Column::UpdatedAt, Expr::col(meetings::Column::UpdatedAt))
            .and_where(Expr::col(meetings::Column::Id).eq(id)),
        SubjectKind::Assignment => update
            .table(assignments::Entity)
            .value(assignments::Column::UpdatedAt, Expr::col(assignments::Column::UpdatedAt))
            .and_where(Expr::col(assignments::Column::Id).eq(id)),
        SubjectKind::Notice => update
            .table(notices::Entity)
            .value(notices::Column::State, Expr::col(notices::Column::State))
            .and_where(Expr::col(notices::Column::Id).eq(id)),
    };
    db.execute(&update).await?;
    Ok(())
}

/// Everyone still overdue on the subject, with what they owe.
async fn overdue(db: &impl ConnectionTrait, settings: &Settings, kind: SubjectKind, id: i64) -> Result<Vec<due::Due>> {
    let today = meeting_service::today(settings)?;
    let days = settings.reminder_due_soon_days;
    let only = Some(Reason::Overdue);
    match kind {
        SubjectKind::Meeting => {
            let rows = meetings::Entity::find_by_id(id).all(db).await?;
            due::makeups(db, rows, today, days, only, false).await
        }
        SubjectKind::Assignment => {
            let rows = assignments::Entity::find_by_id(id).all(db).await?;
            due::assignment_members(db, rows, today, days, only, false).await
        }
        // A published must-read notice: everyone it is for who has not read it.
        SubjectKind::Notice => due::notice_unread(db, id).await,
    }
}

/// Reminds everyone overdue on the subject, in the app and by e-mail;
/// `from` is the organizer's name as the notification shows it. At most
/// once per subject within `reminder_manual_cooldown_minutes`.
pub async fn remind(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    from: &str,
    kind: SubjectKind,
    id: i64,
) -> Result<RemindOutcome> {
    managed_org(db, actor, kind, id).await?;
    if kind == SubjectKind::Assignment {
        // Completion comes from the derived records: bring them up to date.
        course_records::refresh(db).await?;
    }
    let cooldown_ms = i64::from(settings.reminder_manual_cooldown_minutes) * 60_000;
    let now = db::now_ms();
    let txn = db.begin().await?;
    lock_subject(&txn, kind, id).await?;
    let last = reminder_log::Entity::find()
        .filter(reminder_log::Column::SubjectKind.eq(kind.as_str()))
        .filter(reminder_log::Column::SubjectId.eq(id))
        .filter(reminder_log::Column::SentBy.is_not_null())
        .order_by_desc(reminder_log::Column::SentAtMs)
        .one(&txn)
        .await?;
    if let Some(last) = last {
        let wait_ms = last.sent_at_ms + cooldown_ms - now;
        if wait_ms > 0 {
            return Err(Error::RateLimited { retry_after: (wait_ms + 999) / 1000 });
        }
    }
    let items: Vec<Outgoing> =
        overdue(&txn, settings, kind, id).await?.iter().map(|d| Outgoing::of(d, Some(from))).collect();
    if items.is_empty() {
        txn.commit().await?;
        return Ok(RemindOutcome { reminded: 0, emailed: 0, next_allowed_at_ms: 0 });
    }
    deliver::notify(&txn, &items, now).await?;
    // Logged before the e-mail goes, so the cooldown holds from this moment;
    // the count of e-mails is filled in once they went.
    let rounds = deliver::rounds(&items, &vec![false; items.len()]);
    let log_ids = deliver::log_rounds(&txn, &rounds, Some(actor.id.0), now).await?;
    txn.commit().await?;

    let emailed = deliver::email_all(db, Mailer::from_settings(settings).as_ref(), &items).await?;
    let emailed = emailed.iter().filter(|e| **e).count();
    if let Some(log_id) = log_ids.first() {
        reminder_log::ActiveModel {
            id: Set(*log_id),
            emailed: Set(i32::try_from(emailed).unwrap_or(i32::MAX)),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(RemindOutcome {
        reminded: u32::try_from(items.len()).unwrap_or(u32::MAX),
        emailed: u32::try_from(emailed).unwrap_or(u32::MAX),
        next_allowed_at_ms: now + cooldown_ms,
    })
}

/// Every round of reminders about a subject the actor manages, newest first.
pub async fn log(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    kind: SubjectKind,
    id: i64,
) -> Result<Vec<ReminderLogEntry>> {
    managed_org(db, actor, kind, id).await?;
    let rows = reminder_log::Entity::find()
        .filter(reminder_log::Column::SubjectKind.eq(kind.as_str()))
        .filter(reminder_log::Column::SubjectId.eq(id))
        .order_by_desc(reminder_log::Column::SentAtMs)
        .order_by_desc(reminder_log::Column::Id)
        .all(db)
        .await?;
    let senders: Vec<i64> = rows.iter().filter_map(|r| r.sent_by).collect();
    let names: std::collections::HashMap<i64, String> = if senders.is_empty() {
        Default::default()
    } else {
        people::Entity::find()
            .filter(people::Column::Id.is_in(senders))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    let zone = settings.time_zone();
    Ok(rows
        .into_iter()
        .map(|r| ReminderLogEntry {
            id: r.id,
            subject_kind: kind,
            subject_id: r.subject_id,
            automatic: r.sent_by.is_none(),
            sent_by: r.sent_by,
            sent_by_name: r.sent_by.and_then(|p| names.get(&p).cloned()),
            sent_at_ms: r.sent_at_ms,
            sent_at: local_time(r.sent_at_ms, zone),
            recipients: u32::try_from(r.recipients).unwrap_or(0),
            emailed: u32::try_from(r.emailed).unwrap_or(0),
        })
        .collect())
}
