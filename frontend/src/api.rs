//! Server functions: the UI's only way to read and change data.
//!
//! Each one builds a [`Caller`](crate::backend::Caller) from the request
//! (its language, and the session the server resolved for it) and asks the
//! [`Backend`](crate::backend::Backend) the server provides. They live under `/api/fn/<name>`, take form-urlencoded
//! arguments (so `ActionForm`s also work without JavaScript) and answer
//! JSON. Form fields arrive as text and are parsed here into domain types,
//! so a bad value gets the domain's own localized message.

use courses::course::{CourseView, LessonStudy, MyLearning};
use courses::directory::{CreatedPerson, ErrorBody, Me, OrgNode, PersonSummary};
use courses::i18n::ErrorCode;
use courses::media::{MediaSummary, UploadStatus};
use courses::meeting::MakeupTask;
use courses::progress::api::Receipt;
use courses::{Lang, OrgId, PersonId};
use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A failed server function: the API's error body, so the UI can show the
/// localized message and tests can match the stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppError(pub ErrorBody);

impl AppError {
    pub fn new(code: ErrorCode, message: String) -> Self {
        Self::from_backend(ErrorBody { code: code.as_str().to_owned(), message })
    }

    /// A failure the backend reported (or [`AppError::new`] made). Answering
    /// a server-function request, the response also carries the status its
    /// code stands for (429 for `rate_limited`, 422 for `invalid_input`, ...)
    /// rather than a bare 500.
    pub fn from_backend(body: ErrorBody) -> Self {
        #[cfg(feature = "ssr")]
        ssr::set_status(&body.code);
        Self(body)
    }

    /// The message to show. Transport failures carry no message (their
    /// language is unknown where they arise), so the code's text stands in.
    pub fn message(&self, lang: Lang) -> String {
        if self.0.message.is_empty() {
            crate::i18n::error_message(&self.0.code, lang)
        } else {
            self.0.message.clone()
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code, self.0.message)
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let code = match value {
            ServerFnErrorErr::Request(_) => ErrorCode::Unavailable,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => ErrorCode::InvalidInput,
            _ => ErrorCode::Internal,
        };
        leptos::logging::warn!("server function failed: {value}");
        Self::new(code, String::new())
    }
}

/// The signed-in person, or `None` without a valid session.
#[server(name = GetMe, prefix = "/api/fn", endpoint = "me")]
pub async fn me() -> Result<Option<Me>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.me(&caller).await.map_err(AppError::from_backend)
}

/// The CSRF token the login form must echo (the `dx_csrf` cookie, which the
/// server's middleware guarantees every request has).
#[server(prefix = "/api/fn", endpoint = "login_csrf")]
pub async fn login_csrf() -> Result<String, AppError> {
    let headers = ssr::headers().await?;
    Ok(crate::backend::csrf_cookie(&headers).unwrap_or_default())
}

/// The org nodes the caller manages.
#[server(prefix = "/api/fn", endpoint = "org_tree")]
pub async fn org_tree() -> Result<Vec<OrgNode>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.org_tree(&caller).await.map_err(AppError::from_backend)
}

/// The people who belong directly to `org`.
#[server(prefix = "/api/fn", endpoint = "org_people")]
pub async fn org_people(org: OrgId) -> Result<Vec<PersonSummary>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.org_people(&caller, org).await.map_err(AppError::from_backend)
}

/// Creates an org node; an empty `parent_id` asks for a new root.
/// `kind` is an [`OrgKind`](courses::OrgKind) code such as `branch`.
#[server(prefix = "/api/fn", endpoint = "create_org")]
pub async fn create_org(csrf: String, parent_id: String, name: String, kind: String) -> Result<OrgNode, AppError> {
    use courses::directory::NewOrg;
    let (backend, caller) = ssr::context().await?;
    let lang = caller.lang;
    let new = NewOrg {
        parent_id: ssr::optional_id(&parent_id, lang)?.map(OrgId),
        name: courses::OrgName::parse(&name).map_err(|e| ssr::invalid(&e, lang))?,
        kind: courses::OrgKind::parse(kind.trim()).map_err(|e| ssr::invalid(&e, lang))?,
    };
    backend.create_org(&caller, &csrf, new).await.map_err(AppError::from_backend)
}

/// Renames an org node.
#[server(prefix = "/api/fn", endpoint = "rename_org")]
pub async fn rename_org(csrf: String, id: OrgId, name: String) -> Result<OrgNode, AppError> {
    use courses::directory::OrgPatch;
    let (backend, caller) = ssr::context().await?;
    let name = courses::OrgName::parse(&name).map_err(|e| ssr::invalid(&e, caller.lang))?;
    backend.rename_org(&caller, &csrf, id, OrgPatch { name }).await.map_err(AppError::from_backend)
}

/// Deletes an empty org node.
#[server(prefix = "/api/fn", endpoint = "delete_org")]
pub async fn delete_org(csrf: String, id: OrgId) -> Result<(), AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.delete_org(&caller, &csrf, id).await.map_err(AppError::from_backend)
}

