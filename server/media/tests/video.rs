//! Probing and HLS transcoding against the real fixtures in
//! `tests/fixtures/media`, checked with the real `ffprobe` and `ffmpeg` CLIs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use courses::media::{MediaKind, Problem};
use dangxiao_media::video::{merge_masters, probe, transcode, transcode_part, Part, Rung, VideoOutput, VideoSettings};
use dangxiao_media::{Control, MediaError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/media").join(name)
}

/// Settings for tests: the default ladder, the fastest x264 preset.
fn settings() -> VideoSettings {
    // libav* logs every segment it opens; keep the test output readable.
    ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Error);
    VideoSettings { x264_preset: "ultrafast".into(), ..VideoSettings::default() }
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(args[0]).args(&args[1..]).output().unwrap_or_else(|e| panic!("running {args:?}: {e}"));
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn ffprobe(path: &Path, entries: &str) -> serde_json::Value {
    let p = path.to_str().unwrap();
    let (ok, stdout, stderr) = run(&["ffprobe", "-v", "error", "-show_entries", entries, "-of", "json", p]);
    assert!(ok, "ffprobe {p}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn duration_of(path: &Path) -> f64 {
    let v = ffprobe(path, "format=duration");
    v["format"]["duration"].as_str().unwrap().parse().unwrap()
}

/// `(codec_type, width, height)` of every stream.
fn streams_of(path: &Path) -> Vec<(String, u64, u64)> {
    let v = ffprobe(path, "stream=codec_type,width,height");
    v["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let dim = |k: &str| s[k].as_u64().unwrap_or(0);
            (s["codec_type"].as_str().unwrap().to_owned(), dim("width"), dim("height"))
        })
        .collect()
}

