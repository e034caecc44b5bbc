//! The 结业证书 as a PDF: A4 landscape, the class, the graduate's name,
//! their 学时, grade and dates, the issuing org, the serial, and a QR code
//! of the public verification address. krilla embeds only the glyphs the
//! page uses (a subset of the CJK font), so a certificate is tens of KB
//! however large the font collection is.

use std::sync::Arc;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use qrcode::{Color, EcLevel, QrCode};

use crate::error::{Error, Result};

/// A4 landscape, in points.
const WIDTH: f32 = 841.89;
const HEIGHT: f32 = 595.28;
const RED: (u8, u8, u8) = (0xb7, 0x1c, 0x1c);
const GOLD: (u8, u8, u8) = (0xc9, 0xa2, 0x27);
const INK: (u8, u8, u8) = (0x22, 0x22, 0x22);

/// What a certificate says.
#[derive(Debug, Clone)]
pub struct CertificateText {
    pub name: String,
    pub class_name: String,
    pub term_from: String,
    pub term_to: String,
    pub hours: f64,
    /// 优秀 or 合格.
    pub grade: String,
    pub issuer: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub serial: String,
    /// The public verification page of this certificate.
    pub verify_url: String,
    /// What the download is called.
    pub file_name: String,
}

/// The font a certificate is set in: a CJK font file (a `.ttc` collection
/// and the face in it, or a `.ttf`/`.otf` with index 0).
#[derive(Debug, Clone)]
pub struct CertificateFont {
    pub data: Arc<Vec<u8>>,
    pub index: u32,
}

fn fill(color: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Roughly how wide `text` is at `size`: CJK characters and full-width
/// punctuation take a whole em, the rest half, which is how the CJK fonts
/// set them; enough to centre a line.
fn width_of(text: &str, size: f32) -> f32 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum::<f32>() * size
}

/// Writes one line at `(x, y)`; no `x`: centred on the page.
fn line(surface: &mut Surface<'_>, font: &Font, text: &str, size: f32, at: (Option<f32>, f32), color: (u8, u8, u8)) {
    surface.set_fill(Some(fill(color)));
    let x = at.0.unwrap_or((WIDTH - width_of(text, size)) / 2.0);
    surface.draw_text(Point::from_xy(x, at.1), font.clone(), size, text, false, TextDirection::Auto);
}

/// 学时 as a person writes them: `40`, `40.5`.
fn hours(h: f64) -> String {
    let tenths = (h * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

/// Renders the certificate.
pub fn render(font: &CertificateFont, c: &CertificateText) -> Result<Vec<u8>> {
    let font = Font::new(font.data.clone().into(), font.index)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("the certificate font cannot be read")))?;
    let mut document = Document::new();
    let settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::Internal(anyhow::anyhow!("bad page size")))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();

    // A red frame with a gold line inside it.
    for (inset, color, width) in [(24.0, RED, 6.0), (36.0, GOLD, 1.5)] {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(inset, inset, WIDTH - 2.0 * inset, HEIGHT - 2.0 * inset) {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(color.0, color.1, color.2).into(),
                width,
                ..Default::default()
            }));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);

    let s = &mut surface;
    line(s, &font, "结业证书", 44.0, (None, 130.0), RED);
    line(s, &font, &format!("{} 同志：", c.name), 22.0, (Some(110.0), 205.0), INK);
    let body = format!("于 {} 至 {} 参加{}，", c.term_from, c.term_to, c.class_name);
    line(s, &font, &body, 18.0, (Some(150.0), 250.0), INK);
    let result = format!("完成学习 {} 学时，考核成绩{}，准予结业。", hours(c.hours), c.grade);
    line(s, &font, &result, 18.0, (Some(150.0), 285.0), INK);
    line(s, &font, "特发此证。", 18.0, (Some(150.0), 320.0), INK);
    line(s, &font, &c.issuer, 20.0, (Some(470.0), 440.0), INK);
    line(s, &font, &c.issued_on, 18.0, (Some(470.0), 475.0), INK);
    line(s, &font, &format!("证书编号：{}", c.serial), 12.0, (Some(80.0), 540.0), INK);

    // The QR code of the verification page, bottom left.
    let code = QrCode::with_error_correction_level(c.verify_url.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Internal(anyhow::anyhow!("cannot make the QR code: {e}")))?;
    let modules = code.width();
    let cell = 2.6_f32;
    let (left, top) = (80.0_f32, 400.0_f32);
    let mut pb = PathBuilder::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = ((i % modules) as f32, (i / modules) as f32);
            if let Some(r) = Rect::from_xywh(left + x * cell, top + y * cell, cell, cell) {
                pb.push_rect(r);
            }
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_fill(Some(fill(INK)));
        surface.draw_path(&path);
    }
    line(&mut surface, &font, "扫码验证", 10.0, (Some(left), top + modules as f32 * cell + 16.0), INK);

    surface.finish();
    page.finish();
    document.finish().map_err(|e| Error::Internal(anyhow::anyhow!("cannot write the certificate: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Debian's fonts-noto-cjk (the scripts install it); face 2 of the
    /// collection is Simplified Chinese.
    const FONT: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";

    fn text() -> CertificateText {
        CertificateText {
            name: "赵进步".into(),
            class_name: "2026年第二期入党积极分子培训班".into(),
            term_from: "2026-09-01".into(),
            term_to: "2026-12-31".into(),
            hours: 40.5,
            grade: "优秀".into(),
            issuer: "示范市委党校党委".into(),
            issued_on: "2026-12-31".into(),
            serial: "DX-2026-1-0001-K7Q2M9".into(),
            verify_url: "https://dangxiao.example.org/verify/DX-2026-1-0001-K7Q2M9".into(),
            file_name: "c.pdf".into(),
        }
    }

    #[test]
    fn a_certificate_is_small_has_the_name_and_serial_as_text_and_a_readable_qr_code() {
        let font = CertificateFont { data: Arc::new(std::fs::read(FONT).expect("fonts-noto-cjk")), index: 2 };
        let pdf = render(&font, &text()).expect("render");
        assert!(pdf.len() < 200_000, "{} bytes: the font is not subset", pdf.len());
        if let Ok(dir) = std::env::var("DANGXIAO_CERTIFICATE_SAMPLE") {
            std::fs::write(std::path::Path::new(&dir).join("certificate.pdf"), &pdf).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.pdf");
        std::fs::write(&file, &pdf).unwrap();
        let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext");
        let words = String::from_utf8_lossy(&out.stdout);
        assert!(words.contains("赵进步") && words.contains("DX-2026-1-0001-K7Q2M9"), "{words}");
        assert!(words.contains("结业证书"), "{words}");
        let png = dir.path().join("c");
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "150", "-png", "-singlefile"])
            .arg(&file)
            .arg(&png)
            .status();
        assert!(status.expect("pdftoppm").success());
        let page = image::open(dir.path().join("c.png")).expect("png").to_luma8();
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
                page.get_pixel(x as u32, y as u32).0[0]
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on the page");
        let (_, content) = grids[0].decode().expect("decode");
        assert_eq!(content, text().verify_url);
    }
}
