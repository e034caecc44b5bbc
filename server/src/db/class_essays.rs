//! `class_essays`: one student's essay for one task, and its review.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "class_essays")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub task_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    pub body: String,
    pub chars: i32,
    pub state: State,
    pub comment: Option<String>,
    pub submitted_at_ms: i64,
    pub reviewed_by: Option<i64>,
    pub reviewed_at_ms: Option<i64>,
    /// The document it was handed in as, if any (object-store key, name).
    pub file_key: Option<String>,
    pub file_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::people::Entity", from = "Column::PersonId", to = "super::people::Column::Id")]
    Person,
}

impl Related<super::people::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// The `state` column: a [`courses::essay::EssayState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum State {
    #[sea_orm(string_value = "submitted")]
    Submitted,
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "returned")]
    Returned,
}

impl From<State> for courses::essay::EssayState {
    fn from(s: State) -> Self {
        match s {
            State::Submitted => Self::Submitted,
            State::Accepted => Self::Accepted,
            State::Returned => Self::Returned,
        }
    }
}
