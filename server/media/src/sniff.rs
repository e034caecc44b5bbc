//! Decides what an uploaded file is from its first bytes (and, for zip and
//! OLE containers, their directory), never from its name or the browser's
//! claim. The name is only a hint for a better error message.
//!
//! Only the head of the file is read into memory; zip and OLE containers are
//! opened from the file and only their directories (plus a few small entries)
//! are read, so sniffing a multi-gigabyte upload costs the same as a small one.

mod container;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use courses::media::Problem;

use crate::MediaError;

pub(crate) use container::{inspect_zip, ZipKind};

/// How much of the file's start is looked at. Enough for every signature
/// `infer` knows and for three MPEG-TS packets.
const HEAD_BYTES: usize = 8192;

/// The default limit on what a PPTX/ODP package may unpack to, in bytes; the
/// same as the slide settings' default `max_unpacked_bytes`.
pub const DEFAULT_MAX_UNPACKED_BYTES: u64 = 2 << 30;

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
    /// What to do with the file.
    pub format: Format,
    /// The MIME type the content matched, e.g. `video/mp4`.
    pub mime: &'static str,
}

pub(crate) const PPTX_MIME: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
pub(crate) const ODP_MIME: &str = "application/vnd.oasis.opendocument.presentation";
pub(crate) const PPT_MIME: &str = "application/vnd.ms-powerpoint";
const PDF_MIME: &str = "application/pdf";
const ZIP_MIME: &str = "application/zip";
const OLE_MIME: &str = "application/x-ole-storage";

/// MIME types `infer` reports for containers ffmpeg demuxes and decodes.
const AUDIO_VISUAL_MIMES: &[&str] = &[
    "video/mp4",
    "video/x-m4v",
    "video/quicktime",
    "video/x-matroska",
    "video/webm",
    "video/x-msvideo",
    "video/x-ms-wmv",
    "video/mpeg",
    "video/x-flv",
    "audio/mpeg",
    "audio/m4a",
    "audio/opus",
    "audio/ogg",
    "audio/x-flac",
    "audio/x-wav",
    "audio/amr",
    "audio/aac",
    "audio/x-aiff",
    "audio/x-ape",
    "audio/x-dsf",
];

/// Looks at the file at `path`; `file_name` is what the organizer called it.
///
/// Packages may unpack to at most [`DEFAULT_MAX_UNPACKED_BYTES`]; use
/// [`sniff_with_limit`] to apply the configured limit instead.
pub fn sniff(path: &Path, file_name: &str) -> Result<Sniffed, MediaError> {
    sniff_with_limit(path, file_name, DEFAULT_MAX_UNPACKED_BYTES)
}

/// [`sniff`], refusing a PPTX/ODP package whose entries declare more than
/// `max_unpacked_bytes` in total as a [`Problem::ZipBomb`].
pub fn sniff_with_limit(path: &Path, file_name: &str, max_unpacked_bytes: u64) -> Result<Sniffed, MediaError> {
    let head = read_head(path)?;
    if head.is_empty() {
        return Err(MediaError::Rejected(Problem::EmptyFile));
    }
    let named_as_deck = NameHint::of(file_name) == NameHint::Deck;

    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return match inspect_zip(path, max_unpacked_bytes)? {
            Some(ZipKind::Pptx) => Ok(Sniffed { format: Format::Pptx, mime: PPTX_MIME }),
            Some(ZipKind::Odp) => Ok(Sniffed { format: Format::Odp, mime: ODP_MIME }),
            Some(ZipKind::Other) if named_as_deck => Err(MediaError::Rejected(Problem::NotAPackage)),
            Some(ZipKind::Other) => Err(unrecognized(Some(infer_mime(&head).unwrap_or(ZIP_MIME)))),
            None if named_as_deck => Err(MediaError::Rejected(Problem::NotAPackage)),
            None => Err(unrecognized(Some(ZIP_MIME))),
        };
    }
    if head.starts_with(&container::OLE_SIGNATURE) {
        return match container::inspect_ole(path)? {
            Some(container::OleKind::Ppt) => Ok(Sniffed { format: Format::Ppt, mime: PPT_MIME }),
            Some(container::OleKind::Other) if named_as_deck => Err(MediaError::Rejected(Problem::NotAPackage)),
            Some(container::OleKind::Other) => Err(unrecognized(Some(infer_mime(&head).unwrap_or(OLE_MIME)))),
            None if named_as_deck => Err(MediaError::Rejected(Problem::NotAPackage)),
            None => Err(unrecognized(Some(OLE_MIME))),
        };
    }
    if head.starts_with(b"%PDF-") {
        return Ok(Sniffed { format: Format::Pdf, mime: PDF_MIME });
    }
    if let Some(mime) = infer_mime(&head).filter(|m| AUDIO_VISUAL_MIMES.contains(m)) {
        return Ok(Sniffed { format: Format::AudioVisual, mime });
    }
    if is_mpeg_ts(&head) {
        return Ok(Sniffed { format: Format::AudioVisual, mime: "video/mp2t" });
    }
    if named_as_deck {
        return Err(MediaError::Rejected(Problem::NotAPackage));
    }
    let detected = infer_mime(&head).or_else(|| looks_like_text(&head).then_some("text/plain"));
    Err(unrecognized(detected))
}

