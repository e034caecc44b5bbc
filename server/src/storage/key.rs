//! [`ObjectKey`]: the name of a stored object, checked once at the edge so
//! that the local backend can join it onto its root directory without any
//! chance of escaping it, and so that S3 and local accept the same names.

use std::fmt;

use super::StorageError;

/// Longest key accepted, in bytes (S3's own limit).
const MAX_KEY_BYTES: usize = 1024;

/// A validated object key: 1..=1024 bytes, relative, `/`-separated segments,
/// no empty, `.` or `..` segments, no backslash, no control chars.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Parses `key`, saying in the error what is wrong with it.
    pub fn parse(key: &str) -> Result<Self, StorageError> {
        let invalid = |why: &str| StorageError::InvalidKey(format!("{}: {why}", shown(key)));
        if key.is_empty() {
            return Err(invalid("it is empty"));
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(invalid(&format!("it is {} bytes long, more than {MAX_KEY_BYTES}", key.len())));
        }
        if key.contains('\\') {
            return Err(invalid("backslashes are not allowed"));
        }
        if key.chars().any(char::is_control) {
            return Err(invalid("control characters are not allowed"));
        }
        if key.starts_with('/') {
            return Err(invalid("it must be relative, not start with `/`"));
        }
        for segment in key.split('/') {
            match segment {
                "" => return Err(invalid("it has an empty segment (`//` or a trailing `/`)")),
                "." | ".." => return Err(invalid(&format!("the segment `{segment}` is not allowed"))),
                _ => {}
            }
        }
        Ok(Self(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first `/`-separated segment (the whole key when it has no `/`).
    pub(crate) fn first_segment(&self) -> &str {
        self.0.split('/').next().unwrap_or(&self.0)
    }
}

/// The key as it goes in an error message: escaped, and cut short so that a
/// 2000-byte key does not flood the logs.
fn shown(key: &str) -> String {
    const SHOWN_CHARS: usize = 80;
    let mut shown: String = key.chars().take(SHOWN_CHARS).collect();
    if shown.len() < key.len() {
        shown.push('…');
    }
    format!("{shown:?}")
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ObjectKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for ObjectKey {
    type Err = StorageError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_nested_keys_are_accepted() {
        for key in ["a", "videos/12/720p.mp4", "课件/第一讲.pptx", "a/.hidden", "a..b/c"] {
            let parsed = ObjectKey::parse(key).unwrap();
            assert_eq!(parsed.as_str(), key);
            assert_eq!(parsed.to_string(), key);
        }
    }

    #[test]
    fn keys_that_could_escape_or_confuse_a_directory_are_rejected() {
        let long = "a".repeat(2000);
        for key in
            ["", "../x", "a/../b", "./a", "a/.", "/abs", "a//b", "a/", "a\\b", "a\u{0}b", "a\nb", "a\u{7f}b", &long]
        {
            let err = ObjectKey::parse(key).unwrap_err();
            assert!(matches!(err, StorageError::InvalidKey(_)), "{key:?}: {err}");
        }
    }

    #[test]
    fn a_key_of_exactly_1024_bytes_is_accepted() {
        assert!(ObjectKey::parse(&"k".repeat(1024)).is_ok());
        assert!(ObjectKey::parse(&"k".repeat(1025)).is_err());
    }

    #[test]
    fn the_error_for_a_huge_key_stays_short() {
        let err = ObjectKey::parse(&"a".repeat(2000)).unwrap_err().to_string();
        assert!(err.len() < 200, "{err}");
        assert!(err.contains("2000 bytes"), "{err}");
    }

    #[test]
    fn first_segment_is_the_part_before_the_first_slash() {
        assert_eq!(ObjectKey::parse("a/b/c").unwrap().first_segment(), "a");
        assert_eq!(ObjectKey::parse("abc").unwrap().first_segment(), "abc");
    }
}
