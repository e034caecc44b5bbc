//! `/password`: change one's password. A plain HTML form the server handles
//! at `POST /password`; it redirects to `/?password=changed` or back here
//! with `?error=<code>`.

use courses::i18n::ErrorCode;
use courses::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{error_message, Text};
use crate::lang::use_lang;
use crate::session::require_me;

/// The change-password page; visitors without a session go to `/login`.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = move || query.read().get("error");

    view! {
        <Title text=Text::PasswordTitle.get(lang) />
        <section class="card narrow">
            <h1>{Text::PasswordTitle.get(lang)}</h1>
            {move || {
                error()
                    .map(|code| {
                        view! {
                            <p class="notice error" role="alert" id="password-error" data-code=code.clone()>
                                {password_error(&code, lang)}
                            </p>
                        }
                    })
            }}
            {require_me(move |me| {
                view! {
                    <form id="password-form" method="post" action="/password">
                        <input type="hidden" name="csrf_token" value=me.csrf_token />
                        <label for="current_password">{Text::CurrentPassword.get(lang)}</label>
                        <input
                            id="current_password"
                            name="current_password"
                            type="password"
                            required
                            autocomplete="current-password"
                        />
                        <label for="new_password">{Text::NewPassword.get(lang)}</label>
                        <input
                            id="new_password"
                            name="new_password"
                            type="password"
                            required
                            minlength="8"
                            maxlength="128"
                            autocomplete="new-password"
                        />
                        <p class="muted small">{Text::PasswordPolicy.get(lang)}</p>
                        <button id="password-submit" type="submit">{Text::Save.get(lang)}</button>
                    </form>
                }
            })}
        </section>
    }
}

/// On this page "bad credentials" means the current password was wrong and
/// "invalid input" means the new one breaks the policy.
fn password_error(code: &str, lang: Lang) -> String {
    if code == ErrorCode::BadCredentials.as_str() {
        Text::WrongCurrentPassword.get(lang).to_owned()
    } else if code == ErrorCode::InvalidInput.as_str() {
        Text::PasswordPolicy.get(lang).to_owned()
    } else {
        error_message(code, lang)
    }
}