/// Presentation times of the video keyframes, from the packets' `K` flag.
fn keyframe_times(playlist: &Path) -> Vec<f64> {
    let p = playlist.to_str().unwrap();
    let args = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags"];
    let (ok, stdout, stderr) = run(&[&args[..], &["-of", "csv=p=0", p]].concat());
    assert!(ok, "{stderr}");
    let mut times: Vec<f64> = stdout
        .lines()
        .filter_map(|l| l.split_once(','))
        .filter(|(_, flags)| flags.contains('K'))
        .map(|(t, _)| t.parse().unwrap())
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

fn assert_decodes_cleanly(path: &Path) {
    let (ok, _, stderr) = run(&["ffmpeg", "-nostdin", "-v", "error", "-i", path.to_str().unwrap(), "-f", "null", "-"]);
    assert!(ok && stderr.trim().is_empty(), "{} does not decode cleanly: {stderr}", path.display());
}

fn segment_durations(playlist: &Path) -> Vec<f64> {
    std::fs::read_to_string(playlist)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("#EXTINF:"))
        .map(|d| d.trim_end_matches(',').parse().unwrap())
        .collect()
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

/// Checks what every video output must have, whatever the source.
fn assert_complete_video(out: &VideoOutput, dir: &Path, source: &Path, expect: &[(u32, u32)], audio: bool) {
    assert_eq!(out.kind, MediaKind::Video);
    let sizes: Vec<(u32, u32)> = out.renditions.iter().map(|r| (r.width, r.height)).collect();
    assert_eq!(sizes, expect);
    let source_duration = duration_of(source);
    assert!((out.duration_seconds - source_duration).abs() < 0.5, "{} vs {source_duration}", out.duration_seconds);

    let master = std::fs::read_to_string(dir.join(&out.master_playlist)).unwrap();
    for r in &out.renditions {
        let playlist = dir.join(&r.playlist);
        assert!(master.contains(&format!("RESOLUTION={}x{}", r.width, r.height)), "{master}");
        assert!(master.contains(&format!("BANDWIDTH={}", r.bandwidth)), "{master}");
        assert!(master.contains(&format!("\n{}\n", r.playlist.to_str().unwrap())), "{master}");
        let parent = playlist.parent().unwrap();
        assert!(parent.join("init.mp4").is_file());
        assert!(parent.join("seg_00001.m4s").is_file());

        let mut kinds = vec![("video".to_owned(), u64::from(r.width), u64::from(r.height))];
        if audio {
            kinds.push(("audio".to_owned(), 0, 0));
        }
        assert_eq!(streams_of(&playlist), kinds, "{}", playlist.display());
        let d = duration_of(&playlist);
        assert!((d - source_duration).abs() < 0.5, "{}: {d} s vs source {source_duration} s", playlist.display());
        assert_decodes_cleanly(&playlist);
    }
    assert_eq!(master.matches("CODECS=\"avc1.").count(), out.renditions.len(), "{master}");
    assert_eq!(master.contains("mp4a.40.2"), audio, "{master}");

    let poster = dir.join(&out.poster);
    let (_, pw, ph) = streams_of(&poster)[0].clone();
    assert!(pw > 0 && pw <= 1280 && ph > 0, "poster {pw}x{ph}");
    assert_decodes_cleanly(&poster);

    let vtt_path = dir.join(out.thumbnails.as_ref().expect("video has thumbnails"));
    let vtt = std::fs::read_to_string(&vtt_path).unwrap();
    assert!(vtt.starts_with("WEBVTT"));
    let cues: Vec<&str> = vtt.lines().filter(|l| l.contains("#xywh=")).collect();
    assert!(!cues.is_empty(), "{vtt}");
    for cue in cues {
        let sprite = dir.join(cue.split('#').next().unwrap());
        assert!(sprite.is_file(), "{cue}");
        assert_decodes_cleanly(&sprite);
    }
}

#[test]
fn probing_reports_duration_picture_size_and_audio() {
    let p = probe(&fixture("video-1080p-60fps-2s.mp4")).unwrap();
    assert_eq!(p.video, Some((1920, 1080)));
    assert!(p.has_audio);
    assert!((p.duration_seconds - 2.02).abs() < 0.05, "{}", p.duration_seconds);

    let webm = probe(&fixture("Big_Buck_Bunny_180_10s.webm")).unwrap();
    assert_eq!((webm.video, webm.has_audio), (Some((320, 180)), false));

    let wav = probe(&fixture("audio-3s.wav")).unwrap();
    assert_eq!((wav.video, wav.has_audio), (None, true));
    assert!((wav.duration_seconds - 3.072).abs() < 0.01);
}

#[test]
fn a_1080p60_mp4_with_audio_becomes_the_five_rung_ladder() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("video-1080p-60fps-2s.mp4");
    let control = Control::new();

    let out = transcode(&source, dir.path(), &settings(), &control).unwrap();

    let expect = [(1920, 1080), (1280, 720), (854, 480), (640, 360), (426, 240)];
    assert_complete_video(&out, dir.path(), &source, &expect, true);
    // The weak-link rung carries its own, smaller audio; the others share one.
    let audio_kbps = |rendition: &str| {
        let playlist = dir.path().join(rendition).join("index.m3u8");
        let v = ffprobe(&playlist, "packet=codec_type,size");
        let bytes: u64 = v["packets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["codec_type"] == "audio")
            .map(|p| p["size"].as_str().and_then(|s| s.parse::<u64>().ok()).or(p["size"].as_u64()).unwrap_or(0))
            .sum();
        bytes as f64 * 8.0 / 1000.0 / duration_of(&playlist)
    };
    let (shared, low) = (audio_kbps("v360"), audio_kbps("v240"));
    assert!((audio_kbps("v1080") - shared).abs() < 1.0, "the top rungs share one audio encoding");
    assert!(low < 70.0 && shared > 90.0, "240p audio {low:.0} kbit/s, shared {shared:.0} kbit/s");
    assert_eq!(control.percent(), 100);
    let first = keyframe_times(&dir.path().join(&out.renditions[0].playlist));
    for r in &out.renditions[1..] {
        assert_eq!(keyframe_times(&dir.path().join(&r.playlist)), first);
    }
}

#[test]
fn an_indeo_avi_is_cut_into_four_second_segments_with_keyframes_aligned_across_renditions() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("video-15s.avi");
    let ladder = vec![Rung::new(240, 600), Rung::new(180, 400), Rung::new(120, 250)];
    let settings = VideoSettings { ladder, ..settings() };

    let out = transcode(&source, dir.path(), &settings, &Control::new()).unwrap();

    assert_complete_video(&out, dir.path(), &source, &[(256, 240), (192, 180), (128, 120)], false);
    let playlists: Vec<PathBuf> = out.renditions.iter().map(|r| dir.path().join(&r.playlist)).collect();
    let keyframes = keyframe_times(&playlists[0]);
    assert!(keyframes.len() >= 4, "{keyframes:?}");
    for (n, t) in keyframes.iter().enumerate() {
        assert!((t - 4.0 * n as f64).abs() < 0.05, "keyframe {n} at {t}: {keyframes:?}");
    }
    for p in &playlists[1..] {
        assert_eq!(keyframe_times(p), keyframes, "{}", p.display());
    }
    for p in &playlists {
        let segments = segment_durations(p);
        assert_eq!(segments.len(), 4, "{segments:?}");
        assert!(segments[..3].iter().all(|d| (d - 4.0).abs() < 0.05), "{segments:?}");
    }
}

