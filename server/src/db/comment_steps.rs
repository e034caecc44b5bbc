//! `comment_steps`: each moderation step taken on a comment, with who,
//! when and why.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comment_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub comment_id: i64,
    /// `courses::discussion::ModerationAction` code.
    pub action: String,
    pub by_id: Option<i64>,
    pub by_name: String,
    pub at_ms: i64,
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
