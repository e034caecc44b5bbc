//! `/api/v1/certificates` and `/api/v1/verify`: 结业证书 of party classes,
//! their PDF, revocation and reissue, and public verification.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_client_ip::ClientIp;
use courses::certificate::{CertificateView, RevokeIn, Verification};

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path};
use crate::http::reports::file_response;
use crate::services::classes::certificates;
use crate::services::reports::export::Download;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/classes/{id}/certificates", get(of_class))
        .route("/me/certificates", get(mine))
        .route("/certificates/{id}/pdf", get(pdf))
        .route("/certificates/{id}/revoke", post(revoke))
        .route("/certificates/{id}/reissue", post(reissue))
        .route("/verify/{serial}", get(verify))
}

/// The certificates of a class, for those who manage it.
#[utoipa::path(get, path = "/api/v1/classes/{id}/certificates", tag = "classes", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CertificateView>), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn of_class(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<CertificateView>>> {
    Ok(Json(certificates::of_class(&state.db, &s.actor, id).await?))
}

/// The caller's own certificates, the newest first.
#[utoipa::path(get, path = "/api/v1/me/certificates", tag = "classes",
    responses((status = 200, body = Vec<CertificateView>), (status = 401, body = courses::directory::ErrorBody)))]
pub async fn mine(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<CertificateView>>> {
    Ok(Json(certificates::mine(&state.db, &s.actor).await?))
}

/// The certificate as an A4 PDF, for its holder and those who manage its
/// class; a revoked one is refused (409).
#[utoipa::path(get, path = "/api/v1/certificates/{id}/pdf", tag = "classes", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody)))]
pub async fn pdf(State(state): State<AppState>, CurrentUser(s): CurrentUser, Path(id): Path<i64>) -> Result<Response> {
    let font = state.certificate_font().await?;
    let base = state.settings.public_base();
    let (bytes, file_name) = certificates::pdf(&state.db, &s.actor, id, font, &base).await?;
    file_response(Download { bytes, content_type: "application/pdf", file_name })
}

/// Revokes a certificate with a reason; the verification page then says so.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke", tag = "classes", params(("id" = i64, Path)),
    request_body = RevokeIn,
    responses((status = 200, body = CertificateView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(why): Json<RevokeIn>,
) -> Result<Json<CertificateView>> {
    Ok(Json(certificates::revoke(&state.db, &s.actor, id, why).await?))
}

/// Issues a certificate again, under the same serial, as the graduate and
/// class stand now; lifts a revocation.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/reissue", tag = "classes", params(("id" = i64, Path)),
    responses((status = 200, body = CertificateView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody)))]
pub async fn reissue(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CertificateView>> {
    Ok(Json(certificates::reissue(&state.db, &s.actor, id, state.settings.time_zone()).await?))
}

/// Public: whether the certificate of this serial is valid, with the name
/// masked. No login; lookups are limited per client address (429 with
/// `Retry-After`).
#[utoipa::path(get, path = "/api/v1/verify/{serial}", tag = "classes", params(("serial" = String, Path)),
    responses((status = 200, body = Verification), (status = 404, body = courses::directory::ErrorBody),
              (status = 429, body = courses::directory::ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(serial): Path<String>,
) -> Result<Json<Verification>> {
    Ok(Json(certificates::verify(&state.db, ip, &serial, state.settings.time_zone()).await?))
}
