//! Sniffing decides formats from content: every real fixture is recognized,
//! and each kind of bad input is refused with the problem an organizer can
//! act on.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use courses::media::Problem;
use dangxiao_media::sniff::{sniff, sniff_with_limit, Format};
use dangxiao_media::MediaError;
use tempfile::TempDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(path)
}

fn problem(result: Result<dangxiao_media::sniff::Sniffed, MediaError>) -> Problem {
    match result {
        Err(MediaError::Rejected(problem)) => problem,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Writes `bytes` to a file called `name` in a fresh directory.
fn file_with(name: &str, bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// A zip holding `entries` (name, content), deflated.
fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = ZipWriter::new(File::create(path).unwrap());
    for (name, content) in entries {
        zip.start_file(*name, SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn every_pptx_fixture_is_sniffed_as_pptx() {
    for name in [
        "minimal.pptx",
        "cht-charts.pptx",
        "dml-fill.pptx",
        "ph-populated-placeholders.pptx",
        "prs-notes.pptx",
        "shp-common-props.pptx",
        "chinese-2-slides.pptx",
    ] {
        let sniffed = sniff(&fixture(&format!("slides/{name}")), name).unwrap();
        assert_eq!(sniffed.format, Format::Pptx, "{name}");
        assert!(sniffed.mime.contains("presentationml"), "{name}: {}", sniffed.mime);
    }
}

#[test]
fn odp_ppt_and_pdf_fixtures_are_sniffed_from_their_content_whatever_their_name() {
    for (name, format) in [
        ("chinese-2-slides.odp", Format::Odp),
        ("chinese-2-slides.ppt", Format::Ppt),
        ("chinese-2-slides.pdf", Format::Pdf),
        // Encryption of a PDF is found by poppler when it is opened.
        ("password-secret.pdf", Format::Pdf),
    ] {
        assert_eq!(sniff(&fixture(&format!("slides/{name}")), "upload.bin").unwrap().format, format, "{name}");
    }
}

#[test]
fn every_media_fixture_is_audio_visual() {
    for (name, mime) in [
        ("video-1080p-60fps-2s.mp4", "video/mp4"),
        ("video-1s.mp4", "video/mp4"),
        ("Big_Buck_Bunny_180_10s.webm", "video/webm"),
        ("video-15s.avi", "video/x-msvideo"),
        ("video-3s.avi", "video/x-msvideo"),
        ("audio-3s.wav", "audio/x-wav"),
    ] {
        let sniffed = sniff(&fixture(&format!("media/{name}")), name).unwrap();
        assert_eq!((sniffed.format, sniffed.mime), (Format::AudioVisual, mime), "{name}");
    }
}

#[test]
fn containers_made_by_ffmpeg_from_the_fixtures_are_audio_visual() {
    let dir = TempDir::new().unwrap();
    let (video, audio) = (fixture("media/video-1s.mp4"), fixture("media/audio-3s.wav"));
    for (source, name, args) in [
        (&video, "clip.ts", &["-c", "copy", "-f", "mpegts"][..]),
        (&video, "clip.mkv", &["-c", "copy"][..]),
        (&video, "clip.mov", &["-c", "copy"][..]),
        (&audio, "talk.mp3", &["-c:a", "libmp3lame"][..]),
        (&audio, "talk.flac", &[][..]),
        (&audio, "talk.ogg", &["-c:a", "libvorbis"][..]),
        (&audio, "talk.m4a", &["-c:a", "aac"][..]),
    ] {
        let out = dir.path().join(name);
        let status =
            Command::new("ffmpeg").args(["-v", "error", "-y", "-i"]).arg(source).args(args).arg(&out).status().unwrap();
        assert!(status.success(), "ffmpeg made no {name}");
        let sniffed = sniff(&out, "upload").unwrap();
        assert_eq!(sniffed.format, Format::AudioVisual, "{name}: {}", sniffed.mime);
    }
}

#[test]
fn a_zero_byte_file_is_empty() {
    let (_dir, path) = file_with("talk.pptx", b"");
    assert_eq!(problem(sniff(&path, "talk.pptx")), Problem::EmptyFile);
}

#[test]
fn a_text_file_renamed_mp4_is_unrecognized_text() {
    let (_dir, path) = file_with("lecture.mp4", "第一讲：学习党章\nChapter one\n".as_bytes());
    assert_eq!(problem(sniff(&path, "lecture.mp4")), Problem::UnrecognizedType { detected: Some("text/plain".into()) });
}

#[test]
fn a_text_file_renamed_pptx_is_not_a_package() {
    let (_dir, path) = file_with("talk.pptx", b"these are my speaker notes, not a deck\n");
    assert_eq!(problem(sniff(&path, "talk.pptx")), Problem::NotAPackage);
}

#[test]
fn a_pptx_cut_short_is_not_a_package() {
    let deck = std::fs::read(fixture("slides/minimal.pptx")).unwrap();
    let (_dir, path) = file_with("talk.pptx", &deck[..deck.len() / 2]);
    assert_eq!(problem(sniff(&path, "talk.pptx")), Problem::NotAPackage);
}

#[test]
fn an_image_renamed_pptx_is_not_a_package_but_named_png_is_an_image() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    let (_dir, path) = file_with("talk.pptx", png);
    assert_eq!(problem(sniff(&path, "talk.pptx")), Problem::NotAPackage);
    assert_eq!(problem(sniff(&path, "photo.png")), Problem::UnrecognizedType { detected: Some("image/png".into()) });
}

#[test]
fn a_zip_that_is_no_deck_is_an_unrecognized_zip() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("notes.zip");
    zip_with(&path, &[("notes.txt", b"hello")]);
    assert_eq!(
        problem(sniff(&path, "notes.zip")),
        Problem::UnrecognizedType { detected: Some("application/zip".into()) }
    );
    assert_eq!(problem(sniff(&path, "notes.pptx")), Problem::NotAPackage);
}

#[test]
fn a_package_whose_entry_expands_a_thousandfold_is_a_zip_bomb() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("bomb.pptx");
    let mut zip = ZipWriter::new(File::create(&path).unwrap());
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("ppt/presentation.xml", options).unwrap();
    zip.write_all(b"<p:presentation/>").unwrap();
    zip.start_file("ppt/media/image1.bmp", options.large_file(true)).unwrap();
    io::copy(&mut io::repeat(0).take(64 << 20), &mut zip).unwrap();
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 256 << 10, "deflate should shrink zeros a thousandfold");

    assert_eq!(problem(sniff(&path, "bomb.pptx")), Problem::ZipBomb);
}

#[test]
fn a_package_declaring_more_than_the_limit_is_a_zip_bomb() {
    let deck = fixture("slides/dml-fill.pptx");
    assert_eq!(sniff_with_limit(&deck, "dml-fill.pptx", 100 << 20).unwrap().format, Format::Pptx);
    assert_eq!(problem(sniff_with_limit(&deck, "dml-fill.pptx", 64 << 10)), Problem::ZipBomb);
}

#[test]
fn an_encrypted_pptx_is_password_protected() {
    let path = fixture("slides/password-secret.pptx");
    assert_eq!(problem(sniff(&path, "password-secret.pptx")), Problem::PasswordProtected);
}

#[test]
fn an_odp_with_encrypted_entries_is_password_protected() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("secret.odp");
    let manifest = br#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#;
    zip_with(
        &path,
        &[("mimetype", b"application/vnd.oasis.opendocument.presentation"), ("META-INF/manifest.xml", manifest)],
    );
    assert_eq!(problem(sniff(&path, "secret.odp")), Problem::PasswordProtected);
}

/// An OLE file shaped like a PowerPoint 97 deck whose `Current User` stream
/// carries `header_token` ([MS-PPT] 2.3.2).
fn legacy_ppt(path: &Path, header_token: u32) {
    let mut ole = cfb::create(path).unwrap();
    ole.create_stream("/PowerPoint Document").unwrap().write_all(&[0u8; 64]).unwrap();
    let mut current_user = vec![0u8; 12];
    current_user.extend_from_slice(&header_token.to_le_bytes());
    current_user.extend_from_slice(&[0u8; 16]);
    ole.create_stream("/Current User").unwrap().write_all(&current_user).unwrap();
    ole.flush().unwrap();
}

#[test]
fn a_legacy_ppt_is_password_protected_only_when_its_header_token_says_encrypted() {
    let dir = TempDir::new().unwrap();
    let (plain, secret) = (dir.path().join("plain.ppt"), dir.path().join("secret.ppt"));
    legacy_ppt(&plain, 0xE391_C05F);
    legacy_ppt(&secret, 0xF3D1_C4DF);
    assert_eq!(sniff(&plain, "plain.ppt").unwrap().format, Format::Ppt);
    assert_eq!(problem(sniff(&secret, "secret.ppt")), Problem::PasswordProtected);
}
