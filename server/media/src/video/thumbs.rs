//! The poster and the seek-preview strip of a video, collected from the
//! decoded frames as they pass (no second decode): a poster at about a tenth
//! of the duration, and a small frame every few seconds tiled into sprite
//! JPEGs that `thumbnails.vtt` points into with `#xywh=` fragments.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ffmpeg_next::frame;
use image::RgbImage;

use super::poster;
use crate::MediaError;

pub(crate) const POSTER: &str = "poster.jpg";
pub(crate) const THUMBNAILS_VTT: &str = "thumbnails.vtt";
/// A phone's width: the poster is the first thing a lesson page downloads
/// besides its scripts, on links where every 10 KB is a fifth of a second;
/// on a PC it shows only until the first frame.
const POSTER_MAX_WIDTH: u32 = 640;
const TILE_WIDTH: u32 = 160;
/// Tiles per sprite row and rows per sprite: 100 tiles per JPEG.
const GRID: u32 = 10;

pub(crate) struct Stills {
    poster_at: f64,
    poster_size: (u32, u32),
    poster: Option<RgbImage>,
    interval: f64,
    next_thumb: f64,
    tile: (u32, u32),
    thumbs: Vec<RgbImage>,
}

impl Stills {
    /// For a video of `duration` seconds displayed at `display_w`×`display_h`.
    pub fn new(duration: f64, display_w: u32, display_h: u32) -> Stills {
        Stills {
            poster_at: duration.max(0.0) * 0.1,
            poster_size: poster::fit(POSTER_MAX_WIDTH, display_w, display_h),
            poster: None,
            interval: thumbnail_interval(duration),
            next_thumb: 0.0,
            tile: poster::fit(TILE_WIDTH, display_w, display_h),
            thumbs: Vec::new(),
        }
    }

    /// Looks at a decoded frame shown at `t` seconds; cheap unless the frame
    /// is due for the poster or the strip.
    pub fn offer(&mut self, t: f64, frame: &frame::Video) -> Result<(), MediaError> {
        if self.poster.is_none() && t >= self.poster_at {
            self.poster = Some(poster::to_rgb(frame, self.poster_size.0, self.poster_size.1)?);
        }
        if t >= self.next_thumb {
            let tile = poster::to_rgb(frame, self.tile.0, self.tile.1)?;
            // A gap in the video repeats this frame for the missing slots so
            // that cue times stay on the regular grid.
            while t >= self.next_thumb {
                self.thumbs.push(tile.clone());
                self.next_thumb += self.interval;
            }
        }
        Ok(())
    }

    /// Uses `frame` as the poster if none was taken yet (a source shorter than
    /// its announced duration).
    pub fn fallback_poster(&mut self, frame: &frame::Video) -> Result<(), MediaError> {
        if self.poster.is_none() {
            self.poster = Some(poster::to_rgb(frame, self.poster_size.0, self.poster_size.1)?);
        }
        Ok(())
    }

    /// Writes the poster, the sprites and the WebVTT into `out_dir`; returns
    /// the poster's and the WebVTT's paths relative to it.
    pub fn write(self, out_dir: &Path, duration: f64) -> Result<(PathBuf, PathBuf), MediaError> {
        let poster = self.poster.ok_or_else(|| anyhow::anyhow!("no frame was decoded for the poster"))?;
        poster::save_jpeg(&poster, &out_dir.join(POSTER))?;

        let (tw, th) = self.tile;
        let per_sprite = (GRID * GRID) as usize;
        let mut vtt = String::from("WEBVTT\n");
        for (sprite_no, chunk) in self.thumbs.chunks(per_sprite).enumerate() {
            let name = format!("sprite_{:03}.jpg", sprite_no + 1);
            let cols = (chunk.len() as u32).min(GRID);
            let rows = (chunk.len() as u32).div_ceil(GRID);
            let mut sprite = RgbImage::new(tw * cols, th * rows);
            for (i, tile) in chunk.iter().enumerate() {
                let (x, y) = ((i as u32 % GRID) * tw, (i as u32 / GRID) * th);
                image::imageops::replace(&mut sprite, tile, i64::from(x), i64::from(y));
                let n = sprite_no * per_sprite + i;
                let start = n as f64 * self.interval;
                let end = ((n + 1) as f64 * self.interval).min(duration.max(start + 0.001));
                let _ = write!(vtt, "\n{} --> {}\n{name}#xywh={x},{y},{tw},{th}\n", vtt_time(start), vtt_time(end));
            }
            poster::save_jpeg(&sprite, &out_dir.join(&name))?;
        }
        std::fs::write(out_dir.join(THUMBNAILS_VTT), vtt)?;
        Ok((PathBuf::from(POSTER), PathBuf::from(THUMBNAILS_VTT)))
    }
}

/// Seconds between preview tiles: every 2 s for short videos, spreading to
/// at most every 10 s so that a long lecture gets about a hundred per sprite.
fn thumbnail_interval(duration: f64) -> f64 {
    (duration / 100.0).ceil().clamp(2.0, 10.0)
}

fn vtt_time(seconds: f64) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webvtt_times_have_hours_minutes_seconds_and_milliseconds() {
        assert_eq!(vtt_time(0.0), "00:00:00.000");
        assert_eq!(vtt_time(3723.5), "01:02:03.500");
    }

    #[test]
    fn long_videos_get_sparser_thumbnails() {
        assert_eq!(thumbnail_interval(10.0), 2.0);
        assert_eq!(thumbnail_interval(450.0), 5.0);
        assert_eq!(thumbnail_interval(4.0 * 3600.0), 10.0);
    }
}
