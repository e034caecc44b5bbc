//! The built site's files (`site_root`: the wasm and its JS, the CSS,
//! hls.js, the lesson start script, icons) under a versioned prefix,
//! `/v/<version>/…`, where the version is a hash of every file's content.
//! Pages link them there, so a browser may keep them for a year without
//! asking again (`immutable`): a second visit loads nothing, and a new build
//! has new addresses. On a weak link each saved request is a round trip of
//! hundreds of milliseconds.
//!
//! A request for another version (a page rendered by an older build, during
//! a rolling deploy) still gets today's file, but marked `no-cache`, so
//! nobody keeps a file under an address whose content it does not match.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderValue, Request, Response, StatusCode, Uri};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::state::AppState;

/// Cache policy of files under the current version.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache policy of everything else served from the site: always revalidate.
pub const REVALIDATE: &str = "public, no-cache";

/// A hash of the content of every file under `root` and of their paths:
/// 16 hex digits, or `"none"` when there is no built site (API tests).
pub fn site_version(root: &Path) -> String {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    if files.is_empty() {
        return "none".into();
    }
    files.sort();
    let mut hash = Sha256::new();
    for relative in &files {
        let Ok(bytes) = std::fs::read(root.join(relative)) else { continue };
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(Sha256::digest(&bytes));
    }
    hex::encode(&hash.finalize()[..8])
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(root, &path, out),
            Ok(t) if t.is_file() => {
                if let Ok(relative) = path.strip_prefix(root) {
                    out.push(relative.to_path_buf());
                }
            }
            _ => {}
        }
    }
}

/// `GET /v/{version}/{*path}`: a file of the built site.
pub async fn versioned(
    State(state): State<AppState>,
    UrlPath((version, path)): UrlPath<(String, String)>,
    request: Request<Body>,
) -> Response<Body> {
    let policy = if *version == *state.site_version { IMMUTABLE } else { REVALIDATE };
    // ServeDir resolves the request's own path: give it the path inside the
    // site, keeping the headers (Accept-Encoding for the .br/.gz copies,
    // If-None-Match, Range).
    let (mut parts, body) = request.into_parts();
    let Ok(uri) = format!("/{path}").parse::<Uri>() else {
        return status(StatusCode::NOT_FOUND);
    };
    parts.uri = uri;
    let files = ServeDir::new(&state.settings.site_root).precompressed_br().precompressed_gzip();
    match files.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED => {
            let mut response = response.map(Body::new);
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
            response
        }
        _ => status(StatusCode::NOT_FOUND),
    }
}

fn status(code: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = code;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_content_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(site_version(dir.path()), "none");
        std::fs::create_dir_all(dir.path().join("pkg")).expect("mkdir");
        std::fs::write(dir.path().join("pkg/a.js"), "one").expect("write");
        let first = site_version(dir.path());
        assert_eq!(first.len(), 16);
        assert_eq!(site_version(dir.path()), first, "same content, same version");
        std::fs::write(dir.path().join("pkg/a.js"), "two").expect("write");
        let second = site_version(dir.path());
        assert_ne!(second, first, "new content, new version");
        std::fs::rename(dir.path().join("pkg/a.js"), dir.path().join("pkg/b.js")).expect("rename");
        assert_ne!(site_version(dir.path()), second, "a renamed file is another site");
    }
}
