//! PPT, PPTX and ODP to PDF with LibreOffice in headless mode.
//!
//! Each conversion gets its own LibreOffice profile, home and temp directory
//! inside the job's work directory: two conversions never share a profile
//! (LibreOffice would hand the second one to the first's process, or refuse
//! it), and nothing is left behind once the work directory is dropped.

use std::path::{Path, PathBuf};

use anyhow::Context;
use courses::media::Problem;
use tokio::process::Command;

use super::process;
use super::SlideSettings;
use crate::sniff::Format;
use crate::{Control, MediaError};

/// The file extension LibreOffice should see for `format`, if it converts it.
pub(super) fn extension(format: Format) -> Option<&'static str> {
    match format {
        Format::Pptx => Some("pptx"),
        Format::Ppt => Some("ppt"),
        Format::Odp => Some("odp"),
        Format::Pdf | Format::AudioVisual => None,
    }
}

/// Converts `input` into a PDF inside `work` and returns its path.
pub(super) async fn to_pdf(
    input: &Path,
    format: Format,
    work: &Path,
    settings: &SlideSettings,
    control: &Control,
) -> Result<PathBuf, MediaError> {
    let ext = extension(format).with_context(|| format!("LibreOffice does not convert {format:?}"))?;
    let (in_dir, out_dir, profile, home) = (work.join("in"), work.join("pdf"), work.join("profile"), work.join("home"));
    for dir in [&in_dir, &out_dir, &profile, &home] {
        tokio::fs::create_dir_all(dir).await.with_context(|| format!("creating {}", dir.display()))?;
    }
    // A fixed, plain name: LibreOffice names the PDF after its input and
    // trips over some characters in organizers' file names.
    let deck = in_dir.join(format!("deck.{ext}"));
    tokio::fs::copy(input, &deck).await.with_context(|| format!("copying {} for LibreOffice", input.display()))?;

    let mut command = Command::new(&settings.soffice);
    command
        .arg(format!("-env:UserInstallation={}", file_url(&profile)))
        .args(["--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck"])
        .args(["--convert-to", "pdf:impress_pdf_Export", "--outdir"])
        .arg(&out_dir)
        .arg(&deck)
        .current_dir(work)
        .env("HOME", &home)
        .env("TMPDIR", work)
        .env("SAL_USE_VCLPLUGIN", "svp");
    let finished = process::run(command, settings.convert_timeout, control).await?;

    let pdf = out_dir.join("deck.pdf");
    let size = tokio::fs::metadata(&pdf).await.map(|m| m.len()).unwrap_or(0);
    if finished.status.success() && size > 0 {
        return Ok(pdf);
    }
    let detail = process::describe("soffice", &finished);
    tracing::warn!(%detail, "LibreOffice produced no PDF");
    // Encrypted decks are refused by sniffing; this catches what slips by.
    let problem =
        if detail.to_lowercase().contains("password") { Problem::PasswordProtected } else { Problem::ConversionFailed };
    Err(MediaError::Rejected(problem))
}

/// `file://` URL of an absolute path, percent-encoding all but the
/// characters that are safe in a URL path.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_percent_encode_spaces_and_chinese() {
        assert_eq!(file_url(Path::new("/tmp/a b")), "file:///tmp/a%20b");
        assert_eq!(file_url(Path::new("/tmp/党")), "file:///tmp/%E5%85%9A");
    }
}
