//! Which language this page load uses.
//!
//! The language is fixed for one page load: the server picks it from the
//! `dx_lang` cookie (Chinese without one) and writes it into `<html lang>`;
//! the browser reads it back from there while hydrating, so both sides render
//! the same text. Switching language is a full page load via `/lang/{code}`.

use courses::Lang;
use leptos::prelude::*;

/// The UI language of this page load, as [`provide_lang`] stored it.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(page_lang)
}

/// Decides the page's language once and shares it with every component.
pub fn provide_lang() -> Lang {
    let lang = page_lang();
    provide_context(lang);
    lang
}

/// The language of this page load. On the server: from the request's cookie.
#[cfg(feature = "ssr")]
pub fn page_lang() -> Lang {
    use_context::<axum::http::request::Parts>()
        .map(|parts| crate::backend::lang_from_headers(&parts.headers))
        .unwrap_or_default()
}

/// In the browser: from `<html lang>`, which the server wrote with the same
/// choice, so hydration renders exactly what the server did.
#[cfg(not(feature = "ssr"))]
pub fn page_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .map(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Lang::default()
    }
}
