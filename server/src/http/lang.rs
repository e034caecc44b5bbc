//! Renders error bodies in the client's language. Errors carry both
//! languages (`error::Rendered`); this layer picks one on the way out.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use courses::Lang;

use crate::error::Rendered;
use crate::http::extract::request_lang;

pub async fn localize_errors(req: Request, next: Next) -> Response {
    let lang = request_lang(req.headers());
    let mut response = next.run(req).await;
    if lang == Lang::En {
        if let Some(rendered) = response.extensions_mut().remove::<Rendered>() {
            if let Ok(json) = serde_json::to_vec(&rendered.body_en) {
                response.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
                *response.body_mut() = Body::from(json);
            }
        }
    }
    response
}
