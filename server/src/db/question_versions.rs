//! `question_versions`: what a question said at one version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub question_id: i64,
    /// 1, 2, … within the question.
    pub number: i32,
    /// `courses::exam::QuestionKind` code.
    pub kind: String,
    pub difficulty: i16,
    /// JSON list of category names.
    pub categories: String,
    /// `courses::exam::QuestionData` JSON.
    pub data: String,
    /// SHA-256 (hex) of `data`.
    pub fingerprint: String,
    /// An attempt's paper holds it: an edit makes a new version (or
    /// corrects the key in place, regrading).
    pub shown: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
