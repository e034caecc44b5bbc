//! `playback_sessions`: one open lesson on one device.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "playback_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub person_id: i64,
    pub lesson_id: i64,
    pub opened_at_ms: i64,
    pub last_beat_at_ms: i64,
    pub last_seq: i32,
    pub claimed_ms: i64,
    pub position: i64,
    pub superseded: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
