//! Still images: turning a decoded frame into an RGB picture, saving JPEGs,
//! and the waveform that stands in for a poster when there is no picture.

use std::path::Path;

use ffmpeg::format::Pixel;
use ffmpeg::frame;
use ffmpeg::software::scaling;
use ffmpeg_next as ffmpeg;
use image::{Rgb, RgbImage};

use crate::MediaError;

/// JPEG quality for posters and thumbnail sprites: small files, no visible
/// blocking at these sizes.
const JPEG_QUALITY: u8 = 82;

/// Scales `frame` to `width`×`height` RGB.
pub(crate) fn to_rgb(frame: &frame::Video, width: u32, height: u32) -> Result<RgbImage, MediaError> {
    let fail = |e: ffmpeg::Error| MediaError::Failed(anyhow::anyhow!("converting a frame to RGB: {e}"));
    let mut sws = scaling::Context::get(
        frame.format(),
        frame.width(),
        frame.height(),
        Pixel::RGB24,
        width,
        height,
        scaling::Flags::BICUBIC,
    )
    .map_err(fail)?;
    let mut rgb = frame::Video::empty();
    sws.run(frame, &mut rgb).map_err(fail)?;
    let stride = rgb.stride(0);
    let row = width as usize * 3;
    let data = rgb.data(0);
    let mut pixels = Vec::with_capacity(row * height as usize);
    for y in 0..height as usize {
        let line = data.get(y * stride..y * stride + row).ok_or_else(|| anyhow::anyhow!("short RGB plane"))?;
        pixels.extend_from_slice(line);
    }
    RgbImage::from_raw(width, height, pixels).ok_or_else(|| anyhow::anyhow!("RGB buffer of the wrong size").into())
}

/// Writes `image` as a JPEG.
pub(crate) fn save_jpeg(image: &RgbImage, path: &Path) -> Result<(), MediaError> {
    let file = std::fs::File::create(path)?;
    let mut writer = std::io::BufWriter::new(file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|e| anyhow::anyhow!("encoding {}: {e}", path.display()))?;
    std::io::Write::flush(&mut writer)?;
    Ok(())
}

/// Size of a still at most `max_width` wide with the source's display aspect,
/// even in both directions.
pub(crate) fn fit(max_width: u32, display_w: u32, display_h: u32) -> (u32, u32) {
    let w = display_w.min(max_width).max(2) & !1;
    let h = ((f64::from(w) * f64::from(display_h) / f64::from(display_w.max(1)) / 2.0).round() as u32 * 2).max(2);
    (w, h.min(8192))
}

const WAVE_WIDTH: u32 = 1280;
const WAVE_HEIGHT: u32 = 360;

/// Peak levels of an audio track, one column per pixel, gathered while the
/// track is encoded; rendered as the poster of an audio-only upload.
pub(crate) struct Waveform {
    /// `(min, max)` sample per column.
    columns: Vec<(f32, f32)>,
    samples_per_column: f64,
    seen: u64,
}

impl Waveform {
    pub fn new(duration_seconds: f64, rate: u32) -> Waveform {
        // An unknown duration spreads over a minute; better than one column.
        let duration = if duration_seconds > 0.0 { duration_seconds } else { 60.0 };
        let total = duration * f64::from(rate.max(1));
        Waveform {
            columns: vec![(0.0, 0.0); WAVE_WIDTH as usize],
            samples_per_column: (total / f64::from(WAVE_WIDTH)).max(1.0),
            seen: 0,
        }
    }

    /// Adds samples of one channel (float, nominally −1..1).
    pub fn add(&mut self, samples: &[f32]) {
        let last = self.columns.len() - 1;
        for &s in samples {
            let col = ((self.seen as f64 / self.samples_per_column) as usize).min(last);
            let c = &mut self.columns[col];
            c.0 = c.0.min(s);
            c.1 = c.1.max(s);
            self.seen += 1;
        }
    }

    pub fn render(&self) -> RgbImage {
        let background = Rgb([24, 32, 44]);
        let bar = Rgb([200, 40, 40]);
        let axis = Rgb([70, 80, 95]);
        let mut img = RgbImage::from_pixel(WAVE_WIDTH, WAVE_HEIGHT, background);
        let mid = WAVE_HEIGHT as f32 / 2.0;
        let scale = mid - 8.0;
        for (x, &(lo, hi)) in self.columns.iter().enumerate() {
            let top = (mid - hi.clamp(-1.0, 1.0) * scale).floor() as u32;
            let bottom = (mid - lo.clamp(-1.0, 1.0) * scale).ceil() as u32;
            img.put_pixel(x as u32, mid as u32, axis);
            for y in top.min(WAVE_HEIGHT - 1)..=bottom.min(WAVE_HEIGHT - 1) {
                img.put_pixel(x as u32, y, bar);
            }
        }
        img
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stills_keep_the_aspect_ratio_with_even_sides() {
        assert_eq!(fit(1280, 1920, 1080), (1280, 720));
        assert_eq!(fit(1280, 320, 180), (320, 180));
        assert_eq!(fit(160, 256, 240), (160, 150));
        assert_eq!(fit(160, 255, 241), (160, 152));
    }

    #[test]
    fn a_loud_passage_draws_taller_bars_than_silence() {
        let mut w = Waveform::new(2.0, 1280);
        w.add(&vec![0.0; 1280]);
        w.add(&(0..1280).map(|i| if i % 2 == 0 { 0.9 } else { -0.9 }).collect::<Vec<_>>());
        let img = w.render();
        let red = |x: u32| (0..WAVE_HEIGHT).filter(|&y| img.get_pixel(x, y) == &Rgb([200, 40, 40])).count();
        assert!(red(100) < 5);
        assert!(red(1000) > 250);
    }
}
