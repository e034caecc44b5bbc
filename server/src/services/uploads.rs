//! Resumable uploads: start one, send parts in any order (again after a
//! dropped connection), ask which parts arrived, complete it into a media
//! item with its processing job, or abandon it. Uploads left open past
//! their expiry are swept away by [`expire_abandoned`].
//!
//! Parts are stored by the object store (S3 multipart, or the local store's
//! staging directory) as they stream in; nothing holds a whole file or even
//! a whole part in memory.

use std::time::Duration;

use courses::media::{MediaSummary, NewUpload, PartUrl, UploadStatus};
use courses::{Actor, OrgId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::config::{Settings, StorageKind};
use crate::db::now;
use crate::db::uploads::{self, UploadState};
use crate::error::{Detail, Error, Result};
use crate::services::auth::Session;
use crate::services::{media as media_service, orgs as org_service};
use crate::storage::{ByteStream, ObjectKey, Store};

/// How long a presigned part URL works.
const PART_URL_TTL: Duration = Duration::from_secs(3600);

fn key_of(upload: &uploads::Model) -> Result<ObjectKey> {
    ObjectKey::parse(&upload.object_key).map_err(|e| Error::Internal(e.into()))
}

/// Expected length of part `n` (1-based).
fn part_len(upload: &uploads::Model, n: u32) -> u64 {
    let size = upload.size as u64;
    let part = upload.part_size as u64;
    let start = u64::from(n - 1) * part;
    part.min(size.saturating_sub(start))
}

/// Whether clients may send parts straight to object storage.
fn direct(settings: &Settings, store: &dyn Store) -> bool {
    settings.upload_direct && store.kind() == StorageKind::S3
}

async fn status(store: &dyn Store, settings: &Settings, upload: &uploads::Model) -> Result<UploadStatus> {
    let received: Vec<u32> = match (&upload.multipart_id, upload.state) {
        (Some(id), UploadState::Open) => {
            let key = key_of(upload)?;
            store
                .list_parts(&key, id)
                .await?
                .into_iter()
                .filter(|p| {
                    p.number >= 1 && p.number <= upload.part_count as u32 && p.size == part_len(upload, p.number)
                })
                .map(|p| p.number)
                .collect()
        }
        (_, UploadState::Completed) => (1..=upload.part_count as u32).collect(),
        _ => Vec::new(),
    };
    let bytes_received = received.iter().map(|&n| part_len(upload, n)).sum();
    Ok(UploadStatus {
        id: upload.id.clone(),
        org_id: OrgId(upload.org_id),
        file_name: courses::media::FileName::parse(&upload.file_name).map_err(|e| Error::Internal(e.into()))?,
        size: upload.size as u64,
        part_size: upload.part_size as u64,
        part_count: upload.part_count as u32,
        received_parts: received,
        bytes_received,
        direct: direct(settings, store),
        expires_at: upload.expires_at,
        media_id: upload.media_id,
    })
}

/// Loads an upload the actor may touch: the uploader's own, or any upload
/// into an org the actor manages. Others are "not found".
async fn find(db: &DatabaseConnection, actor: &Actor, id: &str) -> Result<uploads::Model> {
    let upload = uploads::Entity::find_by_id(id.to_owned()).one(db).await?.ok_or(Error::NotFound)?;
    if upload.person_id != actor.id.0 {
        org_service::find_visible(db, actor, OrgId(upload.org_id)).await.map_err(|_| Error::NotFound)?;
    }
    Ok(upload)
}

fn require_open(upload: &uploads::Model) -> Result<()> {
    if upload.state != UploadState::Open || upload.expires_at < now() {
        return Err(Error::Conflict(Detail::text(
            "这个上传已结束或已过期。请重新选择文件上传。",
            "This upload has ended or expired. Choose the file again to start a new upload.",
        )));
    }
    Ok(())
}

/// Starts an upload of `new.size` bytes into `new.org_id`.
pub async fn create(
    db: &DatabaseConnection,
    store: &dyn Store,
    settings: &Settings,
    session: &Session,
    new: NewUpload,
) -> Result<UploadStatus> {
    let actor = &session.actor;
    let org = org_service::find_visible(db, actor, new.org_id).await?;
    actor.can_manage_material(&org_service::path_of(&org)?)?;
    if new.size > settings.upload_max_bytes {
        return Err(Error::TooLarge { limit: settings.upload_max_bytes });
    }
    let id = uuid::Uuid::new_v4().to_string();
    let key = ObjectKey::parse(&format!("sources/{id}")).map_err(|e| Error::Internal(e.into()))?;
    let part_count = new.size.div_ceil(settings.upload_part_bytes) as i32;
    // A zero-byte file has no parts; completing it stores an empty object
    // and lets the job say what is wrong with it.
    let multipart_id = if part_count > 0 { Some(store.create_multipart(&key).await?) } else { None };
    let t = now();
    let upload = uploads::ActiveModel {
        id: Set(id),
        org_id: Set(org.id),
        person_id: Set(session.person.id),
        file_name: Set(new.file_name.as_str().to_owned()),
        size: Set(new.size as i64),
        part_size: Set(settings.upload_part_bytes as i64),
        part_count: Set(part_count),
        object_key: Set(key.as_str().to_owned()),
        multipart_id: Set(multipart_id),
        state: Set(UploadState::Open),
        media_id: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        expires_at: Set(t + i64::from(settings.upload_expire_hours) * 3600),
    }
    .insert(db)
    .await?;
    status(store, settings, &upload).await
}

pub async fn get(
    db: &DatabaseConnection,
    store: &dyn Store,
    settings: &Settings,
    actor: &Actor,
    id: &str,
) -> Result<UploadStatus> {
    let upload = find(db, actor, id).await?;
    status(store, settings, &upload).await
}

/// The actor's own unfinished uploads, newest first.
pub async fn open_of(
    db: &DatabaseConnection,
    store: &dyn Store,
    settings: &Settings,
    session: &Session,
) -> Result<Vec<UploadStatus>> {
    let list = uploads::Entity::find()
        .filter(uploads::Column::PersonId.eq(session.person.id))
        .filter(uploads::Column::State.eq(UploadState::Open))
        .filter(uploads::Column::ExpiresAt.gt(now()))
        .order_by_desc(uploads::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(list.len());
    for upload in &list {
        out.push(status(store, settings, upload).await?);
    }
    Ok(out)
}

/// Stores part `number` from `body`, which must be exactly as long as the
/// part (`content_length` is the request's declared length).
pub async fn put_part(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    id: &str,
    number: u32,
    content_length: Option<u64>,
    body: ByteStream,
) -> Result<()> {
    let upload = find(db, actor, id).await?;
    require_open(&upload)?;
    if number == 0 || number > upload.part_count as u32 {
        return Err(Error::Invalid(Detail::text(
            format!("分片编号 {number} 无效：这个上传共有 {} 个分片。", upload.part_count),
            format!("Part {number} does not exist: this upload has {} parts.", upload.part_count),
        )));
    }
    let expected = part_len(&upload, number);
    if content_length != Some(expected) {
        return Err(Error::Invalid(Detail::text(
            format!("第 {number} 个分片应为 {expected} 字节，请求声明的长度不符。"),
            format!("Part {number} must be exactly {expected} bytes (set Content-Length accordingly)."),
        )));
    }
    let key = key_of(&upload)?;
    let multipart =
        upload.multipart_id.as_deref().ok_or_else(|| Error::Internal(anyhow::anyhow!("no multipart id")))?;
    store.put_part(&key, multipart, number, body, expected).await.map_err(|e| match e {
        crate::storage::StorageError::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::UnexpectedEof
            ) =>
        {
            Error::Invalid(Detail::text(
                format!("第 {number} 个分片没有完整收到，请重新发送。"),
                format!("Part {number} did not arrive complete ({io}); send it again."),
            ))
        }
        other => Error::Storage(other),
    })
}

/// A presigned URL for sending part `number` straight to S3.
pub async fn part_url(
    db: &DatabaseConnection,
    store: &dyn Store,
    settings: &Settings,
    actor: &Actor,
    id: &str,
    number: u32,
) -> Result<PartUrl> {
    let upload = find(db, actor, id).await?;
    require_open(&upload)?;
    if number == 0 || number > upload.part_count as u32 {
        return Err(Error::Invalid(Detail::text("分片编号无效。", "That part number does not exist.")));
    }
    let not_direct = || {
        Error::Conflict(Detail::text(
            "此服务器不支持直传对象存储，请通过服务器上传分片。",
            "Direct uploads to object storage are off here; send parts through the server.",
        ))
    };
    if !settings.upload_direct {
        return Err(not_direct());
    }
    let key = key_of(&upload)?;
    let multipart = upload.multipart_id.as_deref().ok_or_else(not_direct)?;
    let url = store.presigned_part_url(&key, multipart, number, PART_URL_TTL).await?.ok_or_else(not_direct)?;
    Ok(PartUrl { number, url, expires_at: now() + PART_URL_TTL.as_secs() as i64 })
}

/// Assembles the parts and queues the file for processing. Completing a
/// completed upload again returns the same media item.
pub async fn complete(
    db: &DatabaseConnection,
    store: &dyn Store,
    settings: &Settings,
    session: &Session,
    id: &str,
) -> Result<MediaSummary> {
    let actor = &session.actor;
    let upload = find(db, actor, id).await?;
    if let (UploadState::Completed, Some(media_id)) = (upload.state, upload.media_id) {
        return media_service::get(db, actor, media_id).await;
    }
    require_open(&upload)?;
    let key = key_of(&upload)?;
    match upload.multipart_id.as_deref() {
        Some(multipart) => {
            let have = status(store, settings, &upload).await?.received_parts;
            let missing: Vec<String> =
                (1..=upload.part_count as u32).filter(|n| !have.contains(n)).map(|n| n.to_string()).collect();
            if !missing.is_empty() {
                let list = missing.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
                return Err(Error::Conflict(Detail::text(
                    format!("还有 {} 个分片没有收到（{list}）。请继续上传后再完成。", missing.len()),
                    format!("{} part(s) have not arrived yet ({list}). Send them, then complete again.", missing.len()),
                )));
            }
            store.complete_multipart(&key, multipart, upload.part_count as u32).await?;
        }
        None => {
            store.put(&key, crate::storage::bytes_stream(bytes::Bytes::new()), None).await?;
        }
    }

    let t = now();
    let txn = db.begin().await?;
    let item = media_service::register(
        &txn,
        settings,
        media_service::Source {
            org_id: upload.org_id,
            uploader: &session.person,
            file_name: &upload.file_name,
            size: upload.size,
            key: &upload.object_key,
        },
    )
    .await?;
    let mut done = upload.into_active_model();
    done.state = Set(UploadState::Completed);
    done.media_id = Set(Some(item.id));
    done.updated_at = Set(t);
    done.update(&txn).await?;
    txn.commit().await?;
    media_service::get(db, actor, item.id).await
}

/// Abandons an open upload and drops its parts.
pub async fn abort(db: &DatabaseConnection, store: &dyn Store, actor: &Actor, id: &str) -> Result<()> {
    let upload = find(db, actor, id).await?;
    if upload.state != UploadState::Open {
        return Ok(());
    }
    drop_upload(db, store, upload).await
}

async fn drop_upload(db: &DatabaseConnection, store: &dyn Store, upload: uploads::Model) -> Result<()> {
    if let Some(multipart) = upload.multipart_id.as_deref() {
        store.abort_multipart(&key_of(&upload)?, multipart).await?;
    }
    uploads::Entity::update_many()
        .col_expr(uploads::Column::State, UploadState::Aborted.into())
        .col_expr(uploads::Column::UpdatedAt, now().into())
        .filter(uploads::Column::Id.eq(upload.id.clone()))
        .filter(uploads::Column::State.eq(UploadState::Open))
        .exec(db)
        .await?;
    Ok(())
}

/// Drops every open upload past its expiry; returns how many. Safe to run
/// from several processes at once.
pub async fn expire_abandoned(db: &DatabaseConnection, store: &dyn Store) -> Result<usize> {
    let expired = uploads::Entity::find()
        .filter(uploads::Column::State.eq(UploadState::Open))
        .filter(uploads::Column::ExpiresAt.lt(now()))
        .all(db)
        .await?;
    let n = expired.len();
    for upload in expired {
        let id = upload.id.clone();
        if let Err(e) = drop_upload(db, store, upload).await {
            tracing::warn!(upload = %id, error = %e, "could not drop an abandoned upload");
        }
    }
    Ok(n)
}
