//! The one writer of a media item's state. The transitions themselves are
//! the domain's ([`MediaEvent::state`]); the organizer's actions
//! ([`super::cancel`], [`super::retry`]), the upload that registers an item
//! and the processing job ([`crate::jobs::process_media`]) all record what
//! happened here.

use courses::media::{MediaEvent, MediaState};
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::db::{media, now};

/// The columns `event` changes, with their new values.
fn changes(event: &MediaEvent) -> Result<Vec<(media::Column, SimpleExpr)>, DbErr> {
    let mut changes = vec![
        (media::Column::State, media::State::from(event.state()).into()),
        (media::Column::UpdatedAt, now().into()),
    ];
    if let Some(problem) = event.problem() {
        let stored = problem.map(serde_json::to_string).transpose().map_err(|e| DbErr::Json(e.to_string()))?;
        changes.push((media::Column::Problem, stored.into()));
    }
    if event.state() == MediaState::Ready {
        changes.push((media::Column::Percent, 100i16.into()));
    }
    Ok(changes)
}

/// Records `event` for item `id`.
pub async fn record(db: &impl ConnectionTrait, id: i64, event: &MediaEvent) -> Result<(), DbErr> {
    let mut update = media::Entity::update_many().filter(media::Column::Id.eq(id));
    for (column, value) in changes(event)? {
        update = update.col_expr(column, value);
    }
    update.exec(db).await.map(|_| ())
}

/// The state of a new item.
pub fn registered() -> media::State {
    MediaEvent::Registered.state().into()
}
