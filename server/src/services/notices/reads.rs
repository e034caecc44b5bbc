//! Reading notices: the caller's list, opening one (its first opening by
//! someone it is for is their read receipt), the read rate per node rolled
//! up the tree, and telling every reader when a notice is published.

use std::collections::HashMap;

use chrono::FixedOffset;
use courses::notice::{NoticeState, NoticeSummary, NoticeView, ReadReport, ReadRow};
use courses::notify::{NotificationKind, Payload, Subject};
use courses::report::views::Counts;
use courses::report::{roll_up, NodeCounts};
use courses::{Actor, OrgId};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{find, view, visible_to, Audience, Notice};
use crate::db::{self, notice_reads, notice_targets, notices, notifications, orgs, people};
use crate::error::{Error, Result};
use crate::services::orgs::{find_visible, path_of, subtree};

/// Most notices a person's list shows.
const LIST_LIMIT: u64 = 50;

/// People the notice is for: in any of its targets' subtrees.
fn recipients(notice: &Notice) -> Condition {
    notice.targets.iter().fold(Condition::any(), |c, (_, path)| c.add(subtree(path)))
}

/// Tells everyone the notice is for that it was published: one
/// notification each, written by the database in one statement.
pub(crate) async fn announce(db: &impl ConnectionTrait, notice: &Notice, now_ms: i64) -> Result<()> {
    let payload = Payload {
        subject: Subject::Notice {
            notice_id: notice.row.id,
            title: notice.row.title.clone(),
            must_read: notice.row.must_read,
            read_by: notice.row.read_by.clone(),
        },
        from: None,
    };
    let payload = serde_json::to_string(&payload).map_err(|e| Error::Internal(e.into()))?;
    let select = Query::select()
        .column((people::Entity, people::Column::Id))
        .expr(Expr::value(NotificationKind::NoticeNew.as_str()))
        .expr(Expr::value(payload))
        .expr(Expr::value(now_ms))
        .from(people::Entity)
        .join(
            JoinType::InnerJoin,
            orgs::Entity,
            Expr::col((orgs::Entity, orgs::Column::Id)).equals((people::Entity, people::Column::OrgId)),
        )
        .cond_where(recipients(notice))
        .to_owned();
    let insert = Query::insert()
        .into_table(notifications::Entity)
        .columns([
            notifications::Column::PersonId,
            notifications::Column::Kind,
            notifications::Column::Payload,
            notifications::Column::CreatedAtMs,
        ])
        .select_from(select)
        .map_err(|e| Error::Internal(e.into()))?
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

/// A notice as a list shows it; `None` for a state this build does not know.
fn summary(
    n: notices::Model,
    org: Option<orgs::Model>,
    read_at_ms: Option<i64>,
    zone: FixedOffset,
) -> Option<NoticeSummary> {
    Some(NoticeSummary {
        id: n.id,
        state: NoticeState::parse(&n.state)?,
        read_at_ms,
        title: n.title,
        org_name: org.map(|o| o.name).unwrap_or_default(),
        must_read: n.must_read,
        read_by: n.read_by,
        published_at: n.published_at_ms.map(|ms| super::local_time(ms, zone)),
        published_at_ms: n.published_at_ms,
    })
}

/// The published (and withdrawn) notices for the caller, newest first.
pub async fn mine(db: &DatabaseConnection, actor: &Actor, zone: FixedOffset) -> Result<Vec<NoticeSummary>> {
    // A notice is for the caller when it targets their node or one above.
    let ancestors: Vec<i64> = actor.org.ids().map(|id| id.0).collect();
    let ids: Vec<i64> = notice_targets::Entity::find()
        .filter(notice_targets::Column::OrgId.is_in(ancestors))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.notice_id)
        .collect();
    let rows = notices::Entity::find()
        .filter(notices::Column::Id.is_in(ids))
        .filter(notices::Column::State.is_in([NoticeState::Published.as_str(), NoticeState::Withdrawn.as_str()]))
        .order_by_desc(notices::Column::PublishedAtMs)
        .limit(LIST_LIMIT)
        .find_also_related(orgs::Entity)
        .all(db)
        .await?;
    let read: HashMap<i64, i64> = notice_reads::Entity::find()
        .filter(notice_reads::Column::PersonId.eq(actor.id.0))
        .filter(notice_reads::Column::NoticeId.is_in(rows.iter().map(|(n, _)| n.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.notice_id, r.read_at_ms))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(n, o)| {
            let read_at_ms = read.get(&n.id).copied();
            summary(n, o, read_at_ms, zone)
        })
        .collect())
}

