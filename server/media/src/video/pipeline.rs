//! The transcoding pipeline. This thread demuxes the source, decodes its
//! video once (with `decoder_threads` frame threads) and its audio once,
//! encodes the audio to AAC once, takes the poster and thumbnails from the
//! decoded frames, and hands every frame and AAC packet to one thread per
//! rendition through bounded channels. Frames are shared by `Arc`, never
//! copied: each rendition only reads them (to scale, or, for a same-size
//! 4:2:0 rung, to give them to x264 directly).

use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;

use courses::media::Problem;
use ffmpeg::{codec, frame, picture, Packet, Rational};
use ffmpeg_next as ffmpeg;

use super::audio::AudioEncoder;
use super::encode::{self, AudioJob, Feed, Job, VideoJob};
use super::ladder::Planned;
use super::probe::{Inspected, MAX_READ_ERRORS};
use super::source::{self, Source};
use super::thumbs::Stills;
use super::VideoSettings;
use crate::{Control, MediaError};

/// Frames or packets queued per rendition: enough to keep every encoder
/// busy while the decoder runs ahead, small enough to bound memory (a few
/// 1080p frames, shared by all renditions).
const QUEUE: usize = 8;

/// What the pipeline produced, before the playlists are summarized.
pub(crate) struct Decoded {
    /// Seconds of content actually decoded (the later of audio and video).
    pub duration: f64,
    pub stills: Option<Stills>,
    pub waveform: Option<super::poster::Waveform>,
}

/// The video half of the work, when the source has a picture.
pub(crate) struct VideoPlan {
    pub renditions: Vec<Planned>,
    pub display: (u32, u32),
    pub frame_rate: Rational,
}

