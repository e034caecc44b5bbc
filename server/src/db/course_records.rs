//! `course_records`: one member's standing in one course, as reports read
//! it. Derived: see `services::course_records`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub course_id: i64,
    /// The member's node now.
    pub org_id: i64,
    /// Earliest due day among the member's assignments of the course.
    pub due_on: Option<String>,
    pub assigned: bool,
    pub lessons_done: i32,
    pub lessons_total: i32,
    pub started_at_ms: Option<i64>,
    pub completed_at_ms: Option<i64>,
    pub updated_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
