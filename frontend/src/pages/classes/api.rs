//! Server functions of the party-class pages and the public certificate
//! check. Certificates download from the REST API (`pdf_url`).

use courses::certificate::{CertificateView, RevokeIn, Verification};
use courses::class::{ClassDraft, ClassView, Enrolment, MyClass};
use courses::class_report::{ClassDesk, ClassReport, MyClassStatus};
use courses::essay::{EssayIn, EssayReview, EssayTaskView, NewEssayTask};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

#[server(name = GetMyClasses, input = Json, prefix = "/api/fn", endpoint = "my_classes")]
pub async fn my_classes() -> Result<Vec<MyClass>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.my_classes(&caller).await.map_err(AppError::from_backend)
}

#[server(name = GetMyClass, input = Json, prefix = "/api/fn", endpoint = "my_class")]
pub async fn my_class(id: i64) -> Result<MyClassStatus, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.my_class(&caller, id).await.map_err(AppError::from_backend)
}

#[server(name = GetClassEssays, input = Json, prefix = "/api/fn", endpoint = "class_essays")]
pub async fn class_essays(id: i64) -> Result<Vec<EssayTaskView>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.class_essays(&caller, id).await.map_err(AppError::from_backend)
}

#[server(name = HandInEssay, input = Json, prefix = "/api/fn", endpoint = "hand_in_essay")]
pub async fn hand_in_essay(csrf: String, task: i64, essay: EssayIn) -> Result<EssayTaskView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.hand_in_essay(&caller, &csrf, task, essay).await.map_err(AppError::from_backend)
}

#[server(name = ListManagedClasses, input = Json, prefix = "/api/fn", endpoint = "managed_classes")]
pub async fn managed_classes() -> Result<Vec<ClassView>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.managed_classes(&caller).await.map_err(AppError::from_backend)
}

#[server(name = CreateClass, input = Json, prefix = "/api/fn", endpoint = "create_class")]
pub async fn create_class(csrf: String, draft: ClassDraft) -> Result<ClassView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.create_class(&caller, &csrf, draft).await.map_err(AppError::from_backend)
}

#[server(name = GetClassDesk, input = Json, prefix = "/api/fn", endpoint = "class_desk")]
pub async fn class_desk(id: i64) -> Result<ClassDesk, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.class_desk(&caller, id).await.map_err(AppError::from_backend)
}

#[server(name = EnrolStudents, input = Json, prefix = "/api/fn", endpoint = "enrol_students")]
pub async fn enrol_students(csrf: String, id: i64, who: Enrolment) -> Result<ClassView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.enrol_students(&caller, &csrf, id, who).await.map_err(AppError::from_backend)
}

#[server(name = SetEssayTask, input = Json, prefix = "/api/fn", endpoint = "set_essay_task")]
pub async fn set_essay_task(csrf: String, id: i64, new: NewEssayTask) -> Result<EssayTaskView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.set_essay_task(&caller, &csrf, id, new).await.map_err(AppError::from_backend)
}

#[server(name = ReviewEssay, input = Json, prefix = "/api/fn", endpoint = "review_essay")]
pub async fn review_essay(
    csrf: String,
    task: i64,
    person: i64,
    review: EssayReview,
) -> Result<EssayTaskView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.review_essay(&caller, &csrf, task, person, review).await.map_err(AppError::from_backend)
}

#[server(name = ConfirmGraduates, input = Json, prefix = "/api/fn", endpoint = "confirm_graduates")]
pub async fn confirm_graduates(csrf: String, id: i64, who: Enrolment) -> Result<ClassReport, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.confirm_graduates(&caller, &csrf, id, who).await.map_err(AppError::from_backend)
}

#[server(name = RevokeCertificate, input = Json, prefix = "/api/fn", endpoint = "revoke_certificate")]
pub async fn revoke_certificate(csrf: String, id: i64, why: RevokeIn) -> Result<CertificateView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.revoke_certificate(&caller, &csrf, id, why).await.map_err(AppError::from_backend)
}

#[server(name = ReissueCertificate, input = Json, prefix = "/api/fn", endpoint = "reissue_certificate")]
pub async fn reissue_certificate(csrf: String, id: i64) -> Result<CertificateView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.reissue_certificate(&caller, &csrf, id).await.map_err(AppError::from_backend)
}

/// Public: needs no login.
#[server(name = VerifyCertificate, input = Json, prefix = "/api/fn", endpoint = "verify_certificate")]
pub async fn verify_certificate(serial: String) -> Result<Verification, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.verify_certificate(&caller, serial).await.map_err(AppError::from_backend)
}
