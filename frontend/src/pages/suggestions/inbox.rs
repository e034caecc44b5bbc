//! `/manage/suggestions` (建议办理), for organizers and admins: the
//! suggestions to the nodes they manage, newest first, filtered by node
//! and state; each with who sent it (or "匿名"), its reply form and 办结;
//! and below, the counts and reply times (`stats.rs`). `?org=` picks the
//! node both start from; without it the inbox shows everything and the
//! table starts at the top of the caller's nodes.

use courses::directory::{Me, OrgNode};
use courses::suggestion::{SuggestionState, SuggestionView};
use courses::Role;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api;
use super::item::SuggestionSummary;
use super::stats::{StatsNode, SuggestionStatsCard};
use crate::api::{org_tree, AppError};
use crate::components::live::use_live;
use crate::components::notice::{refusal, ErrorNotice};
use crate::i18n::suggestions::{looked_up, sender_line, SuggestionText as T};
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn ManageSuggestionsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let org = Memo::new(move |_| query.read().get("org").and_then(|o| o.parse::<i64>().ok()));
    let tree = page_data(|| (), |_| org_tree());
    view! {
        <Title text=T::ManageTitle.get(lang) />
        <h1>{T::ManageTitle.get(lang)}</h1>
        {require_me(move |me: Me| {
            if !me.role.manages_people() {
                return Either::Left(refusal(T::NoPermission.get(lang)));
            }
            let csrf = me.csrf_token.clone();
            let admin = me.role == Role::Admin;
            Either::Right(view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let (csrf, chosen) = (csrf.clone(), org.get());
                        Suspend::new(async move {
                            match tree.await {
                                Ok(tree) => {
                                    let chosen = chosen.filter(|o| tree.iter().any(|n| n.id.0 == *o));
                                    let stats = StatsNode::of(&tree, chosen)
                                        .map(|node| view! { <SuggestionStatsCard node /> });
                                    Either::Left(view! {
                                        <SuggestionInbox csrf tree org=chosen admin />
                                        {stats}
                                    })
                                }
                                Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            })
        })}
    }
}

/// The inbox: `select#inbox-state`, `select#inbox-org`, and
/// `ol#suggestion-inbox` of `li.suggestion-item#suggestion-{id}`, each with
/// `textarea#suggestion-reply-{id}`, `button#suggestion-reply-send-{id}`
/// and `button#suggestion-close-{id}` while open.
#[island(lazy)]
fn SuggestionInbox(csrf: String, tree: Vec<OrgNode>, org: Option<i64>, admin: bool) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let live = use_live();
    let first = org;
    let org = RwSignal::new(org);
    let state = RwSignal::new(None::<SuggestionState>);
    let list = RwSignal::new(Vec::<SuggestionView>::new());
    let loaded = RwSignal::new(None::<Result<(), AppError>>);
    // Only the answer to the latest filters is shown.
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (o, s) = (org.get(), state.get());
        let n = asked.get_value() + 1;
        asked.set_value(n);
        loaded.set(None);
        leptos::task::spawn_local(async move {
            let answer = api::inbox(o, s).await;
            if asked.try_get_value() != Some(n) {
                return;
            }
            let shown = answer.map(|l| drop(list.try_set(l)));
            loaded.try_set(Some(shown));
        });
    });
    let depth = |n: &OrgNode| n.path.ids().count();
    let top = tree.iter().map(depth).min().unwrap_or(0);
    let org_options = tree
        .iter()
        .map(|n| {
            let indent = "　".repeat(depth(n).saturating_sub(top));
            view! { <option value=n.id.0 selected=first == Some(n.id.0)>{indent}{n.name.to_string()}</option> }
        })
        .collect_view();
    let status = move || match loaded.get() {
        None => view! { <p class="muted">{Text::Loading.get(lang)}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        Some(Ok(())) if list.with(Vec::is_empty) => {
            view! { <p class="muted" id="inbox-empty">{T::InboxEmpty.get(lang)}</p> }.into_any()
        }
        Some(Ok(())) => ().into_any(),
    };
    view! {
        <section class="card" id="suggestion-inbox-card">
            <h2>{T::Inbox.get(lang)}</h2>
            <div class="filters">
                <label>
                    {T::StateFilter.get(lang)}
                    <select id="inbox-state" on:change=move |ev| state.set(SuggestionState::parse(&event_target_value(&ev)))>
                        <option value="">{T::AllStates.get(lang)}</option>
                        {SuggestionState::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.name(lang)}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {T::OrgFilter.get(lang)}
                    <select id="inbox-org" on:change=move |ev| org.set(event_target_value(&ev).parse().ok())>
                        <option value="">{T::AllOrgs.get(lang)}</option>
                        {org_options}
                    </select>
                </label>
            </div>
            {status}
            <ol class="suggestion-list" id="suggestion-inbox">
                <For each=move || list.get() key=|s| (s.id, s.state.as_str(), s.reply.clone()) children=move |s| {
                    view! { <Received s csrf live list admin /> }
                } />
            </ol>
        </section>
    }
}

