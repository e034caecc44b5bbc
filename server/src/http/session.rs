//! Resolving the session once per request, and CSRF protection.
//!
//! The [`session`] middleware turns the session cookie into a session once
//! ([`auth::resolve`]) and leaves the result in the request's extensions:
//! REST handlers take it with the extractors of [`super::extract`], server
//! functions through the request parts Leptos hands them (read back by
//! `ui_backend`). It also keeps the script-readable `dx_csrf` cookie equal
//! to the token the next state-changing request must echo: the session's own
//! token when logged in, otherwise a random one (double submit, which also
//! protects the login form). [`require_csrf`] refuses unsafe requests to
//! the routers it is layered on unless `X-CSRF-Token` carries that token;
//! HTML forms and server functions check the same token themselves.
//!
//! Routes that need no session are mounted outside this layer, where they
//! are declared (see `http::router`).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
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
        auth::verify_csrf(presented, &self.0)
    }
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers).get(name).map(|c| c.value().to_owned())
}

/// A cookie with the project's attributes: for the whole site, sent along
/// top-level navigations from elsewhere (`SameSite=Lax`, so a link to a page
/// keeps its session), `Secure` when served over HTTPS.
pub fn site_cookie(name: &'static str, value: impl Into<String>, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value.into())).path("/").same_site(SameSite::Lax).secure(secure).build()
}

pub async fn session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
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
    let response = next.run(req).await;
    // A handler that logged in or out has set its own cookies.
    let handler_set_csrf = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.starts_with(&format!("{}=", cookies::CSRF))));
    if refresh_cookie && !handler_set_csrf {
        let jar = CookieJar::new().add(site_cookie(cookies::CSRF, expected, state.settings.secure_cookies));
        return (jar, response).into_response();
    }
    response
}

/// Refuses a request that could change something unless `X-CSRF-Token`
/// carries the token [`session`] expects. Layered inside it.
pub async fn require_csrf(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let presented = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        // Without the session layer there is no token to match: refuse.
        let checked = match req.extensions().get::<Csrf>() {
            Some(csrf) => csrf.verify(presented),
            None => Err(Error::Csrf),
        };
        if let Err(e) = checked {
            return e.into_response();
        }
    }
    next.run(req).await
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

    #[test]
    fn site_cookies_carry_the_projects_attributes() {
        let mut c = site_cookie("dx_session", "abc", true);
        c.set_http_only(true);
        c.set_max_age(::cookie::time::Duration::seconds(60));
        let header = c.encoded().to_string();
        for part in ["dx_session=abc", "Path=/", "SameSite=Lax", "Secure", "HttpOnly", "Max-Age=60"] {
            assert!(header.split("; ").any(|p| p == part), "{part} in {header}");
        }
        assert!(!site_cookie("dx_csrf", "t", false).encoded().to_string().contains("Secure"));
    }
}
