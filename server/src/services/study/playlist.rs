//! An HLS media playlist whose segments are presigned URLs of the object
//! store (`media_direct`): the app server checks who may study the lesson
//! once, when the player asks for the playlist, and the segments then go
//! straight from the bucket (or a CDN in front of it) to the member,
//! without a request or a database check per segment through the app.
//!
//! A presigned URL names one object key and is signed for it: it cannot be
//! turned into another lesson's file, and it stops working when it expires.
//! A master playlist is left as it is: its variant playlists come back
//! through the app and are signed in turn.

use std::time::Duration;

use crate::error::Result;
use crate::storage::{ObjectKey, Store};

/// The playlist at `key` (its text) with each segment and initialization
/// section as a presigned URL; `None` for a master playlist, or when the
/// store cannot presign (the local backend), so the caller serves it as
/// stored.
pub async fn signed(store: &dyn Store, key: &ObjectKey, text: &str, expires: Duration) -> Result<Option<String>> {
    if text.contains("#EXT-X-STREAM-INF") || !text.contains("#EXTINF") {
        return Ok(None);
    }
    let dir = key.as_str().rsplit_once('/').map(|(d, _)| d).unwrap_or_default();
    let mut out = String::with_capacity(text.len() * 4);
    for line in text.lines() {
        let trimmed = line.trim();
        let rewritten = if trimmed.is_empty() {
            None
        } else if let Some(tag) = trimmed.strip_prefix('#') {
            match uri_attribute(tag) {
                Some((before, uri, after)) => match sign(store, dir, uri, expires).await? {
                    Some(url) => Some(format!("#{before}URI=\"{url}\"{after}")),
                    None => return Ok(None),
                },
                None => None,
            }
        } else {
            match sign(store, dir, trimmed, expires).await? {
                Some(url) => Some(url),
                None => return Ok(None),
            }
        };
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    Ok(Some(out))
}

/// A tag's `URI="…"` attribute (`#EXT-X-MAP:URI="init.mp4"`), as the text
/// before it, the URI and the text after it.
fn uri_attribute(tag: &str) -> Option<(&str, &str, &str)> {
    let start = tag.find("URI=\"")?;
    let rest = &tag[start + 5..];
    let end = rest.find('"')?;
    Some((&tag[..start], &rest[..end], &rest[end + 1..]))
}

/// A presigned URL of `uri`, relative to the playlist's directory; an
/// absolute URL is kept. `None`: the store cannot presign.
async fn sign(store: &dyn Store, dir: &str, uri: &str, expires: Duration) -> Result<Option<String>> {
    if uri.contains("://") {
        return Ok(Some(uri.to_owned()));
    }
    let key = ObjectKey::parse(&if dir.is_empty() { uri.to_owned() } else { format!("{dir}/{uri}") })?;
    Ok(store.presigned_get(&key, expires).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_attribute_of_a_tag_is_found() {
        assert_eq!(
            uri_attribute("EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"10@0\""),
            Some(("EXT-X-MAP:", "init.mp4", ",BYTERANGE=\"10@0\""))
        );
        assert_eq!(uri_attribute("EXTINF:6.0,"), None);
    }
}
