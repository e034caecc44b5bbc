//! The bell in the header: a link to `/notifications` with the number of
//! unread notifications. The count is fetched in the browser (after
//! hydration, and again on every navigation), so the server-rendered
//! header never waits for it.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::api::unread_notifications;
use super::use_unread;
use crate::i18n::notifications::{bell_label, NotifyText as T};
use crate::lang::use_lang;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let lang = use_lang();
    let unread = use_unread();
    let location = use_location();
    // Effects run only in the browser.
    Effect::new(move |_| {
        location.pathname.track();
        leptos::task::spawn_local(async move {
            if let Ok(count) = unread_notifications().await {
                unread.try_set(Some(count.unread));
            }
        });
    });
    let count = move || unread.get().unwrap_or(0);
    view! {
        <a
            class="nav-link bell"
            id="nav-notifications"
            href="/notifications"
            aria-label=move || bell_label(count(), lang)
            data-unread=move || count().to_string()
        >
            // Drawn, not an emoji: many Chinese desktops lack an emoji font.
            <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="16" height="16">
                <path
                    d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linejoin="round"
                />
            </svg>
            " "
            {T::Title.get(lang)}
            {move || {
                (count() > 0)
                    .then(|| {
                        let shown = if count() > 99 { "99+".to_owned() } else { count().to_string() };
                        view! { <span class="badge unread-count" id="unread-count">{shown}</span> }
                    })
            }}
        </a>
    }
}
