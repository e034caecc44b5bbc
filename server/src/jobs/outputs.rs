//! Moving a job's files between the object store and the worker's disk:
//! the work directory a run downloads into, outputs uploaded under a
//! prefix with the content types players expect, and prefixes deleted when
//! a run's results are discarded.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use futures::{StreamExt, TryStreamExt};
use tokio::io::AsyncWriteExt;

use super::JobError;
use crate::storage::{reader_stream, ObjectKey, Store};

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

/// A fresh work directory for one run, removed when dropped.
pub fn work_dir(data_dir: &Path) -> anyhow::Result<tempfile::TempDir> {
    let root = data_dir.join("work");
    std::fs::create_dir_all(&root).context("creating the work directory")?;
    tempfile::Builder::new()
        .prefix(&format!("{}{}-", WORK_PREFIX, std::process::id()))
        .tempdir_in(&root)
        .context("creating a work dir")
}

/// Streams the object into a local file (ffmpeg and LibreOffice need one).
pub async fn download(store: &dyn Store, key: &str, to: &Path) -> Result<(), JobError> {
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

pub async fn upload_dir(store: &dyn Store, dir: &Path, prefix: &str) -> anyhow::Result<()> {
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

pub fn rel(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
