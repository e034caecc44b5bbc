//! HLS specifics: the options for libavformat's `hls` muxer (one media
//! playlist per rendition, fMP4 segments) and the master playlist, which we
//! write ourselves from what the renditions actually contain.

use std::fmt::Write as _;
use std::path::Path;

use ffmpeg_next::Dictionary;

use crate::MediaError;

pub(crate) const MASTER_PLAYLIST: &str = "master.m3u8";
pub(crate) const MEDIA_PLAYLIST: &str = "index.m3u8";
const INIT_SEGMENT: &str = "init.mp4";
/// What every master playlist we write begins with.
const MASTER_HEADER: &str = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n";

/// Options for the `hls` muxer writing into `dir`.
pub(crate) fn muxer_options(dir: &Path, segment_seconds: u32) -> Dictionary<'static> {
    // The segment name is a printf pattern: escape any '%' in the directory.
    let pattern = format!("{}/seg_%05d.m4s", dir.to_string_lossy().replace('%', "%%"));
    let mut d = Dictionary::new();
    d.set("hls_time", &segment_seconds.max(1).to_string());
    d.set("hls_playlist_type", "vod");
    d.set("hls_list_size", "0");
    d.set("hls_segment_type", "fmp4");
    d.set("hls_fmp4_init_filename", INIT_SEGMENT);
    d.set("hls_segment_filename", &pattern);
    d.set("hls_flags", "independent_segments");
    d.set("start_number", "1");
    d
}

/// One `#EXT-X-STREAM-INF` entry.
pub(crate) struct Variant {
    /// Playlist path relative to the master, with '/' separators.
    pub uri: String,
    pub bandwidth: u64,
    pub average_bandwidth: u64,
    /// `(width, height)` for video.
    pub resolution: Option<(u32, u32)>,
    pub codecs: String,
    pub frame_rate: Option<f64>,
}

pub(crate) fn write_master(out_dir: &Path, variants: &[Variant]) -> Result<(), MediaError> {
    let mut m = String::from(MASTER_HEADER);
    for v in variants {
        let _ = write!(m, "#EXT-X-STREAM-INF:BANDWIDTH={},AVERAGE-BANDWIDTH={}", v.bandwidth, v.average_bandwidth);
        if let Some((w, h)) = v.resolution {
            let _ = write!(m, ",RESOLUTION={w}x{h}");
        }
        let _ = write!(m, ",CODECS=\"{}\"", v.codecs);
        if let Some(fps) = v.frame_rate {
            let _ = write!(m, ",FRAME-RATE={fps:.3}");
        }
        let _ = write!(m, "\n{}\n", v.uri);
    }
    std::fs::write(out_dir.join(MASTER_PLAYLIST), m)?;
    Ok(())
}

/// One master playlist's variants: each `#EXT-X-STREAM-INF` line with the
/// URI that follows it.
fn variants_of(master: &str) -> Result<Vec<(String, String)>, MediaError> {
    let mut found = Vec::new();
    let mut lines = master.lines().map(str::trim).filter(|l| !l.is_empty());
    while let Some(line) = lines.next() {
        if line.starts_with("#EXT-X-STREAM-INF:") {
            let uri = lines.next().filter(|u| !u.starts_with('#'));
            let uri = uri.ok_or_else(|| anyhow::anyhow!("a variant without its URI in the master playlist"))?;
            found.push((line.to_owned(), uri.to_owned()));
        }
    }
    Ok(found)
}

fn bandwidth_of(stream_inf: &str) -> u64 {
    stream_inf
        .split([':', ','])
        .find_map(|attribute| attribute.strip_prefix("BANDWIDTH="))
        .and_then(|b| b.parse().ok())
        .unwrap_or(0)
}

/// `lower`'s variants and `higher`'s, whose URIs gain the `higher_dir/`
/// prefix, in one master playlist, highest bandwidth first.
pub(crate) fn merge_masters(lower: &str, higher: &str, higher_dir: &str) -> Result<String, MediaError> {
    let lower = variants_of(lower)?;
    if lower.is_empty() {
        return Err(anyhow::anyhow!("the lowest rung's master playlist lists no variant").into());
    }
    let higher_dir = higher_dir.trim_end_matches('/');
    let mut all: Vec<(String, String)> =
        variants_of(higher)?.into_iter().map(|(inf, uri)| (inf, format!("{higher_dir}/{uri}"))).collect();
    all.extend(lower);
    all.sort_by_key(|(inf, _)| std::cmp::Reverse(bandwidth_of(inf)));
    let mut m = String::from(MASTER_HEADER);
    for (inf, uri) in all {
        let _ = write!(m, "{inf}\n{uri}\n");
    }
    Ok(m)
}

