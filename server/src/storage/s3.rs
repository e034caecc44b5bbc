//! [`S3Store`]: objects in one bucket of an S3-compatible service (AWS,
//! Garage, MinIO, s3s), through `aws-sdk-s3`.
//!
//! Reads pass the Range header through (suffix ranges are turned into
//! explicit offsets first); uploads are streamed as multipart uploads (see
//! `s3_upload`). Credentials come only from [`S3Config`]: the
//! SDK is never asked to look in `~/.aws` or the instance metadata service.

use std::fmt;
use std::time::Duration;

use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use aws_sdk_s3::Client;

use super::s3_answers::{backend, is_missing_object, object_size, parse_content_range, sdk_body_stream, status};
use super::{
    s3_multipart, s3_upload, ByteRange, ByteStream, GetObject, ObjectKey, ObjectMeta, PartInfo, StorageError, Store,
};

/// Where and how to reach the bucket.
#[derive(Clone)]
pub struct S3Config {
    /// `None` for AWS itself; e.g. `http://127.0.0.1:3900` for Garage.
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `http://host/bucket/key` instead of `http://bucket.host/key`; most
    /// self-hosted servers need it.
    pub path_style: bool,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("path_style", &self.path_style)
            .finish()
    }
}

/// A [`Store`] backed by one S3 bucket.
#[derive(Debug, Clone)]
pub struct S3Store {
    client: Client,
    bucket: String,
    region: String,
}

impl S3Store {
    /// Builds the client. Makes no request: use [`Store::check`] or
    /// [`S3Store::create_bucket_if_missing`] to find out whether the service
    /// answers.
    pub async fn connect(cfg: S3Config) -> Result<Self, StorageError> {
        if cfg.bucket.is_empty() {
            return Err(StorageError::Backend("the S3 bucket name is empty".into()));
        }
        let credentials = Credentials::new(cfg.access_key_id, cfg.secret_access_key, None, None, "dangxiao-config");
        // Explicit region and credentials keep the loader from walking its
        // provider chains (env, ~/.aws, IMDS). Checksums only when required:
        // the newer default (CRC32 on every upload, aws-chunked bodies) is
        // not understood by every S3-compatible server.
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(cfg.region.clone()))
            .credentials_provider(credentials)
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(endpoint) = cfg.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let shared = loader.load().await;
        let config = aws_sdk_s3::config::Builder::from(&shared).force_path_style(cfg.path_style).build();
        Ok(Self { client: Client::from_conf(config), bucket: cfg.bucket, region: cfg.region })
    }

    /// Lets pages on `origin` GET objects and PUT upload parts directly
    /// (presigned URLs), reading the `ETag` a part's answer carries.
    pub async fn allow_origin(&self, origin: &str) -> Result<(), StorageError> {
        use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
        let rule = CorsRule::builder()
            .allowed_origins(origin)
            .allowed_methods("GET")
            .allowed_methods("HEAD")
            .allowed_methods("PUT")
            .allowed_headers("*")
            .expose_headers("ETag")
            .max_age_seconds(3600)
            .build()
            .map_err(|e| StorageError::Backend(format!("a CORS rule for {origin}: {e}")))?;
        let cors = CorsConfiguration::builder()
            .cors_rules(rule)
            .build()
            .map_err(|e| StorageError::Backend(format!("the CORS configuration: {e}")))?;
        self.client
            .put_bucket_cors()
            .bucket(&self.bucket)
            .cors_configuration(cors)
            .send()
            .await
            .map_err(|err| backend("PutBucketCors", &self.bucket, err))?;
        Ok(())
    }

    /// Creates the bucket unless it exists already (for first start-up and
    /// tests).
    pub async fn create_bucket_if_missing(&self) -> Result<(), StorageError> {
        match self.client.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => return Ok(()),
            Err(err) if status(&err) == Some(404) => {}
            Err(err) => return Err(backend("HeadBucket", &self.bucket, err)),
        }
        let mut request = self.client.create_bucket().bucket(&self.bucket);
        // us-east-1 is the one region S3 rejects as an explicit constraint.
        if self.region != "us-east-1" {
            let configuration = CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(self.region.as_str()))
                .build();
            request = request.create_bucket_configuration(configuration);
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_bucket_already_owned_by_you()) => Ok(()),
            Err(err) => Err(backend("CreateBucket", &self.bucket, err)),
        }
    }

    /// The bucket objects are stored in.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    fn object(&self, key: &ObjectKey) -> String {
        format!("`{key}` in bucket `{}`", self.bucket)
    }

    async fn not_satisfiable(&self, key: &ObjectKey) -> StorageError {
        match self.head(key).await {
            Ok(meta) => StorageError::RangeNotSatisfiable { size: meta.size },
            Err(err) => err,
        }
    }
}

#[async_trait::async_trait]
impl Store for S3Store {
    async fn put(&self, key: &ObjectKey, body: ByteStream, content_type: Option<&str>) -> Result<u64, StorageError> {
        s3_upload::put(&self.client, &self.bucket, key, body, content_type).await
    }

