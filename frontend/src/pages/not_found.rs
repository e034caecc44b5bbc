//! The page for paths no route matches.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::Text;
use crate::lang::use_lang;

/// 404: says so, and sets the status on the server.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=Text::NotFound.get(lang) />
        <section class="card narrow">
            <h1>{Text::NotFound.get(lang)}</h1>
            <p>
                <a href="/">{Text::BackHome.get(lang)}</a>
            </p>
        </section>
    }
}
