//! The browser's side of the wire for uploads: small JSON calls through
//! `fetch` (gloo-net) and part bodies through `XMLHttpRequest`, the one
//! browser API that reports upload progress *within* a request and can be
//! aborted when the person pauses. Also the timer and `localStorage` bits.
//!
//! Every failure is sorted into a [`Fail`], so the upload loop can tell a
//! dropped connection (try again) from a refusal (show the message).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use courses::directory::{ErrorBody, CSRF_HEADER};
use courses::i18n::{ErrorCode, Localize};
use courses::Lang;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

/// Why the person stopped an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Pause,
    Cancel,
}

/// How a request went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    /// The person paused or cancelled; the request in flight was aborted.
    Stopped(Stop),
    /// Worth trying again later: no connection, a timeout, a 5xx, a 429.
    Transient(String),
    /// The server refused with this HTTP status and message.
    Refused(u16, String),
}

/// Lets the page pause or cancel a running upload: a flag the loop checks
/// between steps, and the part request in flight, which is aborted at once.
#[derive(Default)]
pub struct Control {
    stop: Cell<Option<Stop>>,
    inflight: RefCell<Option<XmlHttpRequest>>,
}

impl Control {
    pub fn request(&self, stop: Stop) {
        self.stop.set(Some(stop));
        if let Some(xhr) = self.inflight.borrow().as_ref() {
            // Aborting an idle or finished request is a no-op, never an error
            // worth showing.
            let _ = xhr.abort();
        }
    }

    /// `Err` once the person asked to stop.
    pub fn check(&self) -> Result<(), Fail> {
        match self.stop.get() {
            Some(stop) => Err(Fail::Stopped(stop)),
            None => Ok(()),
        }
    }
}

/// A JSON request to the REST API, with the CSRF header when it changes state.
pub async fn json<B: Serialize, T: DeserializeOwned>(
    method: &str,
    url: &str,
    csrf: &str,
    body: Option<&B>,
    lang: Lang,
) -> Result<T, Fail> {
    let response = send(method, url, csrf, body, lang).await?;
    response.json::<T>().await.map_err(|_| Fail::Refused(response.status(), ErrorCode::Internal.localize(lang)))
}

/// A request whose answer has no body worth reading (204).
pub async fn empty<B: Serialize>(
    method: &str,
    url: &str,
    csrf: &str,
    body: Option<&B>,
    lang: Lang,
) -> Result<(), Fail> {
    send(method, url, csrf, body, lang).await.map(|_| ())
}

async fn send<B: Serialize>(
    method: &str,
    url: &str,
    csrf: &str,
    body: Option<&B>,
    lang: Lang,
) -> Result<Response, Fail> {
    let builder: RequestBuilder = match method {
        "POST" => Request::post(url),
        "PUT" => Request::put(url),
        "DELETE" => Request::delete(url),
        _ => Request::get(url),
    };
    // The page's language, not the browser's (see `crate::rest`).
    let builder = builder.header("Accept-Language", lang.code());
    let builder = if method == "GET" { builder } else { builder.header(CSRF_HEADER, csrf) };
    let request = match body {
        Some(body) => builder.json(body).map_err(|_| Fail::Refused(0, ErrorCode::Internal.localize(lang)))?,
        None => builder.build().map_err(|_| Fail::Refused(0, ErrorCode::Internal.localize(lang)))?,
    };
    let response = request.send().await.map_err(|_| unavailable(lang))?;
    checked(response, lang).await
}

/// Posts `file` as the multipart field `file` (an import form) and reads
/// the JSON answer; a failure is the message to show.
pub async fn post_file<T: DeserializeOwned>(
    url: &str,
    file: &web_sys::File,
    csrf: &str,
    lang: Lang,
) -> Result<T, String> {
    let unavailable = || ErrorCode::Unavailable.localize(lang);
    let form = web_sys::FormData::new().map_err(|_| unavailable())?;
    form.append_with_blob_and_filename("file", file, &file.name()).map_err(|_| unavailable())?;
    let response = Request::post(url)
        .header(CSRF_HEADER, csrf)
        .body(form)
        .map_err(|_| unavailable())?
        .send()
        .await
        .map_err(|_| unavailable())?;
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ErrorCode::Internal.localize(lang));
    }
    match response.json::<ErrorBody>().await {
        Ok(body) if !body.message.is_empty() => Err(body.message),
        Ok(body) => Err(crate::i18n::error_message(&body.code, lang)),
        Err(_) => Err(ErrorCode::Internal.localize(lang)),
    }
}

/// Reads the JSON answer of a request already sent with `fetch` (the
/// lesson's start script opens the playback session before the wasm is
/// there), sorting failures as [`json`] does.
pub async fn json_from<T: DeserializeOwned>(request: js_sys::Promise, lang: Lang) -> Result<T, Fail> {
    let sent = JsFuture::from(request).await.map_err(|_| unavailable(lang))?;
    let raw: web_sys::Response = sent.dyn_into().map_err(|_| unavailable(lang))?;
    let response = checked(Response::from(raw), lang).await?;
    response.json::<T>().await.map_err(|_| Fail::Refused(response.status(), ErrorCode::Internal.localize(lang)))
}

