//! The pages: static assets from the built site. (Leptos SSR is mounted here
//! once the frontend crate lands.)

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let site = state.settings.site_root.clone();
    // Asset names carry no content hash, so browsers revalidate (cheap 304s
    // via Last-Modified) instead of trusting a possibly stale copy.
    let pkg = Router::new()
        .fallback_service(ServeDir::new(site.join("pkg")))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache")));
    Router::new().nest("/pkg", pkg)
}
