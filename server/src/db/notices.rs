//! `notices`: notices (通知公告) and items of 党务公开, with where each stands.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The node it is from.
    pub org_id: i64,
    pub author_id: Option<i64>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub must_read: bool,
    /// `YYYY-MM-DD`.
    pub read_by: Option<String>,
    pub openness: bool,
    /// `courses::notice::NoticeState` code.
    pub state: String,
    /// Why it was sent back or withdrawn.
    pub reason: Option<String>,
    pub created_at_ms: i64,
    pub published_at_ms: Option<i64>,
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
