//! Which renditions to make from a source: the rungs of the configured
//! ladder that fit under the source's height, with even dimensions (H.264
//! with 4:2:0 chroma needs them) and the x264 rate-control numbers.

use super::Rung;

/// One video rendition to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    /// Output size in square pixels, both even.
    pub width: u32,
    pub height: u32,
    /// Target video bitrate, kbit/s.
    pub video_kbps: u32,
    /// Its own AAC bitrate, kbit/s; `None`: the audio the others share.
    pub audio_kbps: Option<u32>,
    /// Subdirectory of the output directory, e.g. `v720`.
    pub dir: String,
}

impl Planned {
    /// x264 `maxrate`, kbit/s: a little headroom over the target so that
    /// complex scenes keep their quality without blowing the bandwidth that
    /// the master playlist announces.
    pub fn max_kbps(&self) -> u32 {
        self.video_kbps.saturating_mul(11) / 10
    }

    /// x264 `bufsize`, kbit: two seconds at the target rate, the usual VBV
    /// window for segmented streaming.
    pub fn buffer_kbits(&self) -> u32 {
        self.video_kbps.saturating_mul(2)
    }
}

/// The smallest bitrate we give a rendition, whatever its size, kbit/s.
const MIN_KBPS: u32 = 150;

/// Plans the renditions for a source of `width`×`height` whose pixels have
/// the aspect ratio `sar` (`num/den`; `0/1` or `0/0` means square).
///
/// Rungs taller than the source are skipped, so nothing is upscaled. A source
/// shorter than every rung gets one rendition at its own height, with the
/// lowest rung's bitrate scaled down by area.
pub(crate) fn plan(ladder: &[Rung], width: u32, height: u32, sar: (i32, i32)) -> Vec<Planned> {
    if width == 0 || height == 0 {
        return Vec::new();
    }
    let display_aspect = display_aspect(width, height, sar);
    let mut rungs: Vec<&Rung> = ladder.iter().filter(|r| r.height > 0 && r.height <= height).collect();
    rungs.sort_by_key(|r| std::cmp::Reverse(r.height));
    rungs.dedup_by_key(|r| r.height);

    if rungs.is_empty() {
        let Some(lowest) = ladder.iter().filter(|r| r.height > 0).min_by_key(|r| r.height) else {
            return Vec::new();
        };
        let h = even(height);
        let w = even_width(h, display_aspect);
        let area_ratio = f64::from(h) / f64::from(lowest.height);
        let kbps = ((f64::from(lowest.video_kbps) * area_ratio * area_ratio).round() as u32).max(MIN_KBPS);
        return vec![planned(w, h, kbps, lowest.audio_kbps)];
    }
    rungs
        .into_iter()
        .map(|r| {
            let h = even(r.height);
            planned(even_width(h, display_aspect), h, r.video_kbps.max(MIN_KBPS), r.audio_kbps)
        })
        .collect()
}

fn planned(width: u32, height: u32, video_kbps: u32, audio_kbps: Option<u32>) -> Planned {
    Planned { width, height, video_kbps, audio_kbps, dir: format!("v{height}") }
}

fn display_aspect(width: u32, height: u32, (num, den): (i32, i32)) -> f64 {
    let sar = if num > 0 && den > 0 { f64::from(num) / f64::from(den) } else { 1.0 };
    f64::from(width) * sar / f64::from(height)
}

/// Rounds down to an even number, never below 2.
fn even(v: u32) -> u32 {
    (v & !1).max(2)
}

fn even_width(height: u32, aspect: f64) -> u32 {
    let w = (f64::from(height) * aspect / 2.0).round() * 2.0;
    if w.is_finite() && w >= 2.0 {
        // Cap far above any real video so a nonsense aspect ratio cannot
        // ask the encoder for a gigantic frame.
        (w as u32).min(8192)
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::VideoSettings;

    fn sizes(p: &[Planned]) -> Vec<(u32, u32)> {
        p.iter().map(|r| (r.width, r.height)).collect()
    }

    #[test]
    fn a_1080p_source_gets_the_whole_ladder() {
        let p = plan(&VideoSettings::default().ladder, 1920, 1080, (1, 1));
        assert_eq!(sizes(&p), vec![(1920, 1080), (1280, 720), (854, 480), (640, 360), (426, 240)]);
        assert_eq!(p[1].dir, "v720");
        assert_eq!(p[0].video_kbps, 5000);
        assert_eq!(p[0].audio_kbps, None, "the top rungs share the audio");
        assert_eq!(p[4].audio_kbps, Some(48), "the weak-link rung has its own, smaller audio");
    }

    #[test]
    fn rungs_above_the_source_are_skipped() {
        let p = plan(&VideoSettings::default().ladder, 1280, 720, (0, 1));
        assert_eq!(sizes(&p), vec![(1280, 720), (854, 480), (640, 360), (426, 240)]);
    }

    #[test]
    fn a_source_below_every_rung_gets_one_rendition_at_its_own_even_size() {
        let p = plan(&VideoSettings::default().ladder, 320, 180, (1, 1));
        assert_eq!(sizes(&p), vec![(320, 180)]);
        assert!(p[0].video_kbps <= 200 && p[0].video_kbps >= MIN_KBPS);
        assert_eq!(p[0].audio_kbps, Some(48), "a tiny source is for weak links too");

        let odd = plan(&VideoSettings::default().ladder, 255, 241, (1, 1));
        assert_eq!(sizes(&odd), vec![(254, 240)]);
    }

    #[test]
    fn anamorphic_pixels_are_made_square() {
        // DVD-style 720x480 with 32:27 pixels displays as 16:9.
        let p = plan(&[Rung::new(480, 1400)], 720, 480, (32, 27));
        assert_eq!(sizes(&p), vec![(854, 480)]);
    }

    #[test]
    fn empty_sources_and_ladders_plan_nothing() {
        assert!(plan(&VideoSettings::default().ladder, 0, 0, (1, 1)).is_empty());
        assert!(plan(&[], 640, 360, (1, 1)).is_empty());
    }
}
