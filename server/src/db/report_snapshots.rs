//! `report_snapshots`: a report frozen as it was.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_snapshots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The node the report covers: who may read the snapshot.
    pub org_id: i64,
    /// `courses::report::ReportKind` code.
    pub kind: String,
    pub subject_id: Option<i64>,
    pub title: String,
    /// `manual` or `deadline`.
    pub reason: String,
    /// The deadline an automatic snapshot froze.
    pub due_on: Option<String>,
    pub taken_at_ms: i64,
    pub taken_by: Option<i64>,
    /// The report as JSON.
    pub data: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
