//! `people`: everyone who can log in.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub login: String,
    pub name: String,
    pub role: String,
    /// `courses::Standing` code.
    pub standing: String,
    pub org_id: i64,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub must_change_password: bool,
    /// Where e-mail reminders go; none means in-app only.
    pub email: Option<String>,
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
