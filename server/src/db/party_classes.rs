//! `party_classes`: a party class (培训班) of an org node.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "party_classes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub term_from: String,
    pub term_to: String,
    /// JSON list of course ids.
    pub required_courses: String,
    pub required_hours: i32,
    pub final_exam_id: Option<i64>,
    /// `courses::class::GradeWeights` JSON.
    pub weights: String,
    /// `courses::class::GradeThresholds` JSON.
    pub thresholds: String,
    pub resit_allowed: bool,
    pub min_essay_chars: i32,
    pub max_absence_percent: i32,
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
