//! One rendition, on its own thread: scale the shared decoded frames to this
//! rung, encode them with libx264, and mux them with the shared AAC packets
//! into an fMP4 HLS media playlist.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::{codec, encoder, format, frame, Dictionary, Packet, Rational};
use ffmpeg_next as ffmpeg;

use super::hls;
use super::ladder::Planned;
use crate::{Control, MediaError};

/// What the decoding thread sends to every rendition, in source order.
pub(crate) enum Feed {
    /// A decoded frame; `pts` is in the job's time base and `kind` is `I` at
    /// the segment boundaries, where every rendition must put a keyframe.
    Video(Arc<frame::Video>),
    /// An AAC packet, timestamps in the audio time base.
    Audio(Arc<Packet>),
    /// The source is finished: flush and close the playlist. A channel
    /// closed without `End` means the transcode was abandoned.
    End,
}

/// How to encode the video of one rendition.
pub(crate) struct VideoJob {
    pub plan: Planned,
    /// Time base of the frames' `pts` (the source stream's).
    pub time_base: Rational,
    pub frame_rate: Rational,
    /// Nominal frame duration in `time_base`, for packets x264 leaves without
    /// one (the fMP4 muxer needs it to size the last sample of a fragment).
    pub frame_duration: i64,
    /// Frames per GOP: a keyframe at least every segment.
    pub gop: u32,
    pub preset: String,
    /// libx264 threads for this encoder; 0 lets x264 choose (1.5 per core).
    pub threads: usize,
}

/// The AAC stream every rendition carries.
#[derive(Clone)]
pub(crate) struct AudioJob {
    pub parameters: codec::Parameters,
    pub time_base: Rational,
}

pub(crate) struct Job {
    /// The rendition's directory (created by the worker).
    pub dir: PathBuf,
    pub video: Option<VideoJob>,
    pub audio: Option<AudioJob>,
    pub segment_seconds: u32,
}

const VIDEO_STREAM: usize = 0;

/// Runs one rendition until `Feed::End`; `Err(Cancelled)` if the feed stops
/// early or `control` is cancelled.
pub(crate) fn run(job: Job, feed: Receiver<Feed>, control: &Control) -> Result<(), MediaError> {
    std::fs::create_dir(&job.dir)?;
    let playlist = job.dir.join(hls::MEDIA_PLAYLIST);
    let mut octx = format::output_as(&playlist, "hls")
        .map_err(|e| anyhow::anyhow!("creating the HLS muxer for {}: {e}", playlist.display()))?;
    let global_header = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);

    let mut video = match &job.video {
        Some(v) => Some(VideoEncoder::new(v, global_header, &mut octx)?),
        None => None,
    };
    let audio_stream = match &job.audio {
        Some(a) => {
            let mut st = octx.add_stream(encoder::find(codec::Id::AAC)).map_err(ff("adding the audio stream"))?;
            st.set_parameters(a.parameters.clone());
            st.set_time_base(a.time_base);
            Some(st.index())
        }
        None => None,
    };
    {
        let unused = octx
            .write_header_with(hls::muxer_options(&job.dir, job.segment_seconds))
            .map_err(ff("writing the HLS header"))?;
        if unused.iter().next().is_some() {
            tracing::warn!(options = ?unused.iter().collect::<Vec<_>>(), "HLS muxer ignored options");
        }
    }
    // The muxer may pick its own time bases in write_header.
    let out_tb = |octx: &format::context::Output, i: usize| octx.stream(i).map(|s| s.time_base());
    let video_tb = video.as_ref().and_then(|_| out_tb(&octx, VIDEO_STREAM));
    let audio_tb = audio_stream.and_then(|i| out_tb(&octx, i));

    loop {
        control.check()?;
        let Ok(msg) = feed.recv() else {
            return Err(MediaError::Cancelled);
        };
        match msg {
            Feed::Video(frame) => {
                if let (Some(v), Some(tb)) = (video.as_mut(), video_tb) {
                    v.encode(&frame, tb, &mut octx)?;
                }
            }
            Feed::Audio(packet) => {
                if let (Some(index), Some(tb), Some(a)) = (audio_stream, audio_tb, &job.audio) {
                    let mut packet = (*packet).clone();
                    packet.set_stream(index);
                    packet.rescale_ts(a.time_base, tb);
                    packet.write_interleaved(&mut octx).map_err(ff("muxing audio"))?;
                }
            }
            Feed::End => break,
        }
    }
    if let (Some(v), Some(tb)) = (video.as_mut(), video_tb) {
        v.finish(tb, &mut octx)?;
    }
    octx.write_trailer().map_err(ff("finishing the HLS playlist"))?;
    Ok(())
}

struct VideoEncoder {
    encoder: encoder::Video,
    time_base: Rational,
    frame_duration: i64,
    width: u32,
    height: u32,
    /// Rebuilt whenever the decoded frames change size or format.
    scaler: Option<scaling::Context>,
    scaled: frame::Video,
}

