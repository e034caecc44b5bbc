//! Counts and reply times of the suggestions to a subtree, and to each
//! child's subtree. Suggestions are few (a branch gets a handful a month),
//! so the subtree's rows are read once and counted here; medians do not
//! roll up from sums.

use courses::report::views::NodeRef;
use courses::suggestion::{SuggestionRow, SuggestionState, SuggestionStats};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::db::{self, orgs, suggestions};
use crate::error::Result;
use crate::services::orgs::{find_visible, path_of, subtree};

const HOUR_MS: f64 = 3_600_000.0;

/// Counts for the caller's view of `org`'s subtree.
pub async fn stats(db: &DatabaseConnection, actor: &Actor, org: OrgId) -> Result<SuggestionStats> {
    let top = find_visible(db, actor, org).await?;
    let top_path = path_of(&top)?;
    let rows: Vec<(suggestions::Model, Option<orgs::Model>)> =
        suggestions::Entity::find().find_also_related(orgs::Entity).filter(subtree(&top_path)).all(db).await?;
    let rows: Vec<(OrgPath, suggestions::Model)> =
        rows.into_iter().filter_map(|(s, o)| Some((path_of(&o?).ok()?, s))).collect();
    let children = orgs::Entity::find().filter(orgs::Column::ParentId.eq(top.id)).all(db).await?;
    let child_ids: Vec<i64> = children.iter().map(|c| c.id).collect();
    let with_children: Vec<Option<i64>> = orgs::Entity::find()
        .select_only()
        .column(orgs::Column::ParentId)
        .filter(orgs::Column::ParentId.is_in(child_ids))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let now = db::now_ms();
    let count = |org: &orgs::Model, path: &OrgPath, has_children: bool| {
        row(org, rows.iter().filter(|(p, _)| path.contains(p)).map(|(_, s)| s), has_children, now)
    };
    let mut out = Vec::with_capacity(children.len());
    for c in &children {
        out.push(count(c, &path_of(c)?, with_children.contains(&Some(c.id))));
    }
    Ok(SuggestionStats { total: count(&top, &top_path, !children.is_empty()), children: out })
}

fn row<'a>(
    org: &orgs::Model,
    suggestions: impl Iterator<Item = &'a suggestions::Model>,
    has_children: bool,
    now_ms: i64,
) -> SuggestionRow {
    let (mut received, mut replied, mut closed, mut open) = (0u32, 0u32, 0u32, 0u32);
    let mut waits: Vec<f64> = Vec::new();
    let mut oldest_open: Option<i64> = None;
    for s in suggestions {
        received += 1;
        if let Some(at) = s.replied_at_ms {
            replied += 1;
            waits.push((at - s.created_at_ms).max(0) as f64 / HOUR_MS);
        }
        if s.state == SuggestionState::Closed.as_str() {
            closed += 1;
        } else if s.replied_at_ms.is_none() {
            open += 1;
            oldest_open = Some(oldest_open.map_or(s.created_at_ms, |o| o.min(s.created_at_ms)));
        }
    }
    waits.sort_by(f64::total_cmp);
    let median = match waits.len() {
        0 => None,
        n if n % 2 == 1 => Some(waits[n / 2]),
        n => Some((waits[n / 2 - 1] + waits[n / 2]) / 2.0),
    };
    let round = |h: f64| (h * 10.0).round() / 10.0;
    SuggestionRow {
        org: NodeRef { id: org.id, name: org.name.clone() },
        received,
        replied,
        closed,
        open,
        median_reply_hours: median.map(round),
        max_reply_hours: waits.last().copied().map(round),
        oldest_open_hours: oldest_open.map(|at| round((now_ms - at).max(0) as f64 / HOUR_MS)),
        has_children,
    }
}
