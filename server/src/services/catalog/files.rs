//! Files that belong to courses and lessons rather than to the material
//! library: a course's cover image, a lesson's WebVTT captions and its
//! attachments. Each is stored under a fresh key, so a replaced file never
//! shadows its successor in a cache; the old object is deleted once the row
//! points at the new one.

use bytes::Bytes;
use courses::course::{AttachmentView, CourseView, LessonView};
use courses::media::FileName;
use courses::progress::LessonKind;
use courses::Actor;
use futures::StreamExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::structure::managed_lesson;
use super::{find_managed, find_studied, get, lesson_for_study, lesson_view};
use crate::db::{self, lesson_attachments, lessons};
use crate::error::{Detail, Error, Result};
use crate::storage::{bytes_stream, ByteStream, ObjectKey, Store};

/// Largest cover image accepted, in bytes.
pub const MAX_COVER_BYTES: usize = 10 * 1024 * 1024;
/// Largest captions file accepted, in bytes.
pub const MAX_CAPTIONS_BYTES: usize = 2 * 1024 * 1024;
/// Largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: u64 = 200 * 1024 * 1024;
/// Covers are re-encoded to fit this box (16:9), whatever was uploaded.
const COVER_BOX: (u32, u32) = (960, 540);

pub(crate) fn fresh_key(prefix: &str, id: i64, ext: &str) -> Result<ObjectKey> {
    Ok(ObjectKey::parse(&format!("{prefix}/{id}/{}.{ext}", uuid::Uuid::new_v4()))?)
}

pub(crate) async fn forget(store: &dyn Store, key: Option<String>) {
    let Some(key) = key.and_then(|k| ObjectKey::parse(&k).ok()) else { return };
    if let Err(e) = store.delete(&key).await {
        tracing::warn!(key = key.as_str(), error = %e, "could not delete a replaced file");
    }
}

/// Decodes an uploaded image (JPEG, PNG or WebP), whatever its name says,
/// and re-encodes it as a JPEG no larger than the cover box. Nothing of the
/// upload's bytes is served, so a hostile file cannot smuggle anything.
fn cover_jpeg(bytes: &[u8]) -> Result<Vec<u8>> {
    let bad = || {
        Error::Invalid(Detail::text(
            "封面须是 JPEG、PNG 或 WebP 图片，且不超过 8000×8000 像素。",
            "The cover must be a JPEG, PNG or WebP image of at most 8000×8000 pixels.",
        ))
    };
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|_| bad())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8000);
    limits.max_image_height = Some(8000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| bad())?;
    let fitted = image.resize(COVER_BOX.0, COVER_BOX.1, image::imageops::FilterType::Triangle).into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
        .encode_image(&fitted)
        .map_err(|e| Error::Internal(e.into()))?;
    Ok(out)
}

/// Replaces the course's cover image.
pub async fn put_cover(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    course_id: i64,
    body: Bytes,
) -> Result<CourseView> {
    let course = find_managed(db, actor, course_id).await?;
    if body.len() > MAX_COVER_BYTES {
        return Err(Error::TooLarge { limit: MAX_COVER_BYTES as u64 });
    }
    let jpeg =
        tokio::task::spawn_blocking(move || cover_jpeg(&body)).await.map_err(|e| Error::Internal(e.into()))??;
    let key = fresh_key("covers", course.row.id, "jpg")?;
    store.put(&key, bytes_stream(Bytes::from(jpeg)), Some("image/jpeg")).await?;
    let old = course.row.cover_key.clone();
    let mut row = course.row.into_active_model();
    row.cover_key = Set(Some(key.as_str().to_owned()));
    row.updated_at = Set(db::now());
    row.update(db).await?;
    forget(store, old).await;
    get(db, actor, course_id).await
}

/// Where the cover of a course the actor may see is stored.
pub async fn cover_key(db: &DatabaseConnection, actor: &Actor, course_id: i64) -> Result<ObjectKey> {
    let course = find_studied(db, actor, course_id).await?;
    let key = course.row.cover_key.ok_or(Error::NotFound)?;
    Ok(ObjectKey::parse(&key)?)
}

