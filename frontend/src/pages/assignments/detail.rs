//! `/assignments/{id}`: one assignment — the course, the node, who it is
//! for, the due day and every member's progress (overdue first); the due
//! day can be moved and the assignment deleted.

use crate::loaded::page_data;
use courses::assignment::{AssignmentMember, AssignmentView};
use courses::directory::Me;
use courses::report::{ReportKind, ReportQuery};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{delete_assignment, get_assignment, set_assignment_due};
use super::refusal;
use crate::api::AppError;
use crate::components::notice::{ActionStatus, ErrorNotice};
use crate::i18n::assignments::{member_progress, target_text, AssignmentText as T};
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::pages::not_found::NotFoundPage;
use crate::pages::notifications::RemindButton;
use crate::pages::reports::page_href;
use crate::session::require_me;

#[component]
pub fn AssignmentPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let assignment = page_data(move || id.get(), get_assignment);
    view! {
        <Title text=T::Title.get(lang) />
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            match assignment.await {
                                Ok(a) => view! { <Assignment assignment=a me /> }.into_any(),
                                Err(error) if error.0.code != "not_found" => view! { <ErrorNotice error /> }.into_any(),
                                // Outside the caller's scope: as if it did not exist.
                                Err(_) => view! { <NotFoundPage /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        })}
    }
}

/// The assignment, as an island: its due date and deletion change in the browser.
#[island(lazy)]
fn Assignment(assignment: AssignmentView, me: Me) -> impl IntoView {
    let lang = use_lang();
    let id = assignment.summary.id;
    let due_on = RwSignal::new(assignment.summary.due_on.clone());
    let view_of = RwSignal::new(assignment);
    let csrf = StoredValue::new(me.csrf_token);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);

    let change_due = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = set_assignment_due(csrf.get_value(), id, due_on.get_untracked()).await;
            let shown = result.map(|a| {
                view_of.try_set(a);
                T::DueChanged.get(lang).to_owned()
            });
            outcome.try_set(Some(shown));
            busy.try_set(false);
        });
    };
    let delete = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match delete_assignment(csrf.get_value(), id).await {
                Ok(()) => crate::pages::go_to("/assignments"),
                Err(e) => {
                    outcome.try_set(Some(Err(e)));
                }
            }
            busy.try_set(false);
        });
    };

    let s = move || view_of.with(|a| a.summary.clone());
    view! {
        <p>
            <a href="/assignments" id="back-to-assignments">{T::BackToList.get(lang)}</a>
        </p>
        <h1 id="assignment-title">{move || s().course_title}</h1>
        <section class="card" id="assignment-facts">
            <dl class="facts">
                <dt>{T::Node.get(lang)}</dt>
                <dd>{move || s().org_name_path}</dd>
                <dt>{T::Target.get(lang)}</dt>
                <dd id="assignment-target">{move || target_text(&s().target, lang)}</dd>
                <dt>{T::DueOn.get(lang)}</dt>
                <dd id="assignment-due-on" class:overdue=move || s().past_due>{move || s().due_on}</dd>
            </dl>
            <ul class="tally" id="assignment-tally">
                <li id="count-members" data-count=move || s().member_count>
                    <span class="tally-n">{move || s().member_count}</span>
                    <span class="muted">{T::Members.get(lang)}</span>
                </li>
                <li id="count-done" data-count=move || s().done>
                    <span class="tally-n">{move || s().done}</span>
                    <span class="muted">{T::Done.get(lang)}</span>
                </li>
                <li id="count-overdue" data-count=move || s().overdue>
                    <span class="tally-n">{move || s().overdue}</span>
                    <span class="muted">{T::Overdue.get(lang)}</span>
                </li>
            </ul>
            <form class="inline-form" id="due-form" on:submit=change_due>
                <label>
                    {T::ChangeDue.get(lang)}
                    <input type="date" id="assignment-new-due" required bind:value=due_on />
                </label>
                <button type="submit" id="assignment-due-submit" disabled=move || busy.get()>
                    {Text::Save.get(lang)}
                </button>
            </form>
            <ActionStatus outcome=outcome />
            <div class="danger-zone">
                {move || {
                    if confirming.get() {
                        Either::Left(view! {
                            <button
                                type="button"
                                class="danger"
                                id="assignment-delete-confirm"
                                disabled=move || busy.get()
                                on:click=delete
                            >
                                {T::ConfirmDelete.get(lang)}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                                {T::Cancel.get(lang)}
                            </button>
                        })
                    } else {
                        Either::Right(view! {
                            <button
                                type="button"
                                class="secondary"
                                id="assignment-delete"
                                on:click=move |_| confirming.set(true)
                            >
                                {T::Delete.get(lang)}
                            </button>
                        })
                    }
                }}
            </div>
        </section>
        <section class="card" id="assignment-remind">
            <RemindButton kind=courses::notify::SubjectKind::Assignment id csrf=csrf.get_value() />
            <p>
                <a id="assignment-report" href=move || {
                    let org = view_of.with(|a| a.summary.org_id);
                    page_href(&ReportQuery {
                        org_id: Some(org),
                        assignment_id: Some(id),
                        ..ReportQuery::of(ReportKind::Assignment)
                    })
                }>{crate::i18n::reports::ReportText::Title.get(lang)}</a>
            </p>
        </section>
        <section class="card" id="assignment-members">
            <h2>{T::Members.get(lang)}</h2>
            {move || {
                let members = view_of.with(|a| a.members.clone());
                if members.is_empty() {
                    Either::Left(view! { <p class="muted">{T::NobodyAssigned.get(lang)}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="attendance-list">
                            {members.into_iter().map(|m| view! { <MemberRow m /> }).collect_view()}
                        </ul>
                        <p class="muted" id="more-members" hidden=move || !view_of.with(|a| a.truncated)>
                            {T::MoreMembers.get(lang)}
                        </p>
                    })
                }
            }}
        </section>
    }
}

#[component]
fn MemberRow(m: AssignmentMember) -> impl IntoView {
    let lang = use_lang();
    let (badge, text) = match (m.done, m.overdue) {
        (true, _) => ("badge done", T::Done),
        (false, true) => ("badge overdue", T::Overdue),
        (false, false) => ("badge", T::NotDone),
    };
    view! {
        <li
            class="attendance-row"
            class:made-up=m.done
            class:missing=m.overdue
            data-person=m.person_id
            data-login=m.login.clone()
            data-done=m.done.to_string()
            data-overdue=m.overdue.to_string()
        >
            <span class="attendance-name">{m.name.clone()}</span>
            <span class="attendance-org muted">{m.org_name.clone()}</span>
            <span class="attendance-mark">
                {member_progress(m.lessons_done, m.lessons_total, m.completed_on.as_deref(), lang)}
            </span>
            <span class=badge>{text.get(lang)}</span>
        </li>
    }
}
