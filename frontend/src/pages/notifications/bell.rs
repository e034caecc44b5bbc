//! The bell in the header: a link to `/notifications` with the number of
//! unread notifications, as the server counted them for this page load and
//! as the notifications page changes them.

use leptos::prelude::*;

use crate::i18n::notifications::{bell_label, NotifyText as T};
use crate::lang::use_lang;

/// The window event by which the notifications page tells the bell the new
/// unread count (islands share no state; the count is the event's detail).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(super) const UNREAD_EVENT: &str = "dx-unread";

/// Tells the bell, if the page has one, how many notifications are unread.
pub(super) fn announce_unread(count: u64) {
    #[cfg(feature = "hydrate")]
    {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&wasm_bindgen::JsValue::from_f64(count as f64));
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(UNREAD_EVENT, &init) {
            let _ = window().dispatch_event(&event);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = count;
}

/// The bell in the header, with the unread count the server read for this
/// page load.
#[island]
pub fn NotificationBell(unread: u64) -> impl IntoView {
    let lang = use_lang();
    let unread = RwSignal::new(unread);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener_untyped(UNREAD_EVENT, move |event| {
            if let Some(count) = event.dyn_ref::<web_sys::CustomEvent>().and_then(|e| e.detail().as_f64()) {
                unread.set(count as u64);
            }
        });
        on_cleanup(move || handle.remove());
    }
    let count = move || unread.get();
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
