//! Looks inside zip packages (PPTX, ODP) and OLE compound files (PPT, and
//! the wrapper Office puts around encrypted OOXML) through their directories,
//! without unpacking them.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use courses::media::Problem;
use zip::ZipArchive;

use crate::MediaError;

/// The first eight bytes of every OLE compound file.
pub(super) const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Entries that unpack to less than this are never suspicious, however well
/// they compress: flat bitmaps and repetitive XML do reach 1000:1.
const RATIO_FLOOR_BYTES: u64 = 32 << 20;
/// Above the floor, an entry expanding more than this many times its packed
/// size is a bomb. Real media in decks is already compressed (about 1:1) and
/// slide XML deflates about 10:1; deflate tops out near 1032:1.
const MAX_RATIO: u64 = 100;
/// Most bytes read from a small entry (`mimetype`, the ODF manifest).
const SMALL_ENTRY_BYTES: u64 = 4 << 20;

/// What a well-formed zip holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZipKind {
    Pptx,
    Odp,
    Other,
}

/// What a well-formed OLE compound file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OleKind {
    Ppt,
    Other,
}

/// Opens the zip at `path` and classifies it. `Ok(None)` when it is not a
/// readable zip; a rejection when it is a bomb or encrypted.
pub(crate) fn inspect_zip(path: &Path, max_unpacked_bytes: u64) -> Result<Option<ZipKind>, MediaError> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let Ok(mut zip) = ZipArchive::new(file) else {
        return Ok(None);
    };
    check_sizes(&mut zip, max_unpacked_bytes)?;

    if zip.index_for_name("ppt/presentation.xml").is_some() {
        return Ok(Some(ZipKind::Pptx));
    }
    let Some(mimetype) = read_small_entry(&mut zip, "mimetype") else {
        return Ok(Some(ZipKind::Other));
    };
    let mimetype = String::from_utf8_lossy(&mimetype);
    let mimetype = mimetype.trim();
    if mimetype != super::ODP_MIME && mimetype != "application/vnd.oasis.opendocument.presentation-template" {
        return Ok(Some(ZipKind::Other));
    }
    // ODF encrypts entry by entry and says so in the manifest; the package
    // itself stays a plain zip.
    let manifest = read_small_entry(&mut zip, "META-INF/manifest.xml").unwrap_or_default();
    if contains(&manifest, b"encryption-data") {
        return Err(MediaError::Rejected(Problem::PasswordProtected));
    }
    Ok(Some(ZipKind::Odp))
}

/// Refuses a package from the sizes its central directory declares, before
/// anything is unpacked.
fn check_sizes(zip: &mut ZipArchive<File>, max_unpacked_bytes: u64) -> Result<(), MediaError> {
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(index) else {
            return Err(MediaError::Rejected(Problem::NotAPackage));
        };
        if entry.encrypted() {
            return Err(MediaError::Rejected(Problem::PasswordProtected));
        }
        let (packed, unpacked) = (entry.compressed_size(), entry.size());
        total = total.saturating_add(unpacked);
        let absurd_ratio = unpacked > RATIO_FLOOR_BYTES && unpacked / packed.max(1) > MAX_RATIO;
        if total > max_unpacked_bytes || absurd_ratio {
            tracing::info!(entry = entry.name(), packed, unpacked, total, "refusing a zip bomb");
            return Err(MediaError::Rejected(Problem::ZipBomb));
        }
    }
    Ok(())
}

/// The start of a small entry, or `None` when it is missing or unreadable.
fn read_small_entry(zip: &mut ZipArchive<File>, name: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.take(SMALL_ENTRY_BYTES).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `CurrentUserAtom.headerToken` of a PowerPoint 97–2003 file whose
/// document stream is encrypted ([MS-PPT] 2.3.2).
const PPT_ENCRYPTED_TOKEN: u32 = 0xF3D1_C4DF;

/// Opens the OLE compound file at `path` and classifies it. `Ok(None)` when
/// it is not readable; a rejection when it is encrypted.
pub(super) fn inspect_ole(path: &Path) -> Result<Option<OleKind>, MediaError> {
    let Ok(mut ole) = cfb::open(path) else {
        return Ok(None);
    };
    // Office wraps an encrypted PPTX (or DOCX, XLSX) in an OLE file holding
    // these two streams ([MS-OFFCRYPTO] 2.3.4.4).
    if ole.is_stream("/EncryptionInfo") || ole.is_stream("/EncryptedPackage") {
        return Err(MediaError::Rejected(Problem::PasswordProtected));
    }
    if !ole.is_stream("/PowerPoint Document") {
        return Ok(Some(OleKind::Other));
    }
    let mut current_user = Vec::new();
    if let Ok(stream) = ole.open_stream("/Current User") {
        // A failed read leaves too few bytes to find a token: not encrypted.
        let _ = stream.take(64).read_to_end(&mut current_user);
    }
    let token = current_user.get(12..16).and_then(|b| <[u8; 4]>::try_from(b).ok()).map(u32::from_le_bytes);
    if token == Some(PPT_ENCRYPTED_TOKEN) {
        return Err(MediaError::Rejected(Problem::PasswordProtected));
    }
    Ok(Some(OleKind::Ppt))
}
