//! Reminders: the automatic sweep and the organizers' one-click reminder
//! (一键提醒), both as in-app notifications and, when SMTP is configured,
//! e-mail to people who gave an address. The rules, as decided here:
//!
//! - **Open task**: a make-up task (an attendance row not `present`) whose
//!   meeting's lessons are not all completed; an assignment member whose
//!   `course_records` row is not completed (records are refreshed first).
//! - **Automatic** ([`sweep`]): an open task whose deadline is at most
//!   `reminder_due_soon_days` away gets a "due soon" reminder, one whose
//!   deadline has passed an "overdue" one; each person gets each of the two
//!   at most once per meeting or assignment (the `reminders_sent` primary
//!   key; rows are inserted first, `ON CONFLICT DO NOTHING`, and only rows
//!   actually inserted are notified and e-mailed, so several app servers
//!   sweeping at once send each reminder once). Deadlines that passed more
//!   than [`OVERDUE_LOOKBACK_DAYS`] ago are no longer looked at: the sweep
//!   stays as cheap in year five as in year one, and old overdue tasks are
//!   what the one-click reminder is for. A deadline moved after a reminder
//!   went out does not bring the same reminder again.
//! - **By hand** ([`remind`]): everyone still *overdue* (deadline passed,
//!   task open), as the issue asks; before the deadline nobody is, and the
//!   automatic "due soon" reminder covers that time. At most once per
//!   subject every `reminder_manual_cooldown_minutes` (429 with
//!   `Retry-After`), whoever asks; a round that finds nobody overdue sends
//!   nothing, logs nothing and starts no wait.
//! - **Log**: one `reminder_log` row per subject per round that notified
//!   someone (`sent_by` null for the sweep), with how many were notified
//!   and e-mailed; [`log`] lists a subject's rounds to those who manage it.
//! - **Who**: those who manage the subject's node (`can_manage_meetings`,
//!   `can_manage_assignments`); outside their subtree 404, members and
//!   activists 403.
//! - **E-mail** goes after the notifications are committed; a failed
//!   delivery is logged and not retried (the in-app notification stays).
//!
//! - **New tasks** ([`new_tasks`]): a make-up task or an assigned course
//!   is announced to its holder when it is given, in the same transaction
//!   that gives it, with the reason `new` in `reminders_sent` (so a task
//!   withdrawn and given again is not announced twice); the e-mail goes in
//!   the background after the commit, so no request waits for SMTP.
//!
//! - `due.rs`: who owes what by when (shared by the sweep and by hand).
//! - `sweep.rs`: the automatic reminders.
//! - `manual.rs`: the one-click reminder and the log.
//! - `deliver.rs`: writing notifications, sending e-mail, writing the log.
//! - `mail.rs`: the SMTP transport (lettre).

mod deliver;
mod due;
mod mail;
mod manual;
pub mod new_tasks;
mod sweep;

pub use mail::Mailer;
pub use manual::{log, remind};
pub use sweep::{spawn, sweep, SweepReport};

/// Deadlines passed longer ago than this get no automatic reminder.
pub const OVERDUE_LOOKBACK_DAYS: i64 = 30;

/// `YYYY-MM-DD HH:MM` of Unix ms in the platform's zone.
pub(crate) fn local_time(ms: i64, zone: chrono::FixedOffset) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
