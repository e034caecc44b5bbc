//! Extractors: who is calling and in which language.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use courses::directory::cookies;
use courses::Lang;

use crate::error::Error;
use crate::http::session::{cookie, MaybeSession};
use crate::services::auth::Session;

/// The language a request wants: the remembered choice, else
/// `Accept-Language`, else Simplified Chinese.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(code) = cookie(headers, cookies::LANG) {
        return Lang::from_code(code);
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

fn session_of(parts: &Parts) -> Result<Session, Error> {
    parts.extensions.get::<MaybeSession>().and_then(|s| s.0.clone()).ok_or(Error::Unauthenticated)
}

/// A logged-in person who has set their own password. Handlers that change
/// state are additionally protected by the CSRF check in `session`.
pub struct CurrentUser(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let session = session_of(parts)?;
        if session.person.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        Ok(CurrentUser(session))
    }
}

/// Any logged-in person, including one who must still change their
/// initial password (for `/me`, password change and logout).
pub struct AnyUser(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for AnyUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        session_of(parts).map(AnyUser)
    }
}
