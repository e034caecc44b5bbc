//! The audio path: decode the source's audio once, resample and remix it
//! with a libavfilter graph, and encode it to AAC once. Every rendition then
//! muxes the same packets, so the audio is identical across the ladder.

use ffmpeg::format::sample::Type as SampleType;
use ffmpeg::format::Sample;
use ffmpeg::{codec, encoder, filter, format, frame, ChannelLayout, Packet, Rational, Rescale};
use ffmpeg_next as ffmpeg;

use super::poster::Waveform;
use super::source;
use crate::MediaError;

/// Decoder → filter graph → AAC encoder for one audio stream.
pub(crate) struct AudioEncoder {
    decoder: codec::decoder::Audio,
    graph: filter::Graph,
    encoder: encoder::Audio,
    /// Time base of the source stream (and of decoded frames).
    stream_tb: Rational,
    /// Source start offset to subtract, in `stream_tb`.
    origin: i64,
    /// `1/rate` of the decoded audio, the filter graph's input time base.
    decoded_tb: Rational,
    sink_tb: Rational,
    rate: u32,
    waveform: Option<Waveform>,
    /// End of the last encoded sample, seconds from the origin.
    end_seconds: f64,
    pub decode_errors: usize,
}

/// AAC (LC) as announced in HLS `CODECS` attributes.
pub(crate) const AAC_CODECS: &str = "mp4a.40.2";

impl AudioEncoder {
    /// `duration` sizes the waveform when one is wanted (audio-only sources).
    pub fn new(
        ictx: &format::context::Input,
        index: usize,
        kbps: u32,
        origin_seconds: f64,
        waveform_for: Option<f64>,
    ) -> Result<AudioEncoder, MediaError> {
        let stream = ictx.stream(index).ok_or_else(|| anyhow::anyhow!("audio stream {index} vanished"))?;
        let stream_tb = stream.time_base();
        let decoder = source::open_decoder(ictx, index, 1)
            .and_then(|d| d.audio())
            .map_err(|e| anyhow::anyhow!("opening the audio decoder: {e}"))?;
        let in_rate = decoder.rate();
        if in_rate == 0 {
            return Err(anyhow::anyhow!("audio stream without a sample rate").into());
        }
        let codec = encoder::find(codec::Id::AAC).ok_or_else(|| anyhow::anyhow!("no AAC encoder in libavcodec"))?;
        let supported: Vec<i32> = codec.audio().ok().and_then(|a| a.rates()).map(|r| r.collect()).unwrap_or_default();
        // Keep the source rate when AAC can carry it: no resampling, no loss.
        let rate = if supported.is_empty() || supported.contains(&(in_rate as i32)) { in_rate } else { 48_000 };
        let layout = if decoder.channels() == 1 { ChannelLayout::MONO } else { ChannelLayout::STEREO };

        let mut enc = codec::context::Context::new_with_codec(codec)
            .encoder()
            .audio()
            .map_err(|e| anyhow::anyhow!("creating the AAC encoder: {e}"))?;
        enc.set_rate(rate as i32);
        enc.set_channel_layout(layout);
        enc.set_channels(layout.channels());
        enc.set_format(Sample::F32(SampleType::Planar));
        // AAC carries at most 6144 bits per channel per 1024-sample frame; at
        // low sample rates the configured bitrate can exceed that.
        let ceiling = 6 * rate as usize * layout.channels() as usize;
        enc.set_bit_rate((kbps as usize * 1000).min(ceiling));
        enc.set_time_base((1, rate as i32));
        // fMP4 keeps the AudioSpecificConfig in the init segment.
        enc.set_flags(codec::Flags::GLOBAL_HEADER);
        let encoder = enc.open_as(codec).map_err(|e| anyhow::anyhow!("opening the AAC encoder: {e}"))?;

        let decoded_tb = Rational(1, in_rate as i32);
        let mut graph = build_graph(&decoder, decoded_tb, &encoder)?;
        let sink_tb = graph
            .get("out")
            .map(|mut out| out.sink().time_base())
            .ok_or_else(|| anyhow::anyhow!("audio filter graph without a sink"))?;
        let origin = (origin_seconds / f64::from(stream_tb)).round() as i64;
        let waveform = waveform_for.map(|d| Waveform::new(d, rate));
        Ok(AudioEncoder {
            decoder,
            graph,
            encoder,
            stream_tb,
            origin,
            decoded_tb,
            sink_tb,
            rate,
            waveform,
            end_seconds: 0.0,
            decode_errors: 0,
        })
    }

    /// Codec parameters for a muxer's audio stream.
    pub fn parameters(&self) -> codec::Parameters {
        codec::Parameters::from(&*self.encoder)
    }

    /// Time base of the packets this produces.
    pub fn time_base(&self) -> Rational {
        Rational(1, self.rate as i32)
    }

    pub fn end_seconds(&self) -> f64 {
        self.end_seconds
    }

    pub fn take_waveform(&mut self) -> Option<Waveform> {
        self.waveform.take()
    }

