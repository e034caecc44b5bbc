//! What a course's organizers see and do on each comment, in the
//! discussion and in the queue: its state, open reports, the listed words
//! it matched, and the steps its state allows (通过 / 隐藏 / 恢复 / 删除 /
//! 保留). Hiding and deleting ask for a reason first; it is logged and its
//! writer sees it.

use courses::discussion::{CommentState, CommentView, Moderation, ModerationAction};
use courses::Lang;
use leptos::prelude::*;

use super::api;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::discussion::{held_for_text, reports, state_name, DiscussionText as T};
use crate::i18n::labelled;

/// The steps offered, in this order.
const STEPS: [ModerationAction; 5] = [
    ModerationAction::Approve,
    ModerationAction::Dismiss,
    ModerationAction::Restore,
    ModerationAction::Hide,
    ModerationAction::Delete,
];

/// Whether `action` is offered for `comment`: what its state allows, and
/// "keep" only when someone reported it.
fn offered(action: ModerationAction, comment: &CommentView) -> bool {
    action.apply(comment.state).is_some() && (action != ModerationAction::Dismiss || comment.reports > 0)
}

fn label(action: ModerationAction) -> T {
    match action {
        ModerationAction::Approve => T::Approve,
        ModerationAction::Hide => T::Hide,
        ModerationAction::Restore => T::Restore,
        ModerationAction::Delete => T::Remove,
        ModerationAction::Dismiss => T::Keep,
    }
}

/// The facts and buttons. Buttons are `button.mod-button[data-action=…]`
/// (`approve`, `dismiss`, `restore`, `hide`, `delete`); the reason asked
/// for is `input.mod-reason`, sent with `button[data-action=confirm]`.
#[component]
pub(super) fn ModerationBar(
    csrf: StoredValue<String>,
    lang: Lang,
    /// The island is hydrated.
    live: RwSignal<bool>,
    /// The comment; replaced by the server's answer after each step.
    comment: RwSignal<CommentView>,
    /// The last step taken here.
    done: RwSignal<Option<ModerationAction>>,
    /// Leave "delete" out: the caller wrote it and has their own button.
    #[prop(optional)]
    no_delete: bool,
) -> impl IntoView {
    let asking = RwSignal::new(None::<ModerationAction>);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);

    let send = move |action: ModerationAction| {
        let id = comment.with_untracked(|c| c.id);
        let step =
            Moderation { action, reason: if action.needs_reason() { reason.get_untracked() } else { String::new() } };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::moderate(&csrf.try_get_value().unwrap_or_default(), id, &step).await {
                Ok(mut view) => {
                    // Replies are held beside the comment, not in it.
                    view.replies = Vec::new();
                    comment.try_set(view);
                    done.try_set(Some(action));
                    asking.try_set(None);
                    reason.try_set(String::new());
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
            busy.try_set(false);
        });
    };
    let facts = move || {
        comment.with(|c| {
            let words = (!c.matched.is_empty()).then(|| {
                view! { " · " <span class="mod-matched">{labelled(T::Matched.get(lang), lang)} {c.matched.join(lang.pick("、", ", "))}</span> }
            });
            let reason = c.moderation_reason.clone().map(|r| view! { " · " {labelled(T::Reason.get(lang), lang)} {r} });
            view! {
                <span class="tag mod-state" data-state=c.state.as_str()>{state_name(c.state, lang)}</span>
                {c.held_for.map(|h| view! { " " <span class="mod-held">{held_for_text(h, lang)}</span> })}
                {(c.reports > 0).then(|| view! { " " <span class="tag alert mod-reports">{reports(c.reports, lang)}</span> })}
                {words}
                {reason}
            }
        })
    };
    let buttons = move || {
        let c = comment.get();
        STEPS
            .into_iter()
            .filter(|a| offered(*a, &c) && !(no_delete && *a == ModerationAction::Delete))
            .map(|action| {
                let click = move |_| {
                    if action.needs_reason() {
                        asking.set(Some(action));
                    } else {
                        send(action);
                    }
                };
                let class = if matches!(action, ModerationAction::Hide | ModerationAction::Delete) {
                    "mod-button small danger"
                } else {
                    "mod-button small"
                };
                view! {
                    <button type="button" class=class data-action=action.as_str() disabled=move || busy.get() || !live.get() on:click=click>
                        {label(action).get(lang)}
                    </button>
                }
            })
            .collect_view()
    };
    let ask = move || {
        asking.get().map(|action| {
            view! {
                <div class="mod-reason-form" data-action=action.as_str()>
                    <label>
                        {T::ModReason.get(lang)}
                        <input type="text" class="mod-reason" maxlength="200" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev)) />
                    </label>
                    <div class="form-actions">
                        <button type="button" class="small danger" data-action="confirm" disabled=move || busy.get() on:click=move |_| send(action)>
                            {T::Confirm.get(lang)} " " {label(action).get(lang)}
                        </button>
                        <button type="button" class="small secondary" data-action="cancel" on:click=move |_| asking.set(None)>
                            {T::Cancel.get(lang)}
                        </button>
                    </div>
                </div>
            }
        })
    };
    let deleted = move || comment.with(|c| c.state == CommentState::Deleted);
    view! {
        <div class="moderation">
            <p class="mod-facts small">{labelled(T::State.get(lang), lang)} {facts}</p>
            <div class="mod-buttons" hidden=deleted>{buttons}</div>
            {ask}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::discussion::CommentAuthor;

    fn comment(state: CommentState, reports: u32) -> CommentView {
        CommentView {
            id: 1,
            course_id: 1,
            lesson_id: None,
            reply_to: None,
            author: CommentAuthor { name: None, surname: "张".into(), branch: String::new(), mine: false },
            body: "x".into(),
            state,
            held_for: None,
            matched: Vec::new(),
            moderation_reason: None,
            reports,
            reported_by_me: false,
            created_at_ms: 0,
            created_at: String::new(),
            replies: Vec::new(),
        }
    }

    #[test]
    fn each_state_offers_the_steps_it_allows() {
        let shown =
            |c: &CommentView| STEPS.into_iter().filter(|a| offered(*a, c)).map(|a| a.as_str()).collect::<Vec<_>>();
        assert_eq!(shown(&comment(CommentState::Pending, 0)), ["approve", "hide", "delete"]);
        assert_eq!(shown(&comment(CommentState::Published, 0)), ["hide", "delete"]);
        assert_eq!(shown(&comment(CommentState::Published, 2)), ["dismiss", "hide", "delete"]);
        assert_eq!(shown(&comment(CommentState::Hidden, 0)), ["restore", "delete"]);
        assert!(shown(&comment(CommentState::Deleted, 0)).is_empty());
    }
}
