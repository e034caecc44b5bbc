//! `report_counts`: counts of `course_records` per (course, node, due day).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub course_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: i64,
    /// `YYYY-MM-DD`, or empty for records not assigned.
    #[sea_orm(primary_key, auto_increment = false)]
    pub due_on: String,
    pub records: i32,
    pub assigned: i32,
    pub assigned_done: i32,
    pub started: i32,
    pub completed: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
