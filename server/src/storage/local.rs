//! [`LocalStore`]: objects as plain files under one directory, for
//! development, tests and single-machine installs.
//!
//! Layout under the root:
//! - `<key>`: the object's bytes (the key's `/` are directories);
//! - `.meta/<key>`: the content type given to `put`, as UTF-8 text (absent
//!   when none was given);
//! - `.tmp/`: bodies being written; `put` renames them into place once
//!   complete, so readers never see half a file.
//!
//! Hence keys whose first segment is `.tmp` or `.meta` are refused here, and
//! a key cannot be both an object and a "directory" of others (`a` and
//! `a/b`), which S3 would allow. The content type is replaced just after the
//! bytes, so a reader racing a `put` may briefly see the new bytes with the
//! old content type.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use tokio::fs;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::{
    local_multipart, reader_stream, ByteRange, ByteStream, GetObject, ObjectKey, ObjectMeta, PartInfo, StorageError,
    Store,
};

const TMP_DIR: &str = ".tmp";
const META_DIR: &str = ".meta";
/// Parts of multipart uploads in progress (see `local_multipart`).
pub(super) const MULTIPART_DIR: &str = ".multipart";

/// Temp files untouched for this long are leftovers of a crash: an upload in
/// progress writes to its file far more often than this.
const STALE_TMP_AGE: Duration = Duration::from_secs(3600);