/// Peak and average bit rate of a rendition, bit/s, from its segments' sizes
/// and durations as the media playlist lists them. The peak is what the
/// master playlist must announce as `BANDWIDTH` (RFC 8216 §4.3.4.2).
pub(crate) fn measure_bandwidth(dir: &Path) -> Result<(u64, u64), MediaError> {
    let playlist = std::fs::read_to_string(dir.join(MEDIA_PLAYLIST))?;
    let init = std::fs::metadata(dir.join(INIT_SEGMENT)).map(|m| m.len()).unwrap_or(0);
    let mut peak = 0f64;
    let (mut bytes, mut seconds) = (init, 0f64);
    let mut pending: Option<f64> = None;
    for line in playlist.lines() {
        if let Some(rest) = line.strip_prefix("#EXTINF:") {
            pending = rest.split(',').next().and_then(|d| d.trim().parse().ok());
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            let Some(duration) = pending.take() else { continue };
            let size = std::fs::metadata(dir.join(line.trim()))?.len();
            bytes += size;
            seconds += duration;
            // A very short last segment would inflate the peak with its
            // container overhead; measure it over at least one second.
            peak = peak.max(size as f64 * 8.0 / duration.max(1.0));
        }
    }
    if seconds <= 0.0 {
        return Err(anyhow::anyhow!("{} lists no segments", dir.join(MEDIA_PLAYLIST).display()).into());
    }
    let average = bytes as f64 * 8.0 / seconds;
    Ok((peak.max(average).ceil() as u64, average.ceil() as u64))
}

/// The RFC 6381 codec string of the H.264 stream in a rendition's init
/// segment, e.g. `avc1.640028`, read from its `avcC` box.
pub(crate) fn avc_codecs(dir: &Path) -> Result<String, MediaError> {
    let init = std::fs::read(dir.join(INIT_SEGMENT))?;
    let at = init
        .windows(4)
        .position(|w| w == b"avcC")
        .ok_or_else(|| anyhow::anyhow!("no avcC box in {}", dir.join(INIT_SEGMENT).display()))?;
    // avcC: configurationVersion, AVCProfileIndication, profile_compatibility,
    // AVCLevelIndication.
    match init.get(at + 5..at + 8) {
        Some([profile, compat, level]) => Ok(format!("avc1.{profile:02X}{compat:02X}{level:02X}")),
        _ => Err(anyhow::anyhow!("truncated avcC box").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_master_playlist_announces_bandwidth_resolution_and_codecs() {
        let dir = tempfile::tempdir().unwrap();
        let v = Variant {
            uri: "v720/index.m3u8".into(),
            bandwidth: 3_000_000,
            average_bandwidth: 2_500_000,
            resolution: Some((1280, 720)),
            codecs: "avc1.64001F,mp4a.40.2".into(),
            frame_rate: Some(30.0),
        };
        write_master(dir.path(), &[v]).unwrap();
        let text = std::fs::read_to_string(dir.path().join(MASTER_PLAYLIST)).unwrap();
        assert!(text.starts_with("#EXTM3U\n"));
        assert!(text.contains(
            "BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS=\"avc1.64001F,mp4a.40.2\""
        ));
        assert!(text.ends_with("v720/index.m3u8\n"));
    }

    #[test]
    fn masters_merge_highest_bandwidth_first_with_the_higher_rungs_under_their_directory() {
        let lower = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n\
                     #EXT-X-STREAM-INF:BANDWIDTH=300000,AVERAGE-BANDWIDTH=250000,RESOLUTION=426x240\nv240/index.m3u8\n";
        let higher = "#EXTM3U\n#EXT-X-VERSION:7\n\
                      #EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720\nv720/index.m3u8\n\
                      #EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\nv360/index.m3u8\n";
        let merged = merge_masters(lower, higher, "j7a1/").unwrap();
        let uris: Vec<&str> = merged.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(uris, ["j7a1/v720/index.m3u8", "j7a1/v360/index.m3u8", "v240/index.m3u8"]);
        assert!(merged.starts_with("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"));
        assert!(merged.contains("#EXT-X-STREAM-INF:BANDWIDTH=300000,AVERAGE-BANDWIDTH=250000,RESOLUTION=426x240\n"));
        assert!(merge_masters("#EXTM3U\n", higher, "j7a1").is_err(), "no lowest rung to keep");
        assert!(merge_masters(lower, "#EXT-X-STREAM-INF:BANDWIDTH=1\n", "j").is_err(), "a variant without URI");
    }

    #[test]
    fn bandwidth_is_measured_from_the_segments() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(INIT_SEGMENT), vec![0u8; 1000]).unwrap();
        std::fs::write(dir.path().join("seg_00001.m4s"), vec![0u8; 500_000]).unwrap();
        std::fs::write(dir.path().join("seg_00002.m4s"), vec![0u8; 100_000]).unwrap();
        std::fs::write(
            dir.path().join(MEDIA_PLAYLIST),
            "#EXTM3U\n#EXTINF:4.000000,\nseg_00001.m4s\n#EXTINF:2.000000,\nseg_00002.m4s\n#EXT-X-ENDLIST\n",
        )
        .unwrap();
        let (peak, average) = measure_bandwidth(dir.path()).unwrap();
        assert_eq!(peak, 1_000_000);
        assert_eq!(average, 801_334);
    }
}
