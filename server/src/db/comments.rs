//! `comments`: the discussion under a course (`lesson_id` null) or one of
//! its lessons; a reply points at its top-level comment.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub lesson_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub author_id: Option<i64>,
    /// The writer's real name when writing (kept on the server).
    pub author_name: String,
    /// The writer's branch when writing.
    pub author_org_id: Option<i64>,
    pub surname_only: bool,
    pub body: String,
    /// `courses::discussion::CommentState` code.
    pub state: String,
    /// `courses::discussion::HeldFor` code, while it waits.
    pub held_for: Option<String>,
    /// Listed words it matched, one per line.
    pub matched: Option<String>,
    /// The last moderation step's reason.
    pub moderation_reason: Option<String>,
    /// Reports not yet dealt with.
    pub open_reports: i32,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
