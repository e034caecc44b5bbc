//! Snapshots: a report frozen as it was, so what was reported at a
//! deadline is not rewritten by later study, transfers or deletions.
//!
//! An organizer takes one by hand of any report they can read; the
//! background sweep takes one of every assignment whose due day and every
//! meeting whose make-up deadline has passed, once per deadline (a unique
//! index on kind, subject and deadline makes that hold with several
//! servers). A snapshot belongs to the node its report is of and is read
//! under the same rule as that report; a member who transfers away stays
//! in their old branch's snapshots, which is the point.

use courses::report::{NodeRef, ReportData, ReportKind, ReportQuery, SnapshotSummary};
use courses::{Actor, Lang, OrgId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{node, org_ref, report, require_manager};
use crate::config::Settings;
use crate::db::{self, assignments, meetings as meeting_rows, orgs, people, report_snapshots};
use crate::error::{Error, Result};
use crate::services::orgs::{in_scope, path_of, subtree};
use crate::services::{hide_out_of_scope, meetings, system_actor};

/// Most snapshots a list returns.
const LIST_LIMIT: u64 = 500;

/// The node a report is of, and the subject its kind names.
fn owner(data: &ReportData) -> (i64, Option<i64>) {
    match data {
        ReportData::Org(r) => (r.org.id, r.assignment.as_ref().or(r.course.as_ref()).map(|s| s.id)),
        ReportData::Members(r) => (r.org.id, r.course.as_ref().map(|c| c.id)),
        ReportData::Overdue(r) => (r.org.id, None),
        ReportData::Hours(r) => (r.org.id, Some(i64::from(r.year))),
        ReportData::Person(a) => (a.org.id, Some(a.person_id)),
        ReportData::Meeting(m) => (m.summary.org_id, Some(m.summary.id)),
    }
}

async fn store(
    db: &impl ConnectionTrait,
    kind: ReportKind,
    data: &ReportData,
    reason: &str,
    due_on: Option<String>,
    taken_by: Option<i64>,
) -> Result<Option<i64>> {
    let (org_id, subject) = owner(data);
    let row = report_snapshots::ActiveModel {
        org_id: Set(org_id),
        kind: Set(kind.as_str().to_owned()),
        subject_id: Set(subject),
        title: Set(data.to_table(Lang::Zh).title.chars().take(300).collect()),
        reason: Set(reason.to_owned()),
        due_on: Set(due_on),
        taken_at_ms: Set(db::now_ms()),
        taken_by: Set(taken_by),
        data: Set(serde_json::to_string(data).map_err(|e| Error::Internal(e.into()))?),
        ..Default::default()
    };
    let inserted = report_snapshots::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                report_snapshots::Column::Kind,
                report_snapshots::Column::SubjectId,
                report_snapshots::Column::DueOn,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec(db)
        .await;
    match inserted {
        Ok(r) => Ok(Some(r.last_insert_id)),
        // Another server took this deadline's snapshot first.
        Err(sea_orm::DbErr::RecordNotInserted) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Freezes the report `query` asks for (as JSON, whatever its format).
pub async fn take(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: &ReportQuery,
) -> Result<SnapshotSummary> {
    require_manager(actor)?;
    let data = report(db, settings, actor, query).await?;
    let id = store(db, query.kind, &data, "manual", None, Some(actor.id.0))
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("a snapshot by hand was not stored")))?;
    let row = report_snapshots::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    summary(db, row).await
}

async fn summary(db: &impl ConnectionTrait, row: report_snapshots::Model) -> Result<SnapshotSummary> {
    let org = org_ref(db, OrgId(row.org_id)).await?;
    let taken_by = match row.taken_by {
        Some(id) => people::Entity::find_by_id(id).one(db).await?.map(|p| p.name),
        None => None,
    };
    Ok(SnapshotSummary {
        id: row.id,
        org,
        kind: row.kind,
        title: row.title,
        reason: row.reason,
        due_on: row.due_on,
        taken_at_ms: row.taken_at_ms,
        taken_by,
    })
}

/// Snapshots of `org_id`'s subtree (default: everything the caller may
/// read), newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor, org_id: Option<i64>) -> Result<Vec<SnapshotSummary>> {
    require_manager(actor)?;
    let scope = match org_id {
        Some(id) => subtree(&node(db, actor, Some(id)).await?.path),
        None => in_scope(&actor.scope()).ok_or(Error::Forbidden)?,
    };
    let nodes: Vec<orgs::Model> = orgs::Entity::find().filter(scope).all(db).await?;
    let names: std::collections::HashMap<i64, String> = nodes.iter().map(|o| (o.id, o.name.clone())).collect();
    let ids: Vec<i64> = nodes.iter().map(|o| o.id).collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(900) {
        let rows = report_snapshots::Entity::find()
            .filter(report_snapshots::Column::OrgId.is_in(chunk.to_vec()))
            .order_by_desc(report_snapshots::Column::TakenAtMs)
            .limit(LIST_LIMIT)
            .all(db)
            .await?;
        out.extend(rows);
    }
    out.sort_by(|a, b| b.taken_at_ms.cmp(&a.taken_at_ms).then(b.id.cmp(&a.id)));
    out.truncate(LIST_LIMIT as usize);
    let mut list = Vec::with_capacity(out.len());
    for row in out {
        let mut s = summary(db, row).await?;
        if let Some(name) = names.get(&s.org.id) {
            s.org = NodeRef { id: s.org.id, name: name.clone() };
        }
        list.push(s);
    }
    Ok(list)
}

