//! `uploads`: resumable uploads. The parts live in object storage.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub org_id: i64,
    pub person_id: i64,
    pub file_name: String,
    pub size: i64,
    pub part_size: i64,
    pub part_count: i32,
    /// Where the assembled file goes.
    pub object_key: String,
    /// The store's multipart upload id.
    pub multipart_id: Option<String>,
    /// `open`, `completed` or `aborted`.
    pub state: String,
    pub media_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
