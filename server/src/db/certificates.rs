//! `certificates`: the 结业证书 issued to party-class graduates, with what
//! each says as issued, and its revocation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub serial: String,
    pub class_id: i64,
    pub person_id: i64,
    pub issuer_org_id: i64,
    pub year: i32,
    /// Its number among the issuer's certificates of `year`, from 1.
    pub seq: i32,
    pub name: String,
    pub class_name: String,
    pub term_from: String,
    pub term_to: String,
    /// 学时 at graduation.
    pub hours: f64,
    /// `courses::class::GradeLevel` code.
    pub grade: String,
    pub issuer_name: String,
    /// `YYYY-MM-DD` in the platform's time zone.
    pub issued_on: String,
    pub issued_at_ms: i64,
    pub issued_by: Option<i64>,
    /// 1 when first issued, one more each time it is issued again.
    pub edition: i32,
    pub revoked_at_ms: Option<i64>,
    pub revoked_by: Option<i64>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
