//! Who an assignment covers: resolving a target to people when it is made,
//! keeping one person's memberships current when they join, move or change
//! role ([`sync_person`]), and the due days "my learning" shows.

use std::collections::{HashMap, HashSet};

use courses::assignment::check::is_past;
use courses::course::Audience;
use courses::meeting::Date;
use courses::{Actor, OrgPath};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::target_of;
use crate::db::{assignment_members, assignments, courses as course_rows, orgs, people};
use crate::error::Result;
use crate::services::catalog::audience_of;
use crate::services::course_records;
use crate::services::orgs::{self as org_service, path_of};
use crate::services::reminders::new_tasks::{self, Announced};

/// Rows per multi-row insert, well under every database's parameter limit.
pub(super) const INSERT_CHUNK: usize = 500;

/// A person with where they sit, as the access rules see them.
pub(super) struct Person {
    pub row: people::Model,
    pub actor: Actor,
}

/// Everyone the target covers: people of the nodes at `paths` (and below)
/// whose role is among the target's roles (any when none), and the named
/// people. The caller has checked that the nodes and people lie inside the
/// assignment's node.
pub(super) async fn resolve(db: &impl ConnectionTrait, target: &Audience, paths: &[OrgPath]) -> Result<Vec<Person>> {
    let mut any = Condition::any();
    if !paths.is_empty() {
        let nodes = paths.iter().fold(Condition::any(), |c, p| c.add(org_service::subtree(p)));
        let mut in_nodes = Condition::all().add(nodes);
        if !target.roles.is_empty() {
            in_nodes = in_nodes.add(people::Column::Role.is_in(target.roles.iter().map(|r| r.as_str())));
        }
        if !target.standings.is_empty() {
            in_nodes = in_nodes.add(people::Column::Standing.is_in(target.standings.iter().map(|s| s.as_str())));
        }
        any = any.add(in_nodes);
    }
    if !target.people.is_empty() {
        any = any.add(people::Column::Id.is_in(target.people.clone()));
    }
    let rows = people::Entity::find().find_also_related(orgs::Entity).filter(any).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, org) in rows {
        let Some(org) = org else { continue };
        let actor = crate::services::auth::actor_of(&row, &org)?;
        // The same rule the query expressed, so both can never disagree.
        if target.admits(actor.id, actor.role, actor.standing, &actor.org) {
            out.push(Person { row, actor });
        }
    }
    Ok(out)
}

/// Inserts memberships in chunks.
pub(super) async fn insert_members(db: &impl ConnectionTrait, assignment_id: i64, people: &[i64]) -> Result<()> {
    for chunk in people.chunks(INSERT_CHUNK) {
        let rows = chunk
            .iter()
            .map(|p| assignment_members::ActiveModel { assignment_id: Set(assignment_id), person_id: Set(*p) });
        assignment_members::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Brings one person's memberships up to date after they were created,
/// moved to another node or given another role: they join every assignment
/// whose target now covers them, whose due day (`today` in the platform's
/// zone) has not passed and whose course they may study; they leave every
/// assignment whose target no longer covers them, whatever its due day.
/// "Covers" includes lying inside the assignment's node, so a named person
/// who moves away leaves too. Marks the records of every pair that changed,
/// and tells the person of each assignment they joined (in `db`'s
/// transaction); the caller e-mails what it answers after the commit.
pub async fn sync_person(db: &impl ConnectionTrait, person_id: i64, today: Date) -> Result<Announced> {
    let Some((row, Some(org))) = people::Entity::find_by_id(person_id).find_also_related(orgs::Entity).one(db).await?
    else {
        return Ok(Announced::default());
    };
    let me = crate::services::auth::actor_of(&row, &org)?;
    let ancestors: Vec<i64> = me.org.ids().map(|id| id.0).collect();
    let current: HashSet<i64> = assignment_members::Entity::find()
        .filter(assignment_members::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.assignment_id)
        .collect();
    // Only an assignment made for one of the person's nodes can cover them.
    let mut which = Condition::any().add(assignments::Column::OrgId.is_in(ancestors.clone()));
    if !current.is_empty() {
        which = which.add(assignments::Column::Id.is_in(current.iter().copied()));
    }
    let candidates = assignments::Entity::find().filter(which).all(db).await?;

    let (mut leave, mut join) = (Vec::new(), Vec::new());
    for a in candidates {
        let covers = ancestors.contains(&a.org_id) && target_of(&a)?.admits(me.id, me.role, me.standing, &me.org);
        match (current.contains(&a.id), covers) {
            (true, false) => leave.push(a),
            (false, true) if !is_past(&a.due_on, today) => join.push(a),
            _ => {}
        }
    }
    let studiable = studiable_courses(db, &me, join.iter().map(|a| a.course_id).collect()).await?;
    join.retain(|a| studiable.contains(&a.course_id));
    if leave.is_empty() && join.is_empty() {
        return Ok(Announced::default());
    }

    if !leave.is_empty() {
        assignment_members::Entity::delete_many()
            .filter(assignment_members::Column::PersonId.eq(person_id))
            .filter(assignment_members::Column::AssignmentId.is_in(leave.iter().map(|a| a.id)))
            .exec(db)
            .await?;
    }
    for a in &join {
        insert_members(db, a.id, &[person_id]).await?;
    }
    let pairs: Vec<course_records::Pair> = leave.iter().chain(&join).map(|a| (person_id, a.course_id)).collect();
    course_records::mark(db, &pairs).await?;
    let mut announced = Announced::default();
    for a in &join {
        announced.extend(new_tasks::assignment(db, a.id, &[person_id]).await?);
    }
    Ok(announced)
}

/// Which of these courses `me` may study now.
async fn studiable_courses(db: &impl ConnectionTrait, me: &Actor, mut ids: Vec<i64>) -> Result<HashSet<i64>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let mut out = HashSet::new();
    for (row, org) in course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(ids))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?
    {
        let Some(org) = org else { continue };
        if me.can_study(&path_of(&org)?, row.published, &audience_of(&row)?).is_ok() {
            out.insert(row.id);
        }
    }
    Ok(out)
}

/// The earliest due day of the person's assignments, by course.
pub async fn due_dates_of(db: &impl ConnectionTrait, person_id: i64) -> Result<HashMap<i64, String>> {
    let ids: Vec<i64> = assignment_members::Entity::find()
        .filter(assignment_members::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.assignment_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut out: HashMap<i64, String> = HashMap::new();
    for a in assignments::Entity::find().filter(assignments::Column::Id.is_in(ids)).all(db).await? {
        let day = out.entry(a.course_id).or_insert_with(|| a.due_on.clone());
        if a.due_on < *day {
            *day = a.due_on;
        }
    }
    Ok(out)
}
