//! "My learning": the signed-in person's courses, required and due first
//! (those assigned to them count as required, due by the assignment's
//! day), then in progress, then completed, with this year's 学时.

use courses::course::learning::{arrange, assigned_are_required};
use courses::course::{CourseQuery, CourseView, MyLearning};
use courses::Actor;
use sea_orm::DatabaseConnection;

use crate::error::Result;
use crate::services::study::hours as study_hours;

/// The published courses the actor is in the audience of, with their
/// binding due dates; assigned ones count as required.
pub(super) async fn studied_courses(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<CourseView>> {
    // Only courses the person may study: those they merely manage are not
    // theirs to learn.
    let mut courses = super::list(db, actor, &CourseQuery::default()).await?;
    courses.retain(|c| {
        c.published && c.audience.as_ref().is_none_or(|a| a.admits(actor.id, actor.role, actor.standing, &actor.org))
    });
    // Assigned courses are required of the person, by the assignment's day
    // (the views carry it already).
    assigned_are_required(&mut courses);
    Ok(courses)
}

pub async fn my_learning(db: &DatabaseConnection, actor: &Actor, year: i32) -> Result<MyLearning> {
    let courses = studied_courses(db, actor).await?;
    let hours = study_hours::hours(db, actor, None, year).await?;
    let (required, in_progress, completed) = arrange(courses);
    Ok(MyLearning { year, hours: hours.total, required, in_progress, completed })
}