#[test]
fn the_lowest_rung_and_the_rungs_above_it_made_in_two_passes_switch_at_the_same_keyframes() {
    let (low_dir, high_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let source = fixture("video-15s.avi");
    let ladder = vec![Rung::new(240, 600), Rung::new(180, 400), Rung::new(120, 250)];
    let settings = VideoSettings { ladder, ..settings() };

    let low = transcode_part(&source, low_dir.path(), &settings, &Control::new(), Part::Lowest).unwrap();
    assert_eq!(low.rungs_left, [240, 180]);
    assert_complete_video(&low, low_dir.path(), &source, &[(128, 120)], false);
    let high = transcode_part(&source, high_dir.path(), &settings, &Control::new(), Part::AboveLowest).unwrap();
    assert!(high.rungs_left.is_empty());
    assert_eq!(high.renditions.iter().map(|r| r.height).collect::<Vec<_>>(), [240, 180]);
    assert!((high.duration_seconds - low.duration_seconds).abs() < 0.01);

    // A player switches between renditions of the two passes mid-lesson.
    let keyframes = keyframe_times(&low_dir.path().join(&low.renditions[0].playlist));
    for r in &high.renditions {
        let p = high_dir.path().join(&r.playlist);
        assert_eq!(keyframe_times(&p), keyframes, "{}", p.display());
        assert_eq!(segment_durations(&p), segment_durations(&low_dir.path().join(&low.renditions[0].playlist)));
    }
    let read = |dir: &Path, out: &VideoOutput| std::fs::read_to_string(dir.join(&out.master_playlist)).unwrap();
    let merged = merge_masters(&read(low_dir.path(), &low), &read(high_dir.path(), &high), "j9a1").unwrap();
    let uris: Vec<&str> = merged.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(uris, ["j9a1/v240/index.m3u8", "j9a1/v180/index.m3u8", "v120/index.m3u8"]);

    let single = tempfile::tempdir().unwrap();
    let one = VideoSettings { ladder: vec![Rung::new(240, 600)], ..settings.clone() };
    let out = transcode_part(&source, single.path(), &one, &Control::new(), Part::Lowest).unwrap();
    assert!(out.rungs_left.is_empty(), "a one-rung ladder is complete after the first pass");
    assert!(
        transcode_part(&source, tempfile::tempdir().unwrap().path(), &one, &Control::new(), Part::AboveLowest).is_err()
    );
}

#[test]
fn a_180p_webm_without_audio_gets_one_rendition_at_its_own_height() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("Big_Buck_Bunny_180_10s.webm");

    let out = transcode(&source, dir.path(), &settings(), &Control::new()).unwrap();

    assert_complete_video(&out, dir.path(), &source, &[(320, 180)], false);
    assert_eq!(out.renditions[0].playlist, Path::new("v180/index.m3u8"));
}

#[test]
fn a_short_h264_mp4_is_transcoded_too() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("video-1s.mp4");

    let out = transcode(&source, dir.path(), &settings(), &Control::new()).unwrap();

    let audio = probe(&source).unwrap().has_audio;
    assert_complete_video(&out, dir.path(), &source, &[(256, 240)], audio);
}

#[test]
fn a_wav_recording_becomes_an_audio_only_playlist_with_a_waveform_poster() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("audio-3s.wav");

    let out = transcode(&source, dir.path(), &settings(), &Control::new()).unwrap();

    assert_eq!(out.kind, MediaKind::Audio);
    assert!(out.renditions.is_empty() && out.thumbnails.is_none());
    assert!((out.duration_seconds - 3.072).abs() < 0.1, "{}", out.duration_seconds);
    let master = std::fs::read_to_string(dir.path().join(&out.master_playlist)).unwrap();
    assert!(master.contains("CODECS=\"mp4a.40.2\"") && master.contains("\naudio/index.m3u8\n"), "{master}");
    assert!(!master.contains("RESOLUTION"), "{master}");
    let playlist = dir.path().join("audio/index.m3u8");
    assert_eq!(streams_of(&playlist), vec![("audio".to_owned(), 0, 0)]);
    assert!((duration_of(&playlist) - 3.072).abs() < 0.5);
    assert_decodes_cleanly(&playlist);
    let poster = dir.path().join(&out.poster);
    assert_eq!(streams_of(&poster), vec![("video".to_owned(), 1280, 360)]);
    assert_decodes_cleanly(&poster);
}

#[test]
fn a_zero_byte_file_is_rejected_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("empty.mp4");
    std::fs::write(&input, b"").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let result = transcode(&input, &out, &settings(), &Control::new());

    assert!(matches!(result, Err(MediaError::Rejected(Problem::EmptyFile))), "{result:?}");
    assert!(matches!(probe(&input), Err(MediaError::Rejected(Problem::EmptyFile))));
    assert!(is_empty_dir(&out));
}