/// One snapshot with its frozen report.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(SnapshotSummary, ReportData)> {
    require_manager(actor)?;
    let row = report_snapshots::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let org = orgs::Entity::find_by_id(row.org_id).one(db).await?.ok_or(Error::NotFound)?;
    hide_out_of_scope(actor.can_view_reports(&path_of(&org)?))?;
    let data: ReportData = serde_json::from_str(&row.data)
        .map_err(|e| Error::Internal(anyhow::anyhow!("snapshot {id} is unreadable: {e}")))?;
    Ok((summary(db, row).await?, data))
}

/// Takes the snapshots of deadlines that passed: every assignment past its
/// due day and every meeting past its make-up deadline, once each.
/// Answers how many it took.
pub async fn at_deadlines(db: &DatabaseConnection, settings: &Settings) -> Result<usize> {
    let today = meetings::today(settings)?.to_string();
    let admin = system_actor();
    let mut taken = 0;
    let due: Vec<assignments::Model> = assignments::Entity::find()
        .filter(assignments::Column::DueOn.lt(today.clone()))
        .filter(sea_orm::sea_query::Expr::cust(
            "NOT EXISTS (SELECT 1 FROM report_snapshots s WHERE s.kind = 'assignment' \
             AND s.subject_id = assignments.id AND s.due_on = assignments.due_on)",
        ))
        .limit(100)
        .all(db)
        .await?;
    for a in due {
        let mut query = ReportQuery::of(ReportKind::Assignment);
        query.org_id = Some(a.org_id);
        query.assignment_id = Some(a.id);
        let data = report(db, settings, &admin, &query).await?;
        taken +=
            usize::from(store(db, ReportKind::Assignment, &data, "deadline", Some(a.due_on), None).await?.is_some());
    }
    let due: Vec<meeting_rows::Model> = meeting_rows::Entity::find()
        .filter(meeting_rows::Column::MakeupDeadline.lt(today))
        .filter(sea_orm::sea_query::Expr::cust(
            "NOT EXISTS (SELECT 1 FROM report_snapshots s WHERE s.kind = 'meeting' \
             AND s.subject_id = meetings.id AND s.due_on = meetings.makeup_deadline)",
        ))
        .limit(100)
        .all(db)
        .await?;
    for m in due {
        let data = ReportData::Meeting(meetings::get(db, &admin, m.id).await?);
        taken += usize::from(
            store(db, ReportKind::Meeting, &data, "deadline", Some(m.makeup_deadline), None).await?.is_some(),
        );
    }
    Ok(taken)
}
