//! `/manage/notices`: the notices of the caller's nodes in every state
//! (those waiting for review or approval among them), and the form to
//! write one: an ordinary notice is published at once, a 党务公开 item is
//! proposed for review from above.

use courses::directory::{Me, OrgNode};
use courses::notice::{NoticeDraft, NoticeSummary};
use courses::OrgId;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{create_notice, managed_notices};
use crate::api::{org_tree, AppError};
use crate::components::live::use_live;
use crate::components::notice::ErrorNotice;
use crate::i18n::notices::NoticeText as T;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn ManageNoticesPage() -> impl IntoView {
    let lang = use_lang();
    let data = page_data(
        || (),
        |_| async {
            let (notices, tree) = futures::join!(managed_notices(), org_tree());
            Ok::<_, AppError>((notices?, tree?))
        },
    );
    view! {
        <Title text=T::Manage.get(lang) />
        <h1>{T::Manage.get(lang)}</h1>
        {require_me(move |me: Me| {
            if !me.role.manages_people() {
                return Either::Left(view! { <p class="notice warning" id="no-permission">{T::NoPermission.get(lang)}</p> });
            }
            let csrf = me.csrf_token.clone();
            Either::Right(view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((notices, tree)) => Either::Left(view! {
                                    <NewNoticeForm tree csrf />
                                    <Managed notices />
                                }),
                                Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            })
        })}
    }
}

#[component]
fn Managed(notices: Vec<NoticeSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" id="managed-notices">
            <h2>{T::Notices.get(lang)}</h2>
            {if notices.is_empty() {
                Either::Left(view! { <p class="muted">{T::NoManaged.get(lang)}</p> })
            } else {
                Either::Right(view! {
                    <ul class="notice-list">
                        {notices.into_iter().map(|n| view! {
                            <li class="notice-item" data-notice=n.id data-state=n.state.as_str()>
                                <a href=format!("/notices/{}", n.id)>{n.title.clone()}</a>
                                " " <span class="tag">{n.state.name(lang)}</span>
                                <p class="muted small">{n.org_name.clone()} {n.published_at.clone().map(|at| format!(" · {at}"))}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

#[island(lazy)]
fn NewNoticeForm(tree: Vec<OrgNode>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let node = RwSignal::new(tree.first().map(|n| n.id.0).unwrap_or(0));
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let must_read = RwSignal::new(false);
    let read_by = RwSignal::new(String::new());
    let openness = RwSignal::new(false);
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let by = read_by.get_untracked();
        let draft = NoticeDraft {
            org_id: OrgId(node.get_untracked()),
            targets: Vec::new(),
            title: title.get_untracked(),
            body: body.get_untracked(),
            must_read: must_read.get_untracked(),
            read_by: (must_read.get_untracked() && !by.trim().is_empty()).then_some(by),
            openness: openness.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_notice(csrf.get_value(), draft).await {
                Ok(n) => crate::pages::go_to(&format!("/notices/{}", n.id)),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <form class="card form" id="new-notice" on:submit=submit>
            <h2>{T::NewNotice.get(lang)}</h2>
            <label class="field">
                <span>{T::Node.get(lang)}</span>
                <select id="notice-node" on:change=move |ev| node.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {tree.iter().map(|n| view! { <option value=n.id.0>{n.name.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{T::Title.get(lang)}</span>
                <input type="text" id="notice-title-input" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{T::Body.get(lang)}</span>
                <textarea class="essay-text" id="notice-body-input" rows="8" prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev)) />
            </label>
            <p class="muted small">{T::BodyHelp.get(lang)}</p>
            <p class="muted small" id="notice-attach-later">{T::AttachLater.get(lang)}</p>
            <label class="check">
                <input type="checkbox" id="notice-must-read" prop:checked=move || must_read.get()
                    on:change=move |ev| must_read.set(event_target_checked(&ev)) />
                {T::MustRead.get(lang)}
            </label>
            <Show when=move || must_read.get()>
                <label class="field">
                    <span>{T::ReadBy.get(lang)}</span>
                    <input type="date" id="notice-read-by" prop:value=move || read_by.get() on:input=move |ev| read_by.set(event_target_value(&ev)) />
                </label>
            </Show>
            <label class="check">
                <input type="checkbox" id="notice-openness" prop:checked=move || openness.get()
                    on:change=move |ev| openness.set(event_target_checked(&ev)) />
                {T::Openness.get(lang)}
            </label>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            <button type="submit" id="notice-submit" disabled=move || busy.get() || !live.get()>
                {move || if openness.get() { T::Propose } else { T::Publish }.get(lang)}
            </button>
        </form>
    }
}