/// Decodes `inspected`'s streams from `input` and feeds `jobs` (one thread
/// each) until the end of the source.
pub(crate) fn run(
    input: &Path,
    out_dir: &Path,
    settings: &VideoSettings,
    control: &Control,
    inspected: &Inspected,
    plan: Option<&VideoPlan>,
) -> Result<Decoded, MediaError> {
    let mut src = super::probe::reopen(input, inspected)?;
    let duration = inspected.probe.duration_seconds;
    let origin = source::origin_seconds(&src);
    let waveform_for = plan.is_none().then_some(duration);
    // The shared audio first; then one smaller encoding per rung that asks
    // for its own bitrate (the weak-link rung).
    let mut audio: Vec<(Option<u32>, AudioEncoder)> = Vec::new();
    if let Some(i) = src.audio {
        audio.push((None, AudioEncoder::new(&src.ictx, i, settings.audio_kbps, origin, waveform_for)?));
        for kbps in plan.into_iter().flat_map(|p| p.renditions.iter().filter_map(|r| r.audio_kbps)) {
            if !audio.iter().any(|(k, _)| *k == Some(kbps)) {
                audio.push((Some(kbps), AudioEncoder::new(&src.ictx, i, kbps, origin, None)?));
            }
        }
    }
    // Which of those a rendition carries: an index into `audio`.
    let audio_of =
        |own: Option<u32>| audio.iter().position(|(k, _)| *k == own).or(if audio.is_empty() { None } else { Some(0) });
    let audio_job = |group: Option<usize>| {
        group.map(|g| AudioJob { parameters: audio[g].1.parameters(), time_base: audio[g].1.time_base() })
    };
    let mut video = match (plan, src.video) {
        (Some(p), Some(index)) => Some(VideoIn::new(&src, index, settings, origin, duration, p)?),
        _ => None,
    };

    let jobs: Vec<(Job, Option<usize>)> = match (plan, &video) {
        (Some(p), Some(v)) => p
            .renditions
            .iter()
            .map(|r| {
                (
                    Job {
                        dir: out_dir.join(&r.dir),
                        video: Some(VideoJob {
                            plan: r.clone(),
                            time_base: v.time_base,
                            frame_rate: p.frame_rate,
                            frame_duration: v.step,
                            gop: gop(p.frame_rate, settings.segment_seconds),
                            preset: settings.x264_preset.clone(),
                            // x264's own choice, as the ffmpeg CLI makes it. On 2 cores,
                            // giving each encoder a share of the cores by its pixels
                            // (1 thread each) would leave the 1080p encoder, over half
                            // the work, on one thread: the critical path on a busy
                            // machine, for no CPU saved.
                            threads: 0,
                        }),
                        audio: audio_job(audio_of(r.audio_kbps)),
                        segment_seconds: settings.segment_seconds,
                    },
                    audio_of(r.audio_kbps),
                )
            })
            .collect(),
        _ => vec![(
            Job {
                dir: out_dir.join(super::AUDIO_DIR),
                video: None,
                audio: audio_job(audio_of(None)),
                segment_seconds: settings.segment_seconds,
            },
            audio_of(None),
        )],
    };

    std::thread::scope(|scope| {
        let mut senders = Vec::with_capacity(jobs.len());
        let mut workers = Vec::with_capacity(jobs.len());
        for (job, group) in jobs {
            let (tx, rx) = sync_channel(QUEUE);
            senders.push(Rendition { tx, audio: group });
            workers.push(scope.spawn(move || encode::run(job, rx, control)));
        }
        let fed = feed(&mut src, video.as_mut(), &mut audio, &senders, control, duration, settings);
        if fed.is_ok() {
            for r in &senders {
                let _ = r.tx.send(Feed::End);
            }
        }
        // Closing the channels stops any worker still waiting for frames.
        drop(senders);
        let results: Vec<Result<(), MediaError>> = workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a rendition thread panicked").into())))
            .collect();
        // A worker's own failure explains a feed that stopped early.
        let worker_error = results.into_iter().filter_map(Result::err).find(|e| !matches!(e, MediaError::Cancelled));
        match (fed, worker_error) {
            (Err(Stop::Worker), Some(e)) | (Ok(()), Some(e)) => Err(e),
            (Err(Stop::Worker), None) => Err(MediaError::Cancelled),
            (Err(Stop::Error(e)), _) => Err(e),
            (Ok(()), None) => Ok(()),
        }
    })?;

    let decoded = [video.as_ref().map(|v| v.end_seconds), audio.first().map(|(_, a)| a.end_seconds())]
        .into_iter()
        .flatten()
        .reduce(f64::max)
        .unwrap_or(duration);
    Ok(Decoded {
        duration: if decoded > 0.0 { decoded } else { duration },
        stills: video.map(|v| v.stills),
        waveform: audio.first_mut().and_then(|(_, a)| a.take_waveform()),
    })
}

/// Why feeding stopped early.
enum Stop {
    /// A rendition hung up; its own result says why.
    Worker,
    Error(MediaError),
}

impl From<MediaError> for Stop {
    fn from(e: MediaError) -> Stop {
        Stop::Error(e)
    }
}

/// One rendition's queue, and which audio encoding it carries.
struct Rendition {
    tx: SyncSender<Feed>,
    /// Index into the audio encoders; `None` without audio.
    audio: Option<usize>,
}

