//! Audio and video: probing and in-process HLS transcoding with ffmpeg-next.

use std::path::{Path, PathBuf};

use courses::media::MediaKind;

use crate::{Control, MediaError};

/// One rung of the adaptive ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    pub height: u32,
    /// Target video bitrate in kbit/s.
    pub video_kbps: u32,
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
                Rung { height: 1080, video_kbps: 5000 },
                Rung { height: 720, video_kbps: 2800 },
                Rung { height: 480, video_kbps: 1400 },
                Rung { height: 360, video_kbps: 800 },
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
}

/// Reads duration and streams; refuses files without a decodable stream.
pub fn probe(input: &Path) -> Result<Probe, MediaError> {
    let _ = input;
    Err(MediaError::Failed(anyhow::anyhow!("probing is not implemented yet")))
}

/// Transcodes `input` into `out_dir` (which must exist and be empty).
pub fn transcode(
    input: &Path,
    out_dir: &Path,
    settings: &VideoSettings,
    control: &Control,
) -> Result<VideoOutput, MediaError> {
    let _ = (input, out_dir, settings, control);
    Err(MediaError::Failed(anyhow::anyhow!("transcoding is not implemented yet")))
}
