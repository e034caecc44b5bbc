//! Slide conversion end to end with the real LibreOffice and poppler: real
//! decks become one image per slide in two widths plus the slide's text, and
//! bad decks are refused with the right problem, leaving nothing behind.

use std::path::{Path, PathBuf};

use courses::media::Problem;
use dangxiao_media::slides::{convert, DeckOutput, SlideSettings};
use dangxiao_media::sniff::Format;
use dangxiao_media::{Control, MediaError};
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/slides").join(name)
}

/// Converts `input` into a fresh output directory.
async fn convert_with(
    input: &Path,
    format: Format,
    settings: &SlideSettings,
) -> (TempDir, Result<DeckOutput, MediaError>) {
    let out = TempDir::new().unwrap();
    let result = convert(input, format, out.path(), settings, &Control::new()).await;
    (out, result)
}

/// Converts and expects success, checking every image on the way.
async fn converted(name: &str, format: Format) -> DeckOutput {
    let settings = SlideSettings::default();
    let (out, result) = convert_with(&fixture(name), format, &settings).await;
    let deck = result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
    for (i, slide) in deck.slides.iter().enumerate() {
        assert_eq!(slide.number as usize, i + 1, "{name}");
        for (image, width) in [(&slide.small, settings.small_width), (&slide.large, settings.large_width)] {
            assert!(image.is_relative(), "{}", image.display());
            let decoded = image::open(out.path().join(image)).unwrap_or_else(|e| panic!("{}: {e}", image.display()));
            assert_eq!(decoded.width(), width, "{}", image.display());
            assert!(decoded.height() > width / 4, "{} is {}x{}", image.display(), width, decoded.height());
        }
    }
    deck
}

/// Expects a refusal and an empty output directory.
async fn refused(input: &Path, format: Format, settings: &SlideSettings) -> Problem {
    let (out, result) = convert_with(input, format, settings).await;
    assert_empty(out.path());
    match result {
        Err(MediaError::Rejected(problem)) => problem,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn assert_empty(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// How many slide parts a PPTX package holds, read independently of the
/// code under test.
fn slide_parts(deck: &Path) -> usize {
    let zip = zip::ZipArchive::new(std::fs::File::open(deck).unwrap()).unwrap();
    zip.file_names()
        .filter(|n| n.strip_prefix("ppt/slides/slide").and_then(|n| n.strip_suffix(".xml")).is_some())
        .count()
}

#[tokio::test]
async fn a_chinese_pptx_becomes_two_slides_with_its_chinese_text() {
    let deck = converted("chinese-2-slides.pptx", Format::Pptx).await;
    assert_eq!(deck.slides.len(), 2);
    assert!(deck.slides[0].text.contains("中国共产党党课"), "{:?}", deck.slides[0].text);
    assert!(deck.slides[0].text.contains("第一讲：学习党章"), "{:?}", deck.slides[0].text);
    assert_eq!(deck.slides[1].text, "为人民服务");
    assert_eq!(deck.slides[1].small, Path::new("slides/002-small.png"));
    assert_eq!(deck.slides[1].large, Path::new("slides/002-large.png"));
}

#[tokio::test]
async fn an_odp_deck_converts_with_its_chinese_text() {
    let deck = converted("chinese-2-slides.odp", Format::Odp).await;
    assert_eq!(deck.slides.len(), 2);
    assert_eq!(deck.slides[1].text, "为人民服务");
}

#[tokio::test]
async fn a_legacy_ppt_deck_converts_with_its_chinese_text() {
    let deck = converted("chinese-2-slides.ppt", Format::Ppt).await;
    assert_eq!(deck.slides.len(), 2);
    assert!(deck.slides[0].text.contains("学习党章"), "{:?}", deck.slides[0].text);
}

#[tokio::test]
async fn every_python_pptx_deck_converts_to_as_many_slides_as_its_package_holds() {
    for (name, text) in [
        ("cht-charts.pptx", "Series 1"),
        ("dml-fill.pptx", "autoshape"),
        ("ph-populated-placeholders.pptx", "Title Text"),
        ("prs-notes.pptx", ""),
        ("shp-common-props.pptx", "textbox"),
    ] {
        let deck = converted(name, Format::Pptx).await;
        assert_eq!(deck.slides.len(), slide_parts(&fixture(name)), "{name}");
        assert!(deck.slides.iter().any(|s| s.text.contains(text)), "{name}: {:?}", deck.slides);
    }
}

#[tokio::test]
async fn a_pdf_upload_is_rendered_and_read_and_reports_full_progress() {
    let control = Control::new();
    let out = TempDir::new().unwrap();
    let input = fixture("chinese-2-slides.pdf");
    let deck = convert(&input, Format::Pdf, out.path(), &SlideSettings::default(), &control).await.unwrap();
    assert_eq!(deck.slides.len(), 2);
    assert!(deck.slides[0].text.starts_with("中国共产党党课"), "{:?}", deck.slides[0].text);
    assert_eq!(deck.slides[1].text, "为人民服务");
    assert_eq!(control.percent(), 100);
    let mut files: Vec<_> =
        std::fs::read_dir(out.path().join("slides")).unwrap().map(|e| e.unwrap().file_name()).collect();
    files.sort();
    assert_eq!(files, ["001-large.png", "001-small.png", "002-large.png", "002-small.png"]);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1, "only slides/ is left in the output directory");
}

#[tokio::test]
async fn a_pdf_that_needs_a_password_is_password_protected() {
    let problem = refused(&fixture("password-secret.pdf"), Format::Pdf, &SlideSettings::default()).await;
    assert_eq!(problem, Problem::PasswordProtected);
}

#[tokio::test]
async fn an_encrypted_pptx_is_refused_before_libreoffice_sees_it() {
    let problem = refused(&fixture("password-secret.pptx"), Format::Pptx, &SlideSettings::default()).await;
    assert_eq!(problem, Problem::PasswordProtected);
}

#[tokio::test]
async fn a_pptx_listing_no_slides_has_no_slides() {
    let problem = refused(&fixture("minimal.pptx"), Format::Pptx, &SlideSettings::default()).await;
    assert_eq!(problem, Problem::NoSlides);
}

#[tokio::test]
async fn a_zero_byte_deck_is_empty() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("talk.pptx");
    std::fs::write(&path, b"").unwrap();
    assert_eq!(refused(&path, Format::Pptx, &SlideSettings::default()).await, Problem::EmptyFile);
}

#[tokio::test]
async fn a_text_file_renamed_pptx_is_not_a_package() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("talk.pptx");
    std::fs::write(&path, "只是一些讲稿文字".as_bytes()).unwrap();
    assert_eq!(refused(&path, Format::Pptx, &SlideSettings::default()).await, Problem::NotAPackage);
}

