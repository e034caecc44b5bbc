//! Uploaded teaching material (lecture videos, recorded talks, slide decks)
//! and its processing: what the API and the UI exchange, the file-name rule,
//! and the catalog of reasons a file was refused, in Chinese and English.
//!
//! The server turns an upload into [`MediaKind`]-specific outputs in a
//! background job; a file that cannot be used ends with a [`Problem`] an
//! organizer can act on.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};
use crate::org::OrgId;

/// What an upload turned out to be, decided by sniffing its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Video,
    Audio,
    Slides,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Slides => "slides",
        }
    }

    pub fn parse(s: &str) -> Option<MediaKind> {
        [MediaKind::Video, MediaKind::Audio, MediaKind::Slides].into_iter().find(|k| k.as_str() == s)
    }
}

impl Localize for MediaKind {
    fn localize(&self, lang: Lang) -> String {
        match self {
            MediaKind::Video => lang.pick("视频", "Video"),
            MediaKind::Audio => lang.pick("音频", "Audio"),
            MediaKind::Slides => lang.pick("演示文稿", "Slide deck"),
        }
        .to_owned()
    }
}

/// Where a piece of media is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaState {
    /// Waiting for a worker.
    Queued,
    /// A worker is transcoding or converting it; see `percent`.
    Processing,
    /// Outputs are published and can be studied.
    Ready,
    /// Refused or broken; see `problem`.
    Failed,
    /// An organizer stopped the processing.
    Cancelled,
}

