//! The readers' side: the inbox of a subtree, replying, closing; and an
//! admin's lookup of who sent an anonymous suggestion.

use chrono::FixedOffset;
use courses::suggestion::{SenderLookup, SuggestionError, SuggestionReply, SuggestionState, SuggestionView};
use courses::{Actor, OrgId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{find, find_for, view, Suggestion};
use crate::db::{self, orgs, people, suggestions};
use crate::error::{Detail, Error, Result};
use crate::services::hide_out_of_scope;
use crate::services::orgs::{find_visible, in_scope, path_of, subtree};

/// Most suggestions in one answer of the inbox.
pub const INBOX_LIMIT: u64 = 200;

/// Suggestions to the nodes of `org`'s subtree (default: everything the
/// caller manages), newest first, optionally in one state.
pub async fn inbox(
    db: &DatabaseConnection,
    actor: &Actor,
    org: Option<OrgId>,
    state: Option<SuggestionState>,
    zone: FixedOffset,
) -> Result<Vec<SuggestionView>> {
    let scope: Condition = match org {
        Some(o) => subtree(&path_of(&find_visible(db, actor, o).await?)?),
        None => in_scope(&actor.scope()).ok_or(Error::Forbidden)?,
    };
    let mut q = suggestions::Entity::find().find_also_related(orgs::Entity).filter(scope);
    if let Some(s) = state {
        q = q.filter(suggestions::Column::State.eq(s.as_str()));
    }
    let rows = q.order_by_desc(suggestions::Column::Id).limit(INBOX_LIMIT).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, to) in rows {
        let Some(to) = to else { continue };
        out.push(view(db, actor, &Suggestion { row, to }, zone).await?);
    }
    Ok(out)
}

/// A suggestion as its sender or a reader sees it.
pub async fn show(db: &DatabaseConnection, actor: &Actor, id: i64, zone: FixedOffset) -> Result<SuggestionView> {
    let s = find_for(db, actor, id).await?;
    view(db, actor, &s, zone).await
}

/// A suggestion the actor reads; its sender gets 403, anyone else 404.
async fn find_read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Suggestion> {
    let s = find_for(db, actor, id).await?;
    if !s.read_by(actor)? {
        return Err(Error::Forbidden);
    }
    Ok(s)
}

/// A reader replies (or replaces their node's reply) while it is open.
pub async fn reply(
    db: &DatabaseConnection,
    actor: &Actor,
    by_name: &str,
    id: i64,
    reply: SuggestionReply,
    zone: FixedOffset,
) -> Result<SuggestionView> {
    let s = find_read(db, actor, id).await?;
    let text = reply.checked().map_err(|e| Error::invalid(&e))?;
    let done = suggestions::Entity::update_many()
        .col_expr(suggestions::Column::Reply, Expr::value(text))
        .col_expr(suggestions::Column::RepliedById, Expr::value((actor.id.0 > 0).then_some(actor.id.0)))
        .col_expr(suggestions::Column::RepliedByName, Expr::value(by_name))
        .col_expr(suggestions::Column::RepliedAtMs, Expr::value(db::now_ms()))
        .col_expr(suggestions::Column::State, Expr::value(SuggestionState::Replied.as_str()))
        .filter(suggestions::Column::Id.eq(s.row.id))
        .filter(suggestions::Column::State.ne(SuggestionState::Closed.as_str()))
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(Error::Conflict(Detail::of(&SuggestionError::Closed)));
    }
    view(db, actor, &find(db, id).await?, zone).await
}

/// Its sender or a reader closes it (办结). Closing twice changes nothing.
pub async fn close(db: &DatabaseConnection, actor: &Actor, id: i64, zone: FixedOffset) -> Result<SuggestionView> {
    let s = find_for(db, actor, id).await?;
    suggestions::Entity::update_many()
        .col_expr(suggestions::Column::State, Expr::value(SuggestionState::Closed.as_str()))
        .col_expr(suggestions::Column::ClosedAtMs, Expr::value(db::now_ms()))
        .filter(suggestions::Column::Id.eq(s.row.id))
        .filter(suggestions::Column::State.ne(SuggestionState::Closed.as_str()))
        .exec(db)
        .await?;
    view(db, actor, &find(db, id).await?, zone).await
}

/// Who sent a suggestion, anonymous or not: admins only, for abuse
/// handling. Each lookup is logged with who looked.
pub async fn sender(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<SenderLookup> {
    hide_out_of_scope(actor.can_unmask_sender())?;
    let s = find(db, id).await?;
    let person_id = s.row.sender_id.ok_or(Error::NotFound)?;
    let p = people::Entity::find_by_id(person_id).one(db).await?.ok_or(Error::NotFound)?;
    let org_name = orgs::Entity::find_by_id(p.org_id).one(db).await?.map(|o| o.name).unwrap_or_default();
    tracing::warn!(admin = actor.id.0, suggestion = id, "the sender of a suggestion was looked up");
    Ok(SenderLookup { person_id: p.id, login: p.login, name: p.name, org_name })
}
