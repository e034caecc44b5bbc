//! What a final result earns. Whenever the result that counts of one
//! person's attempts may have changed (a submit, a grader's score, a
//! corrected key), [`settle`] brings the rest of the record in line:
//!
//! - a final pass writes `exam_credits` (the passed-exam 学时, read under
//!   `StudyHourRules::passed_exam_hours`) and, for a quiz lesson, completes
//!   the lesson, so the course's progress and reports count it;
//! - a result that is not, or no longer, a final pass removes both. A
//!   pending result (short answers not graded yet) earns nothing yet.

use chrono::FixedOffset;
use courses::exam::Outcome;
use courses::progress::LessonLedger;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::Exam;
use crate::db::{self, exam_attempts, exam_credits, lesson_progress, lessons, study_days};
use crate::error::Result;
use crate::services::{course_records, study};

/// Brings `person_id`'s credit for `exam` in line with their result, inside
/// the caller's transaction.
pub(crate) async fn settle(db: &impl ConnectionTrait, exam: &Exam, person_id: i64, zone: FixedOffset) -> Result<()> {
    let attempts = exam_attempts::counting()
        .filter(exam_attempts::Column::ExamId.eq(exam.row.id))
        .filter(exam_attempts::Column::PersonId.eq(person_id))
        .all(db)
        .await?;
    let passed = exam.result(&attempts).is_some_and(|s| s.outcome == Outcome::Passed);
    let lesson = lessons::Entity::find().filter(lessons::Column::ExamId.eq(exam.row.id)).one(db).await?;
    let held = exam_credits::Entity::find_by_id((person_id, exam.row.id)).one(db).await?;
    let passed_at = match (&held, passed) {
        (_, false) => None,
        // A pass stays dated when it was first final.
        (Some(credit), true) => Some(credit.passed_at_ms),
        (None, true) => Some(db::now_ms()),
    };
    if let Some(credit) = &held {
        if !passed {
            exam_credits::Entity::delete_by_id((person_id, exam.row.id)).exec(db).await?;
            recount_day(db, person_id, &credit.day, credit.year).await?;
        }
    } else if let Some(at) = passed_at {
        let (day, year) = db::day_of(at, zone);
        exam_credits::Entity::insert(exam_credits::ActiveModel {
            person_id: Set(person_id),
            exam_id: Set(exam.row.id),
            lesson_id: Set(lesson.as_ref().map(|l| l.id)),
            course_id: Set(lesson.as_ref().map(|l| l.course_id)),
            passed_at_ms: Set(at),
            day: Set(day.clone()),
            year: Set(year),
        })
        .exec_without_returning(db)
        .await?;
        recount_day(db, person_id, &day, year).await?;
    }
    if let Some(lesson) = lesson {
        complete_lesson(db, person_id, &lesson, passed_at).await?;
    }
    Ok(())
}

/// Marks the person's day for the study-hour roll-up, which adds the day's
/// passed exams to the year (a day without study time gets an empty row).
async fn recount_day(db: &impl ConnectionTrait, person_id: i64, day: &str, year: i32) -> Result<()> {
    study_days::Entity::insert(study_days::ActiveModel {
        person_id: Set(person_id),
        day: Set(day.to_owned()),
        year: Set(year),
        credited_ms: Set(0),
        dirty: Set(true),
    })
    .on_conflict(
        OnConflict::columns([study_days::Column::PersonId, study_days::Column::Day])
            .value(study_days::Column::Dirty, Expr::value(true))
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Sets the quiz lesson's completion to the pass (or clears it), and marks
/// the course record for recounting when that changed it.
async fn complete_lesson(
    db: &impl ConnectionTrait,
    person_id: i64,
    lesson: &lessons::Model,
    passed_at: Option<i64>,
) -> Result<()> {
    let now = db::now_ms();
    match lesson_progress::Entity::find_by_id((person_id, lesson.id)).one(db).await? {
        Some(row) if row.completed_at_ms.is_some() == passed_at.is_some() => return Ok(()),
        Some(_) => {
            lesson_progress::Entity::update_many()
                .col_expr(lesson_progress::Column::CompletedAtMs, Expr::value(passed_at))
                .col_expr(lesson_progress::Column::UpdatedAtMs, Expr::value(now))
                .filter(lesson_progress::Column::PersonId.eq(person_id))
                .filter(lesson_progress::Column::LessonId.eq(lesson.id))
                .exec(db)
                .await?;
        }
        None if passed_at.is_none() => return Ok(()),
        None => {
            let ledger = LessonLedger { completed_at: passed_at, ..LessonLedger::default() };
            let row = study::ledger_row(person_id, lesson.id, lesson.course_id, &ledger, now)?;
            lesson_progress::Entity::insert(lesson_progress::ActiveModel::from(row)).exec_without_returning(db).await?;
        }
    }
    course_records::mark(db, &[(person_id, lesson.course_id)]).await
}
