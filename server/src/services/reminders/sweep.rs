//! The automatic reminders: every `reminder_interval_secs`, in `serve` and
//! in `worker` alike, find the open tasks due soon or overdue, claim each
//! reminder in `reminders_sent` (one statement per batch, `ON CONFLICT DO
//! NOTHING RETURNING`: the rows it answers are the ones this process
//! inserted), notify exactly those, e-mail them, and log the round.

use std::collections::HashMap;

use courses::notify::{Reason, SubjectKind};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, TransactionTrait};
use tokio_util::sync::CancellationToken;

use super::deliver::{self, Outgoing};
use super::due::{self, Due};
use super::{Mailer, OVERDUE_LOOKBACK_DAYS};
use crate::config::Settings;
use crate::db::{self, reminders_sent as sent};
use crate::error::{Error, Result};
use crate::services::{course_records, meetings};
use crate::state::AppState;

/// Reminders claimed per transaction: keeps each short (SQLite has one writer).
const BATCH: usize = 500;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Notifications written.
    pub notified: usize,
    /// Of those, e-mails the SMTP server accepted.
    pub emailed: usize,
}

/// Runs the sweep every `reminder_interval_secs` until `shutdown`. The
/// first run waits one interval, so a process that restarts often does not
/// sweep at every start (and tests run sweeps themselves).
pub fn spawn(state: AppState, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = std::time::Duration::from_secs(state.settings.reminder_interval_secs.max(1));
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            match sweep(&state.db, &state.settings).await {
                Ok(SweepReport { notified: 0, .. }) => {}
                Ok(r) => tracing::info!(notified = r.notified, emailed = r.emailed, "sent reminders"),
                Err(e) => tracing::warn!(error = %e, "could not send reminders"),
            }
        }
    })
}

/// Sends the reminders due now; running it again sends nothing new.
pub async fn sweep(db: &DatabaseConnection, settings: &Settings) -> Result<SweepReport> {
    let today = meetings::today(settings)?;
    let days = settings.reminder_due_soon_days;
    let from = today.plus_days(-OVERDUE_LOOKBACK_DAYS).unwrap_or(today);
    let to = today.plus_days(i64::from(days)).unwrap_or(today);
    let mut dues = due::makeups(db, due::meetings_between(db, from, to).await?, today, days, None, true).await?;
    course_records::refresh(db).await?;
    let assigned = due::assignments_between(db, from, to).await?;
    dues.extend(due::assignment_members(db, assigned, today, days, None, true).await?);
    // The same batches on every server (see `claim`).
    dues.sort_unstable_by_key(key);

    let mailer = Mailer::from_settings(settings);
    let mut report = SweepReport::default();
    for chunk in dues.chunks(BATCH) {
        let now = db::now_ms();
        let txn = db.begin().await?;
        let claimed: Vec<Outgoing> = claim(&txn, chunk, now).await?.iter().map(|d| Outgoing::of(d, None)).collect();
        deliver::notify(&txn, &claimed, now).await?;
        txn.commit().await?;
        let emailed = deliver::email_all(db, mailer.as_ref(), &claimed).await?;
        deliver::log_rounds(db, &deliver::rounds(&claimed, &emailed), None, now).await?;
        report.notified += claimed.len();
        report.emailed += emailed.iter().filter(|e| **e).count();
    }
    Ok(report)
}

#[derive(Debug, FromQueryResult)]
struct Claimed {
    person_id: i64,
    subject_kind: String,
    subject_id: i64,
    reason: String,
}

type Key = (i64, &'static str, i64, &'static str);

fn key(d: &Due) -> Key {
    (d.person_id, d.kind().as_str(), d.subject_id, d.reason.as_str())
}

/// Inserts the `reminders_sent` rows of `dues`; answers the dues whose row
/// this call inserted (a row already there, from an earlier sweep or from
/// another server sweeping right now, is not answered).
pub(super) async fn claim<'a>(db: &impl ConnectionTrait, dues: &'a [Due], now_ms: i64) -> Result<Vec<&'a Due>> {
    if dues.is_empty() {
        return Ok(Vec::new());
    }
    let by_key: HashMap<Key, &Due> = dues.iter().map(|d| (key(d), d)).collect();
    let cols = [sent::Column::PersonId, sent::Column::SubjectKind, sent::Column::SubjectId, sent::Column::Reason];
    let mut insert = Query::insert();
    insert.into_table(sent::Entity).columns(cols.into_iter().chain([sent::Column::SentAtMs]));
    // One order for every server: two sweeps inserting the same rows at once
    // then wait for each other instead of deadlocking on PostgreSQL.
    let mut keys: Vec<&Key> = by_key.keys().collect();
    keys.sort_unstable();
    for (person, kind, subject, reason) in keys {
        insert
            .values([(*person).into(), (*kind).into(), (*subject).into(), (*reason).into(), now_ms.into()])
            .map_err(|e| Error::Internal(anyhow::anyhow!("reminders_sent insert: {e}")))?;
    }
    insert.on_conflict(OnConflict::columns(cols).do_nothing().to_owned()).returning(Query::returning().columns(cols));
    let mut claimed = Vec::new();
    for row in db.query_all(&insert).await? {
        let c = Claimed::from_query_result(&row, "")?;
        let kind = SubjectKind::parse(&c.subject_kind).map(SubjectKind::as_str).unwrap_or_default();
        let reason = Reason::ALL.into_iter().find(|r| r.as_str() == c.reason).map(Reason::as_str).unwrap_or_default();
        if let Some(d) = by_key.get(&(c.person_id, kind, c.subject_id, reason)) {
            claimed.push(*d);
        }
    }
    Ok(claimed)
}