impl MediaState {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaState::Queued => "queued",
            MediaState::Processing => "processing",
            MediaState::Ready => "ready",
            MediaState::Failed => "failed",
            MediaState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<MediaState> {
        [MediaState::Queued, MediaState::Processing, MediaState::Ready, MediaState::Failed, MediaState::Cancelled]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl Localize for MediaState {
    fn localize(&self, lang: Lang) -> String {
        match self {
            MediaState::Queued => lang.pick("排队中", "Queued"),
            MediaState::Processing => lang.pick("处理中", "Processing"),
            MediaState::Ready => lang.pick("已就绪", "Ready"),
            MediaState::Failed => lang.pick("失败", "Failed"),
            MediaState::Cancelled => lang.pick("已取消", "Cancelled"),
        }
        .to_owned()
    }
}

/// Why a file could not be used. Stored with the media record (as JSON) and
/// shown to the organizer in their language; `code()` is stable for clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// The file has no bytes.
    EmptyFile,
    /// Not a video, audio recording or slide deck. `detected` names what the
    /// content looks like, when known (e.g. `text/plain`).
    UnrecognizedType { detected: Option<String> },
    /// A format this installation does not accept (`upload_accepted_types`).
    TypeNotAccepted { detected: String },
    /// A media container with no audio or video stream that can be decoded.
    NoDecodableStream,
    /// The file ends early or is corrupt (e.g. a truncated MP4).
    Damaged,
    /// Longer than the configured limit.
    TooLong { seconds: u64, limit_seconds: u64 },
    /// A `.pptx`/`.odp` whose content is not a valid zip package.
    NotAPackage,
    /// A zip that would expand to far more than its size.
    ZipBomb,
    /// Encrypted or password-protected.
    PasswordProtected,
    /// LibreOffice could not turn the deck into pages.
    ConversionFailed,
    /// The deck has no pages.
    NoSlides,
    /// The deck has more pages than allowed.
    TooManySlides { slides: u32, limit: u32 },
    /// Processing ran past its time limit and was stopped.
    TimedOut { limit_seconds: u64 },
    /// The worker processing it stopped unexpectedly several times.
    WorkerLost,
    /// Something went wrong on our side; the details are in the server log.
    Internal,
}

impl Problem {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::EmptyFile => "empty_file",
            Problem::UnrecognizedType { .. } => "unrecognized_type",
            Problem::TypeNotAccepted { .. } => "type_not_accepted",
            Problem::NoDecodableStream => "no_decodable_stream",
            Problem::Damaged => "damaged",
            Problem::TooLong { .. } => "too_long",
            Problem::NotAPackage => "not_a_package",
            Problem::ZipBomb => "zip_bomb",
            Problem::PasswordProtected => "password_protected",
            Problem::ConversionFailed => "conversion_failed",
            Problem::NoSlides => "no_slides",
            Problem::TooManySlides { .. } => "too_many_slides",
            Problem::TimedOut { .. } => "timed_out",
            Problem::WorkerLost => "worker_lost",
            Problem::Internal => "internal",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

fn minutes(seconds: u64) -> String {
    let m = seconds / 60;
    let s = seconds % 60;
    if s == 0 {
        format!("{m}")
    } else {
        format!("{m}:{s:02}")
    }
}

impl Localize for Problem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Problem::EmptyFile => lang
                .pick("文件是空的（0 字节）。请检查文件后重新上传。", "The file is empty (0 bytes). Check the file and upload it again.")
                .to_owned(),
            Problem::UnrecognizedType { detected } => {
                let what = detected.as_deref().unwrap_or(lang.pick("未知格式", "an unknown format"));
                match lang {
                    Lang::Zh => format!(
                        "无法识别为视频、音频或演示文稿（内容看起来是 {what}）。请上传 MP4、WebM、AVI、MP3、WAV、M4A、PPT、PPTX、ODP 或 PDF 文件；改文件扩展名无效。"
                    ),
                    Lang::En => format!(
                        "This is not a video, audio recording or slide deck (its content looks like {what}). Upload MP4, WebM, AVI, MP3, WAV, M4A, PPT, PPTX, ODP or PDF; renaming a file does not change its format."
                    ),
                }
            }
            Problem::TypeNotAccepted { detected } => match lang {
                Lang::Zh => format!("本平台不接受这种格式的文件（{detected}）。请转换为允许的格式后上传，或请管理员调整允许的类型。"),
                Lang::En => format!(
                    "This installation does not accept files of this format ({detected}). Convert it to an accepted format, or ask an administrator to allow the type."
                ),
            },
            Problem::NoDecodableStream => lang
                .pick(
                    "文件中没有可以解码的音频或视频。请用常见格式（如 H.264 MP4）重新导出后上传。",
                    "The file has no audio or video that can be decoded. Export it again in a common format (such as H.264 MP4) and upload that.",
                )
                .to_owned(),
            Problem::Damaged => lang
                .pick(
                    "文件已损坏或不完整（可能在复制或导出时中断）。请重新导出或复制完整文件后上传。",
                    "The file is damaged or incomplete (perhaps cut short while copying or exporting). Export or copy it again and upload the complete file.",
                )
                .to_owned(),
            Problem::TooLong { seconds, limit_seconds } => match lang {
                Lang::Zh => format!(
                    "时长 {} 分钟，超过了允许的 {} 分钟。请剪辑成较短的片段分别上传，或请管理员调整上限。",
                    minutes(*seconds),
                    minutes(*limit_seconds)
                ),
                Lang::En => format!(
                    "It runs {} minutes, more than the {} minutes allowed. Cut it into shorter parts and upload them separately, or ask an administrator to raise the limit.",
                    minutes(*seconds),
                    minutes(*limit_seconds)
                ),
            },
            Problem::NotAPackage => lang
                .pick(
                    "演示文稿文件已损坏（不是有效的 PPTX/ODP 文件包）。请在 PowerPoint 或 WPS 中打开并另存为 PPTX 后重新上传。",
                    "The slide deck is damaged (not a valid PPTX/ODP package). Open it in PowerPoint or WPS, save it as PPTX again and upload that.",
                )
                .to_owned(),
            Problem::ZipBomb => lang
                .pick(
                    "文件解压后的大小异常巨大，已拒绝处理。请上传正常保存的演示文稿。",
                    "The file would unpack to an abnormally large size and was refused. Upload a normally saved deck.",
                )
                .to_owned(),
            Problem::PasswordProtected => lang
                .pick(
                    "文件设置了密码保护。请去掉密码（在 PowerPoint 或 WPS 中“另存为”时取消加密）后重新上传。",
                    "The file is password-protected. Remove the password (save a copy without encryption in PowerPoint or WPS) and upload it again.",
                )
                .to_owned(),
            Problem::ConversionFailed => lang
                .pick(
                    "无法打开这个演示文稿进行转换。请在 PowerPoint 或 WPS 中打开并另存为 PPTX 或 PDF 后重新上传。",
                    "This deck could not be opened for conversion. Open it in PowerPoint or WPS, save it as PPTX or PDF and upload that.",
                )
                .to_owned(),
            Problem::NoSlides => lang
                .pick("演示文稿中没有任何页面。请检查文件内容。", "The deck has no slides. Check its content.")
                .to_owned(),
            Problem::TooManySlides { slides, limit } => match lang {
                Lang::Zh => format!("演示文稿有 {slides} 页，超过了允许的 {limit} 页。请拆分成几个文件分别上传。"),
                Lang::En => format!(
                    "The deck has {slides} slides, more than the {limit} allowed. Split it into several files and upload them separately."
                ),
            },
            Problem::TimedOut { limit_seconds } => match lang {
                Lang::Zh => format!(
                    "处理超过了 {} 分钟的时间上限，已停止。请上传较短或较小的文件，或请管理员调整上限。",
                    minutes(*limit_seconds)
                ),
                Lang::En => format!(
                    "Processing ran past its {}-minute limit and was stopped. Upload a shorter or smaller file, or ask an administrator to raise the limit.",
                    minutes(*limit_seconds)
                ),
            },
            Problem::WorkerLost => lang
                .pick(
                    "处理程序多次意外中断。请稍后点击“重试”；如仍失败，请联系管理员。",
                    "The processing stopped unexpectedly several times. Press “Retry” later; if it fails again, contact an administrator.",
                )
                .to_owned(),
            Problem::Internal => lang
                .pick(
                    "服务器处理时出错。请稍后点击“重试”；如仍失败，请联系管理员。",
                    "The server failed while processing. Press “Retry” later; if it fails again, contact an administrator.",
                )
                .to_owned(),
        }
    }
}

