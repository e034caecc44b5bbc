//! Status lines: an error from the server, or the outcome of a form.

use courses::Lang;
use leptos::prelude::*;

use crate::api::AppError;
use crate::lang::use_lang;

/// What someone whose role may not use a page sees instead of it.
pub fn refusal(text: &'static str) -> AnyView {
    view! {
        <p class="notice error" id="no-permission" role="alert">
            {text}
        </p>
    }
    .into_any()
}

/// A failed request, explained in the page's language.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice error" role="alert" data-code=error.0.code.clone()>
            {error.message(lang)}
        </p>
    }
}

/// The outcome of the last submission of a form: `ok` on success, the error
/// otherwise, nothing before the first submission.
#[component]
pub fn ActionStatus(
    /// The outcome of the last submission, mapped to the success text.
    #[prop(into)]
    outcome: Signal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    move || {
        outcome.get().map(|result| match result {
            Ok(text) => view! { <p class="notice success" role="status">{text}</p> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })
    }
}

/// Maps an action's value to what [`ActionStatus`] shows, with the same
/// success text whatever the action returned.
pub fn saved_text<T>(
    value: Option<Result<T, AppError>>,
    lang: Lang,
    text: crate::i18n::Text,
) -> Option<Result<String, AppError>> {
    value.map(|r| r.map(|_| text.get(lang).to_owned()))
}
