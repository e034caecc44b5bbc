//! `party_milestones`: each change of a person's party standing, dated,
//! with who recorded it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "party_milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    /// The `courses::Standing` code reached.
    pub standing: String,
    /// `YYYY-MM-DD`.
    pub on_day: String,
    pub recorded_by: Option<i64>,
    pub recorded_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