/// Checks WebVTT: UTF-8 (a byte-order mark is dropped), the `WEBVTT`
/// signature, and at least one cue whose timing line reads
/// `hh:mm:ss.ttt --> hh:mm:ss.ttt` (hours optional) with the end after the
/// start.
pub fn check_webvtt(bytes: &[u8]) -> Result<String> {
    let bad = |zh: &str, en: &str| Error::Invalid(Detail::text(zh, en));
    let text = std::str::from_utf8(bytes)
        .map_err(|_| bad("字幕文件须是 UTF-8 编码的 WebVTT 文件。", "Captions must be a WebVTT file in UTF-8."))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let signed = first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t");
    if !signed {
        return Err(bad(
            "字幕文件须以 WEBVTT 开头；SRT 等格式请先转换为 WebVTT。",
            "Captions must start with WEBVTT; convert SRT and other formats to WebVTT first.",
        ));
    }
    let mut cues = 0;
    for line in text.lines().filter(|l| l.contains("-->")) {
        let mut parts = line.split("-->");
        let start = parts.next().and_then(|s| vtt_time(s.trim()));
        let end = parts.next().and_then(|s| s.split_whitespace().next()).and_then(vtt_time);
        match (start, end) {
            (Some(a), Some(b)) if b > a => cues += 1,
            _ => {
                return Err(bad(
                    &format!("字幕时间行无效：{}", line.chars().take(60).collect::<String>()),
                    &format!("A cue timing line is not valid: {}", line.chars().take(60).collect::<String>()),
                ))
            }
        }
    }
    if cues == 0 {
        return Err(bad("字幕文件中没有任何字幕。", "The captions file has no cues."));
    }
    Ok(text.to_owned())
}

