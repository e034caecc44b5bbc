//! Posting a comment or a reply, and its writer deleting it.

use chrono::FixedOffset;
use courses::discussion::{CommentDraft, CommentState, CommentView, DiscussionError, HeldFor, ModerationAction};
use courses::Actor;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use super::moderation::take_step;
use super::{find_visible, state_of, view_of, words, Lookups, Place, Target};
use crate::db::{self, comments, people};
use crate::error::{Error, Result};

/// Posts a comment (or, with `reply_to`, a reply) at a place the writer
/// may study. It is published at once, unless it matches a listed word or
/// its course reviews comments first; then it waits, seen by its writer and
/// the course's organizers only.
pub async fn post(
    db: &DatabaseConnection,
    actor: &Actor,
    writer: &people::Model,
    at: Target,
    draft: CommentDraft,
    zone: FixedOffset,
) -> Result<CommentView> {
    let place = Place::for_study(db, actor, at).await?;
    let body = draft.checked_body().map_err(|e| Error::invalid(&e))?;
    if let Some(parent) = draft.reply_to {
        let (p, _) = find_visible(db, actor, parent).await?;
        if p.course_id != place.course.row.id || p.lesson_id != place.lesson_id() {
            return Err(Error::NotFound);
        }
        if p.parent_id.is_some() {
            return Err(Error::invalid(&DiscussionError::ReplyToReply));
        }
        if state_of(&p)? != CommentState::Published {
            return Err(Error::invalid(&DiscussionError::WrongState));
        }
    }
    let matched = words::load(db).await?.matches(&body);
    let held = if !matched.is_empty() {
        Some(HeldFor::ListedWord)
    } else if place.course.row.comments_reviewed {
        Some(HeldFor::ReviewFirst)
    } else {
        None
    };
    let row = comments::ActiveModel {
        course_id: Set(place.course.row.id),
        lesson_id: Set(place.lesson_id()),
        parent_id: Set(draft.reply_to),
        author_id: Set(Some(writer.id)),
        author_name: Set(writer.name.clone()),
        author_org_id: Set(Some(writer.org_id)),
        surname_only: Set(draft.surname_only),
        body: Set(body),
        state: Set(if held.is_some() { CommentState::Pending } else { CommentState::Published }.as_str().to_owned()),
        held_for: Set(held.map(|h| h.as_str().to_owned())),
        matched: Set((!matched.is_empty()).then(|| matched.join("\n"))),
        moderation_reason: Set(None),
        open_reports: Set(0),
        created_at_ms: Set(db::now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let look = Lookups::load(db, actor, std::slice::from_ref(&row), zone).await?;
    view_of(&row, actor, place.moderated_by(actor), &look)
}

/// The writer deletes their own comment: its text is erased for good and
/// its open reports close.
pub async fn delete_own(db: &DatabaseConnection, actor: &Actor, by_name: &str, id: i64) -> Result<()> {
    let (row, _) = find_visible(db, actor, id).await?;
    if row.author_id != Some(actor.id.0) {
        return Err(Error::NotFound);
    }
    // The writer's own step leaves a moderator's last reason as it was.
    take_step(db, &row, state_of(&row)?, ModerationAction::Delete, actor, by_name, None, true).await
}
