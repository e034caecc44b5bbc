//! Audio and video: probing and in-process HLS transcoding with ffmpeg-next.

use std::path::{Path, PathBuf};

use courses::media::{MediaKind, Problem};

use crate::{Control, MediaError};

mod audio;
mod encode;
mod hls;
mod ladder;
mod outdir;
mod pipeline;
mod poster;
mod probe;
mod source;
mod summarize;
mod thumbs;

/// Directory of the single rendition of an audio-only source.
const AUDIO_DIR: &str = "audio";

/// One rung of the adaptive ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    pub height: u32,
    /// Target video bitrate in kbit/s.
    pub video_kbps: u32,
    /// This rung's own, smaller AAC bitrate in kbit/s; `None` carries the
    /// audio every other rung shares (`VideoSettings::audio_kbps`).
    pub audio_kbps: Option<u32>,
}

impl Rung {
    /// A rung with the shared audio.
    pub const fn new(height: u32, video_kbps: u32) -> Rung {
        Rung { height, video_kbps, audio_kbps: None }
    }
}

/// How to transcode.
#[derive(Debug, Clone)]
pub struct VideoSettings {
    /// The ladder, highest first; rungs above the source's height are skipped.
    pub ladder: Vec<Rung>,
    /// Target HLS segment length in seconds.
    pub segment_seconds: u32,
    /// libx264 preset.
    pub x264_preset: String,
    pub audio_kbps: u32,
    /// Longest source accepted, in seconds.
    pub max_duration_seconds: u64,
    /// Threads for the decoder (libavcodec defaults to one).
    pub decoder_threads: usize,
}

impl Default for VideoSettings {
    fn default() -> Self {
        VideoSettings {
            ladder: vec![
                Rung::new(1080, 5000),
                Rung::new(720, 2800),
                Rung::new(480, 1400),
                Rung::new(360, 800),
                // For weak mobile links: small segments, so a lesson starts
                // within seconds at 400 kbit/s,
                // and a rung a player can fall back to there. Its AAC is 48
                // kbit/s instead of 128: at 128 the sound alone would take a
                // third of such a link.
                Rung { height: 240, video_kbps: 200, audio_kbps: Some(48) },
            ],
            segment_seconds: 4,
            x264_preset: "veryfast".into(),
            audio_kbps: 128,
            max_duration_seconds: 4 * 3600,
            decoder_threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        }
    }
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub duration_seconds: f64,
    /// `(width, height)` of the first decodable video stream.
    pub video: Option<(u32, u32)>,
    pub has_audio: bool,
}

/// One produced video rendition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    /// Peak bandwidth announced in the master playlist, bit/s.
    pub bandwidth: u64,
    /// Media playlist, relative to the output directory.
    pub playlist: PathBuf,
}

/// Which rungs of the ladder one transcode makes. A lesson is published as
/// soon as its lowest rung is ready ([`Part::Lowest`]); the rungs above it
/// follow in a second pass ([`Part::AboveLowest`]) that decodes the source
/// again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    Lowest,
    AboveLowest,
}

/// What [`transcode`] wrote into the output directory.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoOutput {
    /// `Video`, or `Audio` for a source without a video stream.
    pub kind: MediaKind,
    pub duration_seconds: f64,
    /// Video renditions, highest first; empty for audio.
    pub renditions: Vec<Rendition>,
    /// `master.m3u8`, relative to the output directory.
    pub master_playlist: PathBuf,
    /// Poster image, relative to the output directory.
    pub poster: PathBuf,
    /// WebVTT file of seek-preview thumbnails (video only), relative.
    pub thumbnails: Option<PathBuf>,
    /// Heights of the rungs this part left to [`Part::AboveLowest`],
    /// highest first; empty when the ladder is complete.
    pub rungs_left: Vec<u32>,
}

/// Lowers libav's process-wide log level to errors, so a worker's log is not
/// filled with a line per HLS segment written. Call once at start-up.
pub fn quiet_libav_logs() {
    ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Error);
}

/// Reads duration and streams; refuses files without a decodable stream.
///
/// The first frames of the chosen streams are decoded, so a file whose
/// container opens but whose data is garbage is refused here too.
pub fn probe(input: &Path) -> Result<Probe, MediaError> {
    Ok(probe::inspect(input)?.probe)
}

