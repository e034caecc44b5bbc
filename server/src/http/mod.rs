//! HTTP: one router per resource under `/api/v1`, the HTML form endpoints,
//! probes, and the layers requests pass (session + CSRF, error language,
//! compression, tracing, body limits). Which routes need a session is said
//! here, by mounting them inside or outside the session layer.

pub mod assets;
pub mod assignments;
pub mod auth;
pub mod certificates;
pub mod classes;
pub mod course_files;
pub mod courses;
pub mod discussion;
pub mod exams;
pub mod extract;
pub mod form_file;
pub mod forms;
pub mod health;
pub mod lang;
pub mod media;
pub mod meetings;
pub mod notices;
pub mod notifications;
pub mod openapi;
pub mod orgs;
pub mod people;
pub mod question_banks;
pub mod reminders;
pub mod reports;
pub mod session;
pub mod study;
pub mod study_hours;
pub mod suggestions;
pub mod ui_backend;
pub mod uploads;
pub mod web;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::Error;
use crate::state::AppState;

/// The whole application.
pub fn router(state: AppState) -> Router {
    // Imports are the largest bodies the API takes; leave room for the
    // multipart envelope so the handler can report the limit itself.
    let body_limit = usize::try_from(state.settings.import_max_bytes).unwrap_or(usize::MAX).saturating_add(64 * 1024);
    let api = Router::new()
        .merge(auth::router())
        .merge(orgs::router())
        .merge(people::router())
        .merge(uploads::router())
        .merge(media::router())
        .merge(courses::router())
        .merge(course_files::router())
        .merge(study::router())
        .merge(study_hours::router())
        .merge(meetings::router())
        .merge(classes::router())
        .merge(certificates::router())
        .merge(notices::router())
        .merge(discussion::router())
        .merge(suggestions::router())
        .merge(notifications::router())
        .merge(reminders::router())
        .merge(assignments::router())
        .merge(reports::router())
        .merge(question_banks::router())
        .merge(exams::router())
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(|| async { Error::NotFound })
        .layer(axum::middleware::from_fn(session::require_csrf));
    // Everything that reads the session: the middleware resolves it once.
    let with_session = Router::new()
        .nest("/api/v1", api)
        .merge(forms::router())
        .merge(web::router(&state))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::session));
    // Routes that need no session. Probes and the site's files never touch
    // the database; heartbeats authenticate inside their group commit, one
    // query per batch (`services::heartbeats`), with the same rules.
    let sessionless = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/heartbeats", study::heartbeat_route())
        .merge(web::files(&state));
    Router::new()
        .merge(sessionless)
        .merge(with_session)
        // Pages and answers carry a person's data: a shared PC's browser
        // must not show them again from its cache (Back after logout).
        // Files that may be kept say so themselves.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ))
        .layer(axum::middleware::from_fn(lang::localize_errors))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn(client_addr))
        .layer(state.settings.client_ip_source.clone().into_extension())
        .with_state(state)
}

/// The client's address as `client_ip_source` says to find it, for rate
/// limits in pages and server functions (`ui_backend`).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);

/// Puts the request's [`ClientAddr`] into its extensions when it can be
/// found (a header the load balancer should have set may be missing).
async fn client_addr(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::extract::FromRequestParts;
    let (mut parts, body) = request.into_parts();
    if let Ok(axum_client_ip::ClientIp(ip)) = axum_client_ip::ClientIp::from_request_parts(&mut parts, &()).await {
        parts.extensions.insert(ClientAddr(ip));
    }
    next.run(axum::extract::Request::from_parts(parts, body)).await
}
