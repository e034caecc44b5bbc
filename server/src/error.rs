//! The server's one error type. Every variant has a stable code
//! (`courses::i18n::ErrorCode`), an HTTP status and a message in Chinese and
//! English; 5xx details are logged here and never sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use courses::directory::ErrorBody;
use courses::i18n::{ErrorCode, Lang, Localize};
use sea_orm::DbErr;

use crate::storage::StorageError;

/// A message already rendered in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub zh: String,
    pub en: String,
}

impl Detail {
    pub fn of(l: &impl Localize) -> Self {
        Self { zh: l.localize(Lang::Zh), en: l.localize(Lang::En) }
    }

    /// Several problems in one message: the Chinese sentences end in 。 and
    /// run on, the English ones are joined by a space.
    pub fn all<L: Localize>(items: &[L]) -> Self {
        let join = |lang: Lang, sep: &str| items.iter().map(|l| l.localize(lang)).collect::<Vec<_>>().join(sep);
        Self { zh: join(Lang::Zh, ""), en: join(Lang::En, " ") }
    }

    pub fn text(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self { zh: zh.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not logged in")]
    Unauthenticated,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(Detail),
    #[error("conflict: {0}")]
    Conflict(Detail),
    #[error("org is not empty")]
    OrgNotEmpty,
    #[error("rate limited for {retry_after}s")]
    RateLimited { retry_after: i64 },
    #[error("payload larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("unsupported file type")]
    UnsupportedFile,
    #[error("import file unreadable: {0}")]
    ImportFile(Detail),
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("dependency unavailable: {0}")]
    Unavailable(String),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(l: &impl Localize) -> Self {
        Self::Invalid(Detail::of(l))
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::BadCredentials => ErrorCode::BadCredentials,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::Csrf => ErrorCode::CsrfFailed,
            Self::NotFound => ErrorCode::NotFound,
            Self::Invalid(_) => ErrorCode::InvalidInput,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::OrgNotEmpty => ErrorCode::OrgNotEmpty,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::TooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::UnsupportedFile => ErrorCode::UnsupportedFile,
            Self::ImportFile(_) => ErrorCode::ImportFileInvalid,
            Self::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Db(e) if crate::db::lost::is_unreachable(e) => ErrorCode::Unavailable,
            Self::Db(_) | Self::Storage(_) | Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The message a person reads; never contains internal details.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Invalid(d) | Self::Conflict(d) | Self::ImportFile(d) => d.get(lang).to_owned(),
            Self::RateLimited { retry_after } => {
                let minutes = (retry_after + 59) / 60;
                lang.pick(
                    &format!("尝试次数过多，请 {minutes} 分钟后再试。"),
                    &format!("Too many attempts; try again in {minutes} minute(s)."),
                )
                .to_owned()
            }
            Self::TooLarge { limit } => {
                let mib = *limit as f64 / (1024.0 * 1024.0);
                lang.pick(
                    &format!("文件过大，最大允许 {mib:.1} MiB。"),
                    &format!("The file is too large; the limit is {mib:.1} MiB."),
                )
                .to_owned()
            }
            other => other.code().localize(lang),
        }
    }

    pub fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody { code: self.code().as_str().to_owned(), message: self.message(lang) }
    }

    /// Logs server-side failures with their details; client errors are not logged.
    pub fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, debug = ?self, "request failed");
        }
    }
}

/// Rendered messages travel with the response so the language layer in
/// `http::lang` can pick the one the client reads.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub body_zh: ErrorBody,
    pub body_en: ErrorBody,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        self.log();
        let body_zh = self.body(Lang::Zh);
        let rendered = Rendered { body_zh: body_zh.clone(), body_en: self.body(Lang::En) };
        let mut response = (self.status(), Json(body_zh)).into_response();
        if let Self::RateLimited { retry_after } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        } else if self.code() == ErrorCode::Unavailable {
            // Long enough for a database to finish restarting, short
            // enough that a member's page does not look stuck.
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        response.extensions_mut().insert(rendered);
        response
    }
}

impl From<courses::access::Denied> for Error {
    fn from(_: courses::access::Denied) -> Self {
        Error::Forbidden
    }
}
