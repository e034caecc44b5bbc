//! Reads a PDF with poppler's command-line tools: `pdfinfo` for the page
//! count, `pdftoppm` for page images, `pdftotext` for page text. Pages are
//! handled in ranges so that one process serves many pages (each start
//! parses the PDF and loads its fonts again).

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use anyhow::Context;
use courses::media::Problem;
use tokio::process::Command;

use super::process::{self, Finished};
use super::SlideSettings;
use crate::{Control, MediaError};

/// Counts the pages of `pdf`. A PDF poppler cannot open is refused with
/// `broken` (`Damaged` for an upload, `ConversionFailed` for LibreOffice's).
pub(super) async fn page_count(
    pdf: &Path,
    broken: &Problem,
    settings: &SlideSettings,
    control: &Control,
) -> Result<u32, MediaError> {
    let mut command = Command::new("pdfinfo");
    command.arg(pdf);
    let finished = process::run(command, settings.convert_timeout, control).await?;
    if !finished.status.success() {
        return Err(refusal("pdfinfo", &finished, broken));
    }
    let stdout = String::from_utf8_lossy(&finished.stdout);
    let pages = stdout.lines().find_map(|line| line.strip_prefix("Pages:")).and_then(|n| n.trim().parse::<u32>().ok());
    match pages {
        Some(pages) => Ok(pages),
        None => {
            tracing::warn!(stdout = %stdout.trim(), "pdfinfo reported no page count");
            Err(MediaError::Rejected(broken.clone()))
        }
    }
}

/// Renders `pages` of `pdf` as PNG images `width` pixels wide into the empty
/// directory `dir`; returns each page's image.
pub(super) async fn render(
    pdf: &Path,
    pages: &RangeInclusive<u32>,
    width: u32,
    dir: &Path,
    broken: &Problem,
    settings: &SlideSettings,
    control: &Control,
) -> Result<BTreeMap<u32, PathBuf>, MediaError> {
    let mut command = Command::new("pdftoppm");
    command
        .arg("-png")
        .args(["-f", &pages.start().to_string(), "-l", &pages.end().to_string()])
        .args(["-scale-to-x", &width.to_string(), "-scale-to-y", "-1"])
        .arg(pdf)
        .arg(dir.join("page"));
    let finished = process::run(command, settings.convert_timeout, control).await?;
    if !finished.status.success() {
        return Err(refusal("pdftoppm", &finished, broken));
    }
    // pdftoppm pads page numbers to the width of the page count: page-7.png,
    // page-07.png or page-007.png; read them back rather than guess.
    let mut images = BTreeMap::new();
    let mut entries = tokio::fs::read_dir(dir).await.with_context(|| format!("listing {}", dir.display()))?;
    while let Some(entry) = entries.next_entry().await.with_context(|| format!("listing {}", dir.display()))? {
        let name = entry.file_name();
        let number = name
            .to_str()
            .and_then(|n| n.strip_prefix("page-"))
            .and_then(|n| n.strip_suffix(".png"))
            .and_then(|n| n.parse::<u32>().ok());
        if let Some(number) = number.filter(|n| pages.contains(n)) {
            images.insert(number, entry.path());
        }
    }
    if let Some(missing) = pages.clone().find(|n| !images.contains_key(n)) {
        tracing::warn!(page = missing, detail = %process::describe("pdftoppm", &finished), "a page was not rendered");
        return Err(MediaError::Rejected(broken.clone()));
    }
    Ok(images)
}

/// The text of each of `pages`, in order, trimmed.
pub(super) async fn texts(
    pdf: &Path,
    pages: &RangeInclusive<u32>,
    broken: &Problem,
    settings: &SlideSettings,
    control: &Control,
) -> Result<Vec<String>, MediaError> {
    let mut command = Command::new("pdftotext");
    command
        .args(["-f", &pages.start().to_string(), "-l", &pages.end().to_string()])
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-");
    let finished = process::run(command, settings.convert_timeout, control).await?;
    if !finished.status.success() {
        return Err(refusal("pdftotext", &finished, broken));
    }
    // pdftotext ends every page with a form feed.
    let text = String::from_utf8_lossy(&finished.stdout);
    let mut texts: Vec<String> = text.split('\u{c}').map(tidy).collect();
    texts.resize(pages.clone().count(), String::new());
    Ok(texts)
}

/// Trims a page's text: drops the spaces `-layout` pads lines with, the
/// indentation all lines share, and blank lines at either end. Relative
/// indentation (bullets, columns) stays.
fn tidy(page: &str) -> String {
    let lines: Vec<&str> = page.lines().map(str::trim_end).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    // Every non-blank line starts with at least `indent` ASCII blanks, so
    // the cut falls on a character boundary; blank lines are empty.
    let dedented: Vec<&str> = lines.iter().map(|l| l.get(indent..).unwrap_or("")).collect();
    dedented.join("\n").trim_matches('\n').to_owned()
}

fn refusal(program: &str, finished: &Finished, broken: &Problem) -> MediaError {
    let detail = process::describe(program, finished);
    if finished.stderr.contains("Incorrect password") {
        return MediaError::Rejected(Problem::PasswordProtected);
    }
    tracing::warn!(%detail, "poppler could not read a PDF");
    MediaError::Rejected(broken.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_trims_padding_shared_indentation_and_blank_ends_but_keeps_relative_indentation() {
        assert_eq!(tidy("\n  标题   \n\n    • 要点  \n\n"), "标题\n\n  • 要点");
        assert_eq!(tidy("  \u{3000}全角缩进\n  次行"), "\u{3000}全角缩进\n次行");
    }
}
