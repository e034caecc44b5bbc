//! `heartbeats`: every heartbeat taken, once per (session, seq).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "heartbeats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: String,
    pub seq: i32,
    pub person_id: i64,
    pub lesson_id: i64,
    pub received_at_ms: i64,
    pub event: String,
    /// The played spans as `[[start_ms, end_ms], ...]`.
    pub played: String,
    pub position: i64,
    pub rate: f64,
    pub verdict: String,
    pub credited_ms: i64,
    /// Lesson progress after this heartbeat, 0–100.
    pub percent: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
