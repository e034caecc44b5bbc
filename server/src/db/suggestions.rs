//! `suggestions`: 合理化建议 to a node, with the sender always kept (shown
//! to readers only when not anonymous), the reply and where it stands.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: Option<i64>,
    pub sender_org_id: Option<i64>,
    pub to_org_id: i64,
    pub anonymous: bool,
    pub title: String,
    pub body: String,
    /// `courses::suggestion::SuggestionState` code.
    pub state: String,
    pub reply: Option<String>,
    pub replied_by_id: Option<i64>,
    pub replied_by_name: Option<String>,
    pub created_at_ms: i64,
    pub replied_at_ms: Option<i64>,
    pub closed_at_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::orgs::Entity", from = "Column::ToOrgId", to = "super::orgs::Column::Id")]
    To,
}

impl Related<super::orgs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::To.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
