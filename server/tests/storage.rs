//! Object storage, end to end: one suite of cases run against both backends,
//! `local::*` on a fresh temp directory and `s3::*` on a fresh bucket of a
//! real S3 server (started by `scripts/test`; see `s3_store` below).

use std::io;
use std::time::Duration;

use bytes::Bytes;
use dangxiao_server::config::StorageKind;
use dangxiao_server::storage::{
    bytes_stream, ByteRange, ByteStream, LocalStore, ObjectKey, S3Config, S3Store, StorageError, Store,
};
use futures::{stream, StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};

/// A store under test, and what must live as long as it.
struct Backend {
    store: Box<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

async fn local_store() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open(dir.path().join("objects")).await.unwrap();
    Backend { store: Box::new(store), _dir: Some(dir) }
}

/// A store on its own new bucket, so tests never see each other's objects.
async fn s3_store() -> Backend {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!(
                "{name} is not set. The S3 storage tests need a running S3 server: run them \
                 through `scripts/test`, which starts one, or start one yourself and set \
                 DANGXIAO_TEST_S3_ENDPOINT, DANGXIAO_TEST_S3_ACCESS_KEY and \
                 DANGXIAO_TEST_S3_SECRET_KEY."
            )
        })
    };
    let config = S3Config {
        endpoint: Some(var("DANGXIAO_TEST_S3_ENDPOINT")),
        region: "us-east-1".into(),
        bucket: format!("t-{}", uuid::Uuid::new_v4().simple()),
        access_key_id: var("DANGXIAO_TEST_S3_ACCESS_KEY"),
        secret_access_key: var("DANGXIAO_TEST_S3_SECRET_KEY"),
        path_style: true,
    };
    let store = S3Store::connect(config).await.unwrap();
    store.create_bucket_if_missing().await.unwrap();
    Backend { store: Box::new(store), _dir: None }
}

fn key(key: &str) -> ObjectKey {
    ObjectKey::parse(key).unwrap()
}

async fn read_all(body: ByteStream) -> Vec<u8> {
    body.try_fold(Vec::new(), |mut all, chunk| async move {
        all.extend_from_slice(&chunk);
        Ok(all)
    })
    .await
    .unwrap()
}

/// `count` bytes repeating with a prime period (251), so that a chunk or
/// part served from the wrong offset would show.
fn numbered(count: usize) -> Bytes {
    (0..count).map(|i| (i % 251) as u8).collect::<Vec<_>>().into()
}

/// A body that sends `good_bytes` bytes and then fails, like a client
/// hanging up in the middle of an upload.
fn failing_after(good_bytes: usize) -> ByteStream {
    let good = stream::iter(
        (0..good_bytes).step_by(1 << 20).map(move |start| Ok(numbered((good_bytes - start).min(1 << 20)))),
    );
    let failure = stream::once(async { Err(io::Error::other("client went away")) });
    Box::pin(good.chain(failure))
}

/// 40 MiB of pseudo-random bytes in odd-sized chunks, made as it is read.
mod big_body {
    use super::*;

    pub const SIZE: u64 = 40 << 20;
    const CHUNK: u64 = 1_000_003;

