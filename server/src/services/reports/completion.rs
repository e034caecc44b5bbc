//! Completion of a subtree: per node from `report_counts` (or, for one
//! assignment, from its members' records), rolled up into the children;
//! and the members of a subtree, one row each.
//!
//! The roll-up reads one row per (course, node, due day) in the subtree —
//! about 100,000 for 2,000 branches and 50 courses — however many members
//! there are, so its cost follows the tree, not the membership.

use std::collections::HashMap;

use courses::collation::sort_by_name;
use courses::meeting::Date;
use courses::report::{roll_up, Counts, MemberReport, MemberRow, NodeCounts, NodeRef, OrgReport};
use courses::Actor;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter};

use super::{breadcrumb, Filter, Node};
use crate::db::orgs;
use crate::error::{Error, Result};
use crate::services::orgs::{parse_path, subtree};
use crate::services::study::hours as study_hours;

/// Counts of one node, as the SQL below returns them.
#[derive(Debug, FromQueryResult)]
struct CountRow {
    id: i64,
    assigned: Option<i64>,
    assigned_done: Option<i64>,
    overdue: Option<i64>,
    started: Option<i64>,
    completed: Option<i64>,
}

impl CountRow {
    fn counts(&self) -> Counts {
        let n = |v: Option<i64>| u32::try_from(v.unwrap_or(0).max(0)).unwrap_or(u32::MAX);
        Counts {
            assigned: n(self.assigned),
            assigned_done: n(self.assigned_done),
            overdue: n(self.overdue),
            started: n(self.started),
            completed: n(self.completed),
        }
    }
}

#[derive(Debug, FromQueryResult)]
struct PeopleRow {
    org_id: i64,
    people: i64,
}

/// What counts are grouped by: a column of `course_records`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Org,
    Person,
}

impl Group {
    fn column(self) -> &'static str {
        match self {
            Group::Org => "org_id",
            Group::Person => "person_id",
        }
    }
}

/// Per-`group` counts (of a node or a person) in `node`'s subtree, of
/// `people` only when given.
async fn count_rows(
    db: &impl ConnectionTrait,
    node: &Node,
    filter: &Filter,
    today: Date,
    group: Group,
    people: Option<&[i64]>,
) -> Result<HashMap<i64, Counts>> {
    let backend = db.get_database_backend();
    let mut p = node.subtree_params();
    let today = p.bind(today.to_string());
    let mut in_tree = "o.path >= $1 AND o.path < $2".to_owned();
    if let Some(ids) = people {
        in_tree = format!("{in_tree} AND cr.person_id {}", p.id_set(backend, ids));
    }
    let column = group.column();
    let sql = match filter {
        Filter::Assignment { id, due_on, .. } => format!(
            "SELECT cr.{column} AS id, COUNT(*) AS assigned, \
             SUM(CASE WHEN cr.completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS assigned_done, \
             SUM(CASE WHEN cr.completed_at_ms IS NULL AND {due} < {today} THEN 1 ELSE 0 END) AS overdue, \
             SUM(CASE WHEN cr.started_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS started, \
             SUM(CASE WHEN cr.completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS completed \
             FROM assignment_members am JOIN assignments a ON a.id = am.assignment_id \
             JOIN course_records cr ON cr.person_id = am.person_id AND cr.course_id = a.course_id \
             JOIN orgs o ON o.id = cr.org_id \
             WHERE am.assignment_id = {id} AND {in_tree} GROUP BY cr.{column}",
            due = p.bind(due_on.clone()),
            id = p.bind(*id),
        ),
        _ if group == Group::Org => {
            let course = match filter {
                Filter::Course { id, .. } => format!(" AND rc.course_id = {}", p.bind(*id)),
                _ => String::new(),
            };
            format!(
                "SELECT rc.org_id AS id, SUM(rc.assigned) AS assigned, SUM(rc.assigned_done) AS assigned_done, \
                 SUM(CASE WHEN rc.due_on <> '' AND rc.due_on < {today} THEN rc.assigned - rc.assigned_done ELSE 0 END) \
                 AS overdue, SUM(rc.started) AS started, SUM(rc.completed) AS completed \
                 FROM report_counts rc JOIN orgs o ON o.id = rc.org_id \
                 WHERE {in_tree}{course} GROUP BY rc.org_id"
            )
        }
        _ => {
            let course = match filter {
                Filter::Course { id, .. } => format!(" AND cr.course_id = {}", p.bind(*id)),
                _ => String::new(),
            };
            format!(
                "SELECT cr.{column} AS id, SUM(CASE WHEN cr.assigned THEN 1 ELSE 0 END) AS assigned, \
                 SUM(CASE WHEN cr.assigned AND cr.completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS assigned_done, \
                 SUM(CASE WHEN cr.assigned AND cr.completed_at_ms IS NULL AND cr.due_on < {today} THEN 1 ELSE 0 END) \
                 AS overdue, SUM(CASE WHEN cr.started_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS started, \
                 SUM(CASE WHEN cr.completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS completed \
                 FROM course_records cr JOIN orgs o ON o.id = cr.org_id \
                 WHERE {in_tree}{course} GROUP BY cr.{column}"
            )
        }
    };
    let rows = CountRow::find_by_statement(p.statement(backend, sql)).all(db).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.counts())).collect())
}

