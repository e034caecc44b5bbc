//! `reminder_log`: every reminder round sent, automatic or by hand.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    /// `meeting` or `assignment`.
    pub subject_kind: String,
    pub subject_id: i64,
    /// None for the automatic reminders.
    pub sent_by: Option<i64>,
    pub sent_at_ms: i64,
    pub recipients: i32,
    pub emailed: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
