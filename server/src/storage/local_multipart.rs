//! Multipart uploads for [`LocalStore`]: each upload is a directory
//! `.multipart/<upload id>/` holding one file per part (`00001`, ...), written
//! through a temp file so a half-received part never counts. Completing
//! streams the parts, in order, into an ordinary atomic `put`.

use std::io;
use std::path::PathBuf;

use futures::{StreamExt, TryStreamExt};
use tokio::fs;
use tokio::io::AsyncWriteExt;

use super::local::{io_context, is_missing, LocalStore, MULTIPART_DIR};
use super::{reader_stream, ByteStream, ObjectKey, PartInfo, StorageError, Store};

/// Upload ids we hand out are UUIDs; anything else never names a directory.
fn upload_dir(store: &LocalStore, upload_id: &str) -> Result<PathBuf, StorageError> {
    let id = uuid::Uuid::parse_str(upload_id)
        .map_err(|_| StorageError::NotFound(format!("multipart upload `{upload_id}`")))?;
    Ok(store.root().join(MULTIPART_DIR).join(id.simple().to_string()))
}

fn part_name(number: u32) -> String {
    format!("{number:05}")
}

async fn existing_dir(store: &LocalStore, upload_id: &str) -> Result<PathBuf, StorageError> {
    let dir = upload_dir(store, upload_id)?;
    match fs::metadata(&dir).await {
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(StorageError::NotFound(format!("multipart upload `{upload_id}`"))),
        Err(e) if is_missing(&e) => Err(StorageError::NotFound(format!("multipart upload `{upload_id}`"))),
        Err(e) => Err(io_context(e, "looking up", &dir)),
    }
}

pub(super) async fn create(store: &LocalStore) -> Result<String, StorageError> {
    let id = uuid::Uuid::new_v4();
    let dir = store.root().join(MULTIPART_DIR).join(id.simple().to_string());
    fs::create_dir_all(&dir).await.map_err(|e| io_context(e, "creating", &dir))?;
    Ok(id.to_string())
}

pub(super) async fn put_part(
    store: &LocalStore,
    upload_id: &str,
    number: u32,
    mut body: ByteStream,
    len: u64,
) -> Result<(), StorageError> {
    let dir = existing_dir(store, upload_id).await?;
    let tmp = tempfile::Builder::new()
        .prefix(".incoming-")
        .tempfile_in(&dir)
        .map_err(|e| io_context(e, "creating a temp file in", &dir))?;
    let (file, tmp_path) = tmp.into_parts();
    let mut file = fs::File::from_std(file);
    let mut written = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        written += chunk.len() as u64;
        if written > len {
            return Err(StorageError::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("part {number} is longer than the {len} bytes announced"),
            )));
        }
        file.write_all(&chunk).await.map_err(|e| io_context(e, "writing", &tmp_path))?;
    }
    if written != len {
        return Err(StorageError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("part {number} ended after {written} of {len} bytes"),
        )));
    }
    file.sync_all().await.map_err(|e| io_context(e, "syncing", &tmp_path))?;
    drop(file);
    let target = dir.join(part_name(number));
    tmp_path.persist(&target).map_err(|e| io_context(e.error, "storing part at", &target))?;
    Ok(())
}

pub(super) async fn list_parts(store: &LocalStore, upload_id: &str) -> Result<Vec<PartInfo>, StorageError> {
    let dir = existing_dir(store, upload_id).await?;
    let mut entries = fs::read_dir(&dir).await.map_err(|e| io_context(e, "listing", &dir))?;
    let mut parts = Vec::new();
    while let Some(entry) = entries.next_entry().await.map_err(|e| io_context(e, "listing", &dir))? {
        let Some(number) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue; // a temp file of a part still arriving
        };
        let meta = entry.metadata().await.map_err(|e| io_context(e, "reading", &entry.path()))?;
        parts.push(PartInfo { number, size: meta.len() });
    }
    parts.sort_by_key(|p| p.number);
    Ok(parts)
}

pub(super) async fn complete(
    store: &LocalStore,
    key: &ObjectKey,
    upload_id: &str,
    part_count: u32,
) -> Result<(), StorageError> {
    let dir = existing_dir(store, upload_id).await?;
    let paths: Vec<PathBuf> = (1..=part_count).map(|n| dir.join(part_name(n))).collect();
    for path in &paths {
        if fs::metadata(path).await.is_err() {
            return Err(StorageError::NotFound(format!("part {} of upload `{upload_id}`", path.display())));
        }
    }
    // One part file open at a time, read in chunks: memory stays flat.
    let body: ByteStream = Box::pin(
        futures::stream::iter(paths)
            .then(|path| async move { fs::File::open(&path).await.map(reader_stream) })
            .try_flatten(),
    );
    store.put(key, body, None).await?;
    abort(store, upload_id).await
}

pub(super) async fn abort(store: &LocalStore, upload_id: &str) -> Result<(), StorageError> {
    let dir = upload_dir(store, upload_id)?;
    match fs::remove_dir_all(&dir).await {
        Ok(()) => Ok(()),
        Err(e) if is_missing(&e) => Ok(()),
        Err(e) => Err(io_context(e, "removing", &dir)),
    }
}
