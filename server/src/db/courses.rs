//! `courses`: what members study; belongs to an org node, whose subtree is its audience.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub summary: String,
    /// `courses::progress::CompletionRules` as JSON.
    pub rules: String,
    pub published: bool,
    pub required: bool,
    pub credit_hours: f64,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// Object-store key of the cover image (WebP).
    pub cover_key: Option<String>,
    /// `courses::course::Audience` as JSON.
    pub audience: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Comments under it wait for approval (先审后发).
    pub comments_reviewed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::orgs::Entity", from = "Column::OrgId", to = "super::orgs::Column::Id")]
    Org,
}

impl Related<super::orgs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Org.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
