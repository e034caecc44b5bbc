//! The catalogue of reasons a file could not be used, with a stable code
//! and a message an organizer can act on, in Chinese and English.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
