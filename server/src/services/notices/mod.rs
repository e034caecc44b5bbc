//! Notices (通知公告) and items of 党务公开.
//!
//! - `mod.rs`: finding a notice, who may see it, and the view of it.
//! - `write.rs`: writing one (published at once, or proposed for review),
//!   and proposing a sent-back one again.
//! - `chain.rs`: review and approval, sending back, withdrawal.
//! - `files.rs`: files to download with a notice.
//! - `reads.rs`: the caller's notices, opening one (the read receipt), the
//!   read rate per node, and telling the readers when it is published.

pub mod chain;
pub mod files;
pub mod reads;
pub mod write;

use chrono::FixedOffset;
use courses::notice::{NoticeState, NoticeView, StepKind, StepView};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::db::{notice_steps, notice_targets, notices, orgs};
use crate::error::{Error, Result};
use crate::services::orgs::path_of;

/// A notice with its node and the nodes it is for.
pub(crate) struct Notice {
    pub row: notices::Model,
    pub org: orgs::Model,
    pub path: OrgPath,
    pub targets: Vec<(orgs::Model, OrgPath)>,
}

impl Notice {
    pub fn state(&self) -> Result<NoticeState> {
        NoticeState::parse(&self.row.state)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("notice {} has state {}", self.row.id, self.row.state)))
    }

    /// Whether the notice is for someone of the node at `person`.
    pub fn is_for(&self, person: &OrgPath) -> bool {
        self.targets.iter().any(|(_, t)| t.contains(person))
    }

    /// Whether `actor` manages the notice's node (its author is one such).
    pub fn managed_by(&self, actor: &Actor) -> bool {
        actor.can_manage_meetings(&self.path).is_ok()
    }
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Notice> {
    let row = notices::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let org = orgs::Entity::find_by_id(row.org_id).one(db).await?.ok_or(Error::NotFound)?;
    let path = path_of(&org)?;
    let ids: Vec<i64> = notice_targets::Entity::find()
        .filter(notice_targets::Column::NoticeId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.org_id)
        .collect();
    let mut targets = Vec::with_capacity(ids.len());
    for o in orgs::Entity::find().filter(orgs::Column::Id.is_in(ids)).all(db).await? {
        let p = path_of(&o)?;
        targets.push((o, p));
    }
    Ok(Notice { row, org, path, targets })
}

/// Who may see a notice, and how much:
/// - organizers of its node (its author among them), and those who may
///   review it, see it whatever its state, with its steps;
/// - its readers see it once published, and that it was withdrawn;
/// - anyone else: it does not exist.
pub(crate) fn visible_to(notice: &Notice, actor: &Actor) -> Result<Audience> {
    let state = notice.state()?;
    if notice.managed_by(actor) || courses::notice::may_decide(actor, &notice.path) {
        return Ok(Audience::Organizer);
    }
    if matches!(state, NoticeState::Published | NoticeState::Withdrawn) && notice.is_for(&actor.org) {
        return Ok(Audience::Reader);
    }
    Err(Error::NotFound)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Reader,
    Organizer,
}

/// The notice as `audience` sees it; `read_at_ms` is the caller's reading.
pub(crate) async fn view(
    db: &impl ConnectionTrait,
    notice: &Notice,
    audience: Audience,
    read_at_ms: Option<i64>,
    zone: FixedOffset,
) -> Result<NoticeView> {
    let state = notice.state()?;
    let steps = if audience == Audience::Organizer {
        notice_steps::Entity::find()
            .filter(notice_steps::Column::NoticeId.eq(notice.row.id))
            .order_by_asc(notice_steps::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|s| {
                Some(StepView {
                    kind: StepKind::parse(&s.kind)?,
                    by_name: s.by_name,
                    at: local_time(s.at_ms, zone),
                    at_ms: s.at_ms,
                    note: s.note,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let author_name = match notice.row.author_id {
        Some(id) => crate::db::people::Entity::find_by_id(id).one(db).await?.map(|p| p.name).unwrap_or_default(),
        None => String::new(),
    };
    let withdrawn = state == NoticeState::Withdrawn;
    Ok(NoticeView {
        id: notice.row.id,
        org_id: OrgId(notice.org.id),
        org_name: notice.org.name.clone(),
        title: notice.row.title.clone(),
        // A withdrawn notice's text is no longer shown to its readers.
        body_html: if withdrawn && audience == Audience::Reader {
            String::new()
        } else {
            crate::services::study::article::render(&notice.row.body).html
        },
        body: (audience == Audience::Organizer).then(|| notice.row.body.clone()),
        must_read: notice.row.must_read,
        read_by: notice.row.read_by.clone(),
        openness: notice.row.openness,
        state,
        author_name,
        published_at_ms: notice.row.published_at_ms,
        published_at: notice.row.published_at_ms.map(|ms| local_time(ms, zone)),
        targets: notice.targets.iter().map(|(o, _)| o.name.clone()).collect(),
        read_at_ms,
        steps,
        reason: notice.row.reason.clone(),
        attachments: if withdrawn && audience == Audience::Reader {
            Vec::new()
        } else {
            files::of(db, notice.row.id).await?
        },
    })
}

/// `YYYY-MM-DD HH:MM` in the platform's time zone.
pub(crate) fn local_time(ms: i64, zone: FixedOffset) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// Records a step of the notice's way.
pub(crate) async fn record_step(
    db: &impl ConnectionTrait,
    notice_id: i64,
    kind: StepKind,
    actor: &Actor,
    by_name: &str,
    note: Option<String>,
    at_ms: i64,
) -> Result<()> {
    use sea_orm::Set;
    notice_steps::Entity::insert(notice_steps::ActiveModel {
        notice_id: Set(notice_id),
        kind: Set(kind.as_str().to_owned()),
        by_id: Set((actor.id.0 > 0).then_some(actor.id.0)),
        by_name: Set(by_name.to_owned()),
        at_ms: Set(at_ms),
        note: Set(note),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
