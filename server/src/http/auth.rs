//! `/api/v1/session` and `/api/v1/me`: log in, log out, who am I, change
//! password.

use ::cookie::time::Duration;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use courses::directory::{cookies, Me};
use sea_orm::EntityTrait;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{Error, Result};
use crate::http::extract::{AnyUser, Json};
use crate::http::session::{cookie, site_cookie};
use crate::services::auth::{self, Session};
use crate::services::orgs as org_service;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).delete(logout))
        .route("/me", axum::routing::get(me))
        .route("/me/password", put(change_password))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// The `Me` view of a session.
pub async fn me_of(state: &AppState, session: &Session) -> Result<Me> {
    let org =
        crate::db::orgs::Entity::find_by_id(session.person.org_id).one(&state.db).await?.ok_or(Error::NotFound)?;
    let name_path =
        org_service::name_paths(&state.db, std::slice::from_ref(&org)).await?.remove(&org.id).unwrap_or_default();
    let p = &session.person;
    Ok(Me {
        id: session.actor.id,
        login: courses::Login::parse(&p.login)?,
        name: courses::PersonName::parse(&p.name)?,
        role: session.actor.role,
        standing: session.actor.standing,
        org_id: courses::OrgId(p.org_id),
        org_name_path: name_path,
        must_change_password: p.must_change_password,
        csrf_token: session.csrf_token.clone(),
    })
}

/// The session cookie: HttpOnly, so scripts never see it, kept as long as
/// `seconds`.
fn session_cookie(state: &AppState, token: String, seconds: i64) -> Cookie<'static> {
    let mut cookie = site_cookie(cookies::SESSION, token, state.settings.secure_cookies);
    cookie.set_http_only(true);
    cookie.set_max_age(Duration::seconds(seconds));
    cookie
}

/// Cookies for a new session: the HttpOnly session and the readable CSRF token.
pub fn session_cookies(state: &AppState, new: &auth::NewSession) -> CookieJar {
    let age = i64::from(state.settings.session_hours) * 3600;
    CookieJar::new().add(session_cookie(state, new.token.clone(), age)).add(site_cookie(
        cookies::CSRF,
        new.csrf_token.clone(),
        state.settings.secure_cookies,
    ))
}

/// Cookies that end a session; the CSRF cookie gets a fresh anonymous token.
pub fn cleared_cookies(state: &AppState) -> CookieJar {
    CookieJar::new().add(session_cookie(state, String::new(), 0)).add(site_cookie(
        cookies::CSRF,
        auth::random_token(),
        state.settings.secure_cookies,
    ))
}

/// Log in. Requires the double-submit CSRF token like every change: send
/// the `dx_csrf` cookie's value (any page sets it) in `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = courses::directory::ErrorBody),
              (status = 429, body = courses::directory::ErrorBody)))]
pub async fn login(State(state): State<AppState>, Json(req): Json<LoginRequest>) -> Result<Response> {
    let new = auth::login(&state.db, &req.login, &req.password, state.settings.session_hours).await?;
    let session =
        auth::resolve(&state.db, &new.token, state.settings.session_hours).await?.ok_or(Error::Unauthenticated)?;
    let me = me_of(&state, &session).await?;
    Ok((session_cookies(&state, &new), Json(me)).into_response())
}

/// Log out.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = cookie(&headers, cookies::SESSION) {
        auth::logout(&state.db, &token).await?;
    }
    Ok((StatusCode::NO_CONTENT, cleared_cookies(&state)).into_response())
}

/// The signed-in person and their CSRF token.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = courses::directory::ErrorBody)))]
pub async fn me(State(state): State<AppState>, AnyUser(session): AnyUser) -> Result<Json<Me>> {
    Ok(Json(me_of(&state, &session).await?))
}

/// Change one's own password; other sessions of the person end.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    AnyUser(session): AnyUser,
    Json(req): Json<PasswordChange>,
) -> Result<StatusCode> {
    auth::change_password(&state.db, &session, &req.current_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