/// Longest file name kept, in bytes: the limit of every common filesystem.
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// The name an organizer's file had, kept for display only (storage keys
/// never derive from it). Parsing keeps the last path component and refuses
/// names that are empty, contain control characters or are too long.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct FileName(String);

/// Why a file name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    #[error("the file name is empty")]
    Empty,
    #[error("the file name contains control characters")]
    ControlCharacters,
    #[error("the file name is longer than {MAX_FILE_NAME_BYTES} bytes")]
    TooLong,
}

impl Localize for FileNameError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            FileNameError::Empty => lang.pick("文件名不能为空。", "The file name is empty.").to_owned(),
            FileNameError::ControlCharacters => lang
                .pick(
                    "文件名中含有控制字符。请重命名文件后重新上传。",
                    "The file name contains control characters. Rename the file and upload it again.",
                )
                .to_owned(),
            FileNameError::TooLong => match lang {
                Lang::Zh => format!(
                    "文件名太长（超过 {MAX_FILE_NAME_BYTES} 字节，约 85 个汉字）。请改用较短的文件名后重新上传。"
                ),
                Lang::En => format!(
                    "The file name is too long (over {MAX_FILE_NAME_BYTES} bytes). Rename the file to something shorter and upload it again."
                ),
            },
        }
    }
}

