//! Object storage for uploaded media (videos, slides, their renditions): one
//! [`Store`] interface with a local-directory backend ([`LocalStore`]) and an
//! S3 backend ([`S3Store`]).
//!
//! Bodies go in and out as [`ByteStream`]s so that a multi-gigabyte video is
//! never held in memory; reads take an HTTP-style [`ByteRange`] so the player
//! can seek. Keys are [`ObjectKey`]s, parsed once so that no backend has to
//! worry about `..` or absolute paths.

mod key;
mod local;
mod local_multipart;
mod range;
mod s3;
mod s3_answers;
mod s3_multipart;
mod s3_upload;

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures::Stream;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

pub use key::ObjectKey;
pub use local::LocalStore;
pub use range::ByteRange;
pub use s3::{S3Config, S3Store};

/// A body going into or coming out of a store, chunk by chunk.
pub type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// Chunk size used when a file or reader is turned into a [`ByteStream`]:
/// large enough to keep syscalls few, small enough to keep many concurrent
/// video streams cheap.
pub const READ_CHUNK: usize = 64 * 1024;

/// What a store knows about one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    pub key: ObjectKey,
    /// Size of the whole object in bytes.
    pub size: u64,
    /// The content type given to [`Store::put`], when the backend kept it.
    /// [`Store::list`] leaves it `None` (S3 listings do not carry it); use
    /// [`Store::head`] for it.
    pub content_type: Option<String>,
}

/// An object being read by [`Store::get`].
pub struct GetObject {
    /// Meta of the whole object, not of the range.
    pub meta: ObjectMeta,
    /// The bytes served, as `(first, last)` inclusive offsets. For a read of
    /// a whole empty object this is `(0, 0)` with an empty body: look at
    /// `meta.size` before building a `Content-Range` from it.
    pub range: (u64, u64),
    pub body: ByteStream,
}

impl std::fmt::Debug for GetObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetObject").field("meta", &self.meta).field("range", &self.range).finish_non_exhaustive()
    }
}

/// The whole of a small object (a playlist), refused above `limit` bytes.
pub async fn read_all(store: &dyn Store, key: &ObjectKey, limit: usize) -> Result<Vec<u8>, StorageError> {
    use futures::StreamExt;
    let mut object = store.get(key, None).await?;
    let mut out = Vec::with_capacity(usize::try_from(object.meta.size).unwrap_or(0).min(limit));
    while let Some(chunk) = object.body.next().await {
        let chunk = chunk?;
        if out.len() + chunk.len() > limit {
            return Err(StorageError::Backend(format!("`{}` is larger than {limit} bytes", key.as_str())));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No object under this key.
    #[error("object `{0}` not found")]
    NotFound(String),
    /// The key is not a valid [`ObjectKey`] (the message says why).
    #[error("invalid object key: {0}")]
    InvalidKey(String),
    /// The requested range lies outside the object (HTTP 416).
    #[error("requested range not satisfiable for an object of {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    #[error("storage I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The backend (S3) refused or failed; the message names the operation,
    /// the key and the cause.
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// An object store. Both backends behave the same; the integration tests in
/// `server/tests/storage.rs` run one suite against each.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Stores the stream under `key` (replacing any object) atomically:
    /// readers never see a partial object; on error nothing is left behind.
    /// Returns bytes written.
    async fn put(&self, key: &ObjectKey, body: ByteStream, content_type: Option<&str>) -> Result<u64, StorageError>;

    /// Streams the object (or `range` of it). Returns the meta of the whole
    /// object plus the `(start, end_inclusive)` actually served.
    async fn get(&self, key: &ObjectKey, range: Option<ByteRange>) -> Result<GetObject, StorageError>;

    /// Meta of one object, without its body.
    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, StorageError>;

    /// Idempotent: deleting a missing key is Ok.
    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError>;

    /// Every object whose key starts with `prefix` (a plain string prefix),
    /// sorted by key; handles S3 pagination.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StorageError>;

    /// A URL anyone can GET the object from until `expires_in` has passed,
    /// or `None` when the backend has no such thing (local).
    async fn presigned_get(&self, key: &ObjectKey, expires_in: Duration) -> Result<Option<String>, StorageError>;

    /// Cheap reachability check for /readyz (local: dir exists and is
    /// writable; S3: HeadBucket).
    async fn check(&self) -> Result<(), StorageError>;

    /// Which backend this is.
    fn kind(&self) -> crate::config::StorageKind;

    // Resumable uploads. Parts (1-based, at most 10,000) arrive in any order
    // and may be sent again; the store keeps them until `complete_multipart`
    // assembles the object or `abort_multipart` drops them. The store is the
    // one record of which parts arrived.

    /// Starts a multipart upload for `key`; returns its id.
    async fn create_multipart(&self, key: &ObjectKey) -> Result<String, StorageError>;

    /// Stores part `number`, which must be exactly `len` bytes long (a body
    /// of any other length is refused and nothing is kept).
    async fn put_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: ByteStream,
        len: u64,
    ) -> Result<(), StorageError>;

    /// The parts received so far, by ascending number.
    async fn list_parts(&self, key: &ObjectKey, upload_id: &str) -> Result<Vec<PartInfo>, StorageError>;

    /// Assembles parts `1..=part_count` into the object (all must be there).
    async fn complete_multipart(&self, key: &ObjectKey, upload_id: &str, part_count: u32) -> Result<(), StorageError>;

    /// Drops the upload and its parts; idempotent.
    async fn abort_multipart(&self, key: &ObjectKey, upload_id: &str) -> Result<(), StorageError>;

    /// A URL a client can `PUT` part `number` to directly, or `None` when
    /// parts must go through the server (local).
    async fn presigned_part_url(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        expires_in: Duration,
    ) -> Result<Option<String>, StorageError>;
}

/// One received part of a multipart upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartInfo {
    pub number: u32,
    pub size: u64,
}

/// Turns any reader (a file, a child process's stdout, ...) into a
/// [`ByteStream`] of [`READ_CHUNK`]-sized chunks.
pub fn reader_stream<R>(reader: R) -> ByteStream
where
    R: AsyncRead + Send + 'static,
{
    Box::pin(ReaderStream::with_capacity(reader, READ_CHUNK))
}

/// A one-chunk [`ByteStream`] for small bodies already in memory.
pub fn bytes_stream(body: Bytes) -> ByteStream {
    Box::pin(futures::stream::once(async move { Ok(body) }))
}
