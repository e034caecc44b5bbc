//! `exam_credits`: a person's final pass of an exam, which earns the
//! passed-exam 学时 of `StudyHourRules` (see `services::exams::credit`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_credits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub exam_id: i64,
    /// The quiz lesson the exam is, if it is one.
    pub lesson_id: Option<i64>,
    pub course_id: Option<i64>,
    pub passed_at_ms: i64,
    /// `YYYY-MM-DD` in the platform time zone.
    pub day: String,
    pub year: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