/// Transcodes `input` into `out_dir` (which must exist and be empty).
///
/// Video becomes an HLS ladder (one `v<height>/` directory per rendition,
/// each with `index.m3u8`, `init.mp4` and `seg_NNNNN.m4s` carrying H.264 and
/// the shared AAC track), `master.m3u8`, `poster.jpg`, and `thumbnails.vtt`
/// with its `sprite_NNN.jpg` tiles. Audio becomes `audio/` with one AAC
/// rendition, `master.m3u8`, and a waveform `poster.jpg`.
///
/// The source is probed (and its duration checked against the limit) before
/// any encoding. On any error or cancellation `out_dir` is left empty.
pub fn transcode(
    input: &Path,
    out_dir: &Path,
    settings: &VideoSettings,
    control: &Control,
) -> Result<VideoOutput, MediaError> {
    transcode_part(input, out_dir, settings, control, Part::Whole)
}

/// Like [`transcode`], making only `part` of the ladder. The master playlist
/// lists the renditions made; for [`Part::AboveLowest`] it is merged with the
/// lowest rung's by [`merge_masters`]. A source whose ladder has a single
/// rung makes it in [`Part::Lowest`], and has nothing above it.
pub fn transcode_part(
    input: &Path,
    out_dir: &Path,
    settings: &VideoSettings,
    control: &Control,
    part: Part,
) -> Result<VideoOutput, MediaError> {
    if out_dir.to_str().is_none() {
        // libavformat gets paths as `&str` (ffmpeg-next panics otherwise).
        return Err(anyhow::anyhow!("output path {} is not UTF-8", out_dir.display()).into());
    }
    outdir::ensure_empty(out_dir)?;
    let guard = outdir::CleanOnDrop::new(out_dir);
    control.check()?;
    let inspected = probe::inspect(input)?;
    let duration = inspected.probe.duration_seconds;
    if duration > settings.max_duration_seconds as f64 {
        let seconds = duration.ceil() as u64;
        return Err(MediaError::Rejected(Problem::TooLong { seconds, limit_seconds: settings.max_duration_seconds }));
    }
    let mut plan = video_plan(&inspected, settings)?;
    let mut rungs_left = Vec::new();
    if let Some(plan) = plan.as_mut() {
        let lowest = plan.renditions.len() - 1;
        match part {
            Part::Whole => {}
            Part::Lowest => {
                rungs_left = plan.renditions.drain(..lowest).map(|r| r.height).collect();
            }
            Part::AboveLowest if lowest == 0 => {
                return Err(anyhow::anyhow!("the ladder has no rung above the lowest").into());
            }
            Part::AboveLowest => {
                plan.renditions.truncate(lowest);
            }
        }
    } else if part == Part::AboveLowest {
        return Err(anyhow::anyhow!("audio has no rungs above the lowest").into());
    }
    let decoded = pipeline::run(input, out_dir, settings, control, &inspected, plan.as_ref())?;
    control.check()?;
    let mut output = summarize::write(out_dir, &inspected, plan.as_ref(), decoded)?;
    output.rungs_left = rungs_left;
    control.set_progress(1.0);
    guard.keep();
    Ok(output)
}

/// The master playlist of a complete ladder: `lower`'s variants (the master
/// of [`Part::Lowest`]) and `higher`'s (of [`Part::AboveLowest`]), whose
/// playlists sit under `higher_dir/` relative to `lower`'s master. Highest
/// bandwidth first, as [`transcode`] writes them.
pub fn merge_masters(lower: &str, higher: &str, higher_dir: &str) -> Result<String, MediaError> {
    hls::merge_masters(lower, higher, higher_dir)
}

fn video_plan(
    inspected: &probe::Inspected,
    settings: &VideoSettings,
) -> Result<Option<pipeline::VideoPlan>, MediaError> {
    let (Some((w, h)), Some(_)) = (inspected.probe.video, inspected.video) else {
        return Ok(None);
    };
    let renditions = ladder::plan(&settings.ladder, w, h, inspected.sar);
    let Some(top) = renditions.first() else {
        return Err(anyhow::anyhow!("the ladder has no rung for a {w}x{h} source").into());
    };
    let display = (top.width, top.height);
    Ok(Some(pipeline::VideoPlan { renditions, display, frame_rate: inspected.frame_rate }))
}
