//! `questions`: a question's place in its bank and its current version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bank_id: i64,
    /// `None` only inside the transaction that writes the first version.
    pub current_version_id: Option<i64>,
    /// The current version's content hash: re-importing a file finds it.
    pub fingerprint: String,
    /// When it left the bank (ms); its versions stay for the attempts
    /// that showed them.
    pub retired_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