/// The response if it succeeded, else its error message as a [`Fail`].
async fn checked(response: Response, lang: Lang) -> Result<Response, Fail> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) if !body.message.is_empty() => body.message,
        Ok(body) => crate::i18n::error_message(&body.code, lang),
        Err(_) => ErrorCode::Unavailable.localize(lang),
    };
    Err(classify(status, message))
}

/// Retries help with these statuses; every other error is final.
fn classify(status: u16, message: String) -> Fail {
    if status == 0 || status == 408 || status == 429 || status >= 500 {
        Fail::Transient(message)
    } else {
        Fail::Refused(status, message)
    }
}

fn unavailable(lang: Lang) -> Fail {
    Fail::Transient(ErrorCode::Unavailable.localize(lang))
}

/// `PUT`s one part's bytes; `progress` hears how many bytes of this body
/// have gone out. `csrf` is `None` for presigned object-storage URLs, which
/// must get neither our header nor (being another origin) our cookies.
pub async fn put_part(
    url: &str,
    csrf: Option<&str>,
    body: &Blob,
    control: &Control,
    progress: Rc<dyn Fn(u64)>,
    lang: Lang,
) -> Result<(), Fail> {
    control.check()?;
    let js_failed = |_| Fail::Refused(0, ErrorCode::Internal.localize(lang));
    let xhr = XmlHttpRequest::new().map_err(js_failed)?;
    xhr.open("PUT", url).map_err(js_failed)?;
    if let Some(csrf) = csrf {
        xhr.set_request_header(CSRF_HEADER, csrf).map_err(js_failed)?;
        xhr.set_request_header("Accept-Language", lang.code()).map_err(js_failed)?;
        xhr.set_request_header("Content-Type", "application/octet-stream").map_err(js_failed)?;
    }
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        progress(ev.loaded().max(0.0) as u64);
    });
    xhr.upload().map_err(js_failed)?.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    // `loadend` fires once after success, error, abort or timeout alike;
    // the status tells them apart afterwards.
    let done = js_sys::Promise::new(&mut |resolve, _reject| xhr.set_onloadend(Some(&resolve)));
    *control.inflight.borrow_mut() = Some(xhr.clone());
    let sent = xhr.send_with_opt_blob(Some(body));
    if sent.is_ok() {
        // `loadend` resolves, never rejects.
        let _ = JsFuture::from(done).await;
    }
    control.inflight.borrow_mut().take();
    xhr.upload().map_err(js_failed)?.set_onprogress(None);
    xhr.set_onloadend(None);
    drop(on_progress);
    control.check()?;
    if sent.is_err() {
        return Err(unavailable(lang));
    }

    let status = xhr.status().unwrap_or(0);
    if (200..300).contains(&status) {
        return Ok(());
    }
    if status == 0 {
        return Err(unavailable(lang));
    }
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    let message = parse_error_body(&text, lang);
    // Presigned URLs expire (403 from the store): a new one is asked for on
    // the next attempt, so that is worth retrying too.
    if csrf.is_none() && status == 403 {
        return Err(Fail::Transient(message));
    }
    Err(classify(status, message))
}

/// The message of a `{code, message}` body, or a generic one for anything
/// else (an object store's XML, a proxy's HTML page).
fn parse_error_body(text: &str, lang: Lang) -> String {
    let body = js_sys::JSON::parse(text).ok().filter(|v| v.is_object());
    let field = |name: &str| {
        body.as_ref()
            .and_then(|b| js_sys::Reflect::get(b, &wasm_bindgen::JsValue::from_str(name)).ok())
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    match (field("message"), field("code")) {
        (Some(message), _) => message,
        (None, Some(code)) => crate::i18n::error_message(&code, lang),
        (None, None) => ErrorCode::Unavailable.localize(lang),
    }
}

/// Waits `ms` milliseconds, waking early when the person stops the upload.
pub async fn sleep(ms: u32, control: &Control) -> Result<(), Fail> {
    const STEP: u32 = 250;
    let mut left = ms;
    while left > 0 {
        control.check()?;
        let step = left.min(STEP);
        let tick = js_sys::Promise::new(&mut |resolve, _reject| {
            let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(step).unwrap_or(STEP as i32),
            );
        });
        let _ = JsFuture::from(tick).await;
        left -= step;
    }
    control.check()
}

/// `localStorage`, when the browser allows it (private modes may not).
fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The upload id remembered under `key`.
pub fn recall(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten().filter(|id| !id.is_empty())
}

/// Remembers `id` under `key`; without storage, resuming after a reload is
/// simply not offered.
pub fn remember(key: &str, id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, id);
    }
}

pub fn forget(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Forgets every remembered key that points at upload `id`.
pub fn forget_id(id: &str) {
    let Some(storage) = storage() else { return };
    let len = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for key in keys {
        if key.starts_with(super::plan::STORAGE_PREFIX) && recall(&key).as_deref() == Some(id) {
            let _ = storage.remove_item(&key);
        }
    }
}
