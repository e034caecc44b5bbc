//! Sending a suggestion, and the sender's own.

use chrono::FixedOffset;
use courses::suggestion::{Addressee, SuggestionDraft, SuggestionError, SuggestionState, SuggestionView};
use courses::{Actor, OrgId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{view, Suggestion};
use crate::db::{self, orgs, people, suggestions};
use crate::error::{Error, Result};

/// Most suggestions listed for their sender.
pub const MINE_LIMIT: u64 = 200;

/// The nodes the caller may write to: their own, then each one above it.
pub async fn addressees(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Addressee>> {
    let ids: Vec<i64> = actor.org.ids().map(|i| i.0).collect();
    let mut found = orgs::Entity::find().filter(orgs::Column::Id.is_in(ids.clone())).all(db).await?;
    found.sort_by_key(|o| std::cmp::Reverse(ids.iter().position(|i| *i == o.id)));
    Ok(found.into_iter().map(|o| Addressee { org_id: OrgId(o.id), name: o.name }).collect())
}

/// Sends a suggestion to the sender's own node or one above it.
pub async fn send(
    db: &DatabaseConnection,
    actor: &Actor,
    sender: &people::Model,
    draft: SuggestionDraft,
    zone: FixedOffset,
) -> Result<SuggestionView> {
    let (title, body) = draft.checked().map_err(|e| Error::invalid(&e))?;
    if !actor.org.ids().any(|i| i == draft.to_org_id) {
        return Err(Error::invalid(&SuggestionError::NotAbove));
    }
    let to = orgs::Entity::find_by_id(draft.to_org_id.0).one(db).await?.ok_or(Error::NotFound)?;
    let row = suggestions::ActiveModel {
        sender_id: Set(Some(sender.id)),
        sender_org_id: Set(Some(sender.org_id)),
        to_org_id: Set(to.id),
        anonymous: Set(draft.anonymous),
        title: Set(title),
        body: Set(body),
        state: Set(SuggestionState::Received.as_str().to_owned()),
        created_at_ms: Set(db::now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    view(db, actor, &Suggestion { row, to }, zone).await
}

/// The caller's own suggestions, newest first.
pub async fn mine(db: &DatabaseConnection, actor: &Actor, zone: FixedOffset) -> Result<Vec<SuggestionView>> {
    let rows = suggestions::Entity::find()
        .filter(suggestions::Column::SenderId.eq(actor.id.0))
        .order_by_desc(suggestions::Column::Id)
        .limit(MINE_LIMIT)
        .all(db)
        .await?;
    let to_ids: Vec<i64> = rows.iter().map(|r| r.to_org_id).collect();
    let tos = orgs::Entity::find().filter(orgs::Column::Id.is_in(to_ids)).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(to) = tos.iter().find(|o| o.id == row.to_org_id).cloned() else { continue };
        out.push(view(db, actor, &Suggestion { row, to }, zone).await?);
    }
    Ok(out)
}