impl VideoEncoder {
    fn new(job: &VideoJob, global_header: bool, octx: &mut format::context::Output) -> Result<Self, MediaError> {
        let codec = encoder::find_by_name("libx264").ok_or_else(|| anyhow::anyhow!("libavcodec without libx264"))?;
        let mut enc = codec::context::Context::new_with_codec(codec)
            .encoder()
            .video()
            .map_err(ff("creating the H.264 encoder"))?;
        let p = &job.plan;
        enc.set_width(p.width);
        enc.set_height(p.height);
        enc.set_format(Pixel::YUV420P);
        enc.set_aspect_ratio((1, 1));
        enc.set_time_base(job.time_base);
        enc.set_frame_rate(Some(job.frame_rate));
        enc.set_bit_rate(p.video_kbps as usize * 1000);
        enc.set_max_bit_rate(p.max_kbps() as usize * 1000);
        if global_header {
            enc.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let encoder = enc.open_with(x264_options(job)).map_err(ff("opening libx264"))?;
        let mut st = octx.add_stream(codec).map_err(ff("adding the video stream"))?;
        st.set_parameters(&encoder);
        st.set_time_base(job.time_base);
        st.set_avg_frame_rate(job.frame_rate);
        Ok(VideoEncoder {
            encoder,
            time_base: job.time_base,
            frame_duration: job.frame_duration,
            width: p.width,
            height: p.height,
            scaler: None,
            scaled: frame::Video::empty(),
        })
    }

    fn encode(
        &mut self,
        frame: &frame::Video,
        out_tb: Rational,
        octx: &mut format::context::Output,
    ) -> Result<(), MediaError> {
        let passthrough =
            frame.format() == Pixel::YUV420P && frame.width() == self.width && frame.height() == self.height;
        if passthrough {
            // The top rung of a 4:2:0 source: x264 copies the shared frame
            // itself, no scaling and no extra copy here.
            self.encoder.send_frame(frame).map_err(ff("encoding H.264"))?;
        } else {
            self.prepare_scaler(frame)?;
            let scaler = self.scaler.as_mut().ok_or_else(|| anyhow::anyhow!("scaler missing after preparing it"))?;
            scaler.run(frame, &mut self.scaled).map_err(ff("scaling"))?;
            self.scaled.set_pts(frame.pts());
            self.scaled.set_kind(frame.kind());
            // libx264 copies the picture during send_frame, so the same
            // output buffer can be reused for the next frame.
            self.encoder.send_frame(&self.scaled).map_err(ff("encoding H.264"))?;
        }
        self.drain(out_tb, octx)
    }

    /// Makes sure the scaler matches `frame`'s size and format.
    fn prepare_scaler(&mut self, frame: &frame::Video) -> Result<(), MediaError> {
        let stale = self.scaler.as_ref().is_none_or(|s| {
            let i = s.input();
            i.format != frame.format() || i.width != frame.width() || i.height != frame.height()
        });
        if stale {
            let sws = scaling::Context::get(
                frame.format(),
                frame.width(),
                frame.height(),
                Pixel::YUV420P,
                self.width,
                self.height,
                // Bilinear: for downscaling swscale widens the filter to the
                // scale factor, so it does not alias, and it costs less CPU
                // for the whole ladder than bicubic (the ffmpeg CLI's
                // default), which looks no better at these ratios.
                scaling::Flags::BILINEAR,
            )
            .map_err(ff("creating the scaler"))?;
            self.scaled = frame::Video::empty();
            self.scaler = Some(sws);
        }
        Ok(())
    }

    fn finish(&mut self, out_tb: Rational, octx: &mut format::context::Output) -> Result<(), MediaError> {
        self.encoder.send_eof().map_err(ff("flushing libx264"))?;
        self.drain(out_tb, octx)
    }

    fn drain(&mut self, out_tb: Rational, octx: &mut format::context::Output) -> Result<(), MediaError> {
        let mut packet = Packet::empty();
        while self.encoder.receive_packet(&mut packet).is_ok() {
            packet.set_stream(VIDEO_STREAM);
            if packet.duration() <= 0 {
                packet.set_duration(self.frame_duration);
            }
            packet.rescale_ts(self.time_base, out_tb);
            packet.write_interleaved(octx).map_err(ff("muxing video"))?;
        }
        Ok(())
    }
}

/// libx264 settings; `scripts/bench` gives the ffmpeg CLI the same ones.
/// Keyframes: the decoding thread marks the first frame at or after each
/// segment boundary as `I` (`forced-idr` makes it an IDR), scene-cut
/// detection is off, and the GOP is one segment long, so every rendition has
/// its keyframes on exactly the same frames and the segments line up.
fn x264_options(job: &VideoJob) -> Dictionary<'static> {
    let mut d = Dictionary::new();
    d.set("preset", &job.preset);
    d.set("profile", "high");
    d.set("bufsize", &(u64::from(job.plan.buffer_kbits()) * 1000).to_string());
    d.set("g", &job.gop.to_string());
    d.set("keyint_min", &job.gop.to_string());
    d.set("sc_threshold", "0");
    d.set("forced-idr", "1");
    d.set("threads", &job.threads.to_string());
    d
}

fn ff(what: &'static str) -> impl Fn(ffmpeg::Error) -> MediaError {
    move |e| MediaError::Failed(anyhow::anyhow!("{what}: {e}"))
}
