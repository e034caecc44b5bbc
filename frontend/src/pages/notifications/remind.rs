//! The one-click reminder (一键提醒) of a meeting's make-up study or an
//! assignment: a button that notifies everyone overdue, what it did (or
//! why it must wait), and the log of every reminder round about it.
//!
//! Used by the meeting page and the assignment page:
//! `<RemindButton kind=SubjectKind::Assignment id=assignment_id csrf=me.csrf_token.clone() />`.

use courses::notify::{ReminderLogEntry, SubjectKind};
use leptos::prelude::*;

use super::api::{remind, reminder_log};
use super::local_time;
use crate::api::AppError;
use crate::components::notice::ActionStatus;
use crate::i18n::notifications::{log_line, reminded, NotifyText as T};
use crate::lang::use_lang;

/// The reminder button with its outcome and the subject's reminder log.
#[component]
pub fn RemindButton(
    /// A meeting (its make-up study) or an assignment.
    kind: SubjectKind,
    /// The meeting's or the assignment's id.
    id: i64,
    /// The session's CSRF token (`Me::csrf_token`).
    csrf: String,
) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    let log = RwSignal::new(None::<Vec<ReminderLogEntry>>);
    let load_log = move || {
        leptos::task::spawn_local(async move {
            if let Ok(entries) = reminder_log(kind, id).await {
                log.try_set(Some(entries));
            }
        })
    };
    // The log is read in the browser only, so the page never waits for it.
    Effect::new(move |_| load_log());
    let send = move |_| {
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let result = remind(csrf.get_value(), kind, id).await;
            // The cooldown's error says how long to wait.
            let shown = result.map(|o| reminded(o.reminded, o.emailed, &local_time(o.next_allowed_at_ms), lang));
            outcome.try_set(Some(shown));
            busy.try_set(false);
            load_log();
        });
    };
    view! {
        <div class="remind" data-kind=kind.as_str() data-id=id>
            <p class="muted small">{T::RemindHint.get(lang)}</p>
            <button type="button" id="remind-overdue" disabled=move || busy.get() on:click=send>
                {move || if busy.get() { T::Reminding.get(lang) } else { T::Remind.get(lang) }}
            </button>
            <div id="remind-outcome">
                <ActionStatus outcome=outcome />
            </div>
            <h3>{T::LogHeading.get(lang)}</h3>
            {move || log.get().map(|entries| view! { <Log entries /> })}
        </div>
    }
}

#[component]
fn Log(entries: Vec<ReminderLogEntry>) -> impl IntoView {
    let lang = use_lang();
    if entries.is_empty() {
        return view! { <p class="muted" id="no-reminders">{T::NoLog.get(lang)}</p> }.into_any();
    }
    view! {
        <ul class="reminder-log" id="reminder-log">
            {entries
                .into_iter()
                .map(|e| {
                    let who = match (&e.sent_by_name, e.automatic) {
                        (_, true) | (None, false) => T::Automatic.get(lang).to_owned(),
                        (Some(name), false) => name.clone(),
                    };
                    let line = log_line(&e.sent_at, &who, e.recipients, e.emailed, lang);
                    view! { <li data-automatic=e.automatic.to_string()>{line}</li> }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
