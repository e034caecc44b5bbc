//! The REST API (`/api/v1/…`) called from an island, for what the pages'
//! server functions do not offer (the discussion, suggestions). The
//! browser sends the session cookie and, on a change, the CSRF header; a
//! refusal comes back as the API's error body, already in the page's
//! language (the API reads the same `dx_lang` cookie), so it shows exactly
//! as a server function's error does.
//!
//! Only the browser sends anything. On the server islands render but never
//! run their effects or handlers, so there every call just fails as
//! "unavailable".

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::AppError;

/// The HTTP method of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// `GET`s `url` and reads its JSON answer.
pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, AppError> {
    call(Method::Get, url, "", None::<&()>).await
}

/// Sends `body` (as JSON, when there is one) and reads the JSON answer.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    method: Method,
    url: &str,
    csrf: &str,
    body: Option<&B>,
) -> Result<T, AppError> {
    #[cfg(feature = "hydrate")]
    {
        let response = browser::send(method, url, csrf, body).await?;
        response.json::<T>().await.map_err(|_| failed(courses::i18n::ErrorCode::Internal))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (method, url, csrf, body);
        Err(failed(courses::i18n::ErrorCode::Unavailable))
    }
}

/// Sends a change whose answer has no body worth reading (`204`).
pub async fn call_empty<B: Serialize>(method: Method, url: &str, csrf: &str, body: Option<&B>) -> Result<(), AppError> {
    #[cfg(feature = "hydrate")]
    {
        browser::send(method, url, csrf, body).await.map(|_| ())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (method, url, csrf, body);
        Err(failed(courses::i18n::ErrorCode::Unavailable))
    }
}

/// A failure with no message of its own: the page shows the code's text
/// in its language ([`AppError::message`]).
fn failed(code: courses::i18n::ErrorCode) -> AppError {
    AppError::new(code, String::new())
}

#[cfg(feature = "hydrate")]
mod browser {
    use courses::directory::{ErrorBody, CSRF_HEADER};
    use courses::i18n::ErrorCode;
    use gloo_net::http::{Request, Response};
    use serde::Serialize;

    use super::{failed, Method};
    use crate::api::AppError;

    pub(super) async fn send<B: Serialize>(
        method: Method,
        url: &str,
        csrf: &str,
        body: Option<&B>,
    ) -> Result<Response, AppError> {
        let builder = match method {
            Method::Get => Request::get(url),
            Method::Post => Request::post(url),
            Method::Put => Request::put(url),
            Method::Delete => Request::delete(url),
        };
        // Without a language cookie the API would follow the browser's
        // `Accept-Language`; the page is Chinese then, whatever the phone
        // is set to, and the API's messages must be too.
        let builder = builder.header("Accept-Language", crate::lang::page_lang().code());
        let builder = if method == Method::Get { builder } else { builder.header(CSRF_HEADER, csrf) };
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        }
        .map_err(|_| failed(ErrorCode::Internal))?;
        let response = request.send().await.map_err(|_| failed(ErrorCode::Unavailable))?;
        if response.ok() {
            return Ok(response);
        }
        // A proxy's error page has no such body: the network's fault then.
        match response.json::<ErrorBody>().await {
            Ok(body) => Err(AppError(body)),
            Err(_) => Err(failed(ErrorCode::Unavailable)),
        }
    }
}