/// `[hh:]mm:ss.ttt` in ms.
fn vtt_time(s: &str) -> Option<u64> {
    let (clock, millis) = s.split_once('.')?;
    if millis.len() != 3 {
        return None;
    }
    let fields: Vec<&str> = clock.split(':').collect();
    let (h, m, sec) = match fields.as_slice() {
        [m, s] => ("0", *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    let num = |x: &str| x.bytes().all(|b| b.is_ascii_digit()).then(|| x.parse::<u64>().ok()).flatten();
    let (h, m, sec, ms) = (num(h)?, num(m)?, num(sec)?, num(millis)?);
    (m < 60 && sec < 60 && m.to_string().len() <= 2).then_some(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

/// Replaces the WebVTT captions of a video or audio lesson.
pub async fn put_captions(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    lesson_id: i64,
    body: Bytes,
) -> Result<LessonView> {
    let (row, _) = managed_lesson(db, actor, lesson_id).await?;
    if !LessonKind::parse(&row.kind).is_some_and(LessonKind::is_timed) {
        return Err(Error::Invalid(Detail::text(
            "只有视频和音频课时可以上传字幕。",
            "Only video and audio lessons take captions.",
        )));
    }
    if body.len() > MAX_CAPTIONS_BYTES {
        return Err(Error::TooLarge { limit: MAX_CAPTIONS_BYTES as u64 });
    }
    let text = check_webvtt(&body)?;
    let key = fresh_key("captions", row.id, "vtt")?;
    store.put(&key, bytes_stream(Bytes::from(text)), Some("text/vtt; charset=utf-8")).await?;
    let old = row.captions_key.clone();
    let mut active = row.into_active_model();
    active.captions_key = Set(Some(key.as_str().to_owned()));
    let row = active.update(db).await?;
    forget(store, old).await;
    lesson_view(&row)
}

/// Removes a lesson's captions.
pub async fn delete_captions(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    lesson_id: i64,
) -> Result<LessonView> {
    let (row, _) = managed_lesson(db, actor, lesson_id).await?;
    let old = row.captions_key.clone();
    let mut active = row.into_active_model();
    active.captions_key = Set(None);
    let row = active.update(db).await?;
    forget(store, old).await;
    lesson_view(&row)
}

/// Where the captions of a lesson the actor may study are stored.
pub async fn captions_key(db: &DatabaseConnection, actor: &Actor, lesson_id: i64) -> Result<ObjectKey> {
    let lesson = lesson_for_study(db, actor, lesson_id).await?;
    Ok(ObjectKey::parse(&lesson.row.captions_key.ok_or(Error::NotFound)?)?)
}

pub fn attachment_url(lesson_id: i64, id: i64) -> String {
    format!("/api/v1/lessons/{lesson_id}/attachments/{id}")
}

fn attachment_view(a: lesson_attachments::Model) -> AttachmentView {
    AttachmentView {
        url: attachment_url(a.lesson_id, a.id),
        id: a.id,
        file_name: a.file_name,
        size_bytes: a.size_bytes,
    }
}

/// A lesson's attachments, oldest first.
pub async fn attachments_of(db: &impl ConnectionTrait, lesson_id: i64) -> Result<Vec<AttachmentView>> {
    let rows = lesson_attachments::Entity::find()
        .filter(lesson_attachments::Column::LessonId.eq(lesson_id))
        .order_by_asc(lesson_attachments::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(attachment_view).collect())
}

/// Stores a file to download beside a lesson. `length` is the declared
/// `Content-Length`; a body that is longer, shorter or breaks off stores
/// nothing.
pub async fn put_attachment(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    lesson_id: i64,
    name: &str,
    length: Option<u64>,
    body: ByteStream,
) -> Result<AttachmentView> {
    let (row, _) = managed_lesson(db, actor, lesson_id).await?;
    let name = FileName::parse(name).map_err(|e| Error::invalid(&e))?;
    let key = fresh_key("attachments", row.id, "bin")?;
    let stored = put_declared(store, &key, length, MAX_ATTACHMENT_BYTES, body).await?;
    let saved = lesson_attachments::ActiveModel {
        lesson_id: Set(row.id),
        file_name: Set(name.as_str().to_owned()),
        size_bytes: Set(i64::try_from(stored).unwrap_or(i64::MAX)),
        object_key: Set(key.as_str().to_owned()),
        created_at: Set(db::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match saved {
        Ok(a) => Ok(attachment_view(a)),
        Err(e) => {
            let _ = store.delete(&key).await;
            Err(e.into())
        }
    }
}

/// Stores `body` under `key` as a file of the declared `length` (the
/// request's `Content-Length`, at most `max` bytes). A body that is longer,
/// shorter or breaks off stores nothing.
pub(crate) async fn put_declared(
    store: &dyn Store,
    key: &ObjectKey,
    length: Option<u64>,
    max: u64,
    body: ByteStream,
) -> Result<u64> {
    let length = length.ok_or_else(|| {
        Error::Invalid(Detail::text("请求须带 Content-Length。", "The request needs a Content-Length header."))
    })?;
    if length > max {
        return Err(Error::TooLarge { limit: max });
    }
    // Cut the stream off at the declared length, so a lying client cannot
    // store more than it announced.
    let mut seen = 0u64;
    let capped: ByteStream = Box::pin(body.map(move |chunk| {
        let chunk = chunk?;
        seen += chunk.len() as u64;
        if seen > length {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "body longer than Content-Length"));
        }
        Ok(chunk)
    }));
    match store.put(key, capped, Some("application/octet-stream")).await {
        Ok(n) if n == length => Ok(n),
        Ok(_) | Err(_) => {
            let _ = store.delete(key).await;
            Err(Error::Invalid(Detail::text(
                "上传中断或文件大小与声明不符，请重新上传。",
                "The upload broke off or its size differs from Content-Length; upload it again.",
            )))
        }
    }
}

/// An attachment of a lesson the actor may study: its name and where it is
/// stored.
pub async fn attachment_key(
    db: &DatabaseConnection,
    actor: &Actor,
    lesson_id: i64,
    id: i64,
) -> Result<(String, ObjectKey)> {
    lesson_for_study(db, actor, lesson_id).await?;
    let a = lesson_attachments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.lesson_id == lesson_id)
        .ok_or(Error::NotFound)?;
    Ok((a.file_name, ObjectKey::parse(&a.object_key)?))
}

pub async fn delete_attachment(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    lesson_id: i64,
    id: i64,
) -> Result<()> {
    managed_lesson(db, actor, lesson_id).await?;
    let a = lesson_attachments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.lesson_id == lesson_id)
        .ok_or(Error::NotFound)?;
    lesson_attachments::Entity::delete_by_id(a.id).exec(db).await?;
    forget(store, Some(a.object_key)).await;
    Ok(())
}

/// The objects a lesson's rows point at (captions and attachments).
pub async fn keys_of_lesson(db: &impl ConnectionTrait, lesson: &lessons::Model) -> Result<Vec<ObjectKey>> {
    let mut keys: Vec<String> = lesson.captions_key.iter().cloned().collect();
    let rows =
        lesson_attachments::Entity::find().filter(lesson_attachments::Column::LessonId.eq(lesson.id)).all(db).await?;
    keys.extend(rows.into_iter().map(|a| a.object_key));
    Ok(keys.iter().filter_map(|k| ObjectKey::parse(k).ok()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webvtt_needs_its_signature_and_valid_cues() {
        let ok =
            "\u{feff}WEBVTT\n\n00:00.000 --> 00:02.500\n同志们好\n\n01:00:01.000 --> 01:00:02.000 align:start\n再见\n";
        assert!(check_webvtt(ok.as_bytes()).is_ok());
        assert!(check_webvtt(b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n").is_err());
        assert!(check_webvtt(b"WEBVTT\n\n00:02.000 --> 00:01.000\nbackwards\n").is_err());
        assert!(check_webvtt(b"WEBVTT\n\n00:61.000 --> 01:01.000\nbad seconds\n").is_err());
        assert!(check_webvtt(b"WEBVTT\n").is_err());
        assert!(check_webvtt(&[0x57, 0x45, 0xff, 0xfe]).is_err());
        assert!(check_webvtt(b"WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n").is_err());
    }
}
