//! Languages and the catalog of user-facing error messages.
//!
//! Simplified Chinese is the default; English is available. Every error a
//! person can see has a stable [`ErrorCode`] and a message in both languages.

use serde::{Deserialize, Serialize};

use crate::org::OrgError;
use crate::people::PersonError;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Name of the cookie that remembers the choice.
    pub const COOKIE: &'static str = "dx_lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a stored choice (`zh-CN`, `en`); anything else is the default.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Picks a language from an `Accept-Language` header: English only when
    /// the client ranks it above Chinese.
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if tag.starts_with("zh") {
                return Lang::Zh;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Zh
    }

    /// Picks the Chinese or English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Something that can explain itself to a person in either language.
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

/// An English message from an error's lower-case `Display` text: a capital
/// first letter and a full stop, as the other English messages read.
pub fn sentence(display: impl std::fmt::Display) -> String {
    let mut en = display.to_string();
    if let Some(first) = en.get(..1) {
        en.replace_range(..1, &first.to_uppercase());
    }
    en + "."
}

/// Stable error codes of the API. Clients match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthenticated,
    BadCredentials,
    Forbidden,
    CsrfFailed,
    NotFound,
    InvalidInput,
    Conflict,
    OrgNotEmpty,
    RateLimited,
    PayloadTooLarge,
    UnsupportedFile,
    ImportFileInvalid,
    PasswordChangeRequired,
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// Every code, for lookups and exhaustive tests.
    pub const ALL: [ErrorCode; 15] = [
        Self::Unauthenticated,
        Self::BadCredentials,
        Self::Forbidden,
        Self::CsrfFailed,
        Self::NotFound,
        Self::InvalidInput,
        Self::Conflict,
        Self::OrgNotEmpty,
        Self::RateLimited,
        Self::PayloadTooLarge,
        Self::UnsupportedFile,
        Self::ImportFileInvalid,
        Self::PasswordChangeRequired,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The code with this wire name, if any.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The HTTP status an answer with this code carries.
    pub fn http_status(self) -> u16 {
        match self {
            Self::Unauthenticated | Self::BadCredentials => 401,
            Self::Forbidden | Self::CsrfFailed | Self::PasswordChangeRequired => 403,
            Self::NotFound => 404,
            Self::InvalidInput | Self::ImportFileInvalid => 422,
            Self::Conflict | Self::OrgNotEmpty => 409,
            Self::RateLimited => 429,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedFile => 415,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::BadCredentials => "bad_credentials",
            Self::Forbidden => "forbidden",
            Self::CsrfFailed => "csrf_failed",
            Self::NotFound => "not_found",
            Self::InvalidInput => "invalid_input",
            Self::Conflict => "conflict",
            Self::OrgNotEmpty => "org_not_empty",
            Self::RateLimited => "rate_limited",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedFile => "unsupported_file",
            Self::ImportFileInvalid => "import_file_invalid",
            Self::PasswordChangeRequired => "password_change_required",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

impl Localize for ErrorCode {
    /// The generic message for the code; callers may give a more specific one.
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::Unauthenticated => ("请先登录。", "Please log in first."),
            Self::BadCredentials => ("登录名或密码不正确。", "Wrong login or password."),
            Self::Forbidden => ("您没有权限执行此操作。", "You are not allowed to do this."),
            Self::CsrfFailed => (
                "页面已过期或请求来源不可信，请刷新页面后重试。",
                "The page has expired or the request did not come from it; reload the page and try again.",
            ),
            Self::NotFound => ("未找到，或您无权查看。", "Not found, or not visible to you."),
            Self::InvalidInput => ("提交的内容有误。", "Some input is invalid."),
            Self::Conflict => ("与现有数据冲突。", "This conflicts with existing data."),
            Self::OrgNotEmpty => (
                "该组织下仍有下级组织或人员，请先移走后再删除。",
                "This organization still has sub-organizations or people; move them first.",
            ),
            Self::RateLimited => ("尝试次数过多，请稍后再试。", "Too many attempts; please wait and try again."),
            Self::PayloadTooLarge => ("文件过大。", "The file is too large."),
            Self::UnsupportedFile => {
                ("不支持的文件类型，请上传 CSV 或 XLSX 文件。", "Unsupported file type; upload a CSV or XLSX file.")
            }
            Self::ImportFileInvalid => ("导入文件无法读取。", "The import file cannot be read."),
            Self::PasswordChangeRequired => ("请先修改初始密码。", "Please change your initial password first."),
            Self::Unavailable => ("服务暂时不可用，请稍后再试。", "The service is unavailable; try again later."),
            Self::Internal => (
                "服务器内部错误，已记录，请稍后再试。",
                "Internal server error; it has been logged. Please try again later.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl Localize for OrgError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (OrgError::BadPath(p), Lang::Zh) => format!("组织路径“{p}”格式不正确。"),
            (OrgError::BadName, Lang::Zh) => "组织名称须为 1–64 个字符，不能包含“/”或控制字符。".into(),
            (OrgError::EmptyNamePath, Lang::Zh) => {
                "组织路径不能为空，各级名称用“/”分隔，例如：某党委/第一党支部。".into()
            }
            (OrgError::BadKind(k), Lang::Zh) => format!("未知的组织类型“{k}”。"),
            (e, Lang::En) => e.to_string(),
        }
    }
}

impl Localize for PersonError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (PersonError::BadLogin, Lang::Zh) => {
                "登录名须为 3–32 个字符，只能包含字母、数字和 . _ - @（可使用手机号）。".into()
            }
            (PersonError::BadName, Lang::Zh) => "姓名须为 1–32 个字符。".into(),
            (PersonError::BadRole(r), Lang::Zh) => {
                format!("未知的身份“{r}”，请填写：党员、入党积极分子、组织员或管理员。")
            }
            (PersonError::WeakPassword, Lang::Zh) => "密码须为 8–128 个字符，且不能全是数字。".into(),
            (PersonError::BadEmail, Lang::Zh) => {
                "电子邮箱格式不正确，应形如 name@example.org（最多 254 个字符）。".into()
            }
            (e, Lang::En) => e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_unless_english_ranks_first() {
        assert_eq!(Lang::from_accept_language(""), Lang::Zh);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,zh;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_code("fr"), Lang::Zh);
    }

    #[test]
    fn every_error_code_has_both_languages() {
        for code in ErrorCode::ALL {
            let (zh, en) = (code.localize(Lang::Zh), code.localize(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{code:?}");
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
    }
}