/// A [`Store`] keeping objects as files under a root directory.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    /// Opens the store at `root`, creating the directory if needed and
    /// removing temp files a crash may have left behind.
    pub async fn open(root: PathBuf) -> Result<Self, StorageError> {
        for dir in [root.join(TMP_DIR), root.join(META_DIR)] {
            fs::create_dir_all(&dir).await.map_err(|e| io_context(e, "creating the storage directory", &dir))?;
        }
        let store = Self { root };
        store.remove_stale_temp_files().await?;
        Ok(store)
    }

    /// The directory objects are stored under.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn data_path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    fn meta_path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(META_DIR).join(key.as_str())
    }

    fn temp_path(&self) -> TempPath {
        let name = format!("{}.part", uuid::Uuid::new_v4().simple());
        TempPath(self.root.join(TMP_DIR).join(name))
    }

    async fn remove_stale_temp_files(&self) -> Result<(), StorageError> {
        let dir = self.root.join(TMP_DIR);
        let mut entries = fs::read_dir(&dir).await.map_err(|e| io_context(e, "listing", &dir))?;
        while let Some(entry) = entries.next_entry().await.map_err(|e| io_context(e, "listing", &dir))? {
            let modified = entry.metadata().await.and_then(|m| m.modified());
            let stale = modified
                .ok()
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .is_some_and(|age| age > STALE_TMP_AGE);
            if stale {
                tracing::info!(path = %entry.path().display(), "removing a stale temp file");
                if let Err(e) = fs::remove_file(entry.path()).await {
                    tracing::warn!(path = %entry.path().display(), error = %e, "could not remove a stale temp file");
                }
            }
        }
        Ok(())
    }

    async fn read_content_type(&self, key: &ObjectKey) -> Result<Option<String>, StorageError> {
        let path = self.meta_path(key);
        match fs::read_to_string(&path).await {
            Ok(content_type) => Ok(Some(content_type)),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(io_context(e, "reading the content type", &path)),
        }
    }

    /// Removes the now empty directories above `path`, up to `top`, so that
    /// deleted "folders" disappear and their names become usable as keys.
    async fn prune_empty_parents(&self, path: &Path, top: &Path) {
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != top && d.starts_with(top)) {
            // Fails when the directory still holds something: then so do its parents.
            if fs::remove_dir(d).await.is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

#[async_trait::async_trait]
impl Store for LocalStore {
    async fn put(
        &self,
        key: &ObjectKey,
        mut body: ByteStream,
        content_type: Option<&str>,
    ) -> Result<u64, StorageError> {
        check_not_reserved(key)?;
        let data_tmp = self.temp_path();
        let mut file = fs::File::create(&data_tmp.0).await.map_err(|e| io_context(e, "creating", &data_tmp.0))?;
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk
                .map_err(|e| StorageError::Io(io::Error::new(e.kind(), format!("reading the body of `{key}`: {e}"))))?;
            file.write_all(&chunk).await.map_err(|e| io_context(e, "writing", &data_tmp.0))?;
            written += chunk.len() as u64;
        }
        // Durable before it becomes visible: a crash must not leave a
        // truncated file under the final name.
        file.sync_all().await.map_err(|e| io_context(e, "syncing", &data_tmp.0))?;
        drop(file);

        // The content type is written before the bytes are renamed, so that
        // what can fail (a full disk) fails while nothing is visible yet.
        let meta_tmp = match content_type {
            Some(content_type) => {
                let tmp = self.temp_path();
                fs::write(&tmp.0, content_type).await.map_err(|e| io_context(e, "writing", &tmp.0))?;
                Some(tmp)
            }
            None => None,
        };
        rename_into_place(&data_tmp.0, &self.data_path(key)).await?;
        let meta_path = self.meta_path(key);
        match meta_tmp {
            Some(tmp) => rename_into_place(&tmp.0, &meta_path).await?,
            None => remove_if_present(&meta_path).await?,
        }
        Ok(written)
    }

    async fn get(&self, key: &ObjectKey, range: Option<ByteRange>) -> Result<GetObject, StorageError> {
        let path = self.data_path(key);
        let mut file = match fs::File::open(&path).await {
            Ok(file) => file,
            Err(e) if is_missing(&e) => return Err(StorageError::NotFound(key.to_string())),
            Err(e) => return Err(io_context(e, "opening", &path)),
        };
        let metadata = file.metadata().await.map_err(|e| io_context(e, "reading the size of", &path))?;
        if !metadata.is_file() {
            return Err(StorageError::NotFound(key.to_string()));
        }
        let size = metadata.len();
        let (start, end) = match range {
            Some(range) => range.resolve(size)?,
            None => (0, size.saturating_sub(1)),
        };
        let len = if size == 0 { 0 } else { end - start + 1 };
        file.seek(SeekFrom::Start(start)).await.map_err(|e| io_context(e, "seeking in", &path))?;
        let content_type = self.read_content_type(key).await?;
        Ok(GetObject {
            meta: ObjectMeta { key: key.clone(), size, content_type },
            range: (start, end),
            body: reader_stream(file.take(len)),
        })
    }

    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, StorageError> {
        let path = self.data_path(key);
        let metadata = match fs::metadata(&path).await {
            Ok(m) if m.is_file() => m,
            Ok(_) => return Err(StorageError::NotFound(key.to_string())),
            Err(e) if is_missing(&e) => return Err(StorageError::NotFound(key.to_string())),
            Err(e) => return Err(io_context(e, "reading the size of", &path)),
        };
        Ok(ObjectMeta { key: key.clone(), size: metadata.len(), content_type: self.read_content_type(key).await? })
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        let data_path = self.data_path(key);
        let meta_path = self.meta_path(key);
        remove_if_present(&data_path).await?;
        remove_if_present(&meta_path).await?;
        self.prune_empty_parents(&data_path, &self.root).await;
        self.prune_empty_parents(&meta_path, &self.root.join(META_DIR)).await;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StorageError> {
        // Walk only the deepest directory the prefix names. A directory part
        // that is not a valid key (`../`, `a//`) cannot begin any stored
        // key, and must not be joined onto the root.
        let (start_dir, start_key) = match prefix.rfind('/') {
            None => (self.root.clone(), String::new()),
            Some(slash) => match ObjectKey::parse(&prefix[..slash]) {
                Ok(dir) if check_not_reserved(&dir).is_ok() => (self.data_path(&dir), format!("{dir}/")),
                _ => return Ok(Vec::new()),
            },
        };
        let mut found = Vec::new();
        let mut pending = vec![(start_dir, start_key)];
        while let Some((dir, dir_key)) = pending.pop() {
            let mut entries = match fs::read_dir(&dir).await {
                Ok(entries) => entries,
                Err(e) if is_missing(&e) => continue,
                Err(e) => return Err(io_context(e, "listing", &dir)),
            };
            while let Some(entry) = entries.next_entry().await.map_err(|e| io_context(e, "listing", &dir))? {
                let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                    tracing::warn!(path = %entry.path().display(), "skipping a file whose name is not UTF-8");
                    continue;
                };
                let key = format!("{dir_key}{name}");
                let file_type =
                    entry.file_type().await.map_err(|e| io_context(e, "reading the type of", &entry.path()))?;
                if file_type.is_dir() {
                    let is_reserved = dir_key.is_empty() && [TMP_DIR, META_DIR, MULTIPART_DIR].contains(&name.as_str());
                    let sub_key = format!("{key}/");
                    let may_match = sub_key.starts_with(prefix) || prefix.starts_with(&sub_key);
                    if !is_reserved && may_match {
                        pending.push((entry.path(), sub_key));
                    }
                } else if file_type.is_file() && key.starts_with(prefix) {
                    let Ok(key) = ObjectKey::parse(&key) else {
                        tracing::warn!(path = %entry.path().display(), "skipping a file whose name is not a valid key");
                        continue;
                    };
                    let size =
                        entry.metadata().await.map_err(|e| io_context(e, "reading the size of", &entry.path()))?.len();
                    found.push(ObjectMeta { key, size, content_type: None });
                }
            }
        }
        found.sort_by(|a, b| a.key.as_str().cmp(b.key.as_str()));
        Ok(found)
    }

    async fn presigned_get(&self, _key: &ObjectKey, _expires_in: Duration) -> Result<Option<String>, StorageError> {
        Ok(None)
    }

    async fn check(&self) -> Result<(), StorageError> {
        let probe = self.temp_path();
        fs::write(&probe.0, b"ok").await.map_err(|e| io_context(e, "writing a probe file", &probe.0))?;
        fs::remove_file(&probe.0).await.map_err(|e| io_context(e, "removing a probe file", &probe.0))?;
        Ok(())
    }

    fn kind(&self) -> crate::config::StorageKind {
        crate::config::StorageKind::Local
    }

    async fn create_multipart(&self, key: &ObjectKey) -> Result<String, StorageError> {
        check_not_reserved(key)?;
        local_multipart::create(self).await
    }

    async fn put_part(
        &self,
        _key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: ByteStream,
        len: u64,
    ) -> Result<(), StorageError> {
        local_multipart::put_part(self, upload_id, number, body, len).await
    }

    async fn list_parts(&self, _key: &ObjectKey, upload_id: &str) -> Result<Vec<PartInfo>, StorageError> {
        local_multipart::list_parts(self, upload_id).await
    }

    async fn complete_multipart(&self, key: &ObjectKey, upload_id: &str, part_count: u32) -> Result<(), StorageError> {
        check_not_reserved(key)?;
        local_multipart::complete(self, key, upload_id, part_count).await
    }

    async fn abort_multipart(&self, _key: &ObjectKey, upload_id: &str) -> Result<(), StorageError> {
        local_multipart::abort(self, upload_id).await
    }

    async fn presigned_part_url(
        &self,
        _key: &ObjectKey,
        _upload_id: &str,
        _number: u32,
        _expires_in: Duration,
    ) -> Result<Option<String>, StorageError> {
        Ok(None)
    }
}

