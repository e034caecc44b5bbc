//! What organizers shape a course with, and what members find it by.
//!
//! - `courses` gain 必修/选修, credit hours, a due date, a cover image and
//!   an audience (JSON: org nodes, roles, named people; see
//!   `courses::course::Audience`). Existing courses keep their node's
//!   subtree as their audience.
//! - `chapters` group a course's lessons; a lesson's `chapter_id` is null
//!   before the first chapter.
//! - `lessons` gain a companion slide deck (the mixed video + slides
//!   lesson) and WebVTT captions.
//! - `lesson_attachments`: files to download beside a lesson.
//! - `course_search`: one lower-cased text per course (titles, summary,
//!   articles, slide text) with a trigram index, so Chinese is found by
//!   substring: an FTS5 `trigram` table in SQLite, a `pg_trgm` GIN index in
//!   PostgreSQL. Both answer `LIKE '%词%'` from the index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::id_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Required,
    CreditHours,
    DueOn,
    CoverKey,
    Audience,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    ChapterId,
    SlidesMediaId,
    CaptionsKey,
}

#[derive(DeriveIden)]
enum Chapters {
    Table,
    Id,
    CourseId,
    Position,
    Title,
}

#[derive(DeriveIden)]
enum LessonAttachments {
    Table,
    Id,
    LessonId,
    FileName,
    SizeBytes,
    ObjectKey,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let course_columns = [
            ColumnDef::new(Courses::Required).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(Courses::CreditHours).double().not_null().default(0.0).to_owned(),
            ColumnDef::new(Courses::DueOn).string_len(10).null().to_owned(),
            ColumnDef::new(Courses::CoverKey).string_len(255).null().to_owned(),
            ColumnDef::new(Courses::Audience).text().not_null().default("").to_owned(),
        ];
        // SQLite adds one column per statement.
        for mut col in course_columns {
            manager.alter_table(Table::alter().table(Courses::Table).add_column(&mut col).to_owned()).await?;
        }
        let db = manager.get_connection();
        let concat = match manager.get_database_backend() {
            DatabaseBackend::Postgres => "'{\"orgs\":[' || org_id::text || '],\"roles\":[],\"people\":[]}'",
            _ => "'{\"orgs\":[' || org_id || '],\"roles\":[],\"people\":[]}'",
        };
        db.execute_unprepared(&format!("UPDATE courses SET audience = {concat}")).await?;

        manager
            .create_table(
                Table::create()
                    .table(Chapters::Table)
                    .col(id_column(Chapters::Id))
                    .col(ColumnDef::new(Chapters::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(Chapters::Position).integer().not_null())
                    .col(ColumnDef::new(Chapters::Title).string_len(200).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Chapters::Table, Chapters::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("chapters_course").table(Chapters::Table).col(Chapters::CourseId).to_owned(),
            )
            .await?;

        // Plain columns: SQLite cannot add a constrained column; the
        // catalog service keeps them consistent (chapter deletion clears
        // `chapter_id`; media used as a companion deck cannot be deleted).
        for mut col in [
            ColumnDef::new(Lessons::ChapterId).big_integer().null().to_owned(),
            ColumnDef::new(Lessons::SlidesMediaId).big_integer().null().to_owned(),
            ColumnDef::new(Lessons::CaptionsKey).string_len(255).null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Lessons::Table).add_column(&mut col).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("lessons_slides_media")
                    .table(Lessons::Table)
                    .col(Lessons::SlidesMediaId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonAttachments::Table)
                    .col(id_column(LessonAttachments::Id))
                    .col(ColumnDef::new(LessonAttachments::LessonId).big_integer().not_null())
                    .col(ColumnDef::new(LessonAttachments::FileName).string_len(255).not_null())
                    .col(ColumnDef::new(LessonAttachments::SizeBytes).big_integer().not_null())
                    .col(ColumnDef::new(LessonAttachments::ObjectKey).string_len(255).not_null())
                    .col(ColumnDef::new(LessonAttachments::CreatedAt).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(LessonAttachments::Table, LessonAttachments::LessonId)
                            .to(Lessons::Table, Lessons::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("lesson_attachments_lesson")
                    .table(LessonAttachments::Table)
                    .col(LessonAttachments::LessonId)
                    .to_owned(),
            )
            .await?;

        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await?;
                db.execute_unprepared(
                    "CREATE TABLE course_search (course_id BIGINT PRIMARY KEY REFERENCES courses (id) \
                     ON DELETE CASCADE, body TEXT NOT NULL)",
                )
                .await?;
                db.execute_unprepared("CREATE INDEX course_search_body ON course_search USING gin (body gin_trgm_ops)")
                    .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE course_search USING fts5(course_id UNINDEXED, body, tokenize = 'trigram')",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP TABLE course_search").await?;
        for table in [LessonAttachments::Table.into_iden(), Chapters::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.drop_index(Index::drop().name("lessons_slides_media").table(Lessons::Table).to_owned()).await?;
        for col in [Lessons::ChapterId, Lessons::SlidesMediaId, Lessons::CaptionsKey] {
            manager.alter_table(Table::alter().table(Lessons::Table).drop_column(col).to_owned()).await?;
        }
        for col in [Courses::Required, Courses::CreditHours, Courses::DueOn, Courses::CoverKey, Courses::Audience] {
            manager.alter_table(Table::alter().table(Courses::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
