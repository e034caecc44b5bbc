//! The `process_media` job: fetch an uploaded file, find out what it is,
//! transcode it (video, audio) or convert it (slides), upload the outputs
//! under a prefix of their own and publish them in one transaction with the
//! job's ending. Until then nothing of the run is visible; on any failure the
//! prefix is deleted, so nothing is ever half-published.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use courses::media::{MediaEvent, MediaKind, Problem};
use dangxiao_media::slides::{self, SlideSettings};
use dangxiao_media::sniff::{self, Format};
use dangxiao_media::video::{self, VideoSettings};
use dangxiao_media::Control;
use futures::{StreamExt, TryStreamExt};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use super::queue::NewJob;
use super::{Handler, JobError, Lease, Outcome};
use crate::config::Settings;
use crate::db::{media, media_slides, now};
use crate::services::media::state as media_state;
use crate::state::AppState;
use crate::storage::{reader_stream, ObjectKey, Store};

pub const KIND: &str = "process_media";

/// Work directories are `<data_dir>/work/media-<pid>-<random>`, so that the
/// leftovers of a killed process can be told from those of a live one.
const WORK_PREFIX: &str = "media-";

/// Removes work directories left by processes that no longer run (killed
/// mid-job); safe while other processes on this machine are working.
pub fn remove_orphaned_work_dirs(data_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(data_dir.join("work")) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(WORK_PREFIX)).and_then(|n| n.split('-').next())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid).exists();
        if !alive {
            if let Err(e) = std::fs::remove_dir_all(entry.path()) {
                tracing::warn!(dir = %entry.path().display(), error = %e, "could not remove an orphaned work directory");
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub media_id: i64,
}

/// The job for one media item; enqueueing it twice is harmless.
pub fn job(settings: &Settings, media_id: i64) -> NewJob {
    NewJob {
        kind: KIND,
        dedupe_key: dedupe_key(media_id),
        payload: serde_json::json!(Payload { media_id }),
        max_attempts: 3,
        timeout: Duration::from_secs(u64::from(settings.job_timeout_minutes) * 60),
    }
}

pub fn dedupe_key(media_id: i64) -> String {
    format!("media:{media_id}")
}

pub struct ProcessMedia;

/// What a run produced, before it is published.
enum Produced {
    Video(video::VideoOutput),
    Slides(slides::DeckOutput),
}

#[async_trait::async_trait]
impl Handler for ProcessMedia {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, state: &AppState, lease: &Lease, control: &Control) -> Result<(), JobError> {
        let payload: Payload = lease.payload()?;
        let db = &state.db;
        let Some(item) = media::Entity::find_by_id(payload.media_id).one(db).await.context("loading media")? else {
            // Deleted while queued: nothing left to do.
            let txn = db.begin().await.context("begin")?;
            lease.succeed(&txn).await.context("finishing")?;
            txn.commit().await.context("commit")?;
            return Ok(());
        };
        media_state::record(db, item.id, &MediaEvent::Started).await.context("marking media as processing")?;

        let work_root = state.settings.data_dir.join("work");
        tokio::fs::create_dir_all(&work_root).await.context("creating the work directory")?;
        let work = tempfile::Builder::new()
            .prefix(&format!("{}{}-", WORK_PREFIX, std::process::id()))
            .tempdir_in(&work_root)
            .context("creating a work dir")?;
        let source = work.path().join("source");
        download(&*state.store, &item.source_key, &source).await?;
        control.check()?;

        let file_name = item.file_name.clone();
        let sniff_path = source.clone();
        let limit = slide_settings(&state.settings).max_unpacked_bytes;
        let sniffed = tokio::task::spawn_blocking(move || sniff::sniff_with_limit(&sniff_path, &file_name, limit))
            .await
            .context("sniffing panicked")??;
        if !state.settings.accepts_type(sniffed.mime) {
            return Err(JobError::Rejected(Problem::TypeNotAccepted { detected: sniffed.mime.to_owned() }));
        }
        let out = work.path().join("out");
        tokio::fs::create_dir_all(&out).await.context("creating the output directory")?;
        let produced = match sniffed.format {
            Format::AudioVisual => {
                let settings = video_settings(&state.settings);
                let (input, output, control) = (source.clone(), out.clone(), control.clone());
                let output =
                    tokio::task::spawn_blocking(move || video::transcode(&input, &output, &settings, &control))
                        .await
                        .context("transcoding panicked")??;
                Produced::Video(output)
            }
            format => {
                let settings = slide_settings(&state.settings);
                Produced::Slides(slides::convert(&source, format, &out, &settings, control).await?)
            }
        };
        control.check()?;

        let prefix = format!("media/{}/j{}a{}/", item.id, lease.job.id, lease.job.attempts);
        let published = async {
            upload_dir(&*state.store, &out, &prefix).await?;
            publish(state, lease, &item, &prefix, &produced).await
        }
        .await;
        match published {
            Ok(true) => {
                if let Some(old) = item.output_prefix.as_deref().filter(|old| *old != prefix) {
                    delete_prefix(&*state.store, old).await;
                }
                Ok(())
            }
            Ok(false) => {
                delete_prefix(&*state.store, &prefix).await;
                Err(JobError::Failed(anyhow::anyhow!("lease lost before publishing; results discarded")))
            }
            Err(e) => {
                delete_prefix(&*state.store, &prefix).await;
                Err(JobError::Failed(e))
            }
        }
    }

    async fn ended(&self, txn: &DatabaseTransaction, lease: &Lease, outcome: &Outcome) -> anyhow::Result<()> {
        let payload: Payload = lease.payload()?;
        let event = match outcome {
            Outcome::Failed(problem) => MediaEvent::Failed(problem.clone()),
            Outcome::Cancelled => MediaEvent::Cancelled,
            Outcome::Retrying => MediaEvent::Retrying,
        };
        media_state::record(txn, payload.media_id, &event).await?;
        Ok(())
    }
}

