//! "My learning": the signed-in person's courses, required and due first
//! (those assigned to them count as required, due by the assignment's
//! day), then in progress, then completed, with this year's 学时.

use courses::course::learning::{apply_assignments, arrange};
use courses::course::{CourseQuery, MyLearning};
use courses::Actor;
use sea_orm::DatabaseConnection;

use crate::error::Result;
use crate::services::assignments;
use crate::services::study::records;

pub async fn my_learning(db: &DatabaseConnection, actor: &Actor, year: i32) -> Result<MyLearning> {
    // Only courses the person may study: those they merely manage are not
    // theirs to learn.
    let mut courses = super::list(db, actor, &CourseQuery::default()).await?;
    courses.retain(|c| c.published && c.audience.as_ref().is_none_or(|a| a.admits(actor.id, actor.role, &actor.org)));
    // Assigned courses are required of the person, by the assignment's day.
    apply_assignments(&mut courses, &assignments::due_dates_of(db, actor.id.0).await?);
    let hours = records::hours(db, actor, None, year).await?;
    let (required, in_progress, completed) = arrange(courses);
    Ok(MyLearning { year, hours: hours.total, required, in_progress, completed })
}
