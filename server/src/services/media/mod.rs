//! Uploaded material as organizers manage it: list and look at items in
//! their part of the tree, follow processing, cancel, retry, delete, and
//! read the published outputs (HLS files, slide images).

pub mod state;

use courses::media::{FileName, MediaEvent, MediaState, MediaSummary, SlideView};
use courses::{i18n::Localize, Actor, Lang, OrgId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::config::Settings;
use crate::db::jobs::JobState;
use crate::db::media::LadderState;
use crate::db::{media, media_slides, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::jobs::{add_renditions, outputs, process_media, queue};
use crate::services::orgs as org_service;
use crate::storage::Store;

/// Where the API serves an item's published files.
pub fn file_url(id: i64, rel: &str) -> String {
    format!("/api/v1/media/{id}/files/{rel}")
}

/// Heights of an item's video renditions, highest first.
pub fn renditions_of(item: &media::Model) -> Vec<u32> {
    item.renditions.as_deref().unwrap_or("").split(',').filter_map(|h| h.parse().ok()).collect()
}

fn summary(
    item: &media::Model,
    job_progress: Option<i16>,
    ladder_progress: Option<i16>,
    lang: Lang,
) -> Result<MediaSummary> {
    let state = item.state();
    let percent = match (state, job_progress) {
        (MediaState::Ready, _) => 100,
        (MediaState::Processing | MediaState::Queued, Some(p)) => p.clamp(0, 100) as u8,
        _ => 0,
    };
    let problem = process_media::stored_problem(item.problem.as_deref());
    Ok(MediaSummary {
        id: item.id,
        org_id: OrgId(item.org_id),
        file_name: FileName::parse(&item.file_name).map_err(|e| Error::Internal(e.into()))?,
        size: item.size as u64,
        kind: item.kind(),
        state,
        percent,
        problem_message: problem.as_ref().map(|p| p.localize(lang)),
        problem,
        duration_seconds: item.duration_seconds,
        renditions: renditions_of(item),
        ladder: item.ladder.map(Into::into),
        ladder_percent: match item.ladder {
            Some(LadderState::Complete) => 100,
            Some(LadderState::Pending) => ladder_progress.unwrap_or(0).clamp(0, 100) as u8,
            _ => 0,
        },
        ladder_problem_message: process_media::stored_problem(item.ladder_problem.as_deref()).map(|p| p.localize(lang)),
        slide_count: item.slide_count.map(|n| n as u32),
        playlist_url: item.playlist.as_deref().filter(|_| state == MediaState::Ready).map(|p| file_url(item.id, p)),
        poster_url: item.poster.as_deref().filter(|_| state == MediaState::Ready).map(|p| file_url(item.id, p)),
        uploaded_by: item.uploader_name.clone(),
        created_at: item.created_at,
        updated_at: item.updated_at,
    })
}

async fn summaries(db: &DatabaseConnection, items: &[media::Model], lang: Lang) -> Result<Vec<MediaSummary>> {
    let keys: Vec<String> =
        items.iter().flat_map(|m| [process_media::dedupe_key(m.id), add_renditions::dedupe_key(m.id)]).collect();
    let jobs = queue::progress_of(db, &keys).await?;
    let progress_of = |key: String| jobs.iter().find(|j| j.dedupe_key == key).map(|j| j.progress);
    items
        .iter()
        .map(|m| {
            let processing = progress_of(process_media::dedupe_key(m.id));
            summary(m, processing, progress_of(add_renditions::dedupe_key(m.id)), lang)
        })
        .collect()
}

/// Loads an item the actor manages; others are "not found".
pub async fn find(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<media::Model> {
    let item = media::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let org = orgs::Entity::find_by_id(item.org_id).one(db).await?.ok_or(Error::NotFound)?;
    super::hide_out_of_scope(actor.can_manage_material(&org_service::path_of(&org)?))?;
    Ok(item)
}

/// Items in the actor's scope (or in `org`'s subtree), newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor, org: Option<OrgId>, lang: Lang) -> Result<Vec<MediaSummary>> {
    let condition = match org {
        Some(id) => {
            let node = org_service::find_visible(db, actor, id).await?;
            org_service::subtree(&org_service::path_of(&node)?)
        }
        None => org_service::in_scope(&actor.scope()).ok_or(Error::Forbidden)?,
    };
    let org_ids: Vec<i64> = orgs::Entity::find().filter(condition).all(db).await?.into_iter().map(|o| o.id).collect();
    let items = media::Entity::find()
        .filter(media::Column::OrgId.is_in(org_ids))
        .order_by_desc(media::Column::CreatedAt)
        .order_by_desc(media::Column::Id)
        .all(db)
        .await?;
    summaries(db, &items, lang).await
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<MediaSummary> {
    get_in(db, actor, id, Lang::Zh).await
}

pub async fn get_in(db: &DatabaseConnection, actor: &Actor, id: i64, lang: Lang) -> Result<MediaSummary> {
    let item = find(db, actor, id).await?;
    Ok(summaries(db, &[item], lang).await?.remove(0))
}

/// Stops processing: a queued item at once, a running one at the worker's
/// next heartbeat (within seconds).
pub async fn cancel(db: &DatabaseConnection, actor: &Actor, id: i64, lang: Lang) -> Result<MediaSummary> {
    let item = find(db, actor, id).await?;
    if !item.state().can_cancel() {
        return Err(Error::Conflict(Detail::text(
            "只有排队中或处理中的资料可以取消。",
            "Only queued or processing items can be cancelled.",
        )));
    }
    let txn = db.begin().await?;
    let after = queue::request_cancel(&txn, &process_media::dedupe_key(id)).await?;
    if after == Some(JobState::Cancelled) {
        state::record(&txn, id, &MediaEvent::Cancelled).await?;
    }
    txn.commit().await?;
    get_in(db, actor, id, lang).await
}

/// Queues a failed or cancelled item again; for a ready video whose higher
/// renditions failed, those.
pub async fn retry(db: &DatabaseConnection, actor: &Actor, id: i64, lang: Lang) -> Result<MediaSummary> {
    let item = find(db, actor, id).await?;
    if item.is_ready() && item.ladder == Some(LadderState::Failed) {
        let txn = db.begin().await?;
        if queue::requeue(&txn, &add_renditions::dedupe_key(id)).await? {
            media::Entity::update_many()
                .col_expr(media::Column::Ladder, Some(LadderState::Pending).into())
                .col_expr(media::Column::LadderProblem, Option::<String>::None.into())
                .filter(media::Column::Id.eq(id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        return get_in(db, actor, id, lang).await;
    }
    if !item.state().can_retry() {
        return Err(Error::Conflict(Detail::text(
            "只有失败或已取消的资料可以重试。",
            "Only failed or cancelled items can be retried.",
        )));
    }
    let txn = db.begin().await?;
    queue::requeue(&txn, &process_media::dedupe_key(id)).await?;
    state::record(&txn, id, &MediaEvent::Retried).await?;
    txn.commit().await?;
    get_in(db, actor, id, lang).await
}

/// Deletes the item, its job (a worker running it stops at its next
/// heartbeat), its original and its outputs.
pub async fn delete(db: &DatabaseConnection, store: &dyn Store, actor: &Actor, id: i64) -> Result<()> {
    let item = find(db, actor, id).await?;
    let txn = db.begin().await?;
    if super::catalog::media_in_use(&txn, id).await? {
        return Err(Error::Conflict(Detail::text(
            "该资料已被课程的课时使用，请先从课程中移除。",
            "A lesson uses this material; remove it from the course first.",
        )));
    }
    queue::delete(&txn, &process_media::dedupe_key(id)).await?;
    queue::delete(&txn, &add_renditions::dedupe_key(id)).await?;
    media::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    outputs::delete_prefix(store, &format!("media/{id}/")).await;
    if let Ok(key) = crate::storage::ObjectKey::parse(&item.source_key) {
        if let Err(e) = store.delete(&key).await {
            tracing::warn!(key = %key, error = %e, "could not delete an original");
        }
    }
    Ok(())
}

/// The pages of a converted deck.
pub async fn slides(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Vec<SlideView>> {
    let item = find(db, actor, id).await?;
    slides_of(db, &item, |rel| file_url(id, rel)).await
}

/// The pages of `item` (whoever may read it), with each image's URL made
/// by `url_of` from its path relative to the outputs.
pub async fn slides_of(
    db: &impl sea_orm::ConnectionTrait,
    item: &media::Model,
    url_of: impl Fn(&str) -> String,
) -> Result<Vec<SlideView>> {
    let prefix = item.output_prefix.clone().unwrap_or_default();
    let rows = media_slides::Entity::find()
        .filter(media_slides::Column::MediaId.eq(item.id))
        .order_by_asc(media_slides::Column::Number)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|s| SlideView {
            number: s.number as u32,
            small_url: url_of(s.small_key.strip_prefix(&prefix).unwrap_or(&s.small_key)),
            large_url: url_of(s.large_key.strip_prefix(&prefix).unwrap_or(&s.large_key)),
            text: s.text,
        })
        .collect())
}

/// The object key of a published file of an item the actor may read, given
/// its path relative to the outputs (as in the playlist).
pub async fn file_key(db: &DatabaseConnection, actor: &Actor, id: i64, rel: &str) -> Result<crate::storage::ObjectKey> {
    output_key(&find(db, actor, id).await?, rel)
}

/// The object key of a published file of `item` (whoever may read it).
pub fn output_key(item: &media::Model, rel: &str) -> Result<crate::storage::ObjectKey> {
    let prefix = item.output_prefix.as_deref().filter(|_| item.is_ready()).ok_or(Error::NotFound)?;
    crate::storage::ObjectKey::parse(&format!("{prefix}{rel}")).map_err(|_| Error::NotFound)
}

/// A stored source file to process.
pub struct Source<'a> {
    pub org_id: i64,
    pub uploader: &'a people::Model,
    pub file_name: &'a str,
    pub size: i64,
    pub key: &'a str,
}

/// Records a stored source file as a media item and queues its processing,
/// in `txn`.
pub async fn register(txn: &DatabaseTransaction, settings: &Settings, source: Source<'_>) -> Result<media::Model> {
    let t = crate::db::now();
    let item = media::ActiveModel {
        org_id: Set(source.org_id),
        uploaded_by: Set(Some(source.uploader.id)),
        uploader_name: Set(source.uploader.name.clone()),
        file_name: Set(source.file_name.to_owned()),
        size: Set(source.size),
        source_key: Set(source.key.to_owned()),
        kind: Set(None),
        state: Set(state::registered()),
        percent: Set(0),
        problem: Set(None),
        duration_seconds: Set(None),
        renditions: Set(None),
        slide_count: Set(None),
        output_prefix: Set(None),
        playlist: Set(None),
        poster: Set(None),
        thumbnails: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    queue::enqueue(txn, process_media::job(settings, item.id)).await?;
    Ok(item)
}

/// Stores `bytes` as a source file and registers it (for seeding; uploads
/// arrive through [`crate::services::uploads`]).
pub async fn register_bytes(
    db: &DatabaseConnection,
    store: &dyn Store,
    settings: &Settings,
    org_id: i64,
    uploader: &people::Model,
    file_name: &str,
    bytes: &'static [u8],
) -> Result<media::Model> {
    let key = crate::storage::ObjectKey::parse(&format!("sources/{}", uuid::Uuid::new_v4()))
        .map_err(|e| Error::Internal(e.into()))?;
    store.put(&key, crate::storage::bytes_stream(bytes::Bytes::from_static(bytes)), None).await?;
    let txn = db.begin().await?;
    let source = Source { org_id, uploader, file_name, size: bytes.len() as i64, key: key.as_str() };
    let item = register(&txn, settings, source).await?;
    txn.commit().await?;
    Ok(item)
}