/// A temp file's path; the file is removed when this is dropped, so that an
/// error or a cancelled upload leaves nothing in `.tmp/`. After a successful
/// rename the removal finds nothing, which is fine.
struct TempPath(PathBuf);

impl Drop for TempPath {
    fn drop(&mut self) {
        // Blocking, but a single unlink; Drop cannot await.
        let _ = std::fs::remove_file(&self.0);
    }
}

fn check_not_reserved(key: &ObjectKey) -> Result<(), StorageError> {
    match key.first_segment() {
        TMP_DIR | META_DIR | MULTIPART_DIR => Err(StorageError::InvalidKey(format!(
            "`{key}`: keys starting with `{}/` are reserved by the local store",
            key.first_segment()
        ))),
        _ => Ok(()),
    }
}

/// Renames a finished temp file onto `to`, creating its directories. A
/// concurrent delete may prune a directory we just created, hence the retries.
async fn rename_into_place(from: &Path, to: &Path) -> Result<(), StorageError> {
    const ATTEMPTS: usize = 3;
    let parent = to.parent().unwrap_or(to);
    let mut attempt = 1;
    loop {
        fs::create_dir_all(parent).await.map_err(|e| io_context(e, "creating the directory", parent))?;
        match fs::rename(from, to).await {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound && attempt < ATTEMPTS => attempt += 1,
            Err(e) => return Err(io_context(e, "moving the upload into place at", to)),
        }
    }
}

async fn remove_if_present(path: &Path) -> Result<(), StorageError> {
    match fs::remove_file(path).await {
        Ok(()) => Ok(()),
        // A directory here is a "folder" of other keys, not this object.
        Err(e) if is_missing(&e) || e.kind() == io::ErrorKind::IsADirectory => Ok(()),
        Err(e) => Err(io_context(e, "removing", path)),
    }
}

/// Whether `e` means "no such object": the path or one of its parents is
/// missing, or a parent is a file (`a/b` looked up while `a` is an object).
pub(super) fn is_missing(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory)
}

/// Keeps the error's kind but says what was being done to which path.
pub(super) fn io_context(e: io::Error, doing: &str, path: &Path) -> StorageError {
    StorageError::Io(io::Error::new(e.kind(), format!("{doing} {}: {e}", path.display())))
}
