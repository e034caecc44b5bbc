//! What organizers read: the assignments of the nodes they manage, newest
//! first, each with how many members are done and overdue; and one
//! assignment with every member's progress. Counts come from
//! `course_records`, refreshed first so they are current.

use std::collections::HashMap;

use courses::assignment::check::is_past;
use courses::assignment::views::{arrange, MEMBERS_SHOWN};
use courses::assignment::{AssignmentMember, AssignmentQuery, AssignmentSummary, AssignmentView, NamedRef, TargetView};
use courses::meeting::Date;
use courses::{Actor, OrgId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Statement,
};

use super::{find_managed, target_of};
use crate::config::Settings;
use crate::db::sql::Params;
use crate::db::{assignments, courses as course_rows, orgs, people};
use crate::error::{Error, Result};
use crate::services::course_records;
use crate::services::meetings::today;
use crate::services::orgs::{self as org_service, in_scope, path_of};
use crate::services::reports::day_of_ms;

/// Assignments the actor manages, newest first; with `org_id`, only those
/// made for that node and the nodes below it.
pub async fn list(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    query: &AssignmentQuery,
) -> Result<Vec<AssignmentSummary>> {
    let scope = in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let mut nodes = orgs::Entity::find().filter(scope);
    if let Some(org_id) = query.org_id {
        let org = org_service::find_visible(db, actor, OrgId(org_id)).await?;
        nodes = nodes.filter(org_service::subtree(&path_of(&org)?));
    }
    let nodes = nodes.select_only().column(orgs::Column::Id).into_query();
    let rows = assignments::Entity::find()
        .filter(assignments::Column::OrgId.in_subquery(nodes))
        .order_by_desc(assignments::Column::Id)
        .all(db)
        .await?;
    course_records::refresh(db).await?;
    summaries(db, today(settings)?, rows).await
}

/// One assignment the actor manages, with every member's progress.
pub async fn get(db: &DatabaseConnection, settings: &Settings, actor: &Actor, id: i64) -> Result<AssignmentView> {
    let (row, _) = find_managed(db, actor, id).await?;
    view(db, settings, row).await
}

/// The assignment page: the summary and every member, overdue first.
pub(super) async fn view(
    db: &DatabaseConnection,
    settings: &Settings,
    row: assignments::Model,
) -> Result<AssignmentView> {
    course_records::refresh(db).await?;
    let today = today(settings)?;
    let mut members = members(db, settings, &row, today).await?;
    let truncated = members.len() > MEMBERS_SHOWN;
    members.truncate(MEMBERS_SHOWN);
    arrange(&mut members);
    let summary = summaries(db, today, vec![row]).await?.pop().ok_or(Error::NotFound)?;
    Ok(AssignmentView { summary, members, truncated })
}

/// A member row as the page query reads it.
#[derive(Debug, FromQueryResult)]
struct MemberRow {
    person_id: i64,
    name: String,
    login: String,
    org_name: String,
    lessons_done: Option<i32>,
    lessons_total: Option<i32>,
    completed_at_ms: Option<i64>,
}

/// The members of the assignment `$2` of the course `$1`, with their
/// records; not done first, at most `$3`.
const MEMBERS: &str = "SELECT p.id AS person_id, p.name, p.login, o.name AS org_name, cr.lessons_done, \
     cr.lessons_total, cr.completed_at_ms FROM assignment_members am JOIN people p ON p.id = am.person_id \
     JOIN orgs o ON o.id = p.org_id \
     LEFT JOIN course_records cr ON cr.person_id = am.person_id AND cr.course_id = $1 \
     WHERE am.assignment_id = $2 \
     ORDER BY CASE WHEN cr.completed_at_ms IS NULL THEN 0 ELSE 1 END, p.name, p.id LIMIT $3";

