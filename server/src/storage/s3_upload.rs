//! Streaming a [`ByteStream`] into S3 without holding it in memory: the body
//! is cut into 8 MiB parts of a multipart upload, one part buffered at a
//! time, so retries can resend a part. Bodies that fit in one part go up
//! as a single PutObject.
//!
//! S3 makes an object visible only when its upload completes, so a failed
//! or cancelled upload leaves no object; the parts already sent are freed by
//! aborting the multipart upload, on error and on drop.

use aws_sdk_s3::primitives::ByteStream as SdkByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use super::s3_answers::backend;
use super::{ByteStream, ObjectKey, StorageError};

/// Size of every part but the last (S3 wants at least 5 MiB).
const PART_SIZE: usize = 8 * 1024 * 1024;

/// S3's limit on parts per upload, hence objects up to about 78 GiB.
const MAX_PARTS: usize = 10_000;

/// Uploads `body` under `key`; see the module doc.
pub(super) async fn put(
    client: &Client,
    bucket: &str,
    key: &ObjectKey,
    mut body: ByteStream,
    content_type: Option<&str>,
) -> Result<u64, StorageError> {
    let target = format!("`{key}` in bucket `{bucket}`");
    let mut buffer = BytesMut::new();
    let ended = fill_part(&mut body, &mut buffer, key).await?;
    if ended {
        let written = buffer.len() as u64;
        client
            .put_object()
            .bucket(bucket)
            .key(key.as_str())
            .set_content_type(content_type.map(str::to_owned))
            .body(SdkByteStream::from(buffer.freeze()))
            .send()
            .await
            .map_err(|err| backend("PutObject", &target, err))?;
        return Ok(written);
    }

    let created = client
        .create_multipart_upload()
        .bucket(bucket)
        .key(key.as_str())
        .set_content_type(content_type.map(str::to_owned))
        .send()
        .await
        .map_err(|err| backend("CreateMultipartUpload", &target, err))?;
    let upload_id = created.upload_id().ok_or_else(|| {
        StorageError::Backend(format!("S3 CreateMultipartUpload {target}: the answer has no upload id"))
    })?;
    let upload = PendingUpload {
        client: client.clone(),
        bucket: bucket.to_owned(),
        key: key.to_string(),
        upload_id: upload_id.to_owned(),
        finished: false,
    };
    match upload.send_parts(body, buffer, key, &target).await {
        Ok(written) => {
            upload.finish();
            Ok(written)
        }
        Err(err) => {
            upload.abort().await;
            Err(err)
        }
    }
}

/// Reads from `body` until `buffer` holds more than one part or the body
/// ends; returns whether it ended.
async fn fill_part(body: &mut ByteStream, buffer: &mut BytesMut, key: &ObjectKey) -> Result<bool, StorageError> {
    while buffer.len() <= PART_SIZE {
        match body.next().await {
            Some(Ok(chunk)) => buffer.extend_from_slice(&chunk),
            Some(Err(e)) => {
                return Err(StorageError::Io(std::io::Error::new(
                    e.kind(),
                    format!("reading the body of `{key}`: {e}"),
                )))
            }
            None => return Ok(true),
        }
    }
    Ok(false)
}

/// A multipart upload that is aborted unless it completes, even when the
/// `put` future is dropped half-way (a client hanging up on an upload).
struct PendingUpload {
    client: Client,
    bucket: String,
    key: String,
    upload_id: String,
    finished: bool,
}

impl PendingUpload {
    /// Sends `buffer` and the rest of `body` as parts, then completes the
    /// upload. Returns the bytes written.
    async fn send_parts(
        &self,
        mut body: ByteStream,
        mut buffer: BytesMut,
        key: &ObjectKey,
        target: &str,
    ) -> Result<u64, StorageError> {
        let mut parts = Vec::new();
        let mut written = 0u64;
        let mut ended = false;
        loop {
            while buffer.len() >= PART_SIZE || (ended && !buffer.is_empty()) {
                if parts.len() == MAX_PARTS {
                    return Err(StorageError::Backend(format!(
                        "S3 UploadPart {target}: the body is larger than {MAX_PARTS} parts of {PART_SIZE} bytes"
                    )));
                }
                let part = buffer.split_to(buffer.len().min(PART_SIZE)).freeze();
                written += part.len() as u64;
                parts.push(self.send_part(parts.len() + 1, part, target).await?);
            }
            if ended {
                break;
            }
            ended = fill_part(&mut body, &mut buffer, key).await?;
        }
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .send()
            .await
            .map_err(|err| backend("CompleteMultipartUpload", target, err))?;
        Ok(written)
    }

    async fn send_part(&self, number: usize, part: Bytes, target: &str) -> Result<CompletedPart, StorageError> {
        let number = i32::try_from(number)
            .map_err(|_| StorageError::Backend(format!("S3 UploadPart {target}: part number {number} too large")))?;
        let sent = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .part_number(number)
            .body(SdkByteStream::from(part))
            .send()
            .await
            .map_err(|err| backend("UploadPart", &format!("{number} of {target}"), err))?;
        Ok(CompletedPart::builder().set_e_tag(sent.e_tag().map(str::to_owned)).part_number(number).build())
    }

    fn finish(mut self) {
        self.finished = true;
    }

    /// Aborts now and waits, so the parts are gone when `put` returns. A
    /// failed abort is only logged: the caller's error is the one that
    /// matters, and a bucket lifecycle rule can sweep what is left.
    async fn abort(mut self) {
        self.finished = true;
        if let Err(err) = abort_request(&self.client, &self.bucket, &self.key, &self.upload_id).await {
            tracing::warn!(key = %self.key, upload_id = %self.upload_id, error = %err, "could not abort a failed multipart upload");
        }
    }
}

impl Drop for PendingUpload {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let (client, bucket, key, upload_id) = (
            self.client.clone(),
            std::mem::take(&mut self.bucket),
            std::mem::take(&mut self.key),
            std::mem::take(&mut self.upload_id),
        );
        // Drop cannot await: abort in the background when a runtime is there.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(err) = abort_request(&client, &bucket, &key, &upload_id).await {
                        tracing::warn!(%key, %upload_id, error = %err, "could not abort a cancelled multipart upload");
                    }
                });
            }
            Err(_) => {
                tracing::warn!(%key, %upload_id, "a cancelled multipart upload is left for the bucket's lifecycle rules");
            }
        }
    }
}

async fn abort_request(client: &Client, bucket: &str, key: &str, upload_id: &str) -> Result<(), StorageError> {
    client
        .abort_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(upload_id)
        .send()
        .await
        .map_err(|err| backend("AbortMultipartUpload", &format!("`{key}` in bucket `{bucket}`"), err))?;
    Ok(())
}