pub fn video_settings(settings: &Settings) -> VideoSettings {
    VideoSettings { max_duration_seconds: u64::from(settings.video_max_minutes) * 60, ..VideoSettings::default() }
}

pub fn slide_settings(settings: &Settings) -> SlideSettings {
    SlideSettings {
        convert_timeout: Duration::from_secs(u64::from(settings.slides_timeout_seconds)),
        ..SlideSettings::default()
    }
}

/// Streams the object into a local file (ffmpeg and LibreOffice need one).
async fn download(store: &dyn Store, key: &str, to: &Path) -> Result<(), JobError> {
    let key = ObjectKey::parse(key).context("stored source key")?;
    let mut object = store.get(&key, None).await.context("fetching the uploaded file")?;
    let mut file = tokio::fs::File::create(to).await.context("creating the local copy")?;
    while let Some(chunk) = object.body.next().await {
        file.write_all(&chunk.context("reading the uploaded file")?).await.context("writing the local copy")?;
    }
    file.flush().await.context("writing the local copy")?;
    Ok(())
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let path = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The `Content-Type` an output file is stored and served with.
///
/// `mime_guess` answers for most extensions; three are overridden to keep
/// what players were always sent:
/// - `.m3u8`: the HLS specification's `application/vnd.apple.mpegurl`
///   (mime_guess says `audio/x-mpegurl`, wrong for video playlists);
/// - `.m4s`, fragmented-MP4 segments, unknown to mime_guess: `video/mp4`;
/// - `.m4a`: the registered `audio/mp4` (RFC 4337), not `audio/m4a`.
///
/// Text gains `; charset=utf-8`, so WebVTT captions and slide text in
/// Chinese are not read as Latin-1.
pub fn content_type_of(path: &str) -> Cow<'static, str> {
    let extension = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension {
        "m3u8" => "application/vnd.apple.mpegurl".into(),
        "m4s" => "video/mp4".into(),
        "m4a" => "audio/mp4".into(),
        _ => match mime_guess::from_ext(extension).first() {
            Some(mime) if mime.type_() == mime_guess::mime::TEXT => {
                format!("{}; charset=utf-8", mime.essence_str()).into()
            }
            Some(mime) => mime.essence_str().to_owned().into(),
            None => "application/octet-stream".into(),
        },
    }
}

