//! The final exam's gate: a class's final exam opens to a student only
//! once they have the class's required 学时 and courses. Practice exams
//! are other exams and stay open.

use courses::exam::Prerequisites;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::{class_students, party_classes};
use crate::error::Result;
use crate::services::exams::column;

/// `own` with what every class that has `exam_id` as its final exam and
/// enrols `person_id` requires on top: all their courses, the most 学时.
pub(crate) async fn prerequisites(
    db: &impl ConnectionTrait,
    exam_id: i64,
    person_id: i64,
    own: &Prerequisites,
) -> Result<Prerequisites> {
    let mut out = own.clone();
    let classes = party_classes::Entity::find().filter(party_classes::Column::FinalExamId.eq(exam_id)).all(db).await?;
    if classes.is_empty() {
        return Ok(out);
    }
    let enrolled: Vec<i64> = class_students::Entity::find()
        .filter(class_students::Column::PersonId.eq(person_id))
        .filter(class_students::Column::ClassId.is_in(classes.iter().map(|c| c.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.class_id)
        .collect();
    for class in classes.iter().filter(|c| enrolled.contains(&c.id)) {
        let courses: Vec<i64> = column(&class.required_courses, "required courses of class", class.id)?;
        out.courses.extend(courses);
        out.credited_hours = out.credited_hours.max(u32::try_from(class.required_hours).unwrap_or(0));
    }
    out.courses.sort_unstable();
    out.courses.dedup();
    Ok(out)
}