    fn chunk(index: u64) -> Bytes {
        let start = index * CHUNK;
        let len = CHUNK.min(SIZE - start);
        let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ index;
        (0..len)
            .map(|_| {
                // xorshift64: cheap, and no two chunks alike.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect::<Vec<_>>()
            .into()
    }

    fn chunk_count() -> u64 {
        SIZE.div_ceil(CHUNK)
    }

    pub fn stream() -> ByteStream {
        Box::pin(stream::iter(0..chunk_count()).map(|i| Ok(chunk(i))))
    }

    pub fn sha256() -> Vec<u8> {
        let mut hasher = Sha256::new();
        for i in 0..chunk_count() {
            hasher.update(chunk(i));
        }
        hasher.finalize().to_vec()
    }
}

/// The cases every backend must pass.
mod cases {
    use super::*;

    pub async fn an_object_reads_back_as_it_was_written(b: Backend) {
        let body = numbered(1000);

        let written = b.store.put(&key("notes/a.txt"), bytes_stream(body.clone()), Some("text/plain")).await.unwrap();
        let got = b.store.get(&key("notes/a.txt"), None).await.unwrap();

        assert_eq!(written, 1000);
        assert_eq!(got.meta.key, key("notes/a.txt"));
        assert_eq!(got.meta.size, 1000);
        assert_eq!(got.meta.content_type.as_deref(), Some("text/plain"));
        assert_eq!(got.range, (0, 999));
        assert_eq!(read_all(got.body).await, body);
    }

    pub async fn putting_again_replaces_the_object(b: Backend) {
        let k = key("a");
        b.store.put(&k, bytes_stream(Bytes::from_static(b"old and longer")), None).await.unwrap();

        b.store.put(&k, bytes_stream(Bytes::from_static(b"new")), None).await.unwrap();

        let got = b.store.get(&k, None).await.unwrap();
        assert_eq!(got.meta.size, 3);
        assert_eq!(read_all(got.body).await, b"new");
    }

    pub async fn an_empty_object_round_trips(b: Backend) {
        let k = key("empty");

        let written = b.store.put(&k, bytes_stream(Bytes::new()), None).await.unwrap();
        let got = b.store.get(&k, None).await.unwrap();

        assert_eq!(written, 0);
        assert_eq!(got.meta.size, 0);
        assert!(read_all(got.body).await.is_empty());
    }

    pub async fn a_40_mib_streamed_body_round_trips_intact(b: Backend) {
        let k = key("videos/1/source.mp4");

        let written = b.store.put(&k, big_body::stream(), Some("video/mp4")).await.unwrap();
        let got = b.store.get(&k, None).await.unwrap();
        let mut hasher = Sha256::new();
        let mut body = got.body;
        while let Some(chunk) = body.next().await {
            hasher.update(chunk.unwrap());
        }

        assert_eq!(written, big_body::SIZE);
        assert_eq!(got.meta.size, big_body::SIZE);
        assert_eq!(got.range, (0, big_body::SIZE - 1));
        assert_eq!(hasher.finalize().to_vec(), big_body::sha256());
    }

    pub async fn byte_ranges_serve_just_the_requested_bytes(b: Backend) {
        let k = key("r");
        let body = numbered(100);
        b.store.put(&k, bytes_stream(body.clone()), None).await.unwrap();
        let cases = [
            (ByteRange::From(90), (90, 99)),
            (ByteRange::Inclusive(10, 19), (10, 19)),
            (ByteRange::Inclusive(95, 1000), (95, 99)),
            (ByteRange::Suffix(5), (95, 99)),
            (ByteRange::Suffix(500), (0, 99)),
            (ByteRange::Inclusive(0, 0), (0, 0)),
        ];

        for (range, (start, end)) in cases {
            let got = b.store.get(&k, Some(range)).await.unwrap();

            assert_eq!(got.range, (start, end), "{range:?}");
            assert_eq!(got.meta.size, 100, "{range:?}");
            let expected = &body[start as usize..=end as usize];
            assert_eq!(read_all(got.body).await, expected, "{range:?}");
        }
    }

    pub async fn a_range_outside_the_object_is_not_satisfiable(b: Backend) {
        let k = key("r");
        b.store.put(&k, bytes_stream(numbered(100)), None).await.unwrap();

        for range in [ByteRange::From(100), ByteRange::Inclusive(150, 200), ByteRange::Suffix(0)] {
            let err = b.store.get(&k, Some(range)).await.unwrap_err();

            assert!(matches!(err, StorageError::RangeNotSatisfiable { size: 100 }), "{range:?}: {err}");
        }
    }

    pub async fn head_reports_size_and_content_type(b: Backend) {
        let k = key("slides/1.pdf");
        b.store.put(&k, bytes_stream(numbered(321)), Some("application/pdf")).await.unwrap();

        let meta = b.store.head(&k).await.unwrap();
        let missing = b.store.head(&key("slides/2.pdf")).await.unwrap_err();

        assert_eq!(meta.key, k);
        assert_eq!(meta.size, 321);
        assert_eq!(meta.content_type.as_deref(), Some("application/pdf"));
        assert!(matches!(missing, StorageError::NotFound(ref k) if k == "slides/2.pdf"), "{missing}");
    }

    pub async fn a_deleted_object_is_gone(b: Backend) {
        let k = key("tmp/x");
        b.store.put(&k, bytes_stream(numbered(10)), None).await.unwrap();

        b.store.delete(&k).await.unwrap();

        let get = b.store.get(&k, None).await.unwrap_err();
        let head = b.store.head(&k).await.unwrap_err();
        assert!(matches!(get, StorageError::NotFound(_)), "{get}");
        assert!(matches!(head, StorageError::NotFound(_)), "{head}");
        assert!(b.store.list("").await.unwrap().is_empty());
    }

    pub async fn deleting_a_missing_object_is_fine(b: Backend) {
        let result = b.store.delete(&key("never/was")).await;

        assert!(result.is_ok(), "{result:?}");
    }

    pub async fn listing_returns_only_matching_keys_in_order(b: Backend) {
        for (name, len) in [("videos/2/b", 2), ("videosx", 9), ("videos/1/a", 1), ("slides/x", 7), ("videos/10/c", 3)] {
            b.store.put(&key(name), bytes_stream(numbered(len)), None).await.unwrap();
        }

        let listed = |prefix: &'static str| {
            let store = &b.store;
            async move {
                let found = store.list(prefix).await.unwrap();
                found.into_iter().map(|m| (m.key.to_string(), m.size)).collect::<Vec<_>>()
            }
        };
        let under_videos = listed("videos/").await;
        let starting_videos_1 = listed("videos/1").await;
        let nothing = listed("nothing/").await;
        let everything = listed("").await;

        let pairs = |items: &[(&str, u64)]| items.iter().map(|(k, s)| (k.to_string(), *s)).collect::<Vec<_>>();
        assert_eq!(under_videos, pairs(&[("videos/1/a", 1), ("videos/10/c", 3), ("videos/2/b", 2)]));
        assert_eq!(starting_videos_1, pairs(&[("videos/1/a", 1), ("videos/10/c", 3)]));
        assert!(nothing.is_empty(), "{nothing:?}");
        assert_eq!(everything.len(), 5);
        assert!(everything.windows(2).all(|w| w[0].0 < w[1].0), "{everything:?}");
    }

    pub async fn listing_follows_pages_past_1000_objects(b: Backend) {
        // S3 answers at most 1000 keys a page.
        let names: Vec<String> = (0..1010).map(|i| format!("many/{i:04}")).collect();
        stream::iter(&names)
            .map(|name| {
                let store = &b.store;
                async move { store.put(&key(name), bytes_stream(numbered(1)), None).await }
            })
            .buffer_unordered(16)
            .try_collect::<Vec<_>>()
            .await
            .unwrap();

        let listed = b.store.list("many/").await.unwrap();

        let listed: Vec<String> = listed.into_iter().map(|m| m.key.to_string()).collect();
        assert_eq!(listed, names);
    }

    pub async fn a_failed_upload_leaves_nothing_behind(b: Backend) {
        let k = key("videos/9/source.mp4");

        // Past the first 8 MiB part, so S3 has a multipart upload to abort.
        let small = b.store.put(&key("small"), failing_after(1000), None).await.unwrap_err();
        let large = b.store.put(&k, failing_after(10 << 20), None).await.unwrap_err();

        for err in [&small, &large] {
            assert!(matches!(err, StorageError::Io(_)), "{err}");
            assert!(err.to_string().contains("client went away"), "{err}");
        }
        let get = b.store.get(&k, None).await.unwrap_err();
        assert!(matches!(get, StorageError::NotFound(_)), "{get}");
        assert!(b.store.list("").await.unwrap().is_empty());
    }

    pub async fn a_failed_upload_keeps_the_previous_object(b: Backend) {
        let k = key("kept");
        b.store.put(&k, bytes_stream(Bytes::from_static(b"v1")), None).await.unwrap();

        b.store.put(&k, failing_after(10 << 20), None).await.unwrap_err();

        let got = b.store.get(&k, None).await.unwrap();
        assert_eq!(read_all(got.body).await, b"v1");
    }

    pub async fn a_working_store_passes_its_check(b: Backend) {
        let result = b.store.check().await;

        assert!(result.is_ok(), "{:?} store: {result:?}", b.store.kind());
    }
}

/// Generates one `#[tokio::test]` per case for a backend, plus that
/// backend's own tests.
macro_rules! suite {
    ($backend:ident, $make:ident, [$($case:ident),* $(,)?], { $($own:item)* }) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $case() {
                    cases::$case($make().await).await;
                }
            )*
            $($own)*
        }
    };
}

