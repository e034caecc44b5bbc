//! Probing: what is in a file, and can we decode it? Opening is not enough
//! (a container can name a codec whose data is garbage), so the probe decodes
//! the first frames of the chosen streams.

use std::path::Path;

use courses::media::Problem;
use ffmpeg::{codec, frame, Packet, Rational};
use ffmpeg_next as ffmpeg;

use super::source::{self, Source};
use super::Probe;
use crate::MediaError;

/// Packets read while looking for the first frames; past this the streams
/// whose decoders opened are given the benefit of the doubt.
const PACKET_BUDGET: usize = 2000;
/// Read errors (other than end of file) tolerated before calling it damaged.
pub(crate) const MAX_READ_ERRORS: usize = 8;

/// A probe plus what the pipeline needs to read the same streams again.
pub(crate) struct Inspected {
    pub probe: Probe,
    pub video: Option<usize>,
    pub audio: Option<usize>,
    /// Sample (pixel) aspect ratio of the video, `(num, den)`.
    pub sar: (i32, i32),
    /// Nominal frame rate of the video, for GOP sizes.
    pub frame_rate: Rational,
}

pub(crate) fn inspect(path: &Path) -> Result<Inspected, MediaError> {
    let mut src = source::open(path)?;
    let mut video = src.video.and_then(|i| source::open_decoder(&src.ictx, i, 1).ok()?.video().ok());
    let mut audio = src.audio.and_then(|i| source::open_decoder(&src.ictx, i, 1).ok()?.audio().ok());
    if video.is_none() && audio.is_none() {
        return Err(MediaError::Rejected(Problem::NoDecodableStream));
    }

    let mut first_video: Option<(u32, u32)> = None;
    let mut got_audio = false;
    let mut read_errors = 0;
    let mut reached_end = false;
    let mut packet = Packet::empty();
    for _ in 0..PACKET_BUDGET {
        let done_video = video.is_none() || first_video.is_some();
        let done_audio = audio.is_none() || got_audio;
        if done_video && done_audio {
            break;
        }
        match packet.read(&mut src.ictx) {
            Ok(()) => {}
            Err(ffmpeg::Error::Eof) => {
                reached_end = true;
                break;
            }
            Err(ffmpeg::Error::Other { errno }) if errno == ffmpeg::util::error::EAGAIN => continue,
            Err(e) => {
                read_errors += 1;
                tracing::debug!(error = %e, "read error while probing");
                if read_errors > MAX_READ_ERRORS {
                    return Err(MediaError::Rejected(Problem::Damaged));
                }
                continue;
            }
        }
        let index = packet.stream();
        if Some(index) == src.video {
            if let Some(dec) = video.as_mut() {
                // A bad packet is not yet a verdict: the next keyframe may decode.
                let _ = dec.send_packet(&packet);
                first_video = first_video.or_else(|| receive_video(dec));
            }
        } else if Some(index) == src.audio {
            if let Some(dec) = audio.as_mut() {
                let _ = dec.send_packet(&packet);
                got_audio = got_audio || receive_audio(dec);
            }
        }
    }
    if reached_end {
        // Frames still inside the decoders count too.
        if let Some(dec) = video.as_mut().filter(|_| first_video.is_none()) {
            let _ = dec.send_eof();
            first_video = receive_video(dec);
        }
        if let Some(dec) = audio.as_mut().filter(|_| !got_audio) {
            let _ = dec.send_eof();
            got_audio = receive_audio(dec);
        }
        // At the end of the file, a stream that gave no frame is not decodable.
        if first_video.is_none() {
            video = None;
        }
        if !got_audio {
            audio = None;
        }
    }

    let video_size = match (&video, first_video) {
        (_, Some(size)) => Some(size),
        (Some(dec), None) if dec.width() > 0 && dec.height() > 0 => Some((dec.width(), dec.height())),
        _ => None,
    };
    if video_size.is_none() && audio.is_none() {
        let problem = if read_errors > 0 { Problem::Damaged } else { Problem::NoDecodableStream };
        return Err(MediaError::Rejected(problem));
    }
    let sar = video.as_ref().map(|d| d.aspect_ratio()).map(|r| (r.numerator(), r.denominator())).unwrap_or((1, 1));
    let duration_seconds = source::duration_seconds(&src).unwrap_or(0.0);
    let frame_rate =
        src.video.and_then(|i| src.ictx.stream(i)).map(|s| source::frame_rate(&s)).unwrap_or(Rational(30, 1));
    Ok(Inspected {
        probe: Probe { duration_seconds, video: video_size, has_audio: audio.is_some() },
        video: src.video.filter(|_| video_size.is_some()),
        audio: src.audio.filter(|_| audio.is_some()),
        sar,
        frame_rate,
    })
}

fn receive_video(dec: &mut codec::decoder::Video) -> Option<(u32, u32)> {
    let mut frame = frame::Video::empty();
    let mut size = None;
    while dec.receive_frame(&mut frame).is_ok() {
        if size.is_none() && frame.width() > 0 && frame.height() > 0 {
            size = Some((frame.width(), frame.height()));
        }
    }
    size
}

fn receive_audio(dec: &mut codec::decoder::Audio) -> bool {
    let mut frame = frame::Audio::empty();
    let mut got = false;
    while dec.receive_frame(&mut frame).is_ok() {
        got = got || frame.samples() > 0;
    }
    got
}

/// Keeps the `Source` type in this module's vocabulary for callers that want
/// to reopen exactly the streams a probe accepted.
pub(crate) fn reopen(path: &Path, inspected: &Inspected) -> Result<Source, MediaError> {
    let mut src = source::open(path)?;
    src.video = inspected.video;
    src.audio = inspected.audio;
    Ok(src)
}
