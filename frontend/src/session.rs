//! The signed-in person, loaded once per page load and shared by the header
//! and the pages, and the guard that sends visitors without a session to
//! the login page.

use std::sync::Arc;

use crate::loaded::{page_data, PageData};
use courses::directory::Me;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::api::{self, AppError};
use crate::components::notice::ErrorNotice;
use crate::i18n::Text;
use crate::lang::use_lang;

/// `Ok(None)` means "not signed in".
pub type MeData = PageData<Result<Option<Me>, AppError>>;

#[derive(Clone, Copy)]
struct MeContext(MeData);

/// Starts loading the signed-in person; call once, at the top of the app, so
/// the header and the page share one load.
pub fn provide_me() {
    provide_context(MeContext(page_data(|| (), |_| api::me())));
}

/// The signed-in person as [`provide_me`] loads it.
pub fn use_me() -> MeData {
    match use_context::<MeContext>() {
        Some(MeContext(me)) => me,
        None => page_data(|| (), |_| api::me()),
    }
}

/// Renders `render(me)` for a signed-in person; redirects anyone else to
/// `/login?next=<this page>`.
pub fn require_me<V, F>(render: F) -> impl IntoView
where
    F: Fn(Me) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let me = use_me();
    let lang = use_lang();
    let location = use_location();
    let render = Arc::new(render);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Text::Loading.get(lang)}</p> }>
            {move || {
                let render = Arc::clone(&render);
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => EitherOf3::A(render(me)),
                        Ok(None) => {
                            let here = here(&location.pathname.get_untracked(), &location.search.get_untracked());
                            EitherOf3::B(view! { <Redirect path=login_path(&here) /> })
                        }
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                    }
                })
            }}
        </Suspense>
    }
}

/// The current page as a path with its query string.
pub fn here(pathname: &str, search: &str) -> String {
    let search = search.trim_start_matches('?');
    if search.is_empty() {
        pathname.to_owned()
    } else {
        format!("{pathname}?{search}")
    }
}

/// The login page, asked to come back to `next` afterwards.
pub fn login_path(next: &str) -> String {
    format!("/login?next={}", encode_query_value(next))
}

/// What a query value keeps as it is: RFC 3986's unreserved characters,
/// and `/`, so a `next` path stays readable in the address bar.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// Percent-encodes a query parameter value (keeping `/` readable).
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// A `next` target that stays on this site: a path, never `//host` or a URL.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_redirect_keeps_the_page_and_its_query() {
        assert_eq!(login_path(&here("/orgs", "?org=5")), "/login?next=/orgs%3Forg%3D5");
        assert_eq!(login_path(&here("/", "")), "/login?next=/");
    }

    #[test]
    fn non_ascii_and_reserved_characters_are_percent_encoded() {
        assert_eq!(encode_query_value("/a b&c=党"), "/a%20b%26c%3D%E5%85%9A");
    }

    #[test]
    fn next_targets_outside_the_site_fall_back_to_home() {
        assert_eq!(safe_next(Some("/orgs?org=1")), "/orgs?org=1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", ""] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
