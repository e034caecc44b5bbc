//! Delivering reminders: the in-app notifications (written in the caller's
//! transaction), the e-mail (after it committed), and the log of rounds.

use std::collections::{BTreeMap, HashMap};

use courses::notify::{email, NotificationKind, Payload, SubjectKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::due::Due;
use super::Mailer;
use crate::db::{notifications, people, reminder_log};
use crate::error::{Error, Result};

/// One notification to write and perhaps e-mail.
#[derive(Debug, Clone)]
pub(super) struct Outgoing {
    pub person_id: i64,
    pub kind: NotificationKind,
    pub payload: Payload,
    /// The round it belongs to: (subject kind, subject id, node).
    pub round: (SubjectKind, i64, i64),
}

impl Outgoing {
    /// The notification a due task warrants: the automatic kind, or an
    /// organizer's reminder naming `from`.
    pub fn of(due: &Due, from: Option<&str>) -> Outgoing {
        let kind = match from {
            Some(_) => NotificationKind::OrganizerReminder,
            None => NotificationKind::automatic(due.kind(), due.reason),
        };
        Outgoing {
            person_id: due.person_id,
            kind,
            payload: Payload { subject: due.subject.clone(), from: from.map(str::to_owned) },
            round: (due.kind(), due.subject_id, due.org_id),
        }
    }
}

/// Writes the notifications (inside the caller's transaction).
pub(super) async fn notify(db: &impl ConnectionTrait, items: &[Outgoing], now_ms: i64) -> Result<()> {
    for chunk in items.chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len());
        for item in chunk {
            let payload = serde_json::to_string(&item.payload)
                .map_err(|e| Error::Internal(anyhow::anyhow!("notification payload: {e}")))?;
            rows.push(notifications::ActiveModel {
                person_id: Set(item.person_id),
                kind: Set(item.kind.as_str().to_owned()),
                payload: Set(payload),
                created_at_ms: Set(now_ms),
                read_at_ms: Set(None),
                ..Default::default()
            });
        }
        notifications::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

/// E-mails each item whose person has an address; answers, item by item,
/// whether the SMTP server accepted it (all `false` without a mailer).
pub(super) async fn email_all(
    db: &impl ConnectionTrait,
    mailer: Option<&Mailer>,
    items: &[Outgoing],
) -> Result<Vec<bool>> {
    let Some(mailer) = mailer else { return Ok(vec![false; items.len()]) };
    let mut ids: Vec<i64> = items.iter().map(|i| i.person_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut addresses: HashMap<i64, String> = HashMap::new();
    for chunk in ids.chunks(1000) {
        for p in people::Entity::find()
            .filter(people::Column::Id.is_in(chunk.to_vec()))
            .filter(people::Column::Email.is_not_null())
            .all(db)
            .await?
        {
            if let Some(address) = p.email.filter(|a| !a.trim().is_empty()) {
                addresses.insert(p.id, address);
            }
        }
    }
    let mut batch = Vec::new();
    let mut positions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(address) = addresses.get(&item.person_id) {
            batch.push((item.person_id, address.clone(), email(item.kind, &item.payload, mailer.site())));
            positions.push(i);
        }
    }
    let mut sent = vec![false; items.len()];
    for (i, ok) in positions.into_iter().zip(mailer.send_all(&batch).await) {
        sent[i] = ok;
    }
    Ok(sent)
}

/// A round's counts, by subject.
pub(super) fn rounds(items: &[Outgoing], emailed: &[bool]) -> BTreeMap<(SubjectKind, i64, i64), (i32, i32)> {
    let mut out: BTreeMap<(SubjectKind, i64, i64), (i32, i32)> = BTreeMap::new();
    for (item, mailed) in items.iter().zip(emailed) {
        let entry = out.entry(item.round).or_default();
        entry.0 += 1;
        entry.1 += i32::from(*mailed);
    }
    out
}

/// Logs one round per subject that notified someone; `sent_by` is `None`
/// for the automatic reminders. Answers the new rows' ids.
pub(super) async fn log_rounds(
    db: &impl ConnectionTrait,
    rounds: &BTreeMap<(SubjectKind, i64, i64), (i32, i32)>,
    sent_by: Option<i64>,
    now_ms: i64,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rounds.len());
    for ((kind, subject_id, org_id), (recipients, emailed)) in rounds {
        let row = reminder_log::ActiveModel {
            org_id: Set(*org_id),
            subject_kind: Set(kind.as_str().to_owned()),
            subject_id: Set(*subject_id),
            sent_by: Set(sent_by),
            sent_at_ms: Set(now_ms),
            recipients: Set(*recipients),
            emailed: Set(*emailed),
            ..Default::default()
        };
        ids.push(reminder_log::Entity::insert(row).exec(db).await?.last_insert_id);
    }
    Ok(ids)
}
