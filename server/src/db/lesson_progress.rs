//! `lesson_progress`: the per-(member, lesson) ledger.

use sea_orm::entity::prelude::*;

/// Serializes to the JSON rows the heartbeat batch writes
/// (`services::heartbeats::batch_sql`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "lesson_progress")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub lesson_id: i64,
    pub course_id: i64,
    /// `WatchedRanges` as JSON.
    pub watched: String,
    /// Credited ms per slide, as a JSON array.
    pub slide_ms: String,
    pub visible_ms: i64,
    pub study_ms: i64,
    pub position: i64,
    pub completed_at_ms: Option<i64>,
    pub updated_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
