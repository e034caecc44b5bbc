//! `notice_steps`: each step of a notice's way: who, when, and their note.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notice_id: i64,
    /// `courses::notice::StepKind` code.
    pub kind: String,
    pub by_id: Option<i64>,
    /// Their name then, kept if they leave.
    pub by_name: String,
    pub at_ms: i64,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
