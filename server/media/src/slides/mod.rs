//! Slide decks: PPT/PPTX/ODP through LibreOffice to PDF, then poppler for one
//! image per slide and each slide's text.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::sniff::Format;
use crate::{Control, MediaError};

#[derive(Debug, Clone)]
pub struct SlideSettings {
    /// The LibreOffice executable.
    pub soffice: PathBuf,
    /// Longest a LibreOffice conversion may run before it is killed.
    pub convert_timeout: Duration,
    /// Largest total uncompressed size of a PPTX/ODP package.
    pub max_unpacked_bytes: u64,
    /// Most slides accepted.
    pub max_slides: u32,
    /// Width of the phone-sized image, pixels.
    pub small_width: u32,
    /// Width of the PC-sized image, pixels.
    pub large_width: u32,
}

impl Default for SlideSettings {
    fn default() -> Self {
        SlideSettings {
            soffice: PathBuf::from("soffice"),
            convert_timeout: Duration::from_secs(300),
            max_unpacked_bytes: 2 << 30,
            max_slides: 1000,
            small_width: 720,
            large_width: 1600,
        }
    }
}

/// One converted slide; paths are relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slide {
    /// 1-based.
    pub number: u32,
    pub small: PathBuf,
    pub large: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckOutput {
    pub slides: Vec<Slide>,
}

/// Converts the deck at `input` (already sniffed as `format`) into `out_dir`.
pub async fn convert(
    input: &Path,
    format: Format,
    out_dir: &Path,
    settings: &SlideSettings,
    control: &Control,
) -> Result<DeckOutput, MediaError> {
    let _ = (input, format, out_dir, settings, control);
    Err(MediaError::Failed(anyhow::anyhow!("slide conversion is not implemented yet")))
}
