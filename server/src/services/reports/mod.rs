//! Organizer reports: completion rolled up the org tree, members, overdue
//! lists, study hours, a member's 学习档案, a meeting's make-up status;
//! their snapshots and their CSV/XLSX exports.
//!
//! Who sees what: a report is of an org node's subtree, and the node must
//! be in the caller's scope (`Actor::can_view_reports`): organizers their
//! own node and below, admins everything. Everything counted is filtered
//! to that subtree in SQL, never after. A course or an assignment used as a
//! filter must be one the caller can know about: owned by a node in their
//! scope or by one above their own node (a course the party committee
//! requires of every branch). Anything else answers 404, as if it did not
//! exist; members and activists get 403 (except their own 学习档案).
//!
//! Completion reads `course_records` and `report_counts` (see
//! `services::course_records`), refreshed first, so a report is current to the
//! last acknowledged heartbeat.
//!
//! - `completion.rs`: the roll-up and the members of a node.
//! - `overdue.rs`, `hours.rs`, `person.rs`: the other reports.
//! - `snapshots.rs`: freezing a report, by hand and at deadlines.
//! - `export.rs`: CSV and XLSX.

mod completion;
pub mod export;
mod hours;
mod overdue;
mod person;
pub mod snapshots;

use courses::meeting::Date;
use courses::report::{Format, NodeRef, ReportData, ReportKind, ReportQuery};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::config::Settings;
use crate::db::sql::Params;
use crate::db::{assignments, courses as course_rows, orgs};
use crate::error::{Detail, Error, Result};
use crate::services::orgs::{in_scope, path_of};
use crate::services::{course_records, hide_out_of_scope, meetings, study};

/// Most rows a list report shows on a page (JSON).
pub const ROW_LIMIT: usize = 2000;
/// Most rows a list report exports (CSV, XLSX): a whole organization.
pub const EXPORT_ROW_LIMIT: usize = 200_000;

/// Answers `query` for `actor`.
pub async fn report(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: &ReportQuery,
) -> Result<ReportData> {
    let today = meetings::today(settings)?;
    match query.kind {
        ReportKind::Person => {
            let id = query.person_id.ok_or_else(|| missing("person_id"))?;
            return Ok(ReportData::Person(person::archive(db, settings, actor, id, today).await?));
        }
        ReportKind::Meeting => {
            let id = query.meeting_id.ok_or_else(|| missing("meeting_id"))?;
            return Ok(ReportData::Meeting(meetings::get(db, actor, id).await?));
        }
        _ => {}
    }
    require_manager(actor)?;
    course_records::refresh(db).await?;
    if matches!(query.kind, ReportKind::Members | ReportKind::Hours) {
        study::rollup::refresh(db).await?;
    }
    let node = node(db, actor, query.org_id).await?;
    let filter = filter(db, actor, query).await?;
    let limit = if query.format == Format::Json { ROW_LIMIT } else { EXPORT_ROW_LIMIT };
    Ok(match query.kind {
        ReportKind::Org | ReportKind::Course | ReportKind::Assignment => {
            ReportData::Org(completion::org_report(db, actor, &node, &filter, today).await?)
        }
        ReportKind::Members => {
            let year = query.year.unwrap_or(today.year());
            ReportData::Members(completion::members(db, &node, &filter, today, year, limit).await?)
        }
        ReportKind::Overdue => ReportData::Overdue(overdue::overdue(db, &node, today, limit).await?),
        ReportKind::Hours => {
            let year = query.year.unwrap_or(today.year());
            ReportData::Hours(hours::hours(db, &node, year).await?)
        }
        ReportKind::Person | ReportKind::Meeting => unreachable_kind()?,
    })
}

fn unreachable_kind<T>() -> Result<T> {
    Err(Error::Internal(anyhow::anyhow!("report kind handled above")))
}

fn missing(field: &str) -> Error {
    Error::Invalid(Detail::text(format!("此报表需要参数 {field}。"), format!("This report needs `{field}`.")))
}

/// Members and activists read no organization reports: 403 before
/// anything is looked up.
fn require_manager(actor: &Actor) -> Result<()> {
    in_scope(&actor.scope()).map(|_| ()).ok_or(Error::Forbidden)
}

/// The node a report is of.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub row: orgs::Model,
    pub path: OrgPath,
}

