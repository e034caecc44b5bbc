//! Slide decks: PPT/PPTX/ODP through LibreOffice to PDF, then poppler for one
//! image per slide and each slide's text.
//!
//! Everything is made in temporary directories and moved into the output
//! directory only once every slide is ready, so a failed or cancelled
//! conversion leaves the output directory empty. Every external program runs
//! under a time limit and is killed (with its children) on cancellation,
//! timeout, or when the conversion future is dropped.

mod office;
mod package;
mod pdf;
mod process;

use std::future::Future;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use courses::media::Problem;

use crate::sniff::Format;
use crate::{Control, MediaError};

/// Pages handed to one run of `pdftoppm`/`pdftotext`: few enough for
/// progress to move, many enough not to parse the PDF once per page.
const PAGES_PER_BATCH: u32 = 10;
/// Share of the progress bar LibreOffice's conversion stands for.
const OFFICE_SHARE: f64 = 0.5;

/// Limits and tools for slide conversion.
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
    /// PNG `small_width` pixels wide, e.g. `slides/001-small.png`.
    pub small: PathBuf,
    /// PNG `large_width` pixels wide, e.g. `slides/001-large.png`.
    pub large: PathBuf,
    /// The slide's text as poppler reads it (layout kept, ends trimmed);
    /// empty when the slide has none.
    pub text: String,
}

/// What [`convert`] wrote: the slides in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckOutput {
    /// Never empty: a deck without slides is refused with `NoSlides`.
    pub slides: Vec<Slide>,
}

/// Converts the deck at `input` (already sniffed as `format`) into `out_dir`.
///
/// Writes `slides/NNN-small.png` and `slides/NNN-large.png` per slide (NNN
/// is the 1-based number, zero-padded to three digits) and returns them with
/// each slide's text. On any error or cancellation `out_dir` is left as it
/// was (empty, or created empty); it must not already hold `slides/`.
///
/// Every external program gets `settings.convert_timeout`, each on its own.
/// A PDF is refused as `Damaged` when poppler cannot read it, a converted
/// deck as `ConversionFailed`; either as `PasswordProtected` when it is
/// encrypted.
pub async fn convert(
    input: &Path,
    format: Format,
    out_dir: &Path,
    settings: &SlideSettings,
    control: &Control,
) -> Result<DeckOutput, MediaError> {
    control.check()?;
    if format == Format::AudioVisual {
        return Err(MediaError::Failed(anyhow::anyhow!("{} is audio or video, not a slide deck", input.display())));
    }
    let listed = {
        let (input, settings) = (input.to_path_buf(), settings.clone());
        tokio::task::spawn_blocking(move || package::vet(&input, format, &settings))
            .await
            .context("vetting the deck")??
    };
    match listed {
        Some(0) => return Err(MediaError::Rejected(Problem::NoSlides)),
        Some(n) if n > settings.max_slides => return Err(too_many_slides(n, settings.max_slides)),
        _ => {}
    }
    tokio::fs::create_dir_all(out_dir).await.with_context(|| format!("creating {}", out_dir.display()))?;
    let work = tempfile::Builder::new().prefix("dangxiao-slides-").tempdir().context("creating a work directory")?;
    // Inside `out_dir`, so that publishing is one rename on one filesystem.
    let staging = tempfile::Builder::new()
        .prefix(".slides-")
        .tempdir_in(out_dir)
        .with_context(|| format!("creating a staging directory in {}", out_dir.display()))?;

    let (pdf, broken, base) = if format == Format::Pdf {
        (input.to_path_buf(), Problem::Damaged, 0.0)
    } else {
        control.set_progress(0.01);
        let pdf = creeping(office::to_pdf(input, format, work.path(), settings, control), control).await?;
        control.set_progress(OFFICE_SHARE);
        (pdf, Problem::ConversionFailed, OFFICE_SHARE)
    };
    let pages = pdf::page_count(&pdf, &broken, settings, control).await?;
    if pages == 0 {
        return Err(MediaError::Rejected(Problem::NoSlides));
    }
    if pages > settings.max_slides {
        return Err(too_many_slides(pages, settings.max_slides));
    }

    let slides_dir = staging.path().join("slides");
    let render_dir = staging.path().join("render");
    for dir in [&slides_dir, &render_dir] {
        tokio::fs::create_dir(dir).await.with_context(|| format!("creating {}", dir.display()))?;
    }
    let deck = Deck { pdf: &pdf, broken: &broken, slides_dir: &slides_dir, render_dir: &render_dir };
    let mut slides = Vec::with_capacity(pages as usize);
    let mut first = 1;
    while first <= pages {
        let batch = first..=pages.min(first.saturating_add(PAGES_PER_BATCH - 1));
        slides.extend(deck.batch(&batch, settings, control).await?);
        first = batch.end() + 1;
        control.set_progress(base + (1.0 - base) * f64::from(*batch.end()) / f64::from(pages));
    }

    control.check()?;
    let published = out_dir.join("slides");
    tokio::fs::rename(&slides_dir, &published)
        .await
        .with_context(|| format!("moving the slides into {}", published.display()))?;
    Ok(DeckOutput { slides })
}

/// Runs `work` (LibreOffice, which reports no progress) while moving the
/// progress bar towards [`OFFICE_SHARE`]: two thirds of the way after about
/// ten seconds, never quite there, so organizers see the job is alive.
async fn creeping<T>(work: impl Future<Output = T>, control: &Control) -> T {
    let start = Instant::now();
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return done,
            _ = tokio::time::sleep(Duration::from_millis(500)) => {
                let seconds = start.elapsed().as_secs_f64();
                control.set_progress(OFFICE_SHARE * 0.95 * (1.0 - (-seconds / 10.0).exp()));
            }
        }
    }
}

/// The refusal for a deck with more slides than allowed.
// There is no `Problem` for this yet; `ConversionFailed` asks the organizer
// to save the deck again, the nearest advice until a `TooManySlides` exists.
fn too_many_slides(slides: u32, limit: u32) -> MediaError {
    MediaError::Rejected(Problem::TooManySlides { slides, limit })
}

/// One deck's PDF and where its slides go.
struct Deck<'a> {
    pdf: &'a Path,
    /// The refusal when poppler cannot read the PDF.
    broken: &'a Problem,
    slides_dir: &'a Path,
    /// Empty between batches.
    render_dir: &'a Path,
}

impl Deck<'_> {
    /// Renders and reads `pages`, moving each image to its final name.
    async fn batch(
        &self,
        pages: &RangeInclusive<u32>,
        settings: &SlideSettings,
        control: &Control,
    ) -> Result<Vec<Slide>, MediaError> {
        for (width, size) in [(settings.small_width, "small"), (settings.large_width, "large")] {
            let images = pdf::render(self.pdf, pages, width, self.render_dir, self.broken, settings, control).await?;
            for (number, from) in images {
                let to = self.slides_dir.join(image_name(number, size));
                tokio::fs::rename(&from, &to).await.with_context(|| format!("moving {}", from.display()))?;
            }
        }
        let texts = pdf::texts(self.pdf, pages, self.broken, settings, control).await?;
        Ok(pages
            .clone()
            .zip(texts)
            .map(|(number, text)| Slide {
                number,
                small: Path::new("slides").join(image_name(number, "small")),
                large: Path::new("slides").join(image_name(number, "large")),
                text,
            })
            .collect())
    }
}

fn image_name(number: u32, size: &str) -> String {
    format!("{number:03}-{size}.png")
}