/// Opens a notice. The first opening of a published notice by someone it
/// is for records their reading.
pub async fn open(db: &DatabaseConnection, actor: &Actor, id: i64, zone: FixedOffset) -> Result<NoticeView> {
    let notice = find(db, id).await?;
    let audience = visible_to(&notice, actor)?;
    let mut read_at = None;
    if notice.state()? == NoticeState::Published && notice.is_for(&actor.org) {
        notice_reads::Entity::insert(notice_reads::ActiveModel {
            notice_id: Set(id),
            person_id: Set(actor.id.0),
            read_at_ms: Set(db::now_ms()),
        })
        .on_conflict(
            OnConflict::columns([notice_reads::Column::NoticeId, notice_reads::Column::PersonId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        read_at = notice_reads::Entity::find_by_id((id, actor.id.0)).one(db).await?.map(|r| r.read_at_ms);
    }
    view(db, &notice, audience, read_at, zone).await
}

#[derive(Debug, FromQueryResult)]
struct NodeReads {
    org_id: i64,
    recipients: i64,
    read: i64,
}

/// Who read a notice, in `org`'s subtree (default: the notice's node),
/// rolled up into its children; for the notice's organizers and reviewers.
pub async fn report(db: &DatabaseConnection, actor: &Actor, id: i64, org: Option<OrgId>) -> Result<ReadReport> {
    let notice = find(db, id).await?;
    if visible_to(&notice, actor)? != Audience::Organizer {
        return Err(Error::Forbidden);
    }
    let top = match org {
        Some(o) => find_visible(db, actor, o).await?,
        None => notice.org.clone(),
    };
    let top_path = path_of(&top)?;
    let read_col = Expr::col((notice_reads::Entity, notice_reads::Column::PersonId));
    let select = Query::select()
        .column((people::Entity, people::Column::OrgId))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("recipients"))
        .expr_as(read_col.count(), Alias::new("read"))
        .from(people::Entity)
        .join(
            JoinType::InnerJoin,
            orgs::Entity,
            Expr::col((orgs::Entity, orgs::Column::Id)).equals((people::Entity, people::Column::OrgId)),
        )
        .join(
            JoinType::LeftJoin,
            notice_reads::Entity,
            Condition::all().add(Expr::col((notice_reads::Entity, notice_reads::Column::NoticeId)).eq(id)).add(
                Expr::col((notice_reads::Entity, notice_reads::Column::PersonId))
                    .equals((people::Entity, people::Column::Id)),
            ),
        )
        .cond_where(Condition::all().add(subtree(&top_path)).add(recipients(&notice)))
        .group_by_col((people::Entity, people::Column::OrgId))
        .to_owned();
    let counted: HashMap<i64, (u32, u32)> = NodeReads::find_by_statement(db.get_database_backend().build(&select))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.org_id, (u32::try_from(r.recipients).unwrap_or(0), u32::try_from(r.read).unwrap_or(0))))
        .collect();
    let mut nodes = Vec::new();
    for o in orgs::Entity::find().filter(subtree(&top_path)).all(db).await? {
        let (recipients, read) = counted.get(&o.id).copied().unwrap_or((0, 0));
        // The roll-up sums completion counts; here "assigned" is who the
        // notice is for and "done" who read it.
        nodes.push(NodeCounts {
            path: path_of(&o)?,
            name: o.name,
            kind: o.kind,
            people: recipients,
            counts: Counts { assigned: recipients, assigned_done: read, ..Counts::default() },
        });
    }
    let (total, children, own) = roll_up(&top_path, &nodes).ok_or(Error::NotFound)?;
    let row = |r: courses::report::views::NodeRow| ReadRow {
        recipients: r.counts.assigned,
        read: r.counts.assigned_done,
        has_children: r.has_children,
        org: r.org,
    };
    Ok(ReadReport {
        notice_id: id,
        title: notice.row.title.clone(),
        total: row(total),
        children: children.into_iter().map(row).collect(),
        own: own.map(row),
    })
}

/// The notices of the nodes the caller manages, whatever their state
/// (those waiting for the caller's review among them), newest first.
pub async fn managed(db: &DatabaseConnection, actor: &Actor, zone: FixedOffset) -> Result<Vec<NoticeSummary>> {
    let scope = crate::services::orgs::in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let rows = notices::Entity::find()
        .find_also_related(orgs::Entity)
        .filter(scope)
        .order_by_desc(notices::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(n, o)| summary(n, o, None, zone)).collect())
}