impl FileName {
    pub fn parse(raw: &str) -> Result<FileName, FileNameError> {
        if raw.chars().any(char::is_control) {
            return Err(FileNameError::ControlCharacters);
        }
        // Browsers send a bare name; other clients may send a path. Only the
        // last component is a name, and `.`/`..` are not names at all.
        let last = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
        if last.is_empty() || last == "." || last == ".." {
            return Err(FileNameError::Empty);
        }
        if last.len() > MAX_FILE_NAME_BYTES {
            return Err(FileNameError::TooLong);
        }
        Ok(FileName(last.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FileName {
    type Error = FileNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        FileName::parse(&value)
    }
}

impl From<FileName> for String {
    fn from(value: FileName) -> String {
        value.0
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Start a resumable upload into `org_id`'s material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUpload {
    pub org_id: OrgId,
    pub file_name: FileName,
    /// Exact size of the file in bytes.
    pub size: u64,
}

/// An upload in progress: which parts the server already has. A client that
/// lost its connection (or was reloaded) asks for this and sends only the
/// parts missing from `received_parts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadStatus {
    pub id: String,
    pub org_id: OrgId,
    pub file_name: FileName,
    pub size: u64,
    /// Every part but the last has exactly this many bytes.
    pub part_size: u64,
    pub part_count: u32,
    /// Part numbers (1-based) already stored, ascending.
    pub received_parts: Vec<u32>,
    pub bytes_received: u64,
    /// When true, send parts straight to object storage with the URLs from
    /// `POST /api/v1/uploads/{id}/parts/{n}/url` instead of through the server.
    pub direct: bool,
    /// Unix seconds after which an unfinished upload is deleted.
    pub expires_at: i64,
    /// Set once the upload was completed.
    pub media_id: Option<i64>,
}

/// Where to `PUT` one part when uploading directly to object storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartUrl {
    pub number: u32,
    pub url: String,
    /// Unix seconds after which the URL stops working.
    pub expires_at: i64,
}

/// One uploaded file and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaSummary {
    pub id: i64,
    pub org_id: OrgId,
    pub file_name: FileName,
    pub size: u64,
    /// Unknown until a worker has looked at the content.
    pub kind: Option<MediaKind>,
    pub state: MediaState,
    /// Processing progress, 0–100.
    pub percent: u8,
    /// Set when `state` is `failed`.
    pub problem: Option<Problem>,
    /// `problem` explained in the caller's language.
    pub problem_message: Option<String>,
    pub duration_seconds: Option<f64>,
    /// Heights of the video renditions, highest first (video only).
    pub renditions: Vec<u32>,
    pub slide_count: Option<u32>,
    /// URL of the HLS master playlist (video, audio) once ready.
    pub playlist_url: Option<String>,
    /// URL of the poster image once ready.
    pub poster_url: Option<String>,
    pub uploaded_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One page of a converted slide deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlideView {
    /// 1-based.
    pub number: u32,
    /// Image sized for phones (about 720 px wide).
    pub small_url: String,
    /// Image sized for PCs (about 1600 px wide).
    pub large_url: String,
    /// The slide's text, for search and screen readers.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_keeps_only_its_last_component() {
        assert_eq!(FileName::parse("../../etc/passwd").unwrap().as_str(), "passwd");
        assert_eq!(FileName::parse("C:\\Users\\李\\党课.pptx").unwrap().as_str(), "党课.pptx");
    }

    #[test]
    fn dot_names_and_empty_names_are_refused() {
        for bad in ["", "  ", "..", "a/..", "dir/"] {
            assert_eq!(FileName::parse(bad), Err(FileNameError::Empty), "{bad:?}");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(FileName::parse("a\u{0}b.mp4"), Err(FileNameError::ControlCharacters));
        assert_eq!(FileName::parse("a\nb.mp4"), Err(FileNameError::ControlCharacters));
        assert_eq!(FileName::parse("a\u{1b}[31mb.mp4"), Err(FileNameError::ControlCharacters));
    }

    #[test]
    fn names_over_255_bytes_are_refused_but_255_fit() {
        assert_eq!(FileName::parse(&"a".repeat(300)), Err(FileNameError::TooLong));
        assert!(FileName::parse(&"a".repeat(255)).is_ok());
        // 86 CJK characters are 258 bytes.
        assert_eq!(FileName::parse(&"党".repeat(86)), Err(FileNameError::TooLong));
    }

    #[test]
    fn every_problem_has_a_message_in_both_languages_and_round_trips() {
        let all = [
            Problem::EmptyFile,
            Problem::UnrecognizedType { detected: Some("text/plain".into()) },
            Problem::TypeNotAccepted { detected: "application/pdf".into() },
            Problem::NoDecodableStream,
            Problem::Damaged,
            Problem::TooLong { seconds: 7300, limit_seconds: 7200 },
            Problem::NotAPackage,
            Problem::ZipBomb,
            Problem::PasswordProtected,
            Problem::ConversionFailed,
            Problem::NoSlides,
            Problem::TooManySlides { slides: 1200, limit: 1000 },
            Problem::TimedOut { limit_seconds: 3600 },
            Problem::WorkerLost,
            Problem::Internal,
        ];
        for p in all {
            let zh = p.localize(Lang::Zh);
            let en = p.localize(Lang::En);
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{p:?}");
            let json = serde_json::to_string(&p).unwrap();
            assert!(json.contains(p.code()), "{json}");
            assert_eq!(serde_json::from_str::<Problem>(&json).unwrap(), p);
        }
    }

    #[test]
    fn too_long_names_both_durations_in_minutes() {
        let p = Problem::TooLong { seconds: 7290, limit_seconds: 7200 };
        assert!(p.localize(Lang::En).contains("121:30"), "{}", p.localize(Lang::En));
        assert!(p.localize(Lang::Zh).contains("120 分钟"));
    }
}
