//! `question_banks`: a bank (题库) of an org node.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question_banks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Whose organizers edit it; courses of its subtree may draw from it.
    pub org_id: i64,
    pub name: String,
    pub description: String,
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
