//! Extractors: who is calling and in which language.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use courses::directory::cookies;
use courses::Lang;

use crate::db;
use crate::error::{Detail, Error};
use crate::http::session::{cookie, MaybeSession};
use crate::services::auth::{self, Need, Session};

/// The language a request wants: the remembered choice, else
/// `Accept-Language`, else Simplified Chinese.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(code) = cookie(headers, cookies::LANG) {
        return Lang::from_code(&code);
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// Extracts the request's language.
pub struct ClientLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ClientLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientLang(request_lang(&parts.headers)))
    }
}

/// The session the `session` middleware resolved, if the rules admit it
/// for `need`.
fn admitted(parts: &Parts, need: Need<'_>) -> Result<Session, Error> {
    let session = parts.extensions.get::<MaybeSession>().and_then(|s| s.0.as_ref());
    auth::admit(session, db::now(), need).cloned()
}

/// A logged-in person who has set their own password. Handlers that change
/// state are additionally protected by the CSRF check in `session`.
pub struct CurrentUser(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        admitted(parts, Need::Act).map(CurrentUser)
    }
}

/// Any logged-in person, including one who must still change their
/// initial password (for `/me`, password change and logout).
pub struct AnyUser(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for AnyUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        admitted(parts, Need::Login).map(AnyUser)
    }
}

/// `axum::Json` whose rejections use the API's error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path` whose rejections use the API's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` whose rejections use the API's error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

fn bad_request(what_zh: &str, what_en: &str, detail: String) -> Error {
    Error::Invalid(Detail::text(format!("{what_zh}：{detail}"), format!("{what_en}: {detail}")))
}

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Self {
        bad_request("请求内容不是有效的 JSON 或字段有误", "The JSON body is invalid", r.body_text())
    }
}

impl From<PathRejection> for Error {
    fn from(r: PathRejection) -> Self {
        match r {
            PathRejection::FailedToDeserializePathParams(_) => Error::NotFound,
            other => Error::Internal(anyhow::anyhow!("path extraction: {}", other.body_text())),
        }
    }
}

impl From<QueryRejection> for Error {
    fn from(r: QueryRejection) -> Self {
        bad_request("查询参数有误", "The query parameters are invalid", r.body_text())
    }
}
