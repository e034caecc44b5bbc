//! `lesson_progress` is looked up by (course, member) when a member's
//! course record is recomputed (`services::course_records`). With only an index on
//! `course_id`, SQLite (which has no statistics until `ANALYZE` runs) chose
//! it over the primary key and read every member's row of the course for
//! each record: 2 ms a record with 10,000 learners in one course. An index
//! on (course_id, person_id) answers both that lookup and the per-course
//! ones the old index served.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    CourseId,
    PersonId,
}

const OLD: &str = "lesson_progress_course";
const NEW: &str = "lesson_progress_course_person";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NEW)
                    .table(LessonProgress::Table)
                    .col(LessonProgress::CourseId)
                    .col(LessonProgress::PersonId)
                    .to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(OLD).table(LessonProgress::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name(OLD).table(LessonProgress::Table).col(LessonProgress::CourseId).to_owned(),
            )
            .await?;
        manager.drop_index(Index::drop().name(NEW).table(LessonProgress::Table).to_owned()).await
    }
}
