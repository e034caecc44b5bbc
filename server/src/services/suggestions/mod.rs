//! Suggestions (合理化建议 / 书记信箱).
//!
//! - `mod.rs`: finding a suggestion, who reads it, and the view of it (the
//!   sender hidden from readers when anonymous).
//! - `send.rs`: where a member may write, sending, their own suggestions.
//! - `answer.rs`: the readers' inbox, replying, closing; an admin's lookup
//!   of an anonymous sender.
//! - `stats.rs`: counts and reply times for a subtree.

pub mod answer;
pub mod send;
pub mod stats;

use chrono::FixedOffset;
use courses::suggestion::{Sender, SuggestionState, SuggestionView};
use courses::{Actor, OrgId};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::db::{orgs, people, suggestions};
use crate::error::{Error, Result};
use crate::services::notices::local_time;
use crate::services::orgs::path_of;

/// A suggestion with the node it went to.
pub(crate) struct Suggestion {
    pub row: suggestions::Model,
    pub to: orgs::Model,
}

impl Suggestion {
    pub fn state(&self) -> Result<SuggestionState> {
        SuggestionState::parse(&self.row.state)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("suggestion {} has state {}", self.row.id, self.row.state)))
    }

    /// Whether `actor` reads (and answers) it: organizers of the node it
    /// went to or of a node above, and admins.
    pub fn read_by(&self, actor: &Actor) -> Result<bool> {
        Ok(actor.can_view_org(&path_of(&self.to)?).is_ok())
    }

    pub fn sent_by(&self, actor: &Actor) -> bool {
        self.row.sender_id == Some(actor.id.0)
    }
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Suggestion> {
    let row = suggestions::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let to = orgs::Entity::find_by_id(row.to_org_id).one(db).await?.ok_or(Error::NotFound)?;
    Ok(Suggestion { row, to })
}

/// A suggestion its sender or one of its readers may see; anyone else: 404.
pub(crate) async fn find_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Suggestion> {
    let s = find(db, id).await?;
    if s.sent_by(actor) || s.read_by(actor)? {
        Ok(s)
    } else {
        Err(Error::NotFound)
    }
}

/// The suggestion as `actor` sees it. Readers see who sent it only when it
/// is not anonymous.
pub(crate) async fn view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    s: &Suggestion,
    zone: FixedOffset,
) -> Result<SuggestionView> {
    let mine = s.sent_by(actor);
    let sender = if s.row.anonymous || mine {
        None
    } else {
        match s.row.sender_id {
            Some(id) => match people::Entity::find_by_id(id).one(db).await? {
                Some(p) => {
                    let org_name = match s.row.sender_org_id {
                        Some(o) => orgs::Entity::find_by_id(o).one(db).await?.map(|o| o.name).unwrap_or_default(),
                        None => String::new(),
                    };
                    Some(Sender { name: p.name, org_name })
                }
                None => None,
            },
            None => None,
        }
    };
    Ok(SuggestionView {
        id: s.row.id,
        to_org_id: OrgId(s.to.id),
        to_org_name: s.to.name.clone(),
        title: s.row.title.clone(),
        body: s.row.body.clone(),
        anonymous: s.row.anonymous,
        sender,
        mine,
        state: s.state()?,
        reply: s.row.reply.clone(),
        replied_by: s.row.replied_by_name.clone(),
        created_at_ms: s.row.created_at_ms,
        created_at: local_time(s.row.created_at_ms, zone),
        replied_at: s.row.replied_at_ms.map(|ms| local_time(ms, zone)),
        closed_at: s.row.closed_at_ms.map(|ms| local_time(ms, zone)),
    })
}
