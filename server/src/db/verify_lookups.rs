//! `verify_lookups`: certificate verifications per client address in the
//! current window, so every app server applies one limit.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "verify_lookups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client: String,
    /// Unix seconds.
    pub window_start: i64,
    pub lookups: i32,
    /// Lookups of serials that do not exist.
    pub misses: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