fn feed(
    src: &mut Source,
    mut video: Option<&mut VideoIn>,
    audio: &mut [(Option<u32>, AudioEncoder)],
    senders: &[Rendition],
    control: &Control,
    duration: f64,
    settings: &VideoSettings,
) -> Result<(), Stop> {
    let mut packet = Packet::empty();
    // AAC packets per audio encoding.
    let mut aac: Vec<Vec<Packet>> = audio.iter().map(|_| Vec::new()).collect();
    let mut frames = Vec::new();
    let mut read_errors = 0;
    let mut video_packets = 0usize;
    let limit = settings.max_duration_seconds as f64;
    loop {
        control.check()?;
        match packet.read(&mut src.ictx) {
            Ok(()) => {}
            Err(ffmpeg::Error::Eof) => break,
            Err(ffmpeg::Error::Other { errno }) if errno == ffmpeg::util::error::EAGAIN => continue,
            Err(e) => {
                read_errors += 1;
                tracing::debug!(error = %e, "read error while transcoding");
                if read_errors > MAX_READ_ERRORS {
                    return Err(MediaError::Rejected(Problem::Damaged).into());
                }
                continue;
            }
        }
        let index = packet.stream();
        if let Some(v) = video.as_deref_mut().filter(|v| v.index == index) {
            video_packets += 1;
            v.decode(Some(&packet), &mut frames)?;
        } else if Some(index) == src.audio {
            for ((_, a), out) in audio.iter_mut().zip(aac.iter_mut()) {
                a.push(&packet, out)?;
            }
        }
        let progressed = send_all(&mut frames, &mut aac, senders)?;
        if let Some(t) = progressed.or_else(|| audio.first().map(|(_, a)| a.end_seconds())) {
            if t > limit + 1.0 {
                // The container understated its duration.
                let seconds = t.ceil() as u64;
                let limit_seconds = settings.max_duration_seconds;
                return Err(MediaError::Rejected(Problem::TooLong { seconds, limit_seconds }).into());
            }
            if duration > 0.0 {
                control.set_progress(0.98 * t / duration);
            }
        }
    }
    if let Some(v) = video.as_deref_mut() {
        v.decode(None, &mut frames)?;
    }
    for ((_, a), out) in audio.iter_mut().zip(aac.iter_mut()) {
        a.finish(out)?;
    }
    send_all(&mut frames, &mut aac, senders)?;

    // Judge the source before the renditions are finalized (the shared
    // audio speaks for every encoding of it: they decode the same packets).
    let shared = audio.first().map(|(_, a)| a);
    let end = [video.as_deref().map(|v| v.end_seconds), shared.map(|a| a.end_seconds())]
        .into_iter()
        .flatten()
        .reduce(f64::max)
        .unwrap_or(0.0);
    let decode_errors = video.as_deref().map_or(0, |v| v.decode_errors) + shared.map_or(0, |a| a.decode_errors);
    let no_video = video.as_deref().is_some_and(|v| v.frames == 0);
    // Whatever the length: a 2 s clip that decodes 0.3 s is as damaged as
    // an hour that decodes ten minutes. The margin (10 % and half a second)
    // covers a last frame that ends before the declared end.
    let cut_short = duration > 0.0 && end < duration * 0.9 - 0.5;
    let garbled = decode_errors > MAX_READ_ERRORS.max(video_packets / 20);
    if no_video || cut_short || garbled {
        tracing::info!(end, duration, decode_errors, "source is damaged");
        return Err(MediaError::Rejected(Problem::Damaged).into());
    }
    Ok(())
}

/// Sends queued frames to every rendition and each audio encoding's packets
/// to the renditions that carry it, in that order; returns the time of the
/// last frame sent.
fn send_all(
    frames: &mut Vec<(f64, Arc<frame::Video>)>,
    aac: &mut [Vec<Packet>],
    senders: &[Rendition],
) -> Result<Option<f64>, Stop> {
    let mut last = None;
    for (t, f) in frames.drain(..) {
        broadcast(senders.iter(), || Feed::Video(Arc::clone(&f)))?;
        last = Some(t);
    }
    for (group, packets) in aac.iter_mut().enumerate() {
        for p in packets.drain(..) {
            let p = Arc::new(p);
            broadcast(senders.iter().filter(|r| r.audio == Some(group)), || Feed::Audio(Arc::clone(&p)))?;
        }
    }
    Ok(last)
}

fn broadcast<'a>(senders: impl Iterator<Item = &'a Rendition>, msg: impl Fn() -> Feed) -> Result<(), Stop> {
    senders.into_iter().try_for_each(|r| r.tx.send(msg()).map_err(|_| Stop::Worker))
}

/// The decoding side of the video stream.
struct VideoIn {
    index: usize,
    decoder: codec::decoder::Video,
    time_base: Rational,
    /// Source start to subtract, in `time_base`.
    origin: i64,
    /// Expected frame spacing in `time_base`, for frames without timestamps.
    step: i64,
    last_pts: Option<i64>,
    segment: f64,
    next_keyframe: f64,
    stills: Stills,
    last_frame: Option<Arc<frame::Video>>,
    end_seconds: f64,
    frames: usize,
    decode_errors: usize,
}