impl Node {
    pub fn as_ref(&self) -> NodeRef {
        NodeRef { id: self.row.id, name: self.row.name.clone() }
    }

    /// Parameters that begin with this subtree's bounds, as `$1` and `$2`:
    /// SQL over `orgs o` keeps to the subtree with `o.path >= $1 AND
    /// o.path < $2`.
    pub fn subtree_params(&self) -> Params {
        let (low, high) = self.path.subtree_range();
        let mut p = Params::new();
        p.bind(low);
        p.bind(high);
        p
    }
}

/// `org_id` (or the caller's own node), in the caller's scope.
async fn node(db: &impl ConnectionTrait, actor: &Actor, org_id: Option<i64>) -> Result<Node> {
    let id = org_id.unwrap_or(actor.org.id().0);
    let row = orgs::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let path = path_of(&row)?;
    hide_out_of_scope(actor.can_view_reports(&path))?;
    Ok(Node { row, path })
}

/// What completion is counted of.
#[derive(Debug, Clone)]
pub(crate) enum Filter {
    /// Every course.
    All,
    Course {
        id: i64,
        title: String,
    },
    Assignment {
        id: i64,
        course_id: i64,
        title: String,
        due_on: String,
    },
}

/// Whether the caller may know of a course or assignment owned by the
/// node at `owner`: one in their scope, or one above their own node.
fn may_know(actor: &Actor, owner: &OrgPath) -> Result<()> {
    if owner.contains(&actor.org) {
        return Ok(());
    }
    hide_out_of_scope(actor.can_view_reports(owner))
}

async fn owner_path(db: &impl ConnectionTrait, org_id: i64) -> Result<OrgPath> {
    let row = orgs::Entity::find_by_id(org_id).one(db).await?.ok_or(Error::NotFound)?;
    path_of(&row)
}

async fn filter(db: &impl ConnectionTrait, actor: &Actor, query: &ReportQuery) -> Result<Filter> {
    if query.kind == ReportKind::Course && query.course_id.is_none() {
        return Err(missing("course_id"));
    }
    if query.kind == ReportKind::Assignment && query.assignment_id.is_none() {
        return Err(missing("assignment_id"));
    }
    if let Some(id) = query.assignment_id {
        let a = assignments::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
        may_know(actor, &owner_path(db, a.org_id).await?)?;
        let course = course_rows::Entity::find_by_id(a.course_id).one(db).await?.ok_or(Error::NotFound)?;
        return Ok(Filter::Assignment { id, course_id: a.course_id, title: course.title, due_on: a.due_on });
    }
    if let Some(id) = query.course_id {
        let course = course_rows::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
        may_know(actor, &owner_path(db, course.org_id).await?)?;
        return Ok(Filter::Course { id, title: course.title });
    }
    Ok(Filter::All)
}

/// The way from the caller's own node (or the root, for admins) down to
/// `node`, excluding it.
async fn breadcrumb(db: &impl ConnectionTrait, actor: &Actor, node: &Node) -> Result<Vec<NodeRef>> {
    let ids: Vec<i64> = node.path.ids().map(|id| id.0).filter(|id| *id != node.row.id).collect();
    let rows = orgs::Entity::find().filter(orgs::Column::Id.is_in(ids.clone())).all(db).await?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(row) = rows.iter().find(|r| r.id == id) {
            if actor.can_view_reports(&path_of(row)?).is_ok() {
                out.push(NodeRef { id, name: row.name.clone() });
            }
        }
    }
    Ok(out)
}

/// `YYYY-MM-DD` of a Unix-ms instant in the platform's zone.
pub(crate) fn day_of_ms(settings: &Settings, ms: i64) -> Option<String> {
    let at = chrono::DateTime::from_timestamp_millis(ms)?;
    Some(at.with_timezone(&settings.time_zone()).format("%Y-%m-%d").to_string())
}

/// Whole days from `due` (exclusive) to `today`.
pub(crate) fn days_after(due: &str, today: Date) -> u32 {
    Date::parse(due).map(|due| u32::try_from(due.days_until(today)).unwrap_or(0)).unwrap_or(0)
}

/// The node of `id` if it exists, for a snapshot.
pub(crate) async fn org_ref(db: &impl ConnectionTrait, id: OrgId) -> Result<NodeRef> {
    let row = orgs::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound)?;
    Ok(NodeRef { id: row.id, name: row.name })
}
