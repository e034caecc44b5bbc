//! `media`: one uploaded file and what became of it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub uploaded_by: Option<i64>,
    pub uploader_name: String,
    pub file_name: String,
    pub size: i64,
    /// Object key of the original file.
    pub source_key: String,
    /// `video`, `audio` or `slides`, once a worker has looked.
    pub kind: Option<String>,
    /// A `courses::media::MediaState`.
    pub state: String,
    pub percent: i16,
    /// A `courses::media::Problem` as JSON.
    pub problem: Option<String>,
    pub duration_seconds: Option<f64>,
    /// Heights of the video renditions, comma-separated, highest first.
    pub renditions: Option<String>,
    pub slide_count: Option<i32>,
    /// Where the published outputs live (`media/{id}/out-{job attempt}/`).
    pub output_prefix: Option<String>,
    /// Paths relative to `output_prefix`.
    pub playlist: Option<String>,
    pub poster: Option<String>,
    pub thumbnails: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
