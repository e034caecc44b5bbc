//! The name an organizer's file had: kept for display, parsed so that a
//! path, control characters or an overlong name never reach the database.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};

/// Longest file name kept, in bytes: the limit of every common filesystem.
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// The name an organizer's file had, kept for display only (storage keys
/// never derive from it). Parsing keeps the last path component and refuses
/// names that are empty, contain control characters or are too long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct FileName(String);

/// Why a file name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    #[error("the file name is empty")]
    Empty,
    #[error("the file name contains control characters")]
    ControlCharacters,
    #[error("the file name is longer than {MAX_FILE_NAME_BYTES} bytes")]
    TooLong,
}

impl Localize for FileNameError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            FileNameError::Empty => lang.pick("文件名不能为空。", "The file name is empty.").to_owned(),
            FileNameError::ControlCharacters => lang
                .pick(
                    "文件名中含有控制字符。请重命名文件后重新上传。",
                    "The file name contains control characters. Rename the file and upload it again.",
                )
                .to_owned(),
            FileNameError::TooLong => match lang {
                Lang::Zh => format!(
                    "文件名太长（超过 {MAX_FILE_NAME_BYTES} 字节，约 85 个汉字）。请改用较短的文件名后重新上传。"
                ),
                Lang::En => format!(
                    "The file name is too long (over {MAX_FILE_NAME_BYTES} bytes). Rename the file to something shorter and upload it again."
                ),
            },
        }
    }
}

impl FileName {
    pub fn parse(raw: &str) -> Result<FileName, FileNameError> {
        if raw.chars().any(char::is_control) {
            return Err(FileNameError::ControlCharacters);
        }
        // Browsers send a bare name; other clients may send a path. Only the
        // last component is a name, and `.`/`..` are not names at all.
        let last = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
        if last.is_empty() || last == "." || last == ".." {
            return Err(FileNameError::Empty);
        }
        if last.len() > MAX_FILE_NAME_BYTES {
            return Err(FileNameError::TooLong);
        }
        Ok(FileName(last.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FileName {
    type Error = FileNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        FileName::parse(&value)
    }
}

impl From<FileName> for String {
    fn from(value: FileName) -> String {
        value.0
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_keeps_only_its_last_component() {
        assert_eq!(FileName::parse("../../etc/passwd").unwrap().as_str(), "passwd");
        assert_eq!(FileName::parse("C:\\Users\\李\\党课.pptx").unwrap().as_str(), "党课.pptx");
    }

    #[test]
    fn dot_names_and_empty_names_are_refused() {
        for bad in ["", "  ", "..", "a/..", "dir/"] {
            assert_eq!(FileName::parse(bad), Err(FileNameError::Empty), "{bad:?}");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(FileName::parse("a\u{0}b.mp4"), Err(FileNameError::ControlCharacters));
        assert_eq!(FileName::parse("a\nb.mp4"), Err(FileNameError::ControlCharacters));
        assert_eq!(FileName::parse("a\u{1b}[31mb.mp4"), Err(FileNameError::ControlCharacters));
    }

    #[test]
    fn names_over_255_bytes_are_refused_but_255_fit() {
        assert_eq!(FileName::parse(&"a".repeat(300)), Err(FileNameError::TooLong));
        assert!(FileName::parse(&"a".repeat(255)).is_ok());
        // 86 CJK characters are 258 bytes.
        assert_eq!(FileName::parse(&"党".repeat(86)), Err(FileNameError::TooLong));
    }
}
