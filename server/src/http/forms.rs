//! Plain HTML form endpoints behind the pages, so logging in and out,
//! changing the password and switching language work without JavaScript.
//! Each answers with a redirect (303) back to a page.

use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use courses::directory::cookies;
use courses::Lang;
use serde::Deserialize;

use crate::error::Error;
use crate::http::auth::{cleared_cookies, session_cookies};
use crate::http::session::{cookie, site_cookie, Csrf, MaybeSession};
use crate::services::auth;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/password", post(change_password))
        .route("/lang/{code}", get(switch_lang))
}

/// Only same-site absolute paths; anything else (`//evil`, `https://…`) goes home.
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") && !n.contains(['\r', '\n']) => {
            n
        }
        _ => "/",
    }
}

fn back_with_error(page: &str, e: &Error) -> Response {
    Redirect::to(&format!("{page}?error={}", e.code().as_str())).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    csrf_token: Option<String>,
    next: Option<String>,
}

async fn login(State(state): State<AppState>, Extension(csrf): Extension<Csrf>, Form(f): Form<LoginForm>) -> Response {
    if let Err(e) = csrf.verify(f.csrf_token.as_deref()) {
        return back_with_error("/login", &e);
    }
    match auth::login(&state.db, &f.login, &f.password, state.settings.session_hours).await {
        Ok(new) => (session_cookies(&state, &new), Redirect::to(local_path(f.next.as_deref()))).into_response(),
        Err(e) => {
            e.log();
            back_with_error("/login", &e)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf_token: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(e) = csrf.verify(f.csrf_token.as_deref()) {
        return back_with_error("/", &e);
    }
    if let Some(token) = cookie(&headers, cookies::SESSION) {
        if let Err(e) = auth::logout(&state.db, &token).await {
            return e.into_response();
        }
    }
    (cleared_cookies(&state), Redirect::to("/login")).into_response()
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    csrf_token: Option<String>,
}

async fn change_password(
    State(state): State<AppState>,
    Extension(csrf): Extension<Csrf>,
    Extension(MaybeSession(session)): Extension<MaybeSession>,
    Form(f): Form<PasswordForm>,
) -> Response {
    let Some(session) = session else {
        return Redirect::to("/login").into_response();
    };
    let result = match csrf.verify(f.csrf_token.as_deref()) {
        Ok(()) => auth::change_password(&state.db, &session, &f.current_password, &f.new_password).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to("/?password=changed").into_response(),
        Err(e) => {
            e.log();
            back_with_error("/password", &e)
        }
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Remembers the UI language for a year. A GET is fine here: the only
/// effect is a display preference of the caller's own browser.
async fn switch_lang(State(state): State<AppState>, Path(code): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let lang = Lang::from_code(&code);
    let mut remembered = site_cookie(cookies::LANG, lang.code(), state.settings.secure_cookies);
    remembered.set_max_age(::cookie::time::Duration::days(365));
    let mut response = (CookieJar::new().add(remembered), Redirect::to(local_path(q.next.as_deref()))).into_response();
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(local_path(Some("/orgs?x=1")), "/orgs?x=1");
        for evil in ["//evil.example", "https://evil.example", "/\\evil", "evil", "/a\r\nSet-Cookie: x"] {
            assert_eq!(local_path(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
