//! How suggestions are handled under a node: received, replied, closed and
//! waiting, the median and longest time to a reply and how long the oldest
//! unanswered one has waited, for the node's whole subtree and for each
//! node below it. A child with nodes under it links one level down
//! (`/manage/suggestions?org=`), as the notices' read rate does; the node
//! above, when the caller manages it, one level up.

use courses::directory::OrgNode;
use courses::suggestion::{SuggestionRow, SuggestionStats};
use courses::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::api;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::suggestions::{hours, SuggestionText as T};
use crate::i18n::{labelled, Text};
use crate::lang::use_lang;

/// The node the table is about, and the one above it if the caller manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct StatsNode {
    id: i64,
    name: String,
    parent: Option<(i64, String)>,
}

impl StatsNode {
    /// `chosen`, or the top of the caller's nodes; `None` without any.
    pub fn of(tree: &[OrgNode], chosen: Option<i64>) -> Option<StatsNode> {
        let node = match chosen {
            Some(id) => tree.iter().find(|n| n.id.0 == id),
            None => tree.first(),
        }?;
        let parent = node.parent_id.and_then(|p| tree.iter().find(|n| n.id == p)).map(|p| (p.id.0, p.name.to_string()));
        Some(StatsNode { id: node.id.0, name: node.name.to_string(), parent })
    }
}

fn page_for(org: i64) -> String {
    format!("/manage/suggestions?org={org}")
}

/// The window event by which the inbox tells the statistics that a
/// suggestion changed (islands share no state).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const CHANGED_EVENT: &str = "dx-suggestion-changed";

/// Tells the statistics, if the page shows them, to read their counts again.
pub(super) fn announce_change() {
    #[cfg(feature = "hydrate")]
    if let Ok(event) = web_sys::Event::new(CHANGED_EVENT) {
        let _ = window().dispatch_event(&event);
    }
}

/// `table#suggestion-stats`: a row per child (`tr[data-org]`, `a.drill`
/// for those with nodes below), the node's total in the footer.
#[island(lazy)]
pub(super) fn SuggestionStatsCard(node: StatsNode) -> impl IntoView {
    let lang = use_lang();
    let stats = RwSignal::new(None::<Result<SuggestionStats, AppError>>);
    let id = node.id;
    // Read again whenever the inbox on the same page replies or closes.
    let changes = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener_untyped(CHANGED_EVENT, move |_| changes.update(|n| *n += 1));
        on_cleanup(move || handle.remove());
    }
    Effect::new(move |_| {
        changes.track();
        leptos::task::spawn_local(async move {
            stats.try_set(Some(api::stats(id).await));
        });
    });
    let up = node.parent.clone().map(|(parent, name)| {
        view! { <a href=page_for(parent) id="stats-up">"↑ " {labelled(T::Up.get(lang), lang)} {name}</a> " / " }
    });
    let table = move || match stats.get() {
        None => view! { <p class="muted">{Text::Loading.get(lang)}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        Some(Ok(s)) => view! {
            <div class="table-scroll">
                <table class="report" id="suggestion-stats">
                    <thead>
                        <tr>
                            <th>{T::Org.get(lang)}</th>
                            <th>{T::Received.get(lang)}</th>
                            <th>{T::RepliedCount.get(lang)}</th>
                            <th>{T::ClosedCount.get(lang)}</th>
                            <th>{T::Open.get(lang)}</th>
                            <th>{T::MedianReply.get(lang)}</th>
                            <th>{T::MaxReply.get(lang)}</th>
                            <th>{T::OldestOpen.get(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{s.children.into_iter().map(|r| row(r, lang)).collect_view()}</tbody>
                    <tfoot>
                        <tr class="total" data-org=s.total.org.id>
                            <th class="row-title">{T::Total.get(lang)}</th>
                            {cells(&s.total, lang)}
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="card" id="suggestion-stats-card" data-org=id>
            <h2>{T::Stats.get(lang)}</h2>
            <nav class="breadcrumb" id="stats-breadcrumb">{up} <strong>{node.name.clone()}</strong></nav>
            <p class="muted small">{T::StatsHelp.get(lang)}</p>
            {table}
        </section>
    }
}

fn row(r: SuggestionRow, lang: Lang) -> impl IntoView {
    let name = if r.has_children {
        view! { <a class="drill" href=page_for(r.org.id)>{r.org.name.clone()}</a> }.into_any()
    } else {
        view! { <span>{r.org.name.clone()}</span> }.into_any()
    };
    view! {
        <tr data-org=r.org.id>
            <td class="row-title">{name}</td>
            {cells(&r, lang)}
        </tr>
    }
}

fn cells(r: &SuggestionRow, lang: Lang) -> impl IntoView {
    view! {
        <td class="num" data-label=T::Received.get(lang)>{r.received}</td>
        <td class="num" data-label=T::RepliedCount.get(lang)>{r.replied}</td>
        <td class="num" data-label=T::ClosedCount.get(lang)>{r.closed}</td>
        <td class="num" data-label=T::Open.get(lang)>{r.open}</td>
        <td class="num" data-label=T::MedianReply.get(lang)>{hours(r.median_reply_hours, lang)}</td>
        <td class="num" data-label=T::MaxReply.get(lang)>{hours(r.max_reply_hours, lang)}</td>
        <td class="num" data-label=T::OldestOpen.get(lang)>{hours(r.oldest_open_hours, lang)}</td>
    }
}
