//! `study_entries`: the 学时 receipt: credited and discarded time, with reasons.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "study_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: String,
    pub seq: i32,
    pub person_id: i64,
    pub lesson_id: i64,
    pub course_id: i64,
    pub at_ms: i64,
    /// `YYYY-MM-DD` in the platform time zone.
    pub day: String,
    pub year: i32,
    pub media_start_ms: Option<i64>,
    pub media_end_ms: Option<i64>,
    pub slide: Option<i32>,
    pub wall_ms: i64,
    pub credited: bool,
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
