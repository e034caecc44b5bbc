//! `lessons`: one video, recording, slide deck or article of a course.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub title: String,
    pub kind: String,
    pub media_id: Option<i64>,
    pub duration_ms: i64,
    pub slide_count: i32,
    pub article: Option<String>,
    pub article_chars: i32,
    pub created_at: i64,
    pub chapter_id: Option<i64>,
    /// The companion slide deck of a mixed video + slides lesson.
    pub slides_media_id: Option<i64>,
    /// Object-store key of the WebVTT captions.
    pub captions_key: Option<String>,
    /// The exam of a quiz lesson (`kind` = `exam`).
    pub exam_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
