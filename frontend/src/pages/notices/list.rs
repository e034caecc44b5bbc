//! The notices for the caller: a few on the home page, all on `/notices`.
//! Unread must-read notices carry a mark; a withdrawn one says so.

use courses::notice::{NoticeState, NoticeSummary};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::my_notices;
use crate::components::notice::ErrorNotice;
use crate::i18n::notices::NoticeText as T;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

/// How many the home page shows.
const ON_HOME: usize = 5;

#[component]
pub fn NoticeItems(notices: Vec<NoticeSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="notice-list">
            {notices.into_iter().map(|n| {
                let unread = n.read_at_ms.is_none() && n.state == NoticeState::Published;
                view! {
                    <li class="notice-item" class:unread=unread data-notice=n.id>
                        <a href=format!("/notices/{}", n.id)>{n.title.clone()}</a>
                        {(n.must_read && n.state == NoticeState::Published).then(|| view! { " " <span class="tag required">{T::MustRead.get(lang)}</span> })}
                        {(n.state == NoticeState::Withdrawn).then(|| view! { " " <span class="tag">{T::Withdrawn.get(lang)}</span> })}
                        {unread.then(|| view! { " " <span class="tag due">{T::Unread.get(lang)}</span> })}
                        <p class="muted small">
                            {n.org_name.clone()} " · " {n.published_at.clone()}
                            {n.read_by.clone().filter(|_| n.must_read).map(|by| view! { " · " {T::ReadBy.get(lang)} " " {by} })}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The home page's card: the newest notices, unread must-read ones first.
#[component]
pub fn HomeNotices() -> impl IntoView {
    let lang = use_lang();
    let list = page_data(|| (), |_| my_notices());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                list.await.ok().filter(|l| !l.is_empty()).map(|mut notices| {
                    notices.sort_by_key(|n| !(n.must_read && n.read_at_ms.is_none() && n.state == NoticeState::Published));
                    notices.truncate(ON_HOME);
                    view! {
                        <section class="card" id="home-notices">
                            <h2>{T::Notices.get(lang)}</h2>
                            <NoticeItems notices />
                            <p class="small"><a href="/notices">{T::AllNotices.get(lang)}</a></p>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let lang = use_lang();
    let list = page_data(|| (), |_| my_notices());
    view! {
        <Title text=T::Notices.get(lang) />
        <h1>{T::Notices.get(lang)}</h1>
        {require_me(move |_| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(notices) if notices.is_empty() => Either::Left(Either::Left(view! { <p class="muted">{T::NoNotices.get(lang)}</p> })),
                        Ok(notices) => Either::Left(Either::Right(view! { <section class="card" id="notices"><NoticeItems notices /></section> })),
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Suspense>
        })}
    }
}