/// People per node of the subtree `$1`..`$2`.
const PEOPLE_PER_NODE: &str = "SELECT p.org_id, COUNT(*) AS people FROM people p JOIN orgs o ON o.id = p.org_id \
     WHERE o.path >= $1 AND o.path < $2 GROUP BY p.org_id";

/// The people of the subtree `$1`..`$2`, by name, at most `$3`.
const PEOPLE_IN_SUBTREE: &str =
    "SELECT p.id, p.name, p.login, p.role, p.standing, p.org_id, o.name AS org_name FROM people p \
     JOIN orgs o ON o.id = p.org_id WHERE o.path >= $1 AND o.path < $2 ORDER BY p.name, p.id LIMIT $3";

fn subject(filter: &Filter) -> (Option<NodeRef>, Option<NodeRef>, Option<String>) {
    match filter {
        Filter::All => (None, None, None),
        Filter::Course { id, title } => (Some(NodeRef { id: *id, name: title.clone() }), None, None),
        Filter::Assignment { id, course_id, title, due_on } => (
            Some(NodeRef { id: *course_id, name: title.clone() }),
            Some(NodeRef { id: *id, name: title.clone() }),
            Some(due_on.clone()),
        ),
    }
}

/// Completion of `node`'s subtree, rolled up into its children.
pub(super) async fn org_report(
    db: &DatabaseConnection,
    actor: &Actor,
    node: &Node,
    filter: &Filter,
    today: Date,
) -> Result<OrgReport> {
    let backend = db.get_database_backend();
    let counts = count_rows(db, node, filter, today, Group::Org, None).await?;
    let people: HashMap<i64, i64> =
        PeopleRow::find_by_statement(node.subtree_params().statement(backend, PEOPLE_PER_NODE))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.org_id, r.people))
            .collect();
    let nodes = orgs::Entity::find().filter(subtree(&node.path)).all(db).await?;
    let mut tree = Vec::with_capacity(nodes.len());
    for o in nodes {
        tree.push(NodeCounts {
            counts: counts.get(&o.id).copied().unwrap_or_default(),
            people: u32::try_from(people.get(&o.id).copied().unwrap_or(0)).unwrap_or(u32::MAX),
            path: parse_path(o.id, o.path)?,
            name: o.name,
            kind: o.kind,
        });
    }
    let (total, children, own) =
        roll_up(&node.path, &tree).ok_or_else(|| Error::Internal(anyhow::anyhow!("report node left the tree")))?;
    let (course, assignment, due_on) = subject(filter);
    Ok(OrgReport {
        org: node.as_ref(),
        breadcrumb: breadcrumb(db, actor, node).await?,
        course,
        assignment,
        due_on,
        as_of: today.to_string(),
        total,
        children,
        own,
    })
}

#[derive(Debug, FromQueryResult)]
struct PersonRow {
    id: i64,
    name: String,
    login: String,
    role: String,
    standing: String,
    org_id: i64,
    org_name: String,
}

/// Everyone in `node`'s subtree (up to `limit`), by name (pinyin), with their
/// completion and this year's 学时.
pub(super) async fn members(
    db: &DatabaseConnection,
    node: &Node,
    filter: &Filter,
    today: Date,
    year: i32,
    limit: usize,
) -> Result<MemberReport> {
    let backend = db.get_database_backend();
    let mut p = node.subtree_params();
    // One more tells there are more.
    p.bind(i64::try_from(limit + 1).unwrap_or(i64::MAX));
    let mut people = PersonRow::find_by_statement(p.statement(backend, PEOPLE_IN_SUBTREE)).all(db).await?;
    let truncated = people.len() > limit;
    people.truncate(limit);
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    // All of the subtree listed: its filter is enough; else only those listed.
    let only = truncated.then_some(ids.as_slice());
    let counts = count_rows(db, node, filter, today, Group::Person, only).await?;
    let hours = super::hours::hours_of_people(db, &ids, year).await?;
    let rules = study_hours::rules(db).await?;
    let mut rows: Vec<MemberRow> = people
        .into_iter()
        .map(|p| {
            let standing = courses::Standing::parse(&p.standing).unwrap_or(courses::Standing::Full);
            MemberRow {
                counts: counts.get(&p.id).copied().unwrap_or_default(),
                hours: hours.get(&p.id).copied().unwrap_or(0.0),
                target_hours: rules.target_for(standing),
                person_id: p.id,
                name: p.name,
                login: p.login,
                role: p.role,
                org: NodeRef { id: p.org_id, name: p.org_name },
            }
        })
        .collect();
    sort_by_name(&mut rows, |r| &r.name, |r| r.person_id);
    let (course, assignment, _) = subject(filter);
    Ok(MemberReport { org: node.as_ref(), course, assignment, as_of: today.to_string(), year, rows, truncated })
}
