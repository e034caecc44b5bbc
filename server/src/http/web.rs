//! The pages: Leptos server-side rendering with hydration, the UI's server
//! functions (`/api/fn/*`), and the built site's static files (versioned
//! under `/v/…`, see [`super::assets`]); any other path gets the not-found
//! page. The files the site is built from ([`files`]) need no session; the
//! pages and server functions ([`router`]) do.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response};
use axum::routing::{any_service, get, MethodRouter};
use axum::Router;
use frontend::assets::Assets;
use frontend::backend::SharedBackend;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, render_app_async_with_context, LeptosRoutes};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::http::assets;
use crate::http::ui_backend::UiBackend;
use crate::state::AppState;

/// The pages and every server function (`/api/fn/*`); any other path is a
/// file of the site, else the not-found page.
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(frontend::App);
    let options = state.leptos.clone();
    let shell = move || frontend::shell(options.clone());
    Router::new().leptos_routes_with_context(state, routes, context(state), shell).fallback(site_files(state))
}

/// The files the site is built from: versioned (`/v/…`), the wasm and CSS
/// (`/pkg/…`), vendored scripts and the icons.
pub fn files(state: &AppState) -> Router<AppState> {
    // Unversioned paths still work (a page cached before this build), but
    // are revalidated on every use. Release builds (`cargo leptos build
    // --release --precompress`) leave a `.br` and a `.gz` beside each file,
    // compressed harder than the on-the-fly compression can afford.
    let pkg_files = ServeDir::new(state.settings.site_root.join("pkg")).precompressed_br().precompressed_gzip();
    let pkg = Router::new()
        .fallback_service(pkg_files)
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(assets::REVALIDATE)));
    let site = site_files(state);
    Router::new()
        .route("/v/{version}/{*path}", get(assets::versioned))
        .nest("/pkg", pkg)
        .route("/vendor/{*path}", site.clone())
        .route("/favicon.svg", site.clone())
        .route("/favicon.ico", site)
}

/// What every page render gets in its Leptos context: the UI's backend and
/// the addresses of the site's files.
fn context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let backend: SharedBackend = Arc::new(UiBackend { state: state.clone() });
    let links = Assets::new(format!("/v/{}", state.site_version));
    move || {
        provide_context(backend.clone());
        provide_context(links.clone());
    }
}

/// A file of the site, else the app's not-found page (a real page with a
/// way back, status 404, never cached).
fn site_files(state: &AppState) -> MethodRouter<AppState> {
    let options = state.leptos.clone();
    let not_found = render_app_async_with_context(context(state), move || frontend::shell(options.clone()));
    let files = ServeDir::new(&state.settings.site_root).precompressed_br().precompressed_gzip().not_found_service(
        tower::service_fn(move |request: Request<Body>| {
            let render = not_found.clone();
            async move { Ok::<_, Infallible>(render(request).await) }
        }),
    );
    any_service(files).layer(axum::middleware::map_response(site_cache_policy))
}

/// Files of the site revalidate; anything else (the not-found page) is
/// never stored.
async fn site_cache_policy(mut response: Response<Body>) -> Response<Body> {
    let policy = if response.status().is_success() || response.status().is_redirection() {
        assets::REVALIDATE
    } else {
        "no-store"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}