/// Creates a person with a generated initial password, returned once.
/// `role` is a [`Role`](courses::Role) code or Chinese title.
#[server(prefix = "/api/fn", endpoint = "create_person")]
pub async fn create_person(
    csrf: String,
    login: String,
    name: String,
    role: String,
    standing: String,
    org_id: OrgId,
    email: String,
) -> Result<CreatedPerson, AppError> {
    use courses::directory::NewPerson;
    let (backend, caller) = ssr::context().await?;
    let lang = caller.lang;
    let new = NewPerson {
        login: courses::Login::parse(&login).map_err(|e| ssr::invalid(&e, lang))?,
        name: courses::PersonName::parse(&name).map_err(|e| ssr::invalid(&e, lang))?,
        role: courses::Role::parse(&role).map_err(|e| ssr::invalid(&e, lang))?,
        standing: courses::Standing::parse(&standing).unwrap_or(courses::Standing::Full),
        org_id,
        email: ssr::non_empty(&email)
            .map(courses::people::Email::parse)
            .transpose()
            .map_err(|e| ssr::invalid(&e, lang))?,
    };
    backend.create_person(&caller, &csrf, new).await.map_err(AppError::from_backend)
}

/// Changes a person's name, role or org (an empty field stays as it is)
/// and sets their e-mail address (the form shows the current one; empty
/// removes it).
#[server(prefix = "/api/fn", endpoint = "update_person")]
pub async fn update_person(
    csrf: String,
    id: PersonId,
    name: String,
    role: String,
    org_id: String,
    email: String,
) -> Result<PersonSummary, AppError> {
    use courses::directory::PersonPatch;
    let (backend, caller) = ssr::context().await?;
    let lang = caller.lang;
    let patch = PersonPatch {
        name: ssr::non_empty(&name).map(courses::PersonName::parse).transpose().map_err(|e| ssr::invalid(&e, lang))?,
        role: ssr::non_empty(&role).map(courses::Role::parse).transpose().map_err(|e| ssr::invalid(&e, lang))?,
        org_id: ssr::optional_id(&org_id, lang)?.map(OrgId),
        email: Some(
            ssr::non_empty(&email)
                .map(courses::people::Email::parse)
                .transpose()
                .map_err(|e| ssr::invalid(&e, lang))?,
        ),
    };
    backend.update_person(&caller, &csrf, id, patch).await.map_err(AppError::from_backend)
}

/// Records a change of a person's party standing on the day it happened.
#[server(prefix = "/api/fn", endpoint = "record_milestone")]
pub async fn record_milestone(
    csrf: String,
    id: PersonId,
    standing: String,
    on: String,
) -> Result<courses::standing::StandingView, AppError> {
    let (backend, caller) = ssr::context().await?;
    let Some(standing) = courses::Standing::parse(&standing) else {
        return Err(AppError::new(ErrorCode::InvalidInput, String::new()));
    };
    let new = courses::standing::NewMilestone { standing, on };
    backend.record_milestone(&caller, &csrf, id, new).await.map_err(AppError::from_backend)
}

/// Removes a person.
#[server(prefix = "/api/fn", endpoint = "delete_person")]
pub async fn delete_person(csrf: String, id: PersonId) -> Result<(), AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.delete_person(&caller, &csrf, id).await.map_err(AppError::from_backend)
}

/// Uploaded material in the caller's scope (or `org`'s subtree), newest first.
#[server(prefix = "/api/fn", endpoint = "list_media")]
pub async fn list_media(org: Option<OrgId>) -> Result<Vec<MediaSummary>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.list_media(&caller, org).await.map_err(AppError::from_backend)
}

/// The courses the caller may study or manages: all, or those matching the
/// search words `q`, `kind` (`required`/`elective`) and `status`
/// (`not_started`/`in_progress`/`completed`); empty means no filter.
#[server(prefix = "/api/fn", endpoint = "courses")]
pub async fn list_courses(q: String, kind: String, status: String) -> Result<Vec<CourseView>, AppError> {
    let (backend, caller) = ssr::context().await?;
    let query = courses::course::CourseQuery { q: Some(q), kind: Some(kind), status: Some(status) };
    backend.courses(&caller, query).await.map_err(AppError::from_backend)
}

/// The caller's learning: required and due, in progress, completed, and
/// this year's 学时.
#[server(name = GetMyLearning, prefix = "/api/fn", endpoint = "my_learning")]
pub async fn my_learning() -> Result<MyLearning, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.my_learning(&caller).await.map_err(AppError::from_backend)
}

/// "继续学习": the lesson the caller studies next, if any.
#[server(name = GetNextLesson, prefix = "/api/fn", endpoint = "next_lesson")]
pub async fn next_lesson() -> Result<Option<courses::course::NextLesson>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.next_lesson(&caller).await.map_err(AppError::from_backend)
}

/// The caller's standing in each lesson of a course, and the lesson to
/// study next in it.
#[server(prefix = "/api/fn", endpoint = "course_standing")]
pub async fn course_standing(id: i64) -> Result<courses::course::CourseStanding, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.course_standing(&caller, id).await.map_err(AppError::from_backend)
}

