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
    pub state: UploadState,
    pub media_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

/// Where an upload is. Stored as the text it always was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UploadState {
    /// Taking parts until it expires.
    #[sea_orm(string_value = "open")]
    Open,
    /// Assembled into `media_id`.
    #[sea_orm(string_value = "completed")]
    Completed,
    /// Abandoned by its uploader or expired; its parts were dropped.
    #[sea_orm(string_value = "aborted")]
    Aborted,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
