//! `/notifications`: the signed-in person's notifications, newest first,
//! unread ones marked; each links to what it asks (the lesson, the
//! course). Opening one marks it read; so does its button, or the one for
//! all of them.

use crate::loaded::page_data;
use courses::notify::{NotificationList, NotificationView};
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{list_notifications, mark_read};
use super::bell::announce_unread;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::notifications::NotifyText as T;
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let list = page_data(|| (), |_| list_notifications());
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match list.await {
                                Ok(list) => view! { <Notifications list csrf /> }.into_any(),
                                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

/// The list, as an island: marking read happens in the browser.
#[island(lazy)]
fn Notifications(list: NotificationList, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let items = RwSignal::new(list.items);
    let csrf = StoredValue::new(csrf);
    let error = RwSignal::new(None::<AppError>);
    // Marks read here at once; the server's answer sets the count.
    let mark = move |ids: Vec<i64>, all: bool| {
        items.update(|list| {
            for n in list.iter_mut().filter(|n| all || ids.contains(&n.id)) {
                n.read = true;
            }
        });
        leptos::task::spawn_local(async move {
            match mark_read(csrf.get_value(), ids, all).await {
                Ok(count) => announce_unread(count.unread),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let any_unread = move || items.with(|list| list.iter().any(|n| !n.read));
    view! {
        {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        <p>
            <button
                type="button"
                class="small secondary"
                id="mark-all-read"
                disabled=move || !any_unread()
                on:click=move |_| mark(Vec::new(), true)
            >
                {T::MarkAllRead.get(lang)}
            </button>
        </p>
        {move || {
            let list = items.get();
            if list.is_empty() {
                return view! { <p class="muted" id="no-notifications">{T::Empty.get(lang)}</p> }.into_any();
            }
            view! {
                <ul class="notification-list" id="notifications">
                    {list.into_iter().map(|n| view! { <Item n mark /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn Item<F>(n: NotificationView, mark: F) -> impl IntoView
where
    F: Fn(Vec<i64>, bool) + Copy + Send + Sync + 'static,
{
    let lang = use_lang();
    let (id, read) = (n.id, n.read);
    let unread_tag = (!read).then(|| view! { <span class="tag">{T::Unread.get(lang)}</span> });
    let mark_button = (!read).then(|| {
        view! {
            <button type="button" class="small secondary mark-read" on:click=move |_| mark(vec![id], false)>
                {T::MarkRead.get(lang)}
            </button>
        }
    });
    view! {
        <li class="card notification" class:unread=!read data-id=id data-kind=n.kind.as_str() data-read=read.to_string()>
            <p class="notification-head">
                <strong>{n.title}</strong>
                " "
                {unread_tag}
                <span class="muted small notification-time">{n.created_at}</span>
            </p>
            <p class="notification-body">{n.body}</p>
            <p>
                <a
                    class="notification-link"
                    href=n.link
                    on:click=move |_| {
                        if !read {
                            mark(vec![id], false);
                        }
                    }
                >
                    {T::Open.get(lang)}
                </a>
                " "
                {mark_button}
            </p>
        </li>
    }
}
