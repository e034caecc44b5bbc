//! Multipart uploads for [`S3Store`], straight onto S3's own multipart API:
//! the bucket keeps the parts, `ListParts` says which arrived, and clients
//! may `PUT` parts directly to presigned `UploadPart` URLs.
//!
//! A part that comes through the server is spooled to a temp file first and
//! sent from there: the SDK needs a body it can measure and replay, and a
//! file keeps memory flat however many parts arrive at once.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream as SdkByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_sdk_s3::Client;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use super::s3_answers::{backend, status};
use super::{ByteStream, ObjectKey, PartInfo, StorageError};

fn target(bucket: &str, key: &ObjectKey, upload_id: &str) -> String {
    format!("`{key}` in bucket `{bucket}` (upload {upload_id})")
}

fn part_number(number: u32) -> Result<i32, StorageError> {
    match i32::try_from(number) {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n),
        _ => Err(StorageError::Backend(format!("part number {number} is outside 1..=10000"))),
    }
}

pub(super) async fn create(client: &Client, bucket: &str, key: &ObjectKey) -> Result<String, StorageError> {
    let answer = client
        .create_multipart_upload()
        .bucket(bucket)
        .key(key.as_str())
        .send()
        .await
        .map_err(|err| backend("CreateMultipartUpload", &format!("`{key}` in bucket `{bucket}`"), err))?;
    answer.upload_id.ok_or_else(|| StorageError::Backend(format!("S3 CreateMultipartUpload `{key}`: no upload id")))
}

pub(super) async fn put_part(
    client: &Client,
    bucket: &str,
    key: &ObjectKey,
    upload_id: &str,
    number: u32,
    mut body: ByteStream,
    len: u64,
) -> Result<(), StorageError> {
    let n = part_number(number)?;
    let spool = tempfile::NamedTempFile::new()?;
    let mut file = tokio::fs::File::from_std(spool.reopen()?);
    let mut written = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        written += chunk.len() as u64;
        if written > len {
            return Err(StorageError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("part {number} is longer than the {len} bytes announced"),
            )));
        }
        file.write_all(&chunk).await?;
    }
    if written != len {
        return Err(StorageError::Io(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("part {number} ended after {written} of {len} bytes"),
        )));
    }
    file.flush().await?;
    drop(file);
    let sdk_body = SdkByteStream::from_path(spool.path())
        .await
        .map_err(|e| StorageError::Backend(format!("reading the spooled part {number}: {e}")))?;
    client
        .upload_part()
        .bucket(bucket)
        .key(key.as_str())
        .upload_id(upload_id)
        .part_number(n)
        .content_length(len as i64)
        .body(sdk_body)
        .send()
        .await
        .map_err(|err| backend("UploadPart", &target(bucket, key, upload_id), err))?;
    Ok(())
}

/// Every part with its ETag, following pagination.
async fn all_parts(
    client: &Client,
    bucket: &str,
    key: &ObjectKey,
    upload_id: &str,
) -> Result<Vec<(PartInfo, Option<String>)>, StorageError> {
    let mut parts = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let answer = client
            .list_parts()
            .bucket(bucket)
            .key(key.as_str())
            .upload_id(upload_id)
            .set_part_number_marker(marker.clone())
            .send()
            .await
            .map_err(|err| {
                if status(&err) == Some(404) {
                    StorageError::NotFound(format!("multipart upload {}", target(bucket, key, upload_id)))
                } else {
                    backend("ListParts", &target(bucket, key, upload_id), err)
                }
            })?;
        for part in answer.parts() {
            let (Some(number), Some(size)) = (part.part_number, part.size) else { continue };
            let (Ok(number), Ok(size)) = (u32::try_from(number), u64::try_from(size)) else { continue };
            parts.push((PartInfo { number, size }, part.e_tag.clone()));
        }
        match (answer.is_truncated, answer.next_part_number_marker) {
            (Some(true), Some(next)) if Some(&next) != marker.as_ref() => marker = Some(next),
            _ => break,
        }
    }
    parts.sort_by_key(|(p, _)| p.number);
    parts.dedup_by_key(|(p, _)| p.number);
    Ok(parts)
}

pub(super) async fn list_parts(
    client: &Client,
    bucket: &str,
    key: &ObjectKey,
    upload_id: &str,
) -> Result<Vec<PartInfo>, StorageError> {
    Ok(all_parts(client, bucket, key, upload_id).await?.into_iter().map(|(p, _)| p).collect())
}

pub(super) async fn complete(
    client: &Client,
    bucket: &str,
    key: &ObjectKey,
    upload_id: &str,
    part_count: u32,
) -> Result<(), StorageError> {
    let parts = all_parts(client, bucket, key, upload_id).await?;
    let mut completed = Vec::with_capacity(parts.len());
    for expected in 1..=part_count {
        let Some((info, etag)) = parts.iter().find(|(p, _)| p.number == expected) else {
            return Err(StorageError::NotFound(format!(
                "part {expected} of multipart upload {}",
                target(bucket, key, upload_id)
            )));
        };
        completed.push(CompletedPart::builder().part_number(part_number(info.number)?).set_e_tag(etag.clone()).build());
    }
    client
        .complete_multipart_upload()
        .bucket(bucket)
        .key(key.as_str())
        .upload_id(upload_id)
        .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(completed)).build())
        .send()
        .await
        .map_err(|err| backend("CompleteMultipartUpload", &target(bucket, key, upload_id), err))?;
    Ok(())
}

pub(super) async fn abort(client: &Client, bucket: &str, key: &ObjectKey, upload_id: &str) -> Result<(), StorageError> {
    match client.abort_multipart_upload().bucket(bucket).key(key.as_str()).upload_id(upload_id).send().await {
        Ok(_) => Ok(()),
        Err(err) if status(&err) == Some(404) => Ok(()),
        Err(err) => Err(backend("AbortMultipartUpload", &target(bucket, key, upload_id), err)),
    }
}

pub(super) async fn presigned_part_url(
    client: &Client,
    bucket: &str,
    key: &ObjectKey,
    upload_id: &str,
    number: u32,
    expires_in: Duration,
) -> Result<String, StorageError> {
    let presigning = PresigningConfig::expires_in(expires_in)
        .map_err(|e| StorageError::Backend(format!("presigning an upload part for {expires_in:?}: {e}")))?;
    let request = client
        .upload_part()
        .bucket(bucket)
        .key(key.as_str())
        .upload_id(upload_id)
        .part_number(part_number(number)?)
        .presigned(presigning)
        .await
        .map_err(|err| backend("presigned UploadPart", &target(bucket, key, upload_id), err))?;
    Ok(request.uri().to_owned())
}
