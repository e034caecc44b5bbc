//! Writing a notice: an ordinary one is published at once and its readers
//! told; an openness item (党务公开) is proposed for review. A sent-back
//! item may be changed and proposed again by its author.

use chrono::FixedOffset;
use courses::notice::{NoticeDraft, NoticeState, NoticeView, StepKind};
use courses::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};

use super::{find, reads, record_step, view, Audience};
use crate::db::{self, notice_targets, notices, orgs};
use crate::error::{Detail, Error, Result};
use crate::services::hide_out_of_scope;
use crate::services::orgs::{find_visible, path_of};

/// Checks a draft against the tree; answers its node and target nodes.
async fn checked(db: &impl ConnectionTrait, actor: &Actor, draft: &NoticeDraft) -> Result<(orgs::Model, Vec<i64>)> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    draft.check().map_err(|e| Error::invalid(&e))?;
    let org = find_visible(db, actor, draft.org_id).await?;
    let path = path_of(&org)?;
    hide_out_of_scope(actor.can_manage_meetings(&path))?;
    let mut targets: Vec<i64> = draft.targets.iter().map(|t| t.0).collect();
    targets.sort_unstable();
    targets.dedup();
    if targets.is_empty() {
        targets.push(org.id);
    }
    for &id in &targets {
        let inside = match orgs::Entity::find_by_id(id).one(db).await? {
            Some(t) => path.contains(&path_of(&t)?),
            None => false,
        };
        if !inside {
            return Err(Error::Invalid(Detail::text(
                format!("组织 {id} 不在发布组织“{}”之下：通知只能发往本组织及其下级组织。", org.name),
                format!("Node {id} is not under “{}”: a notice goes to its node and the nodes below it.", org.name),
            )));
        }
    }
    Ok((org, targets))
}

async fn set_targets(db: &impl ConnectionTrait, notice_id: i64, targets: &[i64]) -> Result<()> {
    notice_targets::Entity::delete_many().filter(notice_targets::Column::NoticeId.eq(notice_id)).exec(db).await?;
    notice_targets::Entity::insert_many(
        targets.iter().map(|&org_id| notice_targets::ActiveModel { notice_id: Set(notice_id), org_id: Set(org_id) }),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Writes a notice; `by_name` is the author's name for its record.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    by_name: &str,
    draft: NoticeDraft,
    zone: FixedOffset,
) -> Result<NoticeView> {
    let (org, targets) = checked(db, actor, &draft).await?;
    let now = db::now_ms();
    let state = if draft.openness { NoticeState::Proposed } else { NoticeState::Published };
    let txn = db.begin().await?;
    let row = notices::ActiveModel {
        org_id: Set(org.id),
        author_id: Set((actor.id.0 > 0).then_some(actor.id.0)),
        title: Set(draft.title.trim().to_owned()),
        body: Set(draft.body.trim().to_owned()),
        must_read: Set(draft.must_read),
        read_by: Set(draft.read_by.clone()),
        openness: Set(draft.openness),
        state: Set(state.as_str().to_owned()),
        reason: Set(None),
        created_at_ms: Set(now),
        published_at_ms: Set((state == NoticeState::Published).then_some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_targets(&txn, row.id, &targets).await?;
    let step = if draft.openness { StepKind::Proposed } else { StepKind::Published };
    record_step(&txn, row.id, step, actor, by_name, None, now).await?;
    let notice = find(&txn, row.id).await?;
    if state == NoticeState::Published {
        reads::announce(&txn, &notice, now).await?;
    }
    txn.commit().await?;
    view(db, &notice, Audience::Organizer, None, zone).await
}

/// The author changes a sent-back openness item and proposes it again.
pub async fn propose_again(
    db: &DatabaseConnection,
    actor: &Actor,
    by_name: &str,
    id: i64,
    draft: NoticeDraft,
    zone: FixedOffset,
) -> Result<NoticeView> {
    let notice = find(db, id).await?;
    super::visible_to(&notice, actor)?;
    if notice.row.author_id != Some(actor.id.0) {
        return Err(Error::Forbidden);
    }
    if !notice.row.openness || notice.state()? != NoticeState::Rejected {
        return Err(Error::Conflict(Detail::text(
            "只有被退回的党务公开事项可以修改后重新提交。",
            "Only an openness item that was sent back can be changed and proposed again.",
        )));
    }
    let (org, targets) = checked(db, actor, &NoticeDraft { openness: true, ..draft.clone() }).await?;
    if org.id != notice.org.id {
        return Err(Error::Invalid(Detail::text("发布组织不能更改。", "The node a notice is from cannot change.")));
    }
    let now = db::now_ms();
    let txn = db.begin().await?;
    let mut row = notice.row.clone().into_active_model();
    row.title = Set(draft.title.trim().to_owned());
    row.body = Set(draft.body.trim().to_owned());
    row.must_read = Set(draft.must_read);
    row.read_by = Set(draft.read_by.clone());
    row.state = Set(NoticeState::Proposed.as_str().to_owned());
    row.reason = Set(None);
    row.update(&txn).await?;
    set_targets(&txn, id, &targets).await?;
    record_step(&txn, id, StepKind::Proposed, actor, by_name, None, now).await?;
    txn.commit().await?;
    view(db, &find(db, id).await?, Audience::Organizer, None, zone).await
}
