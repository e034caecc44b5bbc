//! Decides what an uploaded file is from its first bytes (and, for zip and
//! OLE containers, their directory), never from its name or the browser's
//! claim. The name is only a hint for a better error message.

use std::path::Path;

use crate::MediaError;

/// The formats dangxiao knows how to process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A container ffmpeg may decode (MP4/MOV/M4A, WebM/MKV, AVI, WAV, MP3,
    /// FLAC, OGG, ...). Whether it holds video or only audio is for the probe.
    AudioVisual,
    Pptx,
    /// Legacy binary PowerPoint (OLE compound file).
    Ppt,
    Odp,
    Pdf,
}

/// The verdict on one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    pub format: Format,
    /// The MIME type the content matched, e.g. `video/mp4`.
    pub mime: &'static str,
}

/// Looks at the file at `path`; `file_name` is what the organizer called it.
pub fn sniff(path: &Path, file_name: &str) -> Result<Sniffed, MediaError> {
    let _ = (path, file_name);
    Err(MediaError::Failed(anyhow::anyhow!("sniffing is not implemented yet")))
}
