//! Exams and their attempts.
//!
//! - `exams`: an exam of an org node: title, settings
//!   (`courses::exam::ExamSettings` JSON), paper (`PaperSpec` JSON), the
//!   banks it draws from, who may take it (`Audience` JSON, as a course's)
//!   and whether it is published.
//! - `exam_attempts`: one person's attempt, with the paper drawn for it
//!   (`Paper` JSON of question version ids) stored once at the start. At
//!   most one attempt per (exam, person) is open, by a partial unique
//!   index. `holder` is the page (tab or device) that holds it: opening
//!   the attempt elsewhere takes it over. The score is written when the
//!   attempt is submitted, by the taker or by the server at the deadline.
//! - `attempt_answers`: one row per question of the paper, with the
//!   answer saved last, its sequence number (a stale page's older save
//!   never overwrites a newer one) and its grade.
//! - `attempt_hidden`: when the page was hidden during an attempt, for the
//!   grader to see; it never fails anyone by itself.
//! - `question_key_changes`: the audit of key corrections: who changed a
//!   shown question's key, when, from what to what, and how many attempts
//!   were regraded.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};
use crate::m20261207_000014_question_banks::Questions;
use crate::{fk, id_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Exams {
    Table,
    Id,
    OrgId,
    Title,
    Settings,
    Paper,
    Banks,
    Audience,
    Published,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ExamAttempts {
    Table,
    Id,
    ExamId,
    PersonId,
    Number,
    Practice,
    State,
    Seed,
    Paper,
    Holder,
    StartedAtMs,
    DeadlineMs,
    SubmittedAtMs,
    SubmittedBy,
    TotalTenths,
    MaxTenths,
    Pending,
    Outcome,
}

#[derive(DeriveIden)]
enum AttemptAnswers {
    Table,
    AttemptId,
    Position,
    VersionId,
    Answer,
    Seq,
    SavedAtMs,
    Grade,
    GradedBy,
    GradedAtMs,
}

#[derive(DeriveIden)]
enum QuestionKeyChanges {
    Table,
    Id,
    QuestionId,
    VersionId,
    ChangedBy,
    ChangedAtMs,
    OldKey,
    NewKey,
    Regraded,
}

#[derive(DeriveIden)]
enum AttemptHidden {
    Table,
    AttemptId,
    HiddenAtMs,
    VisibleAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Exams::Table)
                    .col(id_column(Exams::Id))
                    .col(ColumnDef::new(Exams::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Exams::Title).string_len(200).not_null())
                    .col(ColumnDef::new(Exams::Settings).text().not_null())
                    .col(ColumnDef::new(Exams::Paper).text().not_null())
                    .col(ColumnDef::new(Exams::Banks).text().not_null())
                    .col(ColumnDef::new(Exams::Audience).text().not_null())
                    .col(ColumnDef::new(Exams::Published).boolean().not_null().default(false))
                    .col(ColumnDef::new(Exams::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(Exams::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Exams::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut fk((Exams::Table, Exams::OrgId), (Orgs::Table, Orgs::Id), Cascade))
                    .foreign_key(&mut fk((Exams::Table, Exams::CreatedBy), (People::Table, People::Id), SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("exams_org").table(Exams::Table).col(Exams::OrgId).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExamAttempts::Table)
                    .col(id_column(ExamAttempts::Id))
                    .col(ColumnDef::new(ExamAttempts::ExamId).big_integer().not_null())
                    .col(ColumnDef::new(ExamAttempts::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(ExamAttempts::Number).integer().not_null())
                    .col(ColumnDef::new(ExamAttempts::Practice).boolean().not_null())
                    .col(ColumnDef::new(ExamAttempts::State).string_len(16).not_null())
                    .col(ColumnDef::new(ExamAttempts::Seed).big_integer().not_null())
                    .col(ColumnDef::new(ExamAttempts::Paper).text().not_null())
                    .col(ColumnDef::new(ExamAttempts::Holder).string_len(64).not_null())
                    .col(ColumnDef::new(ExamAttempts::StartedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(ExamAttempts::DeadlineMs).big_integer().null())
                    .col(ColumnDef::new(ExamAttempts::SubmittedAtMs).big_integer().null())
                    .col(ColumnDef::new(ExamAttempts::SubmittedBy).string_len(16).null())
                    .col(ColumnDef::new(ExamAttempts::TotalTenths).big_integer().null())
                    .col(ColumnDef::new(ExamAttempts::MaxTenths).big_integer().not_null())
                    .col(ColumnDef::new(ExamAttempts::Pending).integer().not_null().default(0))
                    .col(ColumnDef::new(ExamAttempts::Outcome).string_len(16).null())
                    .foreign_key(&mut fk(
                        (ExamAttempts::Table, ExamAttempts::ExamId),
                        (Exams::Table, Exams::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ExamAttempts::Table, ExamAttempts::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("exam_attempts_exam_person")
                    .table(ExamAttempts::Table)
                    .col(ExamAttempts::ExamId)
                    .col(ExamAttempts::PersonId)
                    .col(ExamAttempts::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // One open attempt per person and exam; the deadline sweep finds
        // open attempts by their deadline. Partial indexes read the same on
        // SQLite and PostgreSQL.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX exam_attempts_one_open ON exam_attempts (exam_id, person_id) WHERE state = 'open'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX exam_attempts_open_deadline ON exam_attempts (deadline_ms) WHERE state = 'open'",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttemptAnswers::Table)
                    .col(ColumnDef::new(AttemptAnswers::AttemptId).big_integer().not_null())
                    .col(ColumnDef::new(AttemptAnswers::Position).integer().not_null())
                    .col(ColumnDef::new(AttemptAnswers::VersionId).big_integer().not_null())
                    .col(ColumnDef::new(AttemptAnswers::Answer).text().null())
                    .col(ColumnDef::new(AttemptAnswers::Seq).big_integer().not_null().default(0))
                    .col(ColumnDef::new(AttemptAnswers::SavedAtMs).big_integer().null())
                    .col(ColumnDef::new(AttemptAnswers::Grade).text().null())
                    // A grader's score (short answers); None for the automatic grade.
                    .col(ColumnDef::new(AttemptAnswers::GradedBy).big_integer().null())
                    .col(ColumnDef::new(AttemptAnswers::GradedAtMs).big_integer().null())
                    .primary_key(Index::create().col(AttemptAnswers::AttemptId).col(AttemptAnswers::Position))
                    .foreign_key(&mut fk(
                        (AttemptAnswers::Table, AttemptAnswers::AttemptId),
                        (ExamAttempts::Table, ExamAttempts::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttemptHidden::Table)
                    .col(ColumnDef::new(AttemptHidden::AttemptId).big_integer().not_null())
                    .col(ColumnDef::new(AttemptHidden::HiddenAtMs).big_integer().not_null())
                    .col(ColumnDef::new(AttemptHidden::VisibleAtMs).big_integer().null())
                    .primary_key(Index::create().col(AttemptHidden::AttemptId).col(AttemptHidden::HiddenAtMs))
                    .foreign_key(&mut fk(
                        (AttemptHidden::Table, AttemptHidden::AttemptId),
                        (ExamAttempts::Table, ExamAttempts::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(QuestionKeyChanges::Table)
                    .col(id_column(QuestionKeyChanges::Id))
                    .col(ColumnDef::new(QuestionKeyChanges::QuestionId).big_integer().not_null())
                    .col(ColumnDef::new(QuestionKeyChanges::VersionId).big_integer().not_null())
                    .col(ColumnDef::new(QuestionKeyChanges::ChangedBy).big_integer().null())
                    .col(ColumnDef::new(QuestionKeyChanges::ChangedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(QuestionKeyChanges::OldKey).text().not_null())
                    .col(ColumnDef::new(QuestionKeyChanges::NewKey).text().not_null())
                    .col(ColumnDef::new(QuestionKeyChanges::Regraded).integer().not_null())
                    .foreign_key(&mut fk(
                        (QuestionKeyChanges::Table, QuestionKeyChanges::QuestionId),
                        (Questions::Table, Questions::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QuestionKeyChanges::Table, QuestionKeyChanges::ChangedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("question_key_changes_question")
                    .table(QuestionKeyChanges::Table)
                    .col(QuestionKeyChanges::QuestionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            QuestionKeyChanges::Table.into_iden(),
            AttemptHidden::Table.into_iden(),
            AttemptAnswers::Table.into_iden(),
            ExamAttempts::Table.into_iden(),
            Exams::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
