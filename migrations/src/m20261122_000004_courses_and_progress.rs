//! Courses, lessons and the record of who studied what.
//!
//! - `courses` / `lessons`: what members study. A course belongs to an org
//!   node; its completion rules are JSON (`courses::progress::CompletionRules`).
//! - `playback_sessions`: one open lesson on one device; a member's newer
//!   session supersedes the older ones.
//! - `lesson_progress`: the per-(member, lesson) ledger of watched intervals,
//!   slide and reading time, resume position and completion.
//! - `heartbeats`: every heartbeat taken, as acknowledged.
//! - `study_entries`: the 学时 receipt, one row per credited or discarded
//!   piece of time, with its reason; it names its heartbeat by
//!   (session, seq), which `heartbeats` holds once.
//! - `study_hour_rules`: the admin-editable conversion rules (one row).

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};
use crate::m20261122_000003_media_and_jobs::Media;
use crate::{fk, id_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    OrgId,
    Title,
    Summary,
    Rules,
    Published,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    CourseId,
    Position,
    Title,
    Kind,
    MediaId,
    DurationMs,
    SlideCount,
    Article,
    ArticleChars,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PlaybackSessions {
    Table,
    Id,
    PersonId,
    LessonId,
    OpenedAtMs,
    LastBeatAtMs,
    LastSeq,
    ClaimedMs,
    Position,
    Superseded,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    PersonId,
    LessonId,
    CourseId,
    Watched,
    SlideMs,
    VisibleMs,
    StudyMs,
    Position,
    CompletedAtMs,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum Heartbeats {
    Table,
    Id,
    SessionId,
    Seq,
    PersonId,
    LessonId,
    ReceivedAtMs,
    Event,
    Played,
    Position,
    Rate,
    Verdict,
    CreditedMs,
    Percent,
}

#[derive(DeriveIden)]
enum StudyEntries {
    Table,
    Id,
    SessionId,
    Seq,
    PersonId,
    LessonId,
    CourseId,
    AtMs,
    Day,
    Year,
    MediaStartMs,
    MediaEndMs,
    Slide,
    WallMs,
    Credited,
    Reason,
}

#[derive(DeriveIden)]
enum StudyHourRules {
    Table,
    Id,
    Rules,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Courses::Table)
                    .col(id_column(Courses::Id))
                    .col(ColumnDef::new(Courses::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Courses::Title).string_len(200).not_null())
                    .col(ColumnDef::new(Courses::Summary).text().not_null())
                    .col(ColumnDef::new(Courses::Rules).text().not_null())
                    .col(ColumnDef::new(Courses::Published).boolean().not_null().default(false))
                    .col(ColumnDef::new(Courses::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(Courses::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Courses::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut fk((Courses::Table, Courses::OrgId), (Orgs::Table, Orgs::Id), Restrict))
                    .foreign_key(&mut fk((Courses::Table, Courses::CreatedBy), (People::Table, People::Id), SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("courses_org").table(Courses::Table).col(Courses::OrgId).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Lessons::Table)
                    .col(id_column(Lessons::Id))
                    .col(ColumnDef::new(Lessons::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(Lessons::Position).integer().not_null())
                    .col(ColumnDef::new(Lessons::Title).string_len(200).not_null())
                    .col(ColumnDef::new(Lessons::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Lessons::MediaId).big_integer().null())
                    .col(ColumnDef::new(Lessons::DurationMs).big_integer().not_null().default(0))
                    .col(ColumnDef::new(Lessons::SlideCount).integer().not_null().default(0))
                    .col(ColumnDef::new(Lessons::Article).text().null())
                    .col(ColumnDef::new(Lessons::ArticleChars).integer().not_null().default(0))
                    .col(ColumnDef::new(Lessons::CreatedAt).big_integer().not_null())
                    .foreign_key(&mut fk((Lessons::Table, Lessons::CourseId), (Courses::Table, Courses::Id), Cascade))
                    .foreign_key(&mut fk((Lessons::Table, Lessons::MediaId), (Media::Table, Media::Id), Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("lessons_course").table(Lessons::Table).col(Lessons::CourseId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlaybackSessions::Table)
                    .col(ColumnDef::new(PlaybackSessions::Id).string_len(36).not_null().primary_key())
                    .col(ColumnDef::new(PlaybackSessions::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(PlaybackSessions::LessonId).big_integer().not_null())
                    .col(ColumnDef::new(PlaybackSessions::OpenedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(PlaybackSessions::LastBeatAtMs).big_integer().not_null())
                    .col(ColumnDef::new(PlaybackSessions::LastSeq).integer().not_null().default(0))
                    .col(ColumnDef::new(PlaybackSessions::ClaimedMs).big_integer().not_null().default(0))
                    .col(ColumnDef::new(PlaybackSessions::Position).big_integer().not_null().default(0))
                    .col(ColumnDef::new(PlaybackSessions::Superseded).boolean().not_null().default(false))
                    .foreign_key(&mut fk(
                        (PlaybackSessions::Table, PlaybackSessions::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PlaybackSessions::Table, PlaybackSessions::LessonId),
                        (Lessons::Table, Lessons::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("playback_sessions_person")
                    .table(PlaybackSessions::Table)
                    .col(PlaybackSessions::PersonId)
                    .col(PlaybackSessions::Superseded)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonProgress::Table)
                    .col(ColumnDef::new(LessonProgress::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(LessonProgress::LessonId).big_integer().not_null())
                    .col(ColumnDef::new(LessonProgress::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(LessonProgress::Watched).text().not_null())
                    .col(ColumnDef::new(LessonProgress::SlideMs).text().not_null())
                    .col(ColumnDef::new(LessonProgress::VisibleMs).big_integer().not_null().default(0))
                    .col(ColumnDef::new(LessonProgress::StudyMs).big_integer().not_null().default(0))
                    .col(ColumnDef::new(LessonProgress::Position).big_integer().not_null().default(0))
                    .col(ColumnDef::new(LessonProgress::CompletedAtMs).big_integer().null())
                    .col(ColumnDef::new(LessonProgress::UpdatedAtMs).big_integer().not_null())
                    .primary_key(Index::create().col(LessonProgress::PersonId).col(LessonProgress::LessonId))
                    .foreign_key(&mut fk(
                        (LessonProgress::Table, LessonProgress::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (LessonProgress::Table, LessonProgress::LessonId),
                        (Lessons::Table, Lessons::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("lesson_progress_course")
                    .table(LessonProgress::Table)
                    .col(LessonProgress::CourseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Heartbeats::Table)
                    .col(id_column(Heartbeats::Id))
                    .col(ColumnDef::new(Heartbeats::SessionId).string_len(36).not_null())
                    .col(ColumnDef::new(Heartbeats::Seq).integer().not_null())
                    .col(ColumnDef::new(Heartbeats::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(Heartbeats::LessonId).big_integer().not_null())
                    .col(ColumnDef::new(Heartbeats::ReceivedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(Heartbeats::Event).string_len(16).not_null())
                    .col(ColumnDef::new(Heartbeats::Played).text().not_null())
                    .col(ColumnDef::new(Heartbeats::Position).big_integer().not_null())
                    .col(ColumnDef::new(Heartbeats::Rate).double().not_null())
                    .col(ColumnDef::new(Heartbeats::Verdict).string_len(16).not_null())
                    .col(ColumnDef::new(Heartbeats::CreditedMs).big_integer().not_null())
                    .col(ColumnDef::new(Heartbeats::Percent).small_integer().not_null())
                    .foreign_key(&mut fk(
                        (Heartbeats::Table, Heartbeats::SessionId),
                        (PlaybackSessions::Table, PlaybackSessions::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("heartbeats_session_seq")
                    .table(Heartbeats::Table)
                    .col(Heartbeats::SessionId)
                    .col(Heartbeats::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("heartbeats_person_lesson")
                    .table(Heartbeats::Table)
                    .col(Heartbeats::PersonId)
                    .col(Heartbeats::LessonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StudyEntries::Table)
                    .col(id_column(StudyEntries::Id))
                    .col(ColumnDef::new(StudyEntries::SessionId).string_len(36).not_null())
                    .col(ColumnDef::new(StudyEntries::Seq).integer().not_null())
                    .col(ColumnDef::new(StudyEntries::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(StudyEntries::LessonId).big_integer().not_null())
                    .col(ColumnDef::new(StudyEntries::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(StudyEntries::AtMs).big_integer().not_null())
                    .col(ColumnDef::new(StudyEntries::Day).string_len(10).not_null())
                    .col(ColumnDef::new(StudyEntries::Year).integer().not_null())
                    .col(ColumnDef::new(StudyEntries::MediaStartMs).big_integer().null())
                    .col(ColumnDef::new(StudyEntries::MediaEndMs).big_integer().null())
                    .col(ColumnDef::new(StudyEntries::Slide).integer().null())
                    .col(ColumnDef::new(StudyEntries::WallMs).big_integer().not_null())
                    .col(ColumnDef::new(StudyEntries::Credited).boolean().not_null())
                    .col(ColumnDef::new(StudyEntries::Reason).string_len(32).null())
                    .foreign_key(&mut fk(
                        (StudyEntries::Table, StudyEntries::SessionId),
                        (PlaybackSessions::Table, PlaybackSessions::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("study_entries_person_year")
                    .table(StudyEntries::Table)
                    .col(StudyEntries::PersonId)
                    .col(StudyEntries::Year)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("study_entries_course")
                    .table(StudyEntries::Table)
                    .col(StudyEntries::CourseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StudyHourRules::Table)
                    .col(ColumnDef::new(StudyHourRules::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(StudyHourRules::Rules).text().not_null())
                    .col(ColumnDef::new(StudyHourRules::UpdatedAt).big_integer().not_null())
                    .col(ColumnDef::new(StudyHourRules::UpdatedBy).big_integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StudyHourRules::Table.into_iden(),
            StudyEntries::Table.into_iden(),
            Heartbeats::Table.into_iden(),
            LessonProgress::Table.into_iden(),
            PlaybackSessions::Table.into_iden(),
            Lessons::Table.into_iden(),
            Courses::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