impl VideoIn {
    fn new(
        src: &Source,
        index: usize,
        settings: &VideoSettings,
        origin: f64,
        duration: f64,
        plan: &VideoPlan,
    ) -> Result<VideoIn, MediaError> {
        let stream = src.ictx.stream(index).ok_or_else(|| anyhow::anyhow!("video stream {index} vanished"))?;
        let time_base = stream.time_base();
        let decoder = source::open_decoder(&src.ictx, index, settings.decoder_threads.max(1))
            .and_then(|d| d.video())
            .map_err(|e| anyhow::anyhow!("opening the video decoder: {e}"))?;
        let tb = f64::from(time_base);
        let step = ((1.0 / f64::from(plan.frame_rate)) / tb).round().max(1.0) as i64;
        Ok(VideoIn {
            index,
            decoder,
            time_base,
            origin: (origin / tb).round() as i64,
            step,
            last_pts: None,
            segment: f64::from(settings.segment_seconds.max(1)),
            next_keyframe: 0.0,
            stills: Stills::new(duration, plan.display.0, plan.display.1),
            last_frame: None,
            end_seconds: 0.0,
            frames: 0,
            decode_errors: 0,
        })
    }

    /// Decodes `packet` (or flushes, for `None`) and queues the frames with
    /// their presentation time in seconds.
    fn decode(&mut self, packet: Option<&Packet>, out: &mut Vec<(f64, Arc<frame::Video>)>) -> Result<(), MediaError> {
        let sent = match packet {
            Some(p) => self.decoder.send_packet(p),
            None => self.decoder.send_eof(),
        };
        if let Err(e) = sent {
            self.decode_errors += 1;
            tracing::debug!(error = %e, "video packet did not decode");
        }
        loop {
            let mut frame = frame::Video::empty();
            if self.decoder.receive_frame(&mut frame).is_err() {
                break;
            }
            if let Some((t, f)) = self.prepare(frame)? {
                out.push((t, f));
            }
        }
        if packet.is_none() {
            if let Some(last) = self.last_frame.take() {
                self.stills.fallback_poster(&last)?;
            }
        }
        Ok(())
    }

    /// Gives the frame a strictly increasing pts from zero and marks the
    /// segment-boundary keyframes. Variable frame rate passes through as is;
    /// frames that would go back in time (broken timestamps) are dropped.
    fn prepare(&mut self, mut frame: frame::Video) -> Result<Option<(f64, Arc<frame::Video>)>, MediaError> {
        let pts = match frame.timestamp() {
            Some(ts) => ts - self.origin,
            None => self.last_pts.map_or(0, |p| p + self.step),
        };
        if self.last_pts.is_some_and(|last| pts <= last) {
            return Ok(None);
        }
        self.last_pts = Some(pts);
        let t = pts as f64 * f64::from(self.time_base);
        // The same rule as ffmpeg's `-force_key_frames expr:gte(t,n_forced*seg)`,
        // except that a gap skips the boundaries it jumped over.
        let key = t + 1e-6 >= self.next_keyframe;
        if key {
            self.next_keyframe = ((t + 1e-6) / self.segment).floor() * self.segment + self.segment;
        }
        frame.set_pts(Some(pts));
        frame.set_kind(if key { picture::Type::I } else { picture::Type::None });
        self.stills.offer(t, &frame)?;
        self.frames += 1;
        self.end_seconds = t + f64::from(self.time_base) * self.step as f64;
        let shared = Arc::new(frame);
        self.last_frame = Some(Arc::clone(&shared));
        Ok(Some((t, shared)))
    }
}

/// Frames per keyframe interval: one segment's worth.
fn gop(frame_rate: Rational, segment_seconds: u32) -> u32 {
    ((f64::from(frame_rate) * f64::from(segment_seconds.max(1))).round() as u32).max(1)
}
