//! Making an assignment: the node, the course, where the target lies and
//! whether everyone it covers may study the course; then one transaction
//! writes the assignment with its members and marks their records.

use std::collections::HashMap;

use courses::assignment::{AssignmentError, AssignmentView, NewAssignment, MAX_NAMES_IN_ERROR};
use courses::course::Audience;
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, SqlErr,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::members::{insert_members, resolve, Person};
use super::{invalid, require_manager};
use crate::config::Settings;
use crate::db::{self, assignments, courses as course_rows, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::services::catalog::{audience_of, rules_of, Course};
use crate::services::meetings::today;
use crate::services::orgs::{self as org_service, path_of};
use crate::services::reminders::new_tasks;
use crate::services::{course_records, hide_out_of_scope};

/// Makes an assignment of a node the actor manages, with its members.
pub async fn create(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    new: NewAssignment,
) -> Result<AssignmentView> {
    require_manager(actor)?;
    let org = org_service::find_visible(db, actor, OrgId(new.org_id)).await?;
    let node = path_of(&org)?;
    hide_out_of_scope(actor.can_manage_assignments(&node))?;
    let checked = new.check(today(settings)?).map_err(invalid)?;
    let course = assignable_course(db, actor, checked.course_id).await?;
    if !course.row.published {
        return Err(invalid(AssignmentError::UnpublishedCourse { course: course.row.title.clone() }));
    }
    let paths = check_target(db, &node, &checked.target).await?;
    let people = resolve(db, &checked.target, &paths).await?;
    if people.is_empty() {
        return Err(invalid(AssignmentError::NobodyAssigned));
    }
    check_studiable(&course, &people)?;

    let now = db::now();
    let target = serde_json::to_string(&checked.target).map_err(|e| Error::Internal(e.into()))?;
    let key = target_key(&target);
    refuse_duplicate(db, course.row.id, org.id, &checked.target, &key).await?;
    let txn = db.begin().await?;
    let row = assignments::ActiveModel {
        course_id: Set(course.row.id),
        org_id: Set(org.id),
        target: Set(target),
        target_key: Set(Some(key.clone())),
        due_on: Set(checked.due_on.to_string()),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    // Two requests at once both pass the check above; the unique index
    // lets one in and refuses the other, before anything else is written.
    let row = match row {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            return Err(duplicate_of(db, course.row.id, org.id, &key).await);
        }
        Err(e) => return Err(e.into()),
    };
    let ids: Vec<i64> = people.iter().map(|p| p.row.id).collect();
    insert_members(&txn, row.id, &ids).await?;
    course_records::mark_assignment(&txn, row.id).await?;
    let announced = new_tasks::assignment(&txn, row.id, &ids).await?;
    txn.commit().await?;
    new_tasks::email_later(db, settings, announced);
    super::views::view(db, settings, row).await
}

/// The key of a stored target (see the migration
/// `m20261125_000013_assignments_unique_target`, which computes the same).
fn target_key(target: &str) -> String {
    hex::encode(Sha256::digest(target.as_bytes()))
}

/// 409 when the node already assigned the course to the same target. Rows
/// from before the unique index have no key: their targets are compared.
async fn refuse_duplicate(
    db: &impl ConnectionTrait,
    course_id: i64,
    org_id: i64,
    target: &Audience,
    key: &str,
) -> Result<()> {
    let same = assignments::Entity::find()
        .filter(assignments::Column::CourseId.eq(course_id))
        .filter(assignments::Column::OrgId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .find(|a| match &a.target_key {
            Some(k) => k == key,
            None => {
                serde_json::from_str::<Audience>(&a.target).ok().and_then(|t| t.normalized().ok()).as_ref()
                    == Some(target)
            }
        });
    match same {
        Some(existing) => Err(already_assigned(&existing)),
        None => Ok(()),
    }
}

fn already_assigned(existing: &assignments::Model) -> Error {
    Error::Conflict(Detail::of(&AssignmentError::AlreadyAssigned { due_on: existing.due_on.clone() }))
}

/// The 409 for an insert the unique index refused, naming the assignment
/// that won.
async fn duplicate_of(db: &impl ConnectionTrait, course_id: i64, org_id: i64, key: &str) -> Error {
    let existing = assignments::Entity::find()
        .filter(assignments::Column::CourseId.eq(course_id))
        .filter(assignments::Column::OrgId.eq(org_id))
        .filter(assignments::Column::TargetKey.eq(key))
        .one(db)
        .await;
    match existing {
        Ok(Some(existing)) => already_assigned(&existing),
        // Deleted again in the meantime: still a conflict, without a day.
        Ok(None) => Error::Conflict(Detail::of(&AssignmentError::AlreadyAssigned { due_on: "—".into() })),
        Err(e) => e.into(),
    }
}

/// A course the actor may assign: one they manage, or one they may study
/// themselves (a higher node's course aimed at them). Any other id, and one
/// that does not exist, gets the same answer.
async fn assignable_course(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Course> {
    let unknown = || invalid(AssignmentError::UnknownCourse);
    let Some((row, Some(org))) = course_rows::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?
    else {
        return Err(unknown());
    };
    let course = Course { rules: rules_of(&row)?, audience: audience_of(&row)?, org: path_of(&org)?, row };
    actor.can_study(&course.org, course.row.published, &course.audience).map_err(|_| unknown())?;
    Ok(course)
}

/// Every node and named person of the target exists and lies inside the
/// assignment's node; answers the nodes' paths. Anything else gets one 422,
/// whatever the reason, so ids cannot be probed.
async fn check_target(db: &impl ConnectionTrait, node: &OrgPath, target: &Audience) -> Result<Vec<OrgPath>> {
    let bad = || invalid(AssignmentError::BadTarget);
    let mut paths: HashMap<i64, OrgPath> = HashMap::new();
    if !target.orgs.is_empty() {
        for o in orgs::Entity::find().filter(orgs::Column::Id.is_in(target.orgs.clone())).all(db).await? {
            paths.insert(o.id, path_of(&o)?);
        }
    }
    let nodes: Vec<OrgPath> = target.orgs.iter().filter_map(|id| paths.get(id).cloned()).collect();
    if nodes.len() != target.orgs.len() || !nodes.iter().all(|p| node.contains(p)) {
        return Err(bad());
    }
    if !target.people.is_empty() {
        let found = people::Entity::find()
            .filter(people::Column::Id.is_in(target.people.clone()))
            .find_also_related(orgs::Entity)
            .all(db)
            .await?;
        let inside = found.iter().filter_map(|(_, o)| o.as_ref()).map(path_of).collect::<Result<Vec<_>>>()?;
        if inside.len() != target.people.len() || !inside.iter().all(|p| node.contains(p)) {
            return Err(bad());
        }
    }
    Ok(nodes)
}

/// Everyone assigned may study the course: an assignment must always be
/// something its members can open.
fn check_studiable(course: &Course, people: &[Person]) -> Result<()> {
    let mut cannot: Vec<&str> = people
        .iter()
        .filter(|p| p.actor.can_study(&course.org, course.row.published, &course.audience).is_err())
        .map(|p| p.row.name.as_str())
        .collect();
    if cannot.is_empty() {
        return Ok(());
    }
    let count = cannot.len();
    cannot.sort_unstable();
    let names = cannot.into_iter().take(MAX_NAMES_IN_ERROR).map(str::to_owned).collect();
    Err(invalid(AssignmentError::CannotStudy { count, names }))
}
