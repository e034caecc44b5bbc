//! Files to download with a notice. Those who manage the notice attach and
//! remove them while it can still change: an ordinary notice while it is
//! published, an openness item only before its review (what was reviewed
//! and approved is what its readers get). Readers download them while they
//! may read the notice and it has not been withdrawn.

use courses::course::AttachmentView;
use courses::media::FileName;
use courses::notice::NoticeState;
use courses::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{find, visible_to, Audience, Notice};
use crate::db::{self, notice_attachments};
use crate::error::{Detail, Error, Result};
use crate::services::catalog::files::{forget, fresh_key, put_declared};
use crate::storage::{ByteStream, ObjectKey, Store};

/// Largest attachment of a notice, in bytes.
pub const MAX_NOTICE_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;
/// Most attachments of one notice.
pub const MAX_NOTICE_ATTACHMENTS: usize = 20;

fn url(notice_id: i64, id: i64) -> String {
    format!("/api/v1/notices/{notice_id}/attachments/{id}")
}

fn view(a: notice_attachments::Model) -> AttachmentView {
    AttachmentView { url: url(a.notice_id, a.id), id: a.id, file_name: a.file_name, size_bytes: a.size_bytes }
}

/// A notice's attachments, oldest first.
pub(crate) async fn of(db: &impl ConnectionTrait, notice_id: i64) -> Result<Vec<AttachmentView>> {
    let rows = notice_attachments::Entity::find()
        .filter(notice_attachments::Column::NoticeId.eq(notice_id))
        .order_by_asc(notice_attachments::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The notice, if `actor` manages it and its files may still change.
async fn changeable(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Notice> {
    let notice = find(db, id).await?;
    visible_to(&notice, actor)?;
    if !notice.managed_by(actor) {
        return Err(Error::NotFound);
    }
    let open = match notice.state()? {
        NoticeState::Proposed | NoticeState::Rejected => true,
        NoticeState::Published => !notice.row.openness,
        NoticeState::Reviewed | NoticeState::Withdrawn => false,
    };
    if !open {
        return Err(Error::Conflict(Detail::text(
            "该通知已审核或已撤回，附件不能再更改。",
            "The notice has been reviewed or withdrawn; its attachments can no longer change.",
        )));
    }
    Ok(notice)
}

/// Stores a file to download with a notice; `length` is the declared
/// `Content-Length`.
pub async fn put(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    id: i64,
    name: &str,
    length: Option<u64>,
    body: ByteStream,
) -> Result<AttachmentView> {
    let notice = changeable(db, actor, id).await?;
    let name = FileName::parse(name).map_err(|e| Error::invalid(&e))?;
    let count = notice_attachments::Entity::find()
        .filter(notice_attachments::Column::NoticeId.eq(notice.row.id))
        .all(db)
        .await?
        .len();
    if count >= MAX_NOTICE_ATTACHMENTS {
        return Err(Error::Invalid(Detail::text("一条通知最多 20 个附件。", "A notice has at most 20 attachments.")));
    }
    let key = fresh_key("notices", notice.row.id, "bin")?;
    let stored = put_declared(store, &key, length, MAX_NOTICE_ATTACHMENT_BYTES, body).await?;
    let saved = notice_attachments::ActiveModel {
        notice_id: Set(notice.row.id),
        file_name: Set(name.as_str().to_owned()),
        size_bytes: Set(i64::try_from(stored).unwrap_or(i64::MAX)),
        object_key: Set(key.as_str().to_owned()),
        created_at_ms: Set(db::now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match saved {
        Ok(a) => Ok(view(a)),
        Err(e) => {
            let _ = store.delete(&key).await;
            Err(e.into())
        }
    }
}

/// An attachment the actor may download: its name and where it is stored.
pub async fn key(db: &DatabaseConnection, actor: &Actor, id: i64, attachment: i64) -> Result<(String, ObjectKey)> {
    let notice = find(db, id).await?;
    let audience = visible_to(&notice, actor)?;
    if audience == Audience::Reader && notice.state()? == NoticeState::Withdrawn {
        return Err(Error::NotFound);
    }
    let a = notice_attachments::Entity::find_by_id(attachment)
        .one(db)
        .await?
        .filter(|a| a.notice_id == notice.row.id)
        .ok_or(Error::NotFound)?;
    Ok((a.file_name, ObjectKey::parse(&a.object_key)?))
}

pub async fn delete(db: &DatabaseConnection, store: &dyn Store, actor: &Actor, id: i64, attachment: i64) -> Result<()> {
    let notice = changeable(db, actor, id).await?;
    let a = notice_attachments::Entity::find_by_id(attachment)
        .one(db)
        .await?
        .filter(|a| a.notice_id == notice.row.id)
        .ok_or(Error::NotFound)?;
    notice_attachments::Entity::delete_by_id(a.id).exec(db).await?;
    forget(store, Some(a.object_key)).await;
    Ok(())
}
