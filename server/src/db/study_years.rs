//! `study_years`: one member's credited time in one year, summed from
//! `study_days` by the study-hour roll-up (`services::study::rollup`), so
//! the study-hours report reads a row per member.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "study_years")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub credited_ms: i64,
    /// Credited time that counts after each day's cap.
    pub counted_ms: i64,
    /// Credited time of each month, uncapped.
    pub m01: i64,
    pub m02: i64,
    pub m03: i64,
    pub m04: i64,
    pub m05: i64,
    pub m06: i64,
    pub m07: i64,
    pub m08: i64,
    pub m09: i64,
    pub m10: i64,
    pub m11: i64,
    pub m12: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