/// What the organizer's file name suggests; it never decides the format.
#[derive(Debug, PartialEq, Eq)]
enum NameHint {
    Deck,
    Other,
}

impl NameHint {
    fn of(file_name: &str) -> NameHint {
        let lower = file_name.trim().to_lowercase();
        let is_deck = [".pptx", ".ppt", ".odp", ".ppsx", ".pps"].iter().any(|ext| lower.ends_with(ext));
        if is_deck {
            NameHint::Deck
        } else {
            NameHint::Other
        }
    }
}

fn unrecognized(detected: Option<&str>) -> MediaError {
    MediaError::Rejected(Problem::UnrecognizedType { detected: detected.map(str::to_owned) })
}

fn read_head(path: &Path) -> Result<Vec<u8>, MediaError> {
    let file = File::open(path).with_context(|| format!("opening {} to sniff it", path.display()))?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    file.take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .with_context(|| format!("reading the start of {}", path.display()))?;
    Ok(head)
}

fn infer_mime(head: &[u8]) -> Option<&'static str> {
    infer::get(head).map(|t| t.mime_type())
}

/// MPEG transport streams have no magic number, only a sync byte every 188
/// bytes (192 in Blu-ray M2TS, after a 4-byte time code).
fn is_mpeg_ts(head: &[u8]) -> bool {
    let synced = |start: usize, stride: usize| (0..3).all(|i| head.get(start + i * stride) == Some(&0x47));
    synced(0, 188) || synced(4, 192)
}

/// Text in any ASCII-compatible encoding (UTF-8, GBK, Latin-1): no control
/// bytes other than tab, line breaks, form feed and escape.
fn looks_like_text(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    !head.is_empty() && head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_hint_ignores_case_and_spaces() {
        assert_eq!(NameHint::of("党课 第一讲.PPTX "), NameHint::Deck);
        assert_eq!(NameHint::of("talk.odp"), NameHint::Deck);
        assert_eq!(NameHint::of("talk.pptx.mp4"), NameHint::Other);
    }

    #[test]
    fn transport_streams_are_found_by_their_sync_bytes() {
        let mut ts = vec![0u8; 600];
        for i in [0, 188, 376] {
            ts[i] = 0x47;
        }
        assert!(is_mpeg_ts(&ts));
        assert!(!is_mpeg_ts(&ts[1..]));
    }

    #[test]
    fn chinese_text_in_utf8_or_gbk_looks_like_text_but_binary_does_not() {
        assert!(looks_like_text("学习党章\r\n".as_bytes()));
        assert!(looks_like_text(&[0xD1, 0xA7, 0xCF, 0xB0, b'\n']));
        assert!(!looks_like_text(&[0x00, 0x01, 0x02]));
    }
}
