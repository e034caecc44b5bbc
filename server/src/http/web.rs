//! The pages: Leptos server-side rendering with hydration, the UI's server
//! functions (`/api/fn/*`), and the built site's static files.

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::Router;
use frontend::backend::SharedBackend;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::http::ui_backend::UiBackend;
use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let backend: SharedBackend = Arc::new(UiBackend { state: state.clone() });
    let options = state.leptos.clone();
    let routes = generate_route_list(frontend::App);
    // Asset names carry no content hash, so browsers revalidate (a cheap
    // 304 via Last-Modified) rather than trust a copy that may be stale.
    // Release builds (`cargo leptos build --release --precompress`) leave a
    // `.br` and a `.gz` beside each file, compressed harder than the
    // on-the-fly compression can afford; without them that applies.
    let pkg_files = ServeDir::new(state.settings.site_root.join("pkg")).precompressed_br().precompressed_gzip();
    let pkg = Router::new()
        .fallback_service(pkg_files)
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache")));
    let assets = Router::new().fallback_service(ServeDir::new(&state.settings.site_root)).layer(
        SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
    );
    Router::new()
        .leptos_routes_with_context(
            state,
            routes,
            move || provide_context(backend.clone()),
            move || frontend::shell(options.clone()),
        )
        .nest("/pkg", pkg)
        .fallback_service(assets)
}