#[test]
fn a_text_file_renamed_to_mp4_is_rejected_as_not_media() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("lecture.mp4");
    std::fs::write(&input, "第一讲 讲稿\nThis is a text file, not a video.\n".repeat(50)).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let result = transcode(&input, &out, &settings(), &Control::new());

    let Err(MediaError::Rejected(Problem::UnrecognizedType { detected })) = result else {
        panic!("expected unrecognized_type, got {result:?}");
    };
    assert_eq!(detected.as_deref(), Some("text/plain"));
    assert!(is_empty_dir(&out));
}

#[test]
fn an_mp4_cut_in_half_is_rejected_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("video-1080p-60fps-2s.mp4")).unwrap();
    let input = dir.path().join("half.mp4");
    std::fs::write(&input, &whole[..whole.len() / 2]).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let result = transcode(&input, &out, &settings(), &Control::new());

    assert!(matches!(result, Err(MediaError::Rejected(Problem::Damaged))), "{result:?}");
    assert!(matches!(probe(&input), Err(MediaError::Rejected(Problem::Damaged))));
    assert!(is_empty_dir(&out));
}

#[test]
fn an_mp4_cut_short_after_its_index_is_rejected_as_damaged_and_leaves_nothing_behind() {
    // With the index (moov) first, the file opens; the missing half only
    // shows while decoding, after renditions have started writing.
    let dir = tempfile::tempdir().unwrap();
    let faststart = dir.path().join("faststart.mp4");
    let src = fixture("video-15s.avi");
    let (ok, _, stderr) = run(&[
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-i",
        src.to_str().unwrap(),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-movflags",
        "+faststart",
        faststart.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let whole = std::fs::read(&faststart).unwrap();
    let input = dir.path().join("cut.mp4");
    std::fs::write(&input, &whole[..whole.len() / 2]).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let result = transcode(&input, &out, &settings(), &Control::new());

    assert!(matches!(result, Err(MediaError::Rejected(Problem::Damaged))), "{result:?}");
    assert!(is_empty_dir(&out));
}

#[test]
fn a_short_mp4_that_declares_more_than_it_decodes_is_damaged_not_a_shorter_lesson() {
    // A 2 s clip with its index first, cut after a sixth of its bytes: the
    // container still says 2 s; the frames end after a fraction of that.
    let dir = tempfile::tempdir().unwrap();
    let faststart = dir.path().join("faststart.mp4");
    let src = fixture("video-1080p-60fps-2s.mp4");
    let (ok, _, stderr) = run(&[
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-i",
        src.to_str().unwrap(),
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        faststart.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let whole = std::fs::read(&faststart).unwrap();
    let input = dir.path().join("cut.mp4");
    std::fs::write(&input, &whole[..whole.len() / 6]).unwrap();
    let declared = probe(&input).expect("the index is whole, so it opens").duration_seconds;
    assert!(declared >= 1.9, "declares {declared} s");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let result = transcode(&input, &out, &settings(), &Control::new());

    assert!(matches!(result, Err(MediaError::Rejected(Problem::Damaged))), "{result:?}");
    assert!(is_empty_dir(&out));
}

#[test]
fn a_video_longer_than_the_limit_is_rejected_before_transcoding() {
    let dir = tempfile::tempdir().unwrap();
    let settings = VideoSettings { max_duration_seconds: 10, ..settings() };
    let control = Control::new();

    let result = transcode(&fixture("video-15s.avi"), dir.path(), &settings, &control);

    let Err(MediaError::Rejected(Problem::TooLong { seconds, limit_seconds })) = result else {
        panic!("expected too_long, got {result:?}");
    };
    assert_eq!((seconds, limit_seconds), (16, 10));
    assert_eq!(control.percent(), 0, "nothing was encoded");
    assert!(is_empty_dir(dir.path()));
}

#[test]
fn cancelling_mid_transcode_returns_cancelled_promptly_and_leaves_the_directory_empty() {
    let dir = tempfile::tempdir().unwrap();
    let control = Control::new();
    let source = fixture("video-15s.avi");

    let (result, cancelled_at) = std::thread::scope(|s| {
        let worker = s.spawn(|| transcode(&source, dir.path(), &settings(), &control));
        let deadline = Instant::now() + Duration::from_secs(120);
        while control.percent() < 20 && !worker.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        control.cancel();
        let cancelled_at = Instant::now();
        (worker.join().unwrap(), cancelled_at)
    });

    assert!(matches!(result, Err(MediaError::Cancelled)), "{result:?}");
    assert!(cancelled_at.elapsed() < Duration::from_secs(5), "took {:?} to stop", cancelled_at.elapsed());
    assert!(is_empty_dir(dir.path()));
}

#[test]
fn an_output_directory_that_is_not_empty_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), b"someone else's").unwrap();

    let result = transcode(&fixture("video-3s.avi"), dir.path(), &settings(), &Control::new());

    assert!(matches!(result, Err(MediaError::Failed(_))), "{result:?}");
    assert!(dir.path().join("keep.txt").is_file());
}
