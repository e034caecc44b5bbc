//! The final exam's gate: a class's final exam opens to a student only
//! once they have the class's required 学时 (earned in its term) and courses, and a class that
//! allows it gives a student who failed one more attempt (a resit).
//! Practice exams are other exams and stay open.

use courses::exam::Prerequisites;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::{class_students, party_classes};
use crate::error::Result;
use crate::services::exams::column;

/// What the classes that have an exam as their final exam and enrol a
/// person add to the exam's own rules.
pub(crate) struct ClassGate {
    /// The exam's prerequisites with every such class's courses.
    pub prerequisites: Prerequisites,
    /// A class whose 学时 the student does not have yet: (needed, have).
    /// Class 学时 are earned in the class's term (`hours.rs`), not over all
    /// time as an exam's own prerequisite counts them.
    pub hours_short: Option<(u32, f64)>,
    /// One of them lets a student who failed resit once.
    pub resit: bool,
}

/// `own` with what every class that has `exam_id` as its final exam and
/// enrols `person_id` requires on top.
pub(crate) async fn for_student(
    db: &impl ConnectionTrait,
    exam_id: i64,
    person_id: i64,
    standing: courses::Standing,
    own: &Prerequisites,
) -> Result<ClassGate> {
    let mut out = own.clone();
    let mut resit = false;
    let mut hours_short = None;
    let classes = party_classes::Entity::find().filter(party_classes::Column::FinalExamId.eq(exam_id)).all(db).await?;
    if classes.is_empty() {
        return Ok(ClassGate { prerequisites: out, hours_short, resit });
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
        let need = u32::try_from(class.required_hours).unwrap_or(0);
        if need > 0 && hours_short.is_none() {
            let have = super::hours::of_student(db, class, person_id, standing).await?;
            if have + 1e-9 < f64::from(need) {
                hours_short = Some((need, have));
            }
        }
        resit |= class.resit_allowed;
    }
    out.courses.sort_unstable();
    out.courses.dedup();
    Ok(ClassGate { prerequisites: out, hours_short, resit })
}
