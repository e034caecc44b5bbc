//! Reading what the S3 SDK hands back in our terms: failures as
//! [`StorageError`]s that say which call failed on what and why, and the
//! headers and bodies of successful answers.

use std::io;

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::{ByteStream, StorageError};

/// The HTTP status of a failed call, when the server answered at all.
pub(super) fn status<E>(err: &SdkError<E>) -> Option<u16> {
    err.raw_response().map(|response| response.status().as_u16())
}

/// Whether the server said the object does not exist (as opposed to the
/// bucket: S3 answers 404 for both, with different codes).
pub(super) fn is_missing_object<E: ProvideErrorMetadata>(err: &SdkError<E>) -> bool {
    match err.code() {
        Some("NoSuchKey") => true,
        Some("NoSuchBucket") => false,
        _ => status(err) == Some(404),
    }
}

/// A [`StorageError::Backend`] naming the operation, its target and the
/// whole chain of causes.
pub(super) fn backend<E>(operation: &str, target: &str, err: SdkError<E>) -> StorageError
where
    E: std::error::Error + 'static,
{
    StorageError::Backend(format!("S3 {operation} {target}: {}", DisplayErrorContext(&err)))
}

/// The object size from a Content-Length, which S3 always sends.
pub(super) fn object_size(length: Option<i64>, operation: &str, target: &str) -> Result<u64, StorageError> {
    length.and_then(|len| u64::try_from(len).ok()).ok_or_else(|| {
        StorageError::Backend(format!("S3 {operation} {target}: the answer has no valid Content-Length ({length:?})"))
    })
}

/// `bytes 0-99/1234` → `((0, 99), 1234)`.
pub(super) fn parse_content_range(value: &str) -> Option<((u64, u64), u64)> {
    let (range, size) = value.strip_prefix("bytes ")?.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end, size) = (start.parse().ok()?, end.parse().ok()?, size.parse().ok()?);
    (start <= end && end < size).then_some(((start, end), size))
}

/// The SDK's body as our [`ByteStream`], chunk for chunk.
pub(super) fn sdk_body_stream(body: aws_sdk_s3::primitives::ByteStream) -> ByteStream {
    Box::pin(futures::stream::unfold(body, |mut body| async move {
        let chunk = body.next().await?;
        Some((chunk.map_err(io::Error::other), body))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_headers_give_the_range_and_the_size() {
        assert_eq!(parse_content_range("bytes 0-99/1234"), Some(((0, 99), 1234)));
        assert_eq!(parse_content_range("bytes 5-5/6"), Some(((5, 5), 6)));
    }

    #[test]
    fn malformed_content_range_headers_are_refused() {
        for value in ["bytes */1234", "bytes 9-5/10", "bytes 0-10/10", "0-1/2", "bytes 0-1"] {
            assert_eq!(parse_content_range(value), None, "{value}");
        }
    }
}
