//! Exams inside courses, and the 学时 a passed exam earns.
//!
//! - `lessons.exam_id`: a quiz lesson's exam. One lesson per exam (a
//!   unique index), so an exam's result completes exactly one lesson.
//! - `exam_credits`: one row per (person, exam) while the result that
//!   counts is a final pass: when and in which lesson and course. The
//!   study-hour rule (`StudyHourRules::passed_exam_hours`) turns these into
//!   学时 when hours are read, like the credited time of `study_days`, so
//!   changing the rule restates every total. A result that stops being a
//!   pass (a corrected key) removes the row.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::People;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Lessons {
    Table,
    ExamId,
}

#[derive(DeriveIden)]
enum Exams {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ExamCredits {
    Table,
    PersonId,
    ExamId,
    LessonId,
    CourseId,
    PassedAtMs,
    Day,
    Year,
}

const LESSON_INDEX: &str = "lessons_exam";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Lessons::Table)
                    .add_column(ColumnDef::new(Lessons::ExamId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name(LESSON_INDEX).table(Lessons::Table).col(Lessons::ExamId).unique().to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExamCredits::Table)
                    .col(ColumnDef::new(ExamCredits::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(ExamCredits::ExamId).big_integer().not_null())
                    .col(ColumnDef::new(ExamCredits::LessonId).big_integer().null())
                    .col(ColumnDef::new(ExamCredits::CourseId).big_integer().null())
                    .col(ColumnDef::new(ExamCredits::PassedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(ExamCredits::Day).string_len(10).not_null())
                    .col(ColumnDef::new(ExamCredits::Year).integer().not_null())
                    .primary_key(Index::create().col(ExamCredits::PersonId).col(ExamCredits::ExamId))
                    .foreign_key(&mut crate::fk(
                        (ExamCredits::Table, ExamCredits::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ExamCredits::Table, ExamCredits::ExamId),
                        (Exams::Table, Exams::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("exam_credits_person_year")
                    .table(ExamCredits::Table)
                    .col(ExamCredits::PersonId)
                    .col(ExamCredits::Year)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ExamCredits::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(LESSON_INDEX).table(Lessons::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Lessons::Table).drop_column(Lessons::ExamId).to_owned()).await
    }
}
