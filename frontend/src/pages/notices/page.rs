//! `/notices/{id}`: a notice. Opening it is the reader's read receipt. Its
//! organizers and reviewers also see its way (each step, who, when), the
//! decision form while it waits for review or approval, who read it per
//! node with the reminder for the unread, and the withdrawal form. Its
//! attachments are in `files.rs`.

use courses::notice::{Decision, NoticeState, NoticeView, ReadReport, ReadRow, Withdrawal};
use courses::notify::SubjectKind;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{decide_notice, notice_reads, open_notice, withdraw_notice};
use super::files::{changeable, Attachments, NoticeFiles};
use crate::api::AppError;
use crate::components::live::use_live;
use crate::components::notice::ErrorNotice;
use crate::i18n::notices::NoticeText as T;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::pages::route_id;
use crate::session::require_me;

#[component]
pub fn NoticePage() -> impl IntoView {
    let lang = use_lang();
    let id = route_id();
    let query = use_query_map();
    let org = Memo::new(move |_| query.read().get("org").and_then(|o| o.parse::<i64>().ok()));
    let data = page_data(
        move || (id.get(), org.get()),
        |(id, org)| async move {
            let notice = open_notice(id).await?;
            // Who read it: for those who see the notice's way.
            let reads = if notice.steps.is_empty() || notice.state != NoticeState::Published {
                None
            } else {
                notice_reads(id, org).await.ok()
            };
            Ok::<_, AppError>((notice, reads))
        },
    );
    view! {
        <Title text=T::Notices.get(lang) />
        {require_me(move |me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((notice, reads)) => Either::Left(view! { <Notice notice reads csrf /> }),
                                Err(error) => Either::Right(view! { <h1>{T::Notices.get(lang)}</h1> <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

#[component]
fn Notice(notice: NoticeView, reads: Option<ReadReport>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let organizer = !notice.steps.is_empty();
    let waiting = matches!(notice.state, NoticeState::Proposed | NoticeState::Reviewed);
    let id = notice.id;
    view! {
        <article class="card notice-page" id="notice" data-state=notice.state.as_str()>
            <h1 id="notice-title">{notice.title.clone()}</h1>
            <p class="muted">
                {T::From.get(lang)} " " {notice.org_name.clone()} " · " {notice.published_at.clone()}
                {notice.must_read.then(|| view! { " " <span class="tag required">{T::MustRead.get(lang)}</span> })}
                {notice.read_by.clone().map(|by| view! { " · " {T::ReadBy.get(lang)} " " {by} })}
                {(organizer || notice.state != NoticeState::Published).then(|| view! { " · " <span class="tag">{notice.state.name(lang)}</span> })}
            </p>
            {if notice.state == NoticeState::Withdrawn && !organizer {
                Either::Left(view! {
                    <p class="notice warning" id="notice-withdrawn">{T::WithdrawnNotice.get(lang)}
                        {notice.reason.clone().map(|r| view! { " " {T::Reason.get(lang)} "：" {r} })}</p>
                })
            } else {
                Either::Right(view! { <div class="article-body" id="notice-body" inner_html=notice.body_html.clone()></div> })
            }}
            {notice.read_at_ms.map(|_| view! { <p class="small muted" id="notice-read">{T::ReadAt.get(lang)}</p> })}
        </article>
        {if organizer && changeable(&notice) {
            Either::Left(view! { <NoticeFiles id csrf=csrf.clone() attachments=notice.attachments.clone() /> })
        } else {
            Either::Right(view! { <Attachments list=notice.attachments.clone() /> })
        }}
        {organizer.then(|| view! {
            <section class="card" id="notice-steps">
                <h2>{T::Steps.get(lang)}</h2>
                <ol class="milestones">
                    {notice.steps.iter().map(|s| view! {
                        <li>{s.at.clone()} " " {s.kind.name(lang)} " · " {s.by_name.clone()}
                            {s.note.clone().map(|n| format!("（{n}）"))}</li>
                    }).collect_view()}
                </ol>
                {notice.reason.clone().filter(|_| notice.state == NoticeState::Rejected).map(|r| view! {
                    <p class="notice warning">{T::Reason.get(lang)} "：" {r}</p>
                })}
            </section>
        })}
        {(organizer && waiting).then(|| view! { <DecisionForm id csrf=csrf.clone() /> })}
        {reads.map(|r| view! { <Reads report=r /> })}
        {(organizer && notice.state == NoticeState::Published && notice.must_read).then(|| view! {
            <section class="card" id="notice-remind"><NoticeRemind id csrf=csrf.clone() /></section>
        })}
        {(organizer && notice.state == NoticeState::Published).then(|| view! { <WithdrawForm id csrf=csrf.clone() /> })}
    }
}

#[component]
fn Reads(report: ReadReport) -> impl IntoView {
    let lang = use_lang();
    let id = report.notice_id;
    let row = move |r: &ReadRow, link: bool| {
        let name = if link && r.has_children {
            Either::Left(view! { <a href=format!("/notices/{id}?org={}", r.org.id)>{r.org.name.clone()}</a> })
        } else {
            Either::Right(r.org.name.clone())
        };
        view! {
            <li class="read-row" data-org=r.org.id>
                <span class="label">{name}</span>
                <span class="value">{format!("{} / {} · {}%", r.read, r.recipients, r.percent())}</span>
            </li>
        }
    };
    view! {
        <section class="card" id="notice-reads">
            <h2>{T::Reads.get(lang)}</h2>
            <p id="reads-total"><strong>{report.total.org.name.clone()}</strong> " "
                {T::HasRead.get(lang)} " " {report.total.read} " / " {T::Recipients.get(lang)} " " {report.total.recipients}
                " · " {report.total.percent()} "%"</p>
            <ul class="requirements">
                {report.children.iter().map(|c| row(c, true)).collect_view()}
                {report.own.as_ref().map(|o| {
                    let mut own = o.clone();
                    own.org.name = T::OwnPeople.get(lang).to_owned();
                    row(&own, false)
                })}
            </ul>
        </section>
    }
}

/// The reminder of the unread, live in the browser.
#[island(lazy)]
fn NoticeRemind(id: i64, csrf: String) -> impl IntoView {
    view! { <crate::pages::notifications::RemindButton kind=SubjectKind::Notice id csrf /> }
}

#[island(lazy)]
fn DecisionForm(id: i64, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let note = RwSignal::new(String::new());
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let decide = move |accept: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let decision = Decision { accept, note: note.get_untracked() };
            match decide_notice(csrf.get_value(), id, decision).await {
                Ok(_) => crate::pages::go_to(&format!("/notices/{id}")),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card form" id="notice-decision">
            <h2>{T::Decide.get(lang)}</h2>
            <label class="field">
                <span>{T::DecisionNote.get(lang)}</span>
                <input type="text" id="decision-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            <p class="actions">
                <button type="button" id="decision-pass" disabled=move || busy.get() || !live.get() on:click=move |_| decide(true)>{T::Pass.get(lang)}</button>
                " "
                <button type="button" class="secondary" id="decision-back" disabled=move || busy.get() || !live.get() on:click=move |_| decide(false)>{T::SendBack.get(lang)}</button>
            </p>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}

#[island(lazy)]
fn WithdrawForm(id: i64, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let reason = RwSignal::new(String::new());
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let withdraw = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match withdraw_notice(csrf.get_value(), id, Withdrawal { reason: reason.get_untracked() }).await {
                Ok(_) => crate::pages::go_to(&format!("/notices/{id}")),
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card form" id="notice-withdraw">
            <label class="field">
                <span>{T::WithdrawReason.get(lang)}</span>
                <input type="text" id="withdraw-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            </label>
            <button type="button" class="secondary" id="withdraw-submit" disabled=move || busy.get() || !live.get() on:click=withdraw>{T::Withdraw.get(lang)}</button>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}
