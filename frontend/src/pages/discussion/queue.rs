//! `/manage/discussion`: what waits for the caller's moderation in the
//! courses they manage — comments held for approval (with why) and
//! reported ones (with their reasons) — each with the moderation buttons;
//! for admins, also the sensitive-word list. Organizers and admins only.

use courses::directory::Me;
use courses::discussion::{CommentView, ModerationAction, QueueItem};
use courses::Role;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use super::moderation::ModerationBar;
use super::words::WordList;
use crate::api::AppError;
use crate::components::live::use_live;
use crate::components::notice::{refusal, ErrorNotice};
use crate::i18n::discussion::{author_label, held_for_text, moderated, reports, DiscussionText as T};
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::session::require_me;

#[component]
pub fn ManageDiscussionPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=T::QueueTitle.get(lang) />
        <h1>{T::QueueTitle.get(lang)}</h1>
        {require_me(move |me: Me| {
            if !me.role.manages_people() {
                return Either::Left(refusal(T::NoPermission.get(lang)));
            }
            let words = (me.role == Role::Admin).then(|| view! { <WordList csrf=me.csrf_token.clone() /> });
            Either::Right(view! {
                <CommentQueue csrf=me.csrf_token.clone() />
                {words}
            })
        })}
    }
}

/// A queue item as the page holds it: the comment changes with each step.
#[derive(Clone)]
struct Row {
    item: QueueItem,
    comment: RwSignal<CommentView>,
    done: RwSignal<Option<ModerationAction>>,
}

/// The queue: `ol#comment-queue` of `li.queue-item#queue-{comment id}`
/// (`data-why` = `pending` or `reported`), each with the moderation bar
/// (see `moderation.rs`).
#[island(lazy)]
fn CommentQueue(csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let live = use_live();
    let rows = RwSignal::new(None::<Result<Vec<Row>, AppError>>);
    let owner = Owner::current();
    Effect::new(move |_| {
        let owner = owner.clone();
        leptos::task::spawn_local(async move {
            let loaded = api::queue().await;
            let make = move || {
                loaded.map(|items| {
                    items
                        .into_iter()
                        .map(|item| Row {
                            comment: RwSignal::new(item.comment.clone()),
                            done: RwSignal::new(None),
                            item,
                        })
                        .collect()
                })
            };
            let loaded = match owner {
                Some(owner) => owner.with(make),
                None => make(),
            };
            rows.try_set(Some(loaded));
        });
    });
    let list = move || match rows.get() {
        None => view! { <p class="muted" id="queue-loading">{Text::Loading.get(lang)}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        Some(Ok(rows)) if rows.is_empty() => {
            view! { <p class="muted" id="queue-empty">{T::QueueEmpty.get(lang)}</p> }.into_any()
        }
        Some(Ok(rows)) => view! {
            <ol class="queue" id="comment-queue">
                {rows.into_iter().map(|row| view! { <QueueEntry row csrf live /> }).collect_view()}
            </ol>
        }
        .into_any(),
    };
    view! {
        <section class="card" id="moderation-queue">
            <h2>{T::QueueHeading.get(lang)}</h2>
            <p class="muted small">{T::QueueHelp.get(lang)}</p>
            {list}
        </section>
    }
}

#[component]
fn QueueEntry(row: Row, csrf: StoredValue<String>, live: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let Row { item, comment, done } = row;
    let c = &item.comment;
    let id = c.id;
    let href = match c.lesson_id {
        Some(lesson) => format!("/lessons/{lesson}"),
        None => format!("/courses/{}", c.course_id),
    };
    let place = match &item.lesson_title {
        Some(lesson) => format!("{} › {lesson}", item.course_title),
        None => item.course_title.clone(),
    };
    let why = if c.reports > 0 { "reported" } else { "pending" };
    let shown_as = c.author.name.is_none().then(|| {
        view! { " " <span class="muted small">{T::ShownAs.get(lang)} " " {author_label(&c.author, lang)}</span> }
    });
    let pending = c.held_for.map(|h| {
        view! { <p class="queue-why small"><span class="tag due">{T::WhyPending.get(lang)}</span> " " {held_for_text(h, lang)}</p> }
    });
    let reported = (!item.report_reasons.is_empty()).then(|| {
        view! {
            <div class="queue-why small">
                <span class="tag alert">{T::WhyReported.get(lang)}</span> " " {reports(c.reports, lang)}
                <ul class="report-reasons">
                    {item.report_reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        <li class="queue-item" id=format!("queue-{id}") data-comment-id=id data-why=why
            data-state=move || comment.with(|c| c.state.as_str())>
            <p class="queue-where small"><a href=href>{place}</a></p>
            <p class="comment-head">
                <strong class="queue-real-name" title=T::RealName.get(lang)>{item.real_name.clone()}</strong>
                {shown_as}
                " " <span class="comment-branch">{c.author.branch.clone()}</span>
                " " <span class="comment-time muted small">{c.created_at.clone()}</span>
            </p>
            <p class="comment-body">{c.body.clone()}</p>
            {pending}
            {reported}
            <ModerationBar csrf lang live comment done />
            {move || done.get().map(|a| view! { <p class="notice success small queue-done" role="status">{moderated(a, lang)}</p> })}
        </li>
    }
}
