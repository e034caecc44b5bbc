//! `study_days`: credited time per (member, day), which heartbeat batches
//! add to; the study-hour roll-up (`services::study::rollup`) sums a
//! member's year from these.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "study_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    /// `YYYY-MM-DD` in the platform time zone.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub year: i32,
    pub credited_ms: i64,
    /// Changed since its member's year was last summed.
    pub dirty: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
