//! After the renditions are written: measure them, write the master
//! playlist and the stills, and describe the result.

use std::path::{Path, PathBuf};

use courses::media::MediaKind;

use super::audio::AAC_CODECS;
use super::pipeline::{Decoded, VideoPlan};
use super::probe::Inspected;
use super::{hls, poster, thumbs, Rendition, VideoOutput, AUDIO_DIR};
use crate::MediaError;

pub(crate) fn write(
    out_dir: &Path,
    inspected: &Inspected,
    plan: Option<&VideoPlan>,
    decoded: Decoded,
) -> Result<VideoOutput, MediaError> {
    let has_audio = inspected.audio.is_some();
    let playlist = |dir: &str| PathBuf::from(dir).join(hls::MEDIA_PLAYLIST);
    let uri = |dir: &str| format!("{dir}/{}", hls::MEDIA_PLAYLIST);

    let Some(plan) = plan else {
        let (bandwidth, average_bandwidth) = hls::measure_bandwidth(&out_dir.join(AUDIO_DIR))?;
        let variant = hls::Variant {
            uri: uri(AUDIO_DIR),
            bandwidth,
            average_bandwidth,
            resolution: None,
            codecs: AAC_CODECS.to_owned(),
            frame_rate: None,
        };
        hls::write_master(out_dir, &[variant])?;
        let waveform = decoded.waveform.ok_or_else(|| anyhow::anyhow!("audio without a waveform"))?;
        poster::save_jpeg(&waveform.render(), &out_dir.join(thumbs::POSTER))?;
        return Ok(VideoOutput {
            kind: MediaKind::Audio,
            duration_seconds: decoded.duration,
            renditions: Vec::new(),
            master_playlist: PathBuf::from(hls::MASTER_PLAYLIST),
            poster: PathBuf::from(thumbs::POSTER),
            thumbnails: None,
            rungs_left: Vec::new(),
        });
    };

    let mut variants = Vec::with_capacity(plan.renditions.len());
    let mut renditions = Vec::with_capacity(plan.renditions.len());
    for r in &plan.renditions {
        let dir = out_dir.join(&r.dir);
        let (bandwidth, average_bandwidth) = hls::measure_bandwidth(&dir)?;
        let mut codecs = hls::avc_codecs(&dir)?;
        if has_audio {
            codecs = format!("{codecs},{AAC_CODECS}");
        }
        variants.push(hls::Variant {
            uri: uri(&r.dir),
            bandwidth,
            average_bandwidth,
            resolution: Some((r.width, r.height)),
            codecs,
            frame_rate: Some(f64::from(plan.frame_rate)),
        });
        renditions.push(Rendition { width: r.width, height: r.height, bandwidth, playlist: playlist(&r.dir) });
    }
    hls::write_master(out_dir, &variants)?;
    let stills = decoded.stills.ok_or_else(|| anyhow::anyhow!("video without stills"))?;
    let (poster, thumbnails) = stills.write(out_dir, decoded.duration)?;
    Ok(VideoOutput {
        kind: MediaKind::Video,
        duration_seconds: decoded.duration,
        renditions,
        master_playlist: PathBuf::from(hls::MASTER_PLAYLIST),
        poster,
        thumbnails: Some(thumbnails),
        rungs_left: Vec::new(),
    })
}