/// One suggestion in the inbox, with what its readers do to it.
#[component]
fn Received(
    s: SuggestionView,
    csrf: StoredValue<String>,
    live: RwSignal<bool>,
    list: RwSignal<Vec<SuggestionView>>,
    admin: bool,
) -> impl IntoView {
    let lang = use_lang();
    let (id, state, anonymous) = (s.id, s.state, s.anonymous);
    let replied = s.reply.is_some();
    let text = RwSignal::new(s.reply.clone().unwrap_or_default());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let sender = RwSignal::new(None::<String>);
    // Each change answers the suggestion as it now is; the row shows it.
    let settle = move |answer: Result<SuggestionView, AppError>| match answer {
        Ok(view) => {
            list.try_update(|l| l.iter_mut().filter(|s| s.id == id).for_each(|s| *s = view.clone()));
            super::stats::announce_change();
        }
        Err(e) => drop(error.try_set(Some(e))),
    };
    let reply = move |_| {
        busy.set(true);
        error.set(None);
        let words = text.get_untracked();
        leptos::task::spawn_local(async move {
            settle(api::reply(&csrf.try_get_value().unwrap_or_default(), id, words).await);
            busy.try_set(false);
        });
    };
    let close = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            settle(api::close(&csrf.try_get_value().unwrap_or_default(), id).await);
            busy.try_set(false);
        });
    };
    let look_up = move |_| {
        if !window().confirm_with_message(T::ConfirmLookUp.get(lang)).unwrap_or(false) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::sender(id).await {
                Ok(p) => drop(sender.try_set(Some(looked_up(&p.name, &p.login, &p.org_name, lang)))),
                Err(e) => drop(error.try_set(Some(e))),
            }
        });
    };
    let from = match (&s.sender, anonymous) {
        (Some(p), _) => Some(
            view! { <span class="suggestion-sender-name">{sender_line(&p.name, &p.org_name, lang)}</span> }.into_any(),
        ),
        (None, true) => Some(view! { <span class="tag">{T::AnonymousTag.get(lang)}</span> }.into_any()),
        (None, false) => None,
    };
    let disabled = move || busy.get() || !live.get();
    let close_button = move || {
        view! {
            <button type="button" class="secondary" id=format!("suggestion-close-{id}") data-action="close" disabled=disabled on:click=close>
                {T::Close.get(lang)}
            </button>
        }
    };
    // The reply form; beside its button, 办结 while there is no reply yet.
    let form = move |with_close: bool| {
        view! {
            <label for=format!("suggestion-reply-{id}")>{T::ReplyLabel.get(lang)}</label>
            <textarea id=format!("suggestion-reply-{id}") class="essay-text" rows="4"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="form-actions">
                <button type="button" id=format!("suggestion-reply-send-{id}") data-action="reply"
                    disabled=move || disabled() || text.with(|t| t.trim().is_empty()) on:click=reply>
                    {T::SendReply.get(lang)}
                </button>
                {with_close.then(close_button)}
            </div>
        }
    };
    let open = (state != SuggestionState::Closed).then(|| {
        if replied {
            Either::Left(view! {
                <details class="row-tools">
                    <summary>{T::EditReply.get(lang)}</summary>
                    {form(false)}
                </details>
                {close_button()}
            })
        } else {
            Either::Right(view! { <div class="suggestion-reply-form">{form(true)}</div> })
        }
    });
    view! {
        <li class="suggestion-item" id=format!("suggestion-{id}") data-suggestion-id=id data-state=state.as_str()>
            <SuggestionSummary s>
                <p class="suggestion-sender small">
                    {from.map(|f| view! { {T::From.get(lang)} " " {f} })}
                    {(admin && anonymous).then(|| view! {
                        " " <button type="button" class="small secondary" data-action="lookup" on:click=look_up>{T::LookUpSender.get(lang)}</button>
                    })}
                </p>
                {move || sender.get().map(|who| view! { <p class="notice warning small suggestion-looked-up">{who}</p> })}
            </SuggestionSummary>
            {open}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </li>
    }
}
