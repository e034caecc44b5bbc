//! Checks a deck before LibreOffice sees it: that it is what the caller
//! says, is not encrypted, does not unpack to more than the settings allow
//! (checked from the sizes the zip directory declares), and, for PPTX, how
//! many slides it lists.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use courses::media::Problem;
use zip::ZipArchive;

use super::SlideSettings;
use crate::sniff::{self, Format};
use crate::MediaError;

/// Most bytes of `ppt/presentation.xml` read to count slides; real ones are
/// a few kilobytes.
const MAX_PRESENTATION_XML: u64 = 16 << 20;

/// Vets the deck at `input`; for PPTX, returns the number of slides it lists.
pub(super) fn vet(input: &Path, format: Format, settings: &SlideSettings) -> Result<Option<u32>, MediaError> {
    let ext = super::office::extension(format).unwrap_or("pdf");
    let sniffed = sniff::sniff_with_limit(input, &format!("deck.{ext}"), settings.max_unpacked_bytes)?;
    if sniffed.format != format {
        return Err(MediaError::Failed(anyhow::anyhow!(
            "{} was passed as {format:?} but its content is {:?}",
            input.display(),
            sniffed.format
        )));
    }
    if format != Format::Pptx {
        return Ok(None);
    }
    let file = File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let Ok(mut zip) = ZipArchive::new(file) else {
        return Err(MediaError::Rejected(Problem::NotAPackage));
    };
    let mut xml = Vec::new();
    zip.by_name("ppt/presentation.xml")
        .map_err(|_| MediaError::Rejected(Problem::NotAPackage))?
        .take(MAX_PRESENTATION_XML)
        .read_to_end(&mut xml)
        .map_err(|_| MediaError::Rejected(Problem::NotAPackage))?;
    Ok(Some(count_slide_ids(&xml)))
}

/// Counts `<p:sldId .../>` elements (any namespace prefix); `sldIdLst`, the
/// list around them, does not count, nor do the ids PowerPoint 2010 repeats
/// in its section list, which sits in the `extLst` that ends the document.
fn count_slide_ids(xml: &[u8]) -> u32 {
    const TAG: &[u8] = b"sldId";
    let end = xml.windows(6).position(|w| w == b"extLst").unwrap_or(xml.len());
    let xml = &xml[..end];
    let mut count = 0;
    for i in 0..xml.len().saturating_sub(TAG.len()) {
        let opens = i > 0 && matches!(xml[i - 1], b'<' | b':');
        let ends = xml.get(i + TAG.len()).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
        if opens && ends && &xml[i..i + TAG.len()] == TAG {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slide_ids_are_counted_but_not_their_list() {
        let xml = br#"<p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId3"/></p:sldIdLst>"#;
        assert_eq!(count_slide_ids(xml), 2);
        assert_eq!(count_slide_ids(b"<sldIdLst></sldIdLst>"), 0);
        let sections = br#"<p:sldIdLst><p:sldId id="256"/></p:sldIdLst><p:extLst><p14:sldId id="256"/></p:extLst>"#;
        assert_eq!(count_slide_ids(sections), 1);
    }
}
