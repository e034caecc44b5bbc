//! A person's own in-app notifications: listing them (rendered in the
//! reader's language), counting the unread, marking them read. Every query
//! is narrowed to the caller's person id; nobody reads another's.

use courses::notify::{
    render, MarkRead, NotificationKind, NotificationList, NotificationQuery, NotificationView, Payload, UnreadCount,
};
use courses::{Actor, Lang};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::config::Settings;
use crate::db::{self, notifications};
use crate::error::Result;
use crate::services::reminders::local_time;

/// How many of the actor's notifications are unread.
pub async fn unread(db: &impl ConnectionTrait, actor: &Actor) -> Result<UnreadCount> {
    let unread = notifications::Entity::find()
        .filter(notifications::Column::PersonId.eq(actor.id.0))
        .filter(notifications::Column::ReadAtMs.is_null())
        .count(db)
        .await?;
    Ok(UnreadCount { unread })
}

/// The actor's notifications, newest first, in `lang`.
pub async fn list(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &Actor,
    lang: Lang,
    query: &NotificationQuery,
) -> Result<NotificationList> {
    let mut select = notifications::Entity::find().filter(notifications::Column::PersonId.eq(actor.id.0));
    if let Some(before) = query.before {
        select = select.filter(notifications::Column::Id.lt(before));
    }
    if query.unread == Some(true) {
        select = select.filter(notifications::Column::ReadAtMs.is_null());
    }
    let rows = select.order_by_desc(notifications::Column::Id).limit(query.limit()).all(db).await?;
    let zone = settings.time_zone();
    let items = rows.into_iter().filter_map(|row| view(row, lang, zone)).collect();
    Ok(NotificationList { items, unread: unread(db, actor).await?.unread })
}

/// A stored notification as the reader sees it; one whose kind or payload
/// no longer reads (written by a newer version, say) is left out.
fn view(row: notifications::Model, lang: Lang, zone: chrono::FixedOffset) -> Option<NotificationView> {
    let kind = NotificationKind::parse(&row.kind);
    let payload = serde_json::from_str::<Payload>(&row.payload).ok();
    let (Some(kind), Some(payload)) = (kind, payload) else {
        tracing::warn!(id = row.id, kind = %row.kind, "unreadable notification left out");
        return None;
    };
    let message = render(kind, &payload, lang);
    Some(NotificationView {
        id: row.id,
        kind,
        title: message.title,
        body: message.body,
        link: message.link,
        created_at_ms: row.created_at_ms,
        created_at: local_time(row.created_at_ms, zone),
        read: row.read_at_ms.is_some(),
    })
}

/// Marks the listed (or all) of the actor's unread notifications read; ids
/// of other people's notifications change nothing. Answers the unread count.
pub async fn mark_read(db: &impl ConnectionTrait, actor: &Actor, which: &MarkRead) -> Result<UnreadCount> {
    if which.all || !which.ids.is_empty() {
        let mut update = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAtMs, Expr::value(db::now_ms()))
            .filter(notifications::Column::PersonId.eq(actor.id.0))
            .filter(notifications::Column::ReadAtMs.is_null());
        if !which.all {
            update = update.filter(notifications::Column::Id.is_in(which.ids.iter().copied().take(1000)));
        }
        update.exec(db).await?;
    }
    unread(db, actor).await
}