#[tokio::test]
async fn a_truncated_pdf_is_damaged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("talk.pdf");
    std::fs::write(&path, b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog").unwrap();
    assert_eq!(refused(&path, Format::Pdf, &SlideSettings::default()).await, Problem::Damaged);
}

/// A PPTX-shaped zip whose one media entry claims to unpack to 3 GiB: the
/// sizes in its local and central headers are rewritten after writing.
fn three_gigabyte_bomb(path: &Path) {
    use std::io::Write;
    const ENTRY: &[u8] = b"ppt/media/image1.bmp";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("ppt/presentation.xml", options).unwrap();
    zip.write_all(b"<p:presentation/>").unwrap();
    zip.start_file(std::str::from_utf8(ENTRY).unwrap(), options).unwrap();
    zip.write_all(&[0u8; 4096]).unwrap();
    zip.finish().unwrap();

    let mut bytes = std::fs::read(path).unwrap();
    let declared = (3u32 << 30).to_le_bytes();
    // (signature, offset of the uncompressed size, offset of the name)
    for (signature, size_at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let starts: Vec<usize> = (0..bytes.len() - 4).filter(|&i| &bytes[i..i + 4] == signature).collect();
        for start in starts {
            if bytes[start + name_at..].starts_with(ENTRY) {
                bytes[start + size_at..start + size_at + 4].copy_from_slice(&declared);
            }
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn a_package_declaring_three_gigabytes_is_a_zip_bomb_that_libreoffice_never_sees() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("bomb.pptx");
    three_gigabyte_bomb(&path);
    assert!(std::fs::metadata(&path).unwrap().len() < 4096);
    let problem = refused(&path, Format::Pptx, &SlideSettings::default()).await;
    assert_eq!(problem, Problem::ZipBomb);
}

#[tokio::test]
async fn a_package_unpacking_past_the_configured_limit_is_a_zip_bomb() {
    let settings = SlideSettings { max_unpacked_bytes: 64 << 10, ..SlideSettings::default() };
    assert_eq!(refused(&fixture("dml-fill.pptx"), Format::Pptx, &settings).await, Problem::ZipBomb);
}

#[tokio::test]
async fn a_deck_listing_more_slides_than_allowed_is_refused_before_conversion() {
    let settings = SlideSettings { max_slides: 5, ..SlideSettings::default() };
    let problem = refused(&fixture("ph-populated-placeholders.pptx"), Format::Pptx, &settings).await;
    assert!(matches!(problem, Problem::TooManySlides { slides, limit: 5 } if slides > 5), "{problem:?}");
}

#[tokio::test]
async fn a_pdf_with_more_pages_than_allowed_is_refused() {
    let settings = SlideSettings { max_slides: 1, ..SlideSettings::default() };
    assert_eq!(
        refused(&fixture("chinese-2-slides.pdf"), Format::Pdf, &settings).await,
        Problem::TooManySlides { slides: 2, limit: 1 }
    );
}