async fn upload_dir(store: &dyn Store, dir: &Path, prefix: &str) -> anyhow::Result<()> {
    let dir_owned = dir.to_owned();
    let files = tokio::task::spawn_blocking(move || files_under(&dir_owned)).await??;
    futures::stream::iter(files.into_iter().map(Ok::<_, anyhow::Error>))
        .try_for_each_concurrent(4, |rel| async move {
            let rel_str = rel.to_str().context("output file name is not UTF-8")?.replace('\\', "/");
            let key = ObjectKey::parse(&format!("{prefix}{rel_str}")).context("output key")?;
            let file = tokio::fs::File::open(dir.join(&rel)).await.context("opening an output file")?;
            store.put(&key, reader_stream(file), Some(&content_type_of(&rel_str))).await.context("storing output")?;
            Ok(())
        })
        .await
}

/// Best effort: objects left behind are only wasted space, never visible.
pub async fn delete_prefix(store: &dyn Store, prefix: &str) {
    match store.list(prefix).await {
        Ok(objects) => {
            for o in objects {
                if let Err(e) = store.delete(&o.key).await {
                    tracing::warn!(key = %o.key, error = %e, "could not delete an output object");
                }
            }
        }
        Err(e) => tracing::warn!(prefix, error = %e, "could not list outputs to delete"),
    }
}

fn rel(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Makes the outputs the item's current ones, with the job's ending.
async fn publish(
    state: &AppState,
    lease: &Lease,
    item: &media::Model,
    prefix: &str,
    produced: &Produced,
) -> anyhow::Result<bool> {
    let txn = state.db.begin().await?;
    if !lease.succeed(&txn).await? {
        return Ok(false);
    }
    let mut active = item.clone().into_active_model();
    active.output_prefix = Set(Some(prefix.to_owned()));
    active.updated_at = Set(now());
    media_slides::Entity::delete_many().filter(media_slides::Column::MediaId.eq(item.id)).exec(&txn).await?;
    match produced {
        Produced::Video(v) => {
            active.kind = Set(Some(v.kind.into()));
            active.duration_seconds = Set(Some(v.duration_seconds));
            let heights: Vec<String> = v.renditions.iter().map(|r| r.height.to_string()).collect();
            active.renditions = Set(Some(heights.join(",")));
            active.playlist = Set(Some(rel(&v.master_playlist)));
            active.poster = Set(Some(rel(&v.poster)));
            active.thumbnails = Set(v.thumbnails.as_deref().map(rel));
            active.slide_count = Set(None);
        }
        Produced::Slides(deck) => {
            active.kind = Set(Some(MediaKind::Slides.into()));
            active.slide_count = Set(Some(deck.slides.len() as i32));
            active.poster = Set(deck.slides.first().map(|s| rel(&s.small)));
            active.duration_seconds = Set(None);
            active.renditions = Set(None);
            active.playlist = Set(None);
            active.thumbnails = Set(None);
            for slide in &deck.slides {
                media_slides::ActiveModel {
                    media_id: Set(item.id),
                    number: Set(slide.number as i32),
                    small_key: Set(format!("{prefix}{}", rel(&slide.small))),
                    large_key: Set(format!("{prefix}{}", rel(&slide.large))),
                    text: Set(slide.text.clone()),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    active.update(&txn).await?;
    media_state::record(&txn, item.id, &MediaEvent::Published).await?;
    txn.commit().await?;
    Ok(true)
}

/// The problem to show for a stored failure, if it can be read.
pub fn stored_problem(raw: Option<&str>) -> Option<Problem> {
    raw.and_then(|r| serde_json::from_str(r).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_keep_the_content_types_they_always_had() {
        for (path, expected) in [
            ("hls/master.m3u8", "application/vnd.apple.mpegurl"),
            ("hls/720/seg-00001.m4s", "video/mp4"),
            ("hls/720/init.mp4", "video/mp4"),
            ("audio.m4a", "audio/mp4"),
            ("poster.jpg", "image/jpeg"),
            ("thumbs.jpeg", "image/jpeg"),
            ("slides/001-small.png", "image/png"),
            ("slides/001-small.webp", "image/webp"),
            ("captions.vtt", "text/vtt; charset=utf-8"),
            ("slides/001.txt", "text/plain; charset=utf-8"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type_of(path), expected, "{path}");
        }
    }
}
