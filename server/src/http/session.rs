//! Resolving the session once per request, and CSRF protection.
//!
//! The `session` middleware looks the session cookie up once and leaves the
//! result in the request's extensions for extractors, pages and server
//! functions. It also keeps the script-readable `dx_csrf` cookie equal to
//! the token the next state-changing request must echo: the session's own
//! token when logged in, otherwise a random one (double submit, which also
//! protects the login form). Unsafe `/api/v1` requests are refused here
//! unless `X-CSRF-Token` carries that token; HTML forms and server
//! functions check the same token through [`Csrf::verify`].

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use courses::directory::{cookies, CSRF_HEADER};

use crate::error::Error;
use crate::services::auth::{self, Session};
use crate::state::AppState;

/// The request's session, if its cookie named a live one.
#[derive(Clone, Debug)]
pub struct MaybeSession(pub Option<Session>);

/// The CSRF token this request must present if it changes anything.
#[derive(Clone, Debug)]
pub struct Csrf(pub String);

impl Csrf {
    pub fn verify(&self, presented: Option<&str>) -> Result<(), Error> {
        match presented {
            Some(p) if auth::same_secret(p, &self.0) => Ok(()),
            _ => Err(Error::Csrf),
        }
    }
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers).get(name).map(|c| c.value().to_owned())
}

/// Paths that never need a session here: assets and probes, and heartbeats,
/// which are authenticated (login and CSRF token) inside their group commit
/// with one query per batch instead of one per request.
fn sessionless(path: &str) -> bool {
    path == "/api/v1/heartbeats"
        || path.starts_with("/pkg/")
        || path.starts_with("/vendor/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.svg"
        || path == "/favicon.ico"
}

/// Builds a `Set-Cookie` value with the project's attributes.
pub fn set_cookie(name: &str, value: &str, http_only: bool, secure: bool, max_age: Option<i64>) -> Option<HeaderValue> {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).ok()
}

pub async fn session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if sessionless(req.uri().path()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let session = match cookie(headers, cookies::SESSION) {
        Some(token) => match auth::resolve(&state.db, &token, state.settings.session_hours).await {
            Ok(s) => s,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let cookie_token = cookie(headers, cookies::CSRF);
    let expected = match (&session, &cookie_token) {
        (Some(s), _) => s.csrf_token.clone(),
        (None, Some(t)) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => t.clone(),
        _ => auth::random_token(),
    };
    let refresh_cookie = cookie_token.as_deref() != Some(expected.as_str());

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && req.uri().path().starts_with("/api/v1/") {
        let presented = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if let Err(e) = Csrf(expected.clone()).verify(presented) {
            return e.into_response();
        }
    }
    if refresh_cookie {
        // Let pages rendered in this request see the token they must embed.
        let pair = format!("{}={}", cookies::CSRF, expected);
        let merged = match req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        if let Ok(v) = HeaderValue::from_str(&merged) {
            req.headers_mut().insert(header::COOKIE, v);
        }
    }
    req.extensions_mut().insert(MaybeSession(session));
    req.extensions_mut().insert(Csrf(expected.clone()));
    let mut response = next.run(req).await;
    // A handler that logged in or out has set its own cookies.
    let handler_set_csrf = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.starts_with(&format!("{}=", cookies::CSRF))));
    if refresh_cookie && !handler_set_csrf {
        if let Some(v) = set_cookie(cookies::CSRF, &expected, false, state.settings.secure_cookies, None) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_several_headers_and_pairs() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; dx_session=abc"));
        h.append(header::COOKIE, HeaderValue::from_static("dx_lang=en"));
        assert_eq!(cookie(&h, "dx_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "dx_lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn only_the_exact_token_passes() {
        let c = Csrf("a".repeat(64));
        assert!(c.verify(Some(&"a".repeat(64))).is_ok());
        assert!(c.verify(Some(&"b".repeat(64))).is_err());
        assert!(c.verify(None).is_err());
    }
}
