//! The way of an openness item (党务公开): review with the secrecy review
//! (保密审查), then approval, which publishes it; either step may send it
//! back to its author with the reason. And withdrawing a published notice.
//!
//! Each step changes the state only from the state it expects, in one
//! conditional update: of two approvals at the same moment on two app
//! servers, the second finds the notice no longer waiting and is refused.

use chrono::FixedOffset;
use courses::notice::{checked_reason, may_decide, Decision, NoticeState, NoticeView, StepKind, Withdrawal};
use courses::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::{find, reads, record_step, view, visible_to, Audience};
use crate::db::{self, notice_steps, notices};
use crate::error::{Detail, Error, Result};

/// Moves the notice from `from` to `to` if it is still in `from`.
async fn transition(
    db: &impl ConnectionTrait,
    id: i64,
    from: NoticeState,
    to: NoticeState,
    reason: Option<String>,
    published_at_ms: Option<i64>,
) -> Result<bool> {
    let mut update = notices::Entity::update_many()
        .col_expr(notices::Column::State, Expr::value(to.as_str()))
        .col_expr(notices::Column::Reason, Expr::value(reason));
    if let Some(at) = published_at_ms {
        update = update.col_expr(notices::Column::PublishedAtMs, Expr::value(at));
    }
    let done =
        update.filter(notices::Column::Id.eq(id)).filter(notices::Column::State.eq(from.as_str())).exec(db).await?;
    Ok(done.rows_affected == 1)
}

fn not_waiting() -> Error {
    Error::Conflict(Detail::text(
        "该通知当前不在待审核或待审批状态（可能已由他人处理）。",
        "This notice is not waiting for a review or an approval (someone may have just decided it).",
    ))
}

/// A reviewer's or approver's decision, whichever step the notice is at.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    by_name: &str,
    id: i64,
    decision: Decision,
    zone: FixedOffset,
) -> Result<NoticeView> {
    let notice = find(db, id).await?;
    visible_to(&notice, actor)?;
    if !may_decide(actor, &notice.path) {
        return Err(Error::Invalid(Detail::text(
            "党务公开事项须由上级组织的组织员审核和审批。",
            "Openness items are reviewed and approved by organizers of a node above.",
        )));
    }
    if notice.row.author_id == Some(actor.id.0) {
        return Err(Error::Conflict(Detail::text(
            "不能审核或审批自己撰写的通知。",
            "You cannot review or approve a notice you wrote.",
        )));
    }
    let state = notice.state()?;
    if !matches!(state, NoticeState::Proposed | NoticeState::Reviewed) {
        return Err(not_waiting());
    }
    let note = decision.note.trim();
    let note = if decision.accept {
        (!note.is_empty()).then(|| note.chars().take(courses::notice::MAX_REASON_CHARS).collect::<String>())
    } else {
        Some(checked_reason(note).map_err(|e| Error::invalid(&e))?)
    };
    if state == NoticeState::Reviewed && decision.accept {
        let reviewer = notice_steps::Entity::find()
            .filter(notice_steps::Column::NoticeId.eq(id))
            .filter(notice_steps::Column::Kind.eq(StepKind::Reviewed.as_str()))
            .all(db)
            .await?
            .into_iter()
            .last()
            .and_then(|s| s.by_id);
        if reviewer == Some(actor.id.0) {
            return Err(Error::Conflict(Detail::text(
                "审核人不能再审批同一事项：请由另一位组织员审批。",
                "The reviewer cannot also approve it: another organizer approves.",
            )));
        }
    }
    let now = db::now_ms();
    let txn = db.begin().await?;
    let moved = match (state, decision.accept) {
        (NoticeState::Proposed, true) => {
            let ok = transition(&txn, id, state, NoticeState::Reviewed, None, None).await?;
            if ok {
                record_step(&txn, id, StepKind::Reviewed, actor, by_name, note, now).await?;
            }
            ok
        }
        (NoticeState::Reviewed, true) => {
            let ok = transition(&txn, id, state, NoticeState::Published, None, Some(now)).await?;
            if ok {
                record_step(&txn, id, StepKind::Approved, actor, by_name, note, now).await?;
                record_step(&txn, id, StepKind::Published, actor, by_name, None, now).await?;
                reads::announce(&txn, &find(&txn, id).await?, now).await?;
            }
            ok
        }
        (_, false) => {
            let ok = transition(&txn, id, state, NoticeState::Rejected, note.clone(), None).await?;
            if ok {
                record_step(&txn, id, StepKind::Rejected, actor, by_name, note, now).await?;
            }
            ok
        }
        _ => false,
    };
    if !moved {
        return Err(not_waiting());
    }
    txn.commit().await?;
    view(db, &find(db, id).await?, Audience::Organizer, None, zone).await
}

/// Withdraws a published notice, with the reason; its readers then see
/// that it was withdrawn (not its text), and nobody is reminded of it.
pub async fn withdraw(
    db: &DatabaseConnection,
    actor: &Actor,
    by_name: &str,
    id: i64,
    why: Withdrawal,
    zone: FixedOffset,
) -> Result<NoticeView> {
    let reason = checked_reason(&why.reason).map_err(|e| Error::invalid(&e))?;
    let notice = find(db, id).await?;
    visible_to(&notice, actor)?;
    if !notice.managed_by(actor) {
        return Err(Error::Forbidden);
    }
    let now = db::now_ms();
    let txn = db.begin().await?;
    if !transition(&txn, id, NoticeState::Published, NoticeState::Withdrawn, Some(reason.clone()), None).await? {
        return Err(Error::Conflict(Detail::text(
            "只有已发布的通知可以撤回。",
            "Only a published notice can be withdrawn.",
        )));
    }
    record_step(&txn, id, StepKind::Withdrawn, actor, by_name, Some(reason), now).await?;
    txn.commit().await?;
    view(db, &find(db, id).await?, Audience::Organizer, None, zone).await
}