macro_rules! both_backends {
    ($($case:ident),* $(,)?) => {
        suite!(local, local_store, [$($case),*], {
            #[tokio::test]
            async fn presigned_urls_are_not_offered() {
                let b = local_store().await;
                let k = key("a");
                b.store.put(&k, bytes_stream(numbered(3)), None).await.unwrap();

                let url = b.store.presigned_get(&k, Duration::from_secs(60)).await.unwrap();

                assert_eq!(url, None);
                assert_eq!(b.store.kind(), StorageKind::Local);
            }

            #[tokio::test]
            async fn keys_inside_the_stores_own_directories_are_refused() {
                let b = local_store().await;

                let tmp = b.store.put(&key(".tmp/x"), bytes_stream(numbered(3)), None).await.unwrap_err();
                let meta = b.store.put(&key(".meta/x"), bytes_stream(numbered(3)), None).await.unwrap_err();

                assert!(matches!(tmp, StorageError::InvalidKey(_)), "{tmp}");
                assert!(matches!(meta, StorageError::InvalidKey(_)), "{meta}");
            }

            #[tokio::test]
            async fn a_failed_upload_leaves_no_temp_file() {
                let dir = tempfile::tempdir().unwrap();
                let store = LocalStore::open(dir.path().to_owned()).await.unwrap();

                store.put(&key("x"), failing_after(3 << 20), None).await.unwrap_err();

                let leftovers = std::fs::read_dir(dir.path().join(".tmp")).unwrap().count();
                assert_eq!(leftovers, 0);
            }
        });
        suite!(s3, s3_store, [$($case),*], {
            #[tokio::test]
            async fn a_presigned_url_serves_the_object_to_anyone() {
                let b = s3_store().await;
                let k = key("videos/7/720p.mp4");
                let body = numbered(5000);
                b.store.put(&k, bytes_stream(body.clone()), Some("video/mp4")).await.unwrap();

                let url = b.store.presigned_get(&k, Duration::from_secs(300)).await.unwrap().unwrap();
                let response = reqwest::get(&url).await.unwrap();

                assert_eq!(response.status(), 200, "{url}");
                assert_eq!(response.bytes().await.unwrap(), body);
                assert_eq!(b.store.kind(), StorageKind::S3);
            }
        });
    };
}

both_backends!(
    an_object_reads_back_as_it_was_written,
    putting_again_replaces_the_object,
    an_empty_object_round_trips,
    a_40_mib_streamed_body_round_trips_intact,
    byte_ranges_serve_just_the_requested_bytes,
    a_range_outside_the_object_is_not_satisfiable,
    head_reports_size_and_content_type,
    a_deleted_object_is_gone,
    deleting_a_missing_object_is_fine,
    listing_returns_only_matching_keys_in_order,
    listing_follows_pages_past_1000_objects,
    a_failed_upload_leaves_nothing_behind,
    a_failed_upload_keeps_the_previous_object,
    a_working_store_passes_its_check,
);

#[test]
fn invalid_keys_are_rejected_before_reaching_any_store() {
    let too_long = "a".repeat(2000);
    for bad in ["../x", "/abs", "a//b", "a\\b", "a\u{1}b", "tab\there", "", "a/", too_long.as_str()] {
        let result = ObjectKey::parse(bad);

        assert!(matches!(result, Err(StorageError::InvalidKey(_))), "{bad:?} gave {result:?}");
    }
}
