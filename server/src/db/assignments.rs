//! `assignments`: a course required of a target by a due day.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    /// The node it was made for: who manages it.
    pub org_id: i64,
    /// `courses::course::Audience` JSON: nodes, roles, people.
    pub target: String,
    /// SHA-256 (hex) of `target`: one assignment per (course, node,
    /// target), by a unique index. `None` only for duplicates made before
    /// the index existed.
    pub target_key: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
