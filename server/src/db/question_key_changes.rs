//! `question_key_changes`: the audit line of a shown question's key
//! correction and the regrading it caused.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question_key_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub question_id: i64,
    pub version_id: i64,
    pub changed_by: Option<i64>,
    pub changed_at_ms: i64,
    /// `courses::exam::QuestionData` JSON before and after.
    pub old_key: String,
    pub new_key: String,
    /// Submitted attempts regraded.
    pub regraded: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
