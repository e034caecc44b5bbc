//! `/login`: a plain HTML form the server handles at `POST /login`, so it
//! works before (and without) the WebAssembly loading. The server redirects
//! back here with `?error=<code>` when signing in fails.

use crate::loaded::page_data;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::login_csrf;
use crate::i18n::{error_message, Text};
use crate::lang::use_lang;
use crate::session::safe_next;

/// The login page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let csrf = page_data(|| (), |_| login_csrf());
    let error = move || query.read().get("error");
    let next = move || safe_next(query.read().get("next").as_deref());

    view! {
        <Title text=Text::LoginTitle.get(lang) />
        <section class="card narrow">
            <h1>{Text::LoginTitle.get(lang)}</h1>
            {move || {
                error()
                    .map(|code| {
                        view! {
                            <p class="notice error" role="alert" id="login-error" data-code=code.clone()>
                                {error_message(&code, lang)}
                            </p>
                        }
                    })
            }}
            <form id="login-form" method="post" action="/login">
                <label for="login">{Text::LoginLabel.get(lang)}</label>
                <input
                    id="login"
                    name="login"
                    type="text"
                    required
                    maxlength="32"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                />
                <label for="password">{Text::PasswordLabel.get(lang)}</label>
                <input id="password" name="password" type="password" required autocomplete="current-password" />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let token = csrf.await.unwrap_or_default();
                        view! { <input type="hidden" name="csrf_token" value=token /> }
                    })}
                </Suspense>
                <input type="hidden" name="next" value=next />
                <button id="login-submit" type="submit">{Text::LoginSubmit.get(lang)}</button>
            </form>
            <p class="muted small">{Text::LoginHint.get(lang)}</p>
        </section>
    }
}
