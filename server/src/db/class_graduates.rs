//! `class_graduates`: students whose graduation (结业) a 班主任 confirmed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "class_graduates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub class_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    /// `courses::class::GradeLevel` code (excellent or pass).
    pub grade: String,
    pub score: f64,
    pub confirmed_by: Option<i64>,
    pub confirmed_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