/// The caller's make-up tasks (补学): open ones first, soonest deadline
/// first, then those done.
#[server(name = GetMyMakeups, prefix = "/api/fn", endpoint = "my_makeups")]
pub async fn my_makeups() -> Result<Vec<MakeupTask>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.my_makeups(&caller).await.map_err(AppError::from_backend)
}

/// One course with its lessons.
#[server(prefix = "/api/fn", endpoint = "course")]
pub async fn get_course(id: i64) -> Result<CourseView, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.course(&caller, id).await.map_err(AppError::from_backend)
}

/// What a lesson page shows.
#[server(prefix = "/api/fn", endpoint = "lesson")]
pub async fn study_lesson(id: i64) -> Result<LessonStudy, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.lesson(&caller, id).await.map_err(AppError::from_backend)
}

/// A page of the caller's 学时 receipt for this year.
#[server(prefix = "/api/fn", endpoint = "my_receipt")]
pub async fn my_receipt(after: Option<i64>) -> Result<Receipt, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.my_receipt(&caller, after).await.map_err(AppError::from_backend)
}

/// The caller's own unfinished uploads, so a reloaded page can offer to resume them.
#[server(prefix = "/api/fn", endpoint = "open_uploads")]
pub async fn open_uploads() -> Result<Vec<UploadStatus>, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.open_uploads(&caller).await.map_err(AppError::from_backend)
}

/// Stops processing an item (queued or running).
#[server(prefix = "/api/fn", endpoint = "cancel_media")]
pub async fn cancel_media(csrf: String, id: i64) -> Result<MediaSummary, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.cancel_media(&caller, &csrf, id).await.map_err(AppError::from_backend)
}

/// Queues a failed or cancelled item again.
#[server(prefix = "/api/fn", endpoint = "retry_media")]
pub async fn retry_media(csrf: String, id: i64) -> Result<MediaSummary, AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.retry_media(&caller, &csrf, id).await.map_err(AppError::from_backend)
}

/// Deletes an item and everything produced from it.
#[server(prefix = "/api/fn", endpoint = "delete_media")]
pub async fn delete_media(csrf: String, id: i64) -> Result<(), AppError> {
    let (backend, caller) = ssr::context().await?;
    backend.delete_media(&caller, &csrf, id).await.map_err(AppError::from_backend)
}

/// Helpers that exist only where server functions run.
#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use axum::http::request::Parts;
    use axum::http::HeaderMap;
    use courses::i18n::{ErrorCode, Localize};
    use courses::Lang;
    use leptos::prelude::*;
    use leptos::server_fn::error::FromServerFnError;

    use super::AppError;
    use crate::backend::{Caller, SharedBackend};

    /// Sets the HTTP status for an error code, on server-function requests
    /// only: a page that renders a failed lookup keeps its own status, and
    /// a plain form post (no JavaScript) keeps the redirect back to its page
    /// that Leptos answers it with.
    pub fn set_status(code: &str) {
        use axum::http::{header::ACCEPT, StatusCode};
        let (Some(code), Some(parts), Some(response)) =
            (ErrorCode::parse(code), use_context::<Parts>(), use_context::<leptos_axum::ResponseOptions>())
        else {
            return;
        };
        let server_fn = parts.uri.path().starts_with("/api/fn/");
        let form_post =
            parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
        if let (true, false, Ok(status)) = (server_fn, form_post, StatusCode::from_u16(code.http_status())) {
            response.set_status(status);
        }
    }

    pub async fn headers() -> Result<HeaderMap, AppError> {
        leptos_axum::extract::<HeaderMap>().await.map_err(AppError::from_server_fn_error)
    }

    /// The backend the server provided and the caller of this request.
    pub async fn context() -> Result<(SharedBackend, Caller), AppError> {
        let parts = use_context::<Parts>().ok_or_else(|| {
            leptos::logging::error!("leptos_axum did not provide the request's parts as Leptos context");
            AppError::new(ErrorCode::Internal, String::new())
        })?;
        let caller = Caller::of_request(parts);
        let backend = use_context::<SharedBackend>().ok_or_else(|| {
            leptos::logging::error!("the server did not provide Arc<dyn Backend> as Leptos context");
            AppError::new(ErrorCode::Internal, ErrorCode::Internal.localize(caller.lang))
        })?;
        Ok((backend, caller))
    }

    /// An input error with the domain's explanation.
    pub fn invalid(error: &impl Localize, lang: Lang) -> AppError {
        AppError::new(ErrorCode::InvalidInput, error.localize(lang))
    }

    pub fn non_empty(s: &str) -> Option<&str> {
        Some(s.trim()).filter(|s| !s.is_empty())
    }

    /// An optional numeric id from a form field; empty means none.
    pub fn optional_id(s: &str, lang: Lang) -> Result<Option<i64>, AppError> {
        non_empty(s)
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| AppError::new(ErrorCode::InvalidInput, ErrorCode::InvalidInput.localize(lang)))
            })
            .transpose()
    }
}