async fn members(
    db: &impl ConnectionTrait,
    settings: &Settings,
    row: &assignments::Model,
    today: Date,
) -> Result<Vec<AssignmentMember>> {
    // Not done first, as `arrange` orders them (the due day, and with it
    // overdue, is the assignment's); one more tells there are more.
    let values = [row.course_id.into(), row.id.into(), i64::try_from(MEMBERS_SHOWN + 1).unwrap_or(i64::MAX).into()];
    let members = Statement::from_sql_and_values(db.get_database_backend(), MEMBERS, values);
    let rows = MemberRow::find_by_statement(members).all(db).await?;
    let past = is_past(&row.due_on, today);
    let count = |n: Option<i32>| u32::try_from(n.unwrap_or(0)).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|m| {
            let done = m.completed_at_ms.is_some();
            AssignmentMember {
                person_id: m.person_id,
                name: m.name,
                login: m.login,
                org_name: m.org_name,
                lessons_done: count(m.lessons_done),
                lessons_total: count(m.lessons_total),
                completed_at_ms: m.completed_at_ms,
                completed_on: m.completed_at_ms.and_then(|ms| day_of_ms(settings, ms)),
                done,
                overdue: past && !done,
            }
        })
        .collect())
}

/// Members and those done, per assignment.
#[derive(Debug, FromQueryResult)]
struct Counts {
    assignment_id: i64,
    members: i64,
    done: i64,
}

async fn counts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, (u32, u32)>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut p = Params::new();
        let sql = format!(
            "SELECT am.assignment_id, COUNT(*) AS members, \
             SUM(CASE WHEN cr.completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) AS done \
             FROM assignment_members am JOIN assignments a ON a.id = am.assignment_id \
             LEFT JOIN course_records cr ON cr.person_id = am.person_id AND cr.course_id = a.course_id \
             WHERE am.assignment_id IN ({}) GROUP BY am.assignment_id",
            p.list(chunk.iter().copied())
        );
        for c in Counts::find_by_statement(p.statement(db.get_database_backend(), sql)).all(db).await? {
            let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
            out.insert(c.assignment_id, (n(c.members), n(c.done)));
        }
    }
    Ok(out)
}

/// Summaries of these assignments in their order: names of their nodes,
/// courses and targets, and their counts, with a fixed number of queries.
async fn summaries(
    db: &impl ConnectionTrait,
    today: Date,
    rows: Vec<assignments::Model>,
) -> Result<Vec<AssignmentSummary>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let targets = rows.iter().map(|r| Ok((r.id, target_of(r)?))).collect::<Result<HashMap<_, _>>>()?;
    let mut node_ids: Vec<i64> = rows.iter().map(|r| r.org_id).collect();
    node_ids.extend(targets.values().flat_map(|t| t.orgs.iter().copied()));
    let nodes: Vec<orgs::Model> = orgs::Entity::find().filter(orgs::Column::Id.is_in(dedup(node_ids))).all(db).await?;
    let paths = org_service::name_paths(db, &nodes).await?;
    let node_names: HashMap<i64, String> = nodes.into_iter().map(|o| (o.id, o.name)).collect();
    let person_ids = dedup(targets.values().flat_map(|t| t.people.iter().copied()).collect());
    let person_names: HashMap<i64, String> = if person_ids.is_empty() {
        HashMap::new()
    } else {
        people::Entity::find()
            .filter(people::Column::Id.is_in(person_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    let titles: HashMap<i64, String> = course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(dedup(rows.iter().map(|r| r.course_id).collect())))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = counts(db, &ids).await?;
    // A node or person deleted since keeps its id, shown as `#id`.
    let named = |ids: &[i64], names: &HashMap<i64, String>| {
        ids.iter()
            .map(|id| NamedRef { id: *id, name: names.get(id).cloned().unwrap_or_else(|| format!("#{id}")) })
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = targets.get(&r.id).cloned().unwrap_or_default();
            let (members, done) = counts.get(&r.id).copied().unwrap_or((0, 0));
            let past_due = is_past(&r.due_on, today);
            AssignmentSummary {
                id: r.id,
                course_id: r.course_id,
                course_title: titles.get(&r.course_id).cloned().unwrap_or_default(),
                org_id: r.org_id,
                org_name_path: paths.get(&r.org_id).cloned().unwrap_or_default(),
                target: TargetView {
                    orgs: named(&t.orgs, &node_names),
                    roles: t.roles,
                    standings: t.standings,
                    people: named(&t.people, &person_names),
                },
                due_on: r.due_on,
                member_count: members,
                done,
                overdue: if past_due { members.saturating_sub(done) } else { 0 },
                past_due,
                created_at: r.created_at,
            }
        })
        .collect())
}

fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}
