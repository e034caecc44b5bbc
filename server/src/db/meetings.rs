//! `meetings`: one meeting (三会一课) of an org node.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    /// `courses::meeting::MeetingKind` code.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub topic: String,
    /// Last day of make-up study, `YYYY-MM-DD`.
    pub makeup_deadline: String,
    /// The party class whose offline session (集中学习) this is.
    pub class_id: Option<i64>,
    /// A class session's length, for the absence limit; 0 otherwise.
    pub minutes: i32,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
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