    /// Decodes one source packet and appends the AAC packets it yields.
    pub fn push(&mut self, packet: &Packet, out: &mut Vec<Packet>) -> Result<(), MediaError> {
        if let Err(e) = self.decoder.send_packet(packet) {
            // One bad packet is a click, not a failure; the caller decides
            // when there are too many.
            self.decode_errors += 1;
            tracing::debug!(error = %e, "audio packet did not decode");
            return Ok(());
        }
        self.drain_decoder(out)
    }

    /// Flushes decoder, filter and encoder at the end of the source.
    pub fn finish(&mut self, out: &mut Vec<Packet>) -> Result<(), MediaError> {
        let _ = self.decoder.send_eof();
        self.drain_decoder(out)?;
        self.graph
            .get("in")
            .ok_or(ffmpeg::Error::Bug)
            .and_then(|mut input| input.source().flush())
            .map_err(|e| anyhow::anyhow!("flushing the audio filter: {e}"))?;
        self.drain_filter(out)?;
        self.encoder.send_eof().map_err(|e| anyhow::anyhow!("flushing the AAC encoder: {e}"))?;
        self.drain_encoder(out);
        Ok(())
    }

    fn drain_decoder(&mut self, out: &mut Vec<Packet>) -> Result<(), MediaError> {
        let mut decoded = frame::Audio::empty();
        while self.decoder.receive_frame(&mut decoded).is_ok() {
            let pts = decoded.timestamp().map(|ts| (ts - self.origin).rescale(self.stream_tb, self.decoded_tb));
            decoded.set_pts(pts);
            let added =
                self.graph.get("in").ok_or(ffmpeg::Error::Bug).and_then(|mut input| input.source().add(&decoded));
            if let Err(e) = added {
                // The stream changed format midway (rare); drop the frame
                // rather than the whole upload.
                self.decode_errors += 1;
                tracing::debug!(error = %e, "audio frame refused by the filter graph");
                continue;
            }
            self.drain_filter(out)?;
        }
        Ok(())
    }

    fn drain_filter(&mut self, out: &mut Vec<Packet>) -> Result<(), MediaError> {
        let mut filtered = frame::Audio::empty();
        loop {
            let Some(mut sink) = self.graph.get("out") else {
                return Err(anyhow::anyhow!("audio filter graph lost its sink").into());
            };
            if sink.sink().frame(&mut filtered).is_err() {
                return Ok(());
            }
            let pts = filtered.pts().map(|p| p.rescale(self.sink_tb, self.time_base()));
            filtered.set_pts(pts);
            if let Some(w) = self.waveform.as_mut() {
                if filtered.format() == Sample::F32(SampleType::Planar) && filtered.planes() > 0 {
                    w.add(filtered.plane::<f32>(0));
                }
            }
            self.encoder.send_frame(&filtered).map_err(|e| anyhow::anyhow!("encoding AAC: {e}"))?;
            self.drain_encoder(out);
        }
    }

    fn drain_encoder(&mut self, out: &mut Vec<Packet>) {
        let mut packet = Packet::empty();
        while self.encoder.receive_packet(&mut packet).is_ok() {
            if let Some(pts) = packet.pts() {
                let end = (pts + packet.duration()) as f64 / f64::from(self.rate);
                self.end_seconds = self.end_seconds.max(end);
            }
            out.push(std::mem::replace(&mut packet, Packet::empty()));
        }
    }
}

fn build_graph(
    decoder: &codec::decoder::Audio,
    tb: Rational,
    encoder: &encoder::Audio,
) -> Result<filter::Graph, MediaError> {
    let fail = |what: &str, e: ffmpeg::Error| MediaError::Failed(anyhow::anyhow!("audio filter graph: {what}: {e}"));
    let mut layout = decoder.channel_layout();
    if layout.bits() == 0 {
        // WAV and some AAC files leave the layout unspecified.
        layout = ChannelLayout::default(i32::from(decoder.channels()));
    }
    let args = format!(
        "time_base={}/{}:sample_rate={}:sample_fmt={}:channel_layout=0x{:x}",
        tb.numerator(),
        tb.denominator(),
        decoder.rate(),
        decoder.format().name(),
        layout.bits()
    );
    let mut graph = filter::Graph::new();
    let abuffer = filter::find("abuffer").ok_or_else(|| anyhow::anyhow!("libavfilter without abuffer"))?;
    let abuffersink = filter::find("abuffersink").ok_or_else(|| anyhow::anyhow!("libavfilter without abuffersink"))?;
    graph.add(&abuffer, "in", &args).map_err(|e| fail("abuffer", e))?;
    let mut sink = graph.add(&abuffersink, "out", "").map_err(|e| fail("abuffersink", e))?;
    sink.set_sample_format(encoder.format());
    sink.set_channel_layout(encoder.channel_layout());
    sink.set_sample_rate(encoder.rate());
    // libavfilter inserts `aresample` wherever rate, layout or format differ.
    graph
        .output("in", 0)
        .and_then(|p| p.input("out", 0))
        .and_then(|p| p.parse("anull"))
        .map_err(|e| fail("linking", e))?;
    graph.validate().map_err(|e| fail("validating", e))?;
    if let Some(mut out) = graph.get("out") {
        // The AAC encoder takes exactly frame_size samples per frame.
        out.sink().set_frame_size(encoder.frame_size());
    }
    Ok(graph)
}
