//! The unfinished list (未完成名单): the people of a node who have not
//! finished what they were assigned (of the chosen course or assignment,
//! or of all), one card each, with the one-click reminder beside it when
//! the list is of one assignment.
//!
//! It is the members report narrowed on the page, so it is as current as
//! the report and needs no query of its own; a subtree of more than
//! `ROW_LIMIT` people says the list is cut, as the members report does.

use courses::report::{MemberReport, MemberRow};
use courses::Lang;
use leptos::prelude::*;

use crate::i18n::reports::{of, unfinished_count, ReportText as T};

/// Whether `row` was assigned something it has not finished.
pub(super) fn is_unfinished(row: &MemberRow) -> bool {
    row.counts.assigned > row.counts.assigned_done
}

/// The list; `csrf` (the caller's) arms the reminder of an assignment.
pub(super) fn unfinished_view(r: MemberReport, csrf: Option<String>, lang: Lang) -> AnyView {
    let assigned = r.rows.iter().any(|m| m.counts.assigned > 0);
    let rows: Vec<MemberRow> = r.rows.into_iter().filter(is_unfinished).collect();
    let subject = r.course.as_ref().map(|c| format!(" · {}", c.name)).unwrap_or_default();
    // Reminders are sent per assignment: on its page, or here when the list
    // is of one.
    let remind = match (r.assignment, csrf) {
        (Some(a), Some(csrf)) => view! { <RemindOverdue id=a.id csrf /> }.into_any(),
        (Some(a), None) => view! {
            <p><a href=format!("/assignments/{}", a.id)>{T::RemindAt.get(lang)}</a></p>
        }
        .into_any(),
        (None, _) => view! {
            <p class="small">
                <a id="unfinished-assignments" href="/assignments">{T::RemindOnAssignments.get(lang)}</a>
            </p>
        }
        .into_any(),
    };
    let list = if rows.is_empty() {
        let text = if assigned { T::NoUnfinished } else { T::NobodyAssigned };
        view! { <p class="notice success" id="no-unfinished">{text.get(lang)}</p> }.into_any()
    } else {
        view! {
            <p class="muted" id="unfinished-count">{unfinished_count(rows.len(), lang)}</p>
            <ul class="unfinished-list" id="unfinished-list">
                {rows.into_iter().map(|m| person(m, lang)).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h2 id="unfinished-title">{r.org.name.clone()} " · " {T::TabUnfinished.get(lang)} {subject}</h2>
        {list}
        {r.truncated.then(|| view! { <p class="muted">{T::Truncated.get(lang)}</p> })}
        {remind}
    }
    .into_any()
}

/// One person's card: name (to their 学习档案), node, what is done, what is late.
fn person(m: MemberRow, lang: Lang) -> impl IntoView {
    let overdue = m.counts.overdue;
    view! {
        <li class="unfinished" data-login=m.login.clone() class:alert={overdue > 0}>
            <a class="unfinished-name" href=format!("/reports/people/{}", m.person_id)>{m.name}</a>
            <span class="muted">{m.org.name}</span>
            <span class="unfinished-done">
                {T::Completed.get(lang)} " " {of(m.counts.assigned_done, m.counts.assigned)}
            </span>
            {(overdue > 0).then(|| view! { <span class="badge overdue">{T::Overdue.get(lang)} " " {overdue}</span> })}
        </li>
    }
}

/// The one-click reminder of an assignment's overdue people.
#[island(lazy)]
fn RemindOverdue(id: i64, csrf: String) -> impl IntoView {
    view! { <crate::pages::notifications::RemindButton kind=courses::notify::SubjectKind::Assignment id csrf /> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::report::{Counts, NodeRef};

    fn row(assigned: u32, done: u32) -> MemberRow {
        MemberRow {
            person_id: 1,
            name: "李学习".into(),
            login: "member".into(),
            role: "member".into(),
            org: NodeRef { id: 2, name: "第一党小组".into() },
            counts: Counts { assigned, assigned_done: done, ..Counts::default() },
            hours: 0.0,
            target_hours: 32,
        }
    }

    #[test]
    fn only_people_with_assigned_work_left_are_unfinished() {
        assert!(is_unfinished(&row(2, 1)));
        assert!(!is_unfinished(&row(2, 2)));
        assert!(!is_unfinished(&row(0, 0)), "nothing assigned is nothing unfinished");
    }
}