    async fn get(&self, key: &ObjectKey, range: Option<ByteRange>) -> Result<GetObject, StorageError> {
        // Suffix ranges go out as explicit offsets, at the cost of a HEAD:
        // s3s-fs 0.14 (our test server) answers 500 to a suffix longer than
        // the object, and players rarely send suffixes anyway. `bytes=5-4`
        // selects nothing, so only the size is needed to say so.
        let range = match range {
            Some(r) if matches!(r, ByteRange::Suffix(_)) || r.is_always_empty() => {
                let (start, end) = r.resolve(self.head(key).await?.size)?;
                Some(ByteRange::Inclusive(start, end))
            }
            other => other,
        };
        let request =
            self.client.get_object().bucket(&self.bucket).key(key.as_str()).set_range(range.map(ByteRange::to_header));
        let output = match request.send().await {
            Ok(output) => output,
            Err(err) if status(&err) == Some(416) => return Err(self.not_satisfiable(key).await),
            Err(err) if is_missing_object(&err) => return Err(StorageError::NotFound(key.to_string())),
            Err(err) => return Err(backend("GetObject", &self.object(key), err)),
        };
        let (served, size) = match output.content_range() {
            Some(content_range) if range.is_some() => parse_content_range(content_range).ok_or_else(|| {
                StorageError::Backend(format!(
                    "S3 GetObject {}: unreadable Content-Range {content_range:?}",
                    self.object(key)
                ))
            })?,
            _ => {
                let size = object_size(output.content_length(), "GetObject", &self.object(key))?;
                let whole = (0, size.saturating_sub(1));
                // A server that ignores Range sends the whole object; that is
                // only the answer when the range covered it all.
                if let Some(range) = range {
                    if range.resolve(size)? != whole {
                        return Err(StorageError::Backend(format!(
                            "S3 GetObject {}: the server ignored the Range header",
                            self.object(key)
                        )));
                    }
                }
                (whole, size)
            }
        };
        let content_type = output.content_type().map(str::to_owned);
        Ok(GetObject {
            meta: ObjectMeta { key: key.clone(), size, content_type },
            range: served,
            body: sdk_body_stream(output.body),
        })
    }

    async fn head(&self, key: &ObjectKey) -> Result<ObjectMeta, StorageError> {
        let output = self.client.head_object().bucket(&self.bucket).key(key.as_str()).send().await;
        match output {
            Ok(output) => Ok(ObjectMeta {
                key: key.clone(),
                size: object_size(output.content_length(), "HeadObject", &self.object(key))?,
                content_type: output.content_type().map(str::to_owned),
            }),
            // HEAD answers carry no error code: a missing bucket looks the
            // same, and `check` is what reports that one.
            Err(err) if status(&err) == Some(404) => Err(StorageError::NotFound(key.to_string())),
            Err(err) => Err(backend("HeadObject", &self.object(key), err)),
        }
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        let output = self.client.delete_object().bucket(&self.bucket).key(key.as_str()).send().await;
        match output {
            Ok(_) => Ok(()),
            // S3 itself answers 204 for a missing key; some servers say 404.
            Err(err) if is_missing_object(&err) => Ok(()),
            Err(err) => Err(backend("DeleteObject", &self.object(key), err)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StorageError> {
        let mut pages = self.client.list_objects_v2().bucket(&self.bucket).prefix(prefix).into_paginator().send();
        let mut found = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|err| {
                let what = format!("prefix {prefix:?} in bucket `{}`", self.bucket);
                backend("ListObjectsV2", &what, err)
            })?;
            for object in page.contents() {
                let Some(name) = object.key() else { continue };
                // Objects written by other tools may have names we would
                // refuse; they are not ours to serve.
                let Ok(key) = ObjectKey::parse(name) else {
                    tracing::warn!(bucket = %self.bucket, key = name, "skipping an object whose name is not a valid key");
                    continue;
                };
                let size = u64::try_from(object.size().unwrap_or(0)).unwrap_or(0);
                found.push(ObjectMeta { key, size, content_type: None });
            }
        }
        found.sort_by(|a, b| a.key.as_str().cmp(b.key.as_str()));
        Ok(found)
    }

    async fn presigned_get(&self, key: &ObjectKey, expires_in: Duration) -> Result<Option<String>, StorageError> {
        let presigning = PresigningConfig::expires_in(expires_in)
            .map_err(|e| StorageError::Backend(format!("presigning {} for {expires_in:?}: {e}", self.object(key))))?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .presigned(presigning)
            .await
            .map_err(|err| backend("presigned GetObject", &self.object(key), err))?;
        Ok(Some(request.uri().to_owned()))
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(|err| backend("HeadBucket", &self.bucket, err))?;
        Ok(())
    }

    fn kind(&self) -> crate::config::StorageKind {
        crate::config::StorageKind::S3
    }

    async fn create_multipart(&self, key: &ObjectKey) -> Result<String, StorageError> {
        s3_multipart::create(&self.client, &self.bucket, key).await
    }

    async fn put_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: ByteStream,
        len: u64,
    ) -> Result<(), StorageError> {
        s3_multipart::put_part(&self.client, &self.bucket, key, upload_id, number, body, len).await
    }

    async fn list_parts(&self, key: &ObjectKey, upload_id: &str) -> Result<Vec<PartInfo>, StorageError> {
        s3_multipart::list_parts(&self.client, &self.bucket, key, upload_id).await
    }

    async fn complete_multipart(&self, key: &ObjectKey, upload_id: &str, part_count: u32) -> Result<(), StorageError> {
        s3_multipart::complete(&self.client, &self.bucket, key, upload_id, part_count).await
    }

    async fn abort_multipart(&self, key: &ObjectKey, upload_id: &str) -> Result<(), StorageError> {
        s3_multipart::abort(&self.client, &self.bucket, key, upload_id).await
    }

    async fn presigned_part_url(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        expires_in: Duration,
    ) -> Result<Option<String>, StorageError> {
        s3_multipart::presigned_part_url(&self.client, &self.bucket, key, upload_id, number, expires_in).await.map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_key_never_appears_in_debug_output() {
        let cfg = S3Config {
            endpoint: None,
            region: "us-east-1".into(),
            bucket: "b".into(),
            access_key_id: "AKID".into(),
            secret_access_key: "very-secret".into(),
            path_style: true,
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("AKID"), "{shown}");
    }
}
