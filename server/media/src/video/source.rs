//! Opening a source file with libavformat, choosing its streams and opening
//! their decoders; shared by the probe and the transcoding pipeline.

use std::io::Read;
use std::path::Path;

use courses::media::Problem;
use ffmpeg::codec::threading;
use ffmpeg::format::stream::Disposition;
use ffmpeg::{codec, format, media, Rational};
use ffmpeg_next as ffmpeg;

use crate::MediaError;

/// An open source and the streams we will read from it.
pub(crate) struct Source {
    pub ictx: format::context::Input,
    /// Best video stream with a decoder (cover art in audio files excluded).
    pub video: Option<usize>,
    /// Best audio stream with a decoder.
    pub audio: Option<usize>,
}

/// Opens `path`, mapping failures to what the organizer should hear: an empty
/// file, a damaged media file, or something that is not media at all.
pub(crate) fn open(path: &Path) -> Result<Source, MediaError> {
    // ffmpeg-next converts paths through `&str` and panics on anything else.
    if path.to_str().is_none() {
        return Err(anyhow::anyhow!("source path {} is not UTF-8", path.display()).into());
    }
    let meta = std::fs::metadata(path)?;
    if meta.len() == 0 {
        return Err(MediaError::Rejected(Problem::EmptyFile));
    }
    ffmpeg::init().map_err(|e| MediaError::Failed(anyhow::anyhow!("initializing ffmpeg: {e}")))?;
    let ictx = match format::input(path) {
        Ok(ictx) => ictx,
        Err(e) => return Err(classify_open_failure(path, e)),
    };
    let video = pick(&ictx, media::Type::Video);
    let audio = pick(&ictx, media::Type::Audio);
    Ok(Source { ictx, video, audio })
}

/// libavformat refused the file. If its first bytes say it is a known audio
/// or video container, it is damaged (a typical case: an MP4 cut short before
/// its `moov` index); otherwise it is not media.
fn classify_open_failure(path: &Path, error: ffmpeg::Error) -> MediaError {
    let mut head = Vec::with_capacity(8192);
    let read = std::fs::File::open(path).and_then(|f| f.take(8192).read_to_end(&mut head));
    if let Err(io) = read {
        return MediaError::Failed(anyhow::Error::new(io).context("reading the source after ffmpeg refused it"));
    }
    match infer::get(&head) {
        Some(kind) if matches!(kind.matcher_type(), infer::MatcherType::Video | infer::MatcherType::Audio) => {
            tracing::info!(%error, mime = kind.mime_type(), "media container that libavformat cannot open");
            MediaError::Rejected(Problem::Damaged)
        }
        Some(kind) => MediaError::Rejected(Problem::UnrecognizedType { detected: Some(kind.mime_type().to_owned()) }),
        None => {
            let detected = std::str::from_utf8(&head).is_ok().then(|| "text/plain".to_owned());
            MediaError::Rejected(Problem::UnrecognizedType { detected })
        }
    }
}

/// libavformat's best stream of `kind`, if we have a decoder for it and, for
/// video, it is a moving picture rather than an attached cover image.
fn pick(ictx: &format::context::Input, kind: media::Type) -> Option<usize> {
    let usable = |s: &format::stream::Stream| {
        let params = s.parameters();
        params.medium() == kind
            && codec::decoder::find(params.id()).is_some()
            && !(kind == media::Type::Video && s.disposition().contains(Disposition::ATTACHED_PIC))
    };
    if let Some(best) = ictx.streams().best(kind).filter(|s| usable(s)) {
        return Some(best.index());
    }
    ictx.streams().find(|s| usable(s)).map(|s| s.index())
}

/// Opens a decoder for stream `index`, with `threads` frame threads for video
/// (libavcodec would otherwise decode on one thread).
pub(crate) fn open_decoder(
    ictx: &format::context::Input,
    index: usize,
    threads: usize,
) -> Result<codec::decoder::Opened, ffmpeg::Error> {
    let stream = ictx.stream(index).ok_or(ffmpeg::Error::StreamNotFound)?;
    let params = stream.parameters();
    let codec = codec::decoder::find(params.id()).ok_or(ffmpeg::Error::DecoderNotFound)?;
    let mut ctx = codec::context::Context::from_parameters(params)?;
    if threads > 1 {
        ctx.set_threading(threading::Config { kind: threading::Type::Frame, count: threads, ..Default::default() });
    }
    let mut decoder = ctx.decoder();
    decoder.set_packet_time_base(stream.time_base());
    decoder.open_as(codec)
}

/// Duration in seconds: the container's, else the longest chosen stream's.
pub(crate) fn duration_seconds(source: &Source) -> Option<f64> {
    let container = source.ictx.duration();
    if container > 0 {
        return Some(container as f64 / f64::from(ffmpeg::ffi::AV_TIME_BASE));
    }
    [source.video, source.audio]
        .into_iter()
        .flatten()
        .filter_map(|i| source.ictx.stream(i))
        .filter(|s| s.duration() > 0)
        .map(|s| s.duration() as f64 * f64::from(s.time_base()))
        .reduce(f64::max)
}

/// The earliest start time of the chosen streams, in seconds: output
/// timestamps are shifted by it so that every rendition starts near zero while
/// audio and video keep their relative offset.
pub(crate) fn origin_seconds(source: &Source) -> f64 {
    [source.video, source.audio]
        .into_iter()
        .flatten()
        .filter_map(|i| source.ictx.stream(i))
        .filter(|s| s.start_time() != ffmpeg::ffi::AV_NOPTS_VALUE)
        .map(|s| s.start_time() as f64 * f64::from(s.time_base()))
        .reduce(f64::min)
        .unwrap_or(0.0)
}

/// Frames per second to plan GOPs with: the stream's average rate, else its
/// base rate, else 30; clamped to a sane range.
pub(crate) fn frame_rate(stream: &format::stream::Stream) -> Rational {
    let valid = |r: Rational| r.numerator() > 0 && r.denominator() > 0 && f64::from(r) <= 240.0;
    [stream.avg_frame_rate(), stream.rate()].into_iter().find(|r| valid(*r)).unwrap_or(Rational(30, 1))
}
