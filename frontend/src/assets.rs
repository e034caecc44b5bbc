//! Where pages link the built site's files (wasm, CSS, scripts, icons):
//! under `/v/<hash of the site's content>/`, which the server lets browsers
//! keep for good (server/src/http/assets.rs). The server provides the
//! prefix as context for each request.

use leptos::prelude::*;

/// The prefix of the current build's files, e.g. `/v/3f2a…`; empty links
/// them unversioned (revalidated on every use).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assets {
    root: String,
}

impl Assets {
    pub fn new(root: impl Into<String>) -> Assets {
        Assets { root: root.into() }
    }

    /// The prefix, without a trailing slash.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The address of `path` (absolute within the site, e.g. `/favicon.svg`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }
}

/// The request's [`Assets`] (unversioned where none was provided).
pub fn use_assets() -> Assets {
    use_context::<Assets>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_sit_under_the_prefix() {
        assert_eq!(Assets::new("/v/abc").url("/vendor/hls.light.min.js"), "/v/abc/vendor/hls.light.min.js");
        assert_eq!(Assets::default().url("/favicon.svg"), "/favicon.svg");
    }
}
