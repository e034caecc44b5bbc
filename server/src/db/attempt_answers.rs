//! `attempt_answers`: the answer to one question of an attempt's paper.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attempt_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: i64,
    /// 0-based place in the paper.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// The question version the paper showed.
    pub version_id: i64,
    /// `courses::exam::Answer` JSON; None: not answered (or cleared).
    pub answer: Option<String>,
    /// The sequence number of the save that wrote `answer` (0: none yet).
    pub seq: i64,
    pub saved_at_ms: Option<i64>,
    /// `courses::exam::Grade` JSON, once submitted.
    pub grade: Option<String>,
    /// Who scored it by hand (a short answer); None for the automatic grade.
    pub graded_by: Option<i64>,
    pub graded_at_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
