//! Changing an assignment: its due day, and deleting it.

use courses::assignment::{AssignmentView, DueUpdate};
use courses::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};

use super::{find_managed, invalid, views::view};
use crate::config::Settings;
use crate::db::{self, assignment_members, assignments};
use crate::error::{Error, Result};
use crate::services::course_records;
use crate::services::meetings::today;

/// Moves the due day (today or later); the members' records take it up.
pub async fn set_due(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    update: DueUpdate,
) -> Result<AssignmentView> {
    let (row, _) = find_managed(db, actor, id).await?;
    let due_on = update.check(today(settings)?).map_err(invalid)?;
    let txn = db.begin().await?;
    let mut active = row.into_active_model();
    active.due_on = Set(due_on.to_string());
    active.updated_at = Set(db::now());
    let row = active.update(&txn).await?;
    course_records::mark_assignment(&txn, row.id).await?;
    txn.commit().await?;
    view(db, settings, row).await
}

/// Deletes an assignment with its memberships. Study progress stays: it
/// belongs to the lessons.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let (row, _) = find_managed(db, actor, id).await?;
    let txn = db.begin().await?;
    // Marked first: the marks are found through the memberships.
    course_records::mark_assignment(&txn, row.id).await?;
    // The foreign key cascades too; deleting explicitly keeps this correct
    // on a SQLite connection without `foreign_keys`.
    assignment_members::Entity::delete_many()
        .filter(assignment_members::Column::AssignmentId.eq(row.id))
        .exec(&txn)
        .await?;
    let gone = assignments::Entity::delete_by_id(row.id).exec(&txn).await?;
    if gone.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    txn.commit().await?;
    Ok(())
}
