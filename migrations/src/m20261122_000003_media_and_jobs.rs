//! Uploaded material and the durable job queue that processes it.
//!
//! - `uploads`: resumable uploads in progress. The parts themselves live in
//!   object storage (an S3 multipart upload or the local store's staging
//!   directory), which is the one record of what has arrived.
//! - `media`: one uploaded file and what became of it; outputs are published
//!   under `output_prefix` only when a job finished them all.
//! - `media_slides`: one row per converted slide, with its text.
//! - `jobs`: background work, claimed with `FOR UPDATE SKIP LOCKED` on
//!   PostgreSQL; `dedupe_key` makes enqueueing idempotent.

use sea_orm_migration::prelude::*;

use crate::id_column;
use crate::m20261122_000001_orgs_and_people::{Orgs, People};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    OrgId,
    PersonId,
    FileName,
    Size,
    PartSize,
    PartCount,
    ObjectKey,
    MultipartId,
    State,
    MediaId,
    CreatedAt,
    UpdatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
pub(crate) enum Media {
    Table,
    Id,
    OrgId,
    UploadedBy,
    UploaderName,
    FileName,
    Size,
    SourceKey,
    Kind,
    State,
    Percent,
    Problem,
    DurationSeconds,
    Renditions,
    SlideCount,
    OutputPrefix,
    Playlist,
    Poster,
    Thumbnails,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MediaSlides {
    Table,
    MediaId,
    Number,
    SmallKey,
    LargeKey,
    Text,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    DedupeKey,
    Payload,
    State,
    Attempts,
    MaxAttempts,
    RunAfter,
    TimeoutSeconds,
    Progress,
    Worker,
    HeartbeatAt,
    CancelRequested,
    LastError,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Media::Table)
                    .col(id_column(Media::Id))
                    .col(ColumnDef::new(Media::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Media::UploadedBy).big_integer().null())
                    .col(ColumnDef::new(Media::UploaderName).string_len(128).not_null())
                    .col(ColumnDef::new(Media::FileName).string_len(255).not_null())
                    .col(ColumnDef::new(Media::Size).big_integer().not_null())
                    .col(ColumnDef::new(Media::SourceKey).string_len(255).not_null())
                    .col(ColumnDef::new(Media::Kind).string_len(16).null())
                    .col(ColumnDef::new(Media::State).string_len(16).not_null())
                    .col(ColumnDef::new(Media::Percent).small_integer().not_null().default(0))
                    .col(ColumnDef::new(Media::Problem).text().null())
                    .col(ColumnDef::new(Media::DurationSeconds).double().null())
                    .col(ColumnDef::new(Media::Renditions).string_len(255).null())
                    .col(ColumnDef::new(Media::SlideCount).integer().null())
                    .col(ColumnDef::new(Media::OutputPrefix).string_len(255).null())
                    .col(ColumnDef::new(Media::Playlist).string_len(255).null())
                    .col(ColumnDef::new(Media::Poster).string_len(255).null())
                    .col(ColumnDef::new(Media::Thumbnails).string_len(255).null())
                    .col(ColumnDef::new(Media::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Media::UpdatedAt).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Media::Table, Media::OrgId)
                            .to(Orgs::Table, Orgs::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Media::Table, Media::UploadedBy)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("media_org").table(Media::Table).col(Media::OrgId).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MediaSlides::Table)
                    .col(ColumnDef::new(MediaSlides::MediaId).big_integer().not_null())
                    .col(ColumnDef::new(MediaSlides::Number).integer().not_null())
                    .col(ColumnDef::new(MediaSlides::SmallKey).string_len(255).not_null())
                    .col(ColumnDef::new(MediaSlides::LargeKey).string_len(255).not_null())
                    .col(ColumnDef::new(MediaSlides::Text).text().not_null())
                    .primary_key(Index::create().col(MediaSlides::MediaId).col(MediaSlides::Number))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MediaSlides::Table, MediaSlides::MediaId)
                            .to(Media::Table, Media::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .col(ColumnDef::new(Uploads::Id).string_len(36).not_null().primary_key())
                    .col(ColumnDef::new(Uploads::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Uploads::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(Uploads::FileName).string_len(255).not_null())
                    .col(ColumnDef::new(Uploads::Size).big_integer().not_null())
                    .col(ColumnDef::new(Uploads::PartSize).big_integer().not_null())
                    .col(ColumnDef::new(Uploads::PartCount).integer().not_null())
                    .col(ColumnDef::new(Uploads::ObjectKey).string_len(255).not_null())
                    .col(ColumnDef::new(Uploads::MultipartId).string_len(1024).null())
                    .col(ColumnDef::new(Uploads::State).string_len(16).not_null())
                    .col(ColumnDef::new(Uploads::MediaId).big_integer().null())
                    .col(ColumnDef::new(Uploads::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Uploads::UpdatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Uploads::ExpiresAt).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Uploads::Table, Uploads::OrgId)
                            .to(Orgs::Table, Orgs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Uploads::Table, Uploads::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Uploads::Table, Uploads::MediaId)
                            .to(Media::Table, Media::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uploads_state_expires")
                    .table(Uploads::Table)
                    .col(Uploads::State)
                    .col(Uploads::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(id_column(Jobs::Id))
                    .col(ColumnDef::new(Jobs::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Jobs::DedupeKey).string_len(128).not_null())
                    .col(ColumnDef::new(Jobs::Payload).text().not_null())
                    .col(ColumnDef::new(Jobs::State).string_len(16).not_null())
                    .col(ColumnDef::new(Jobs::Attempts).integer().not_null().default(0))
                    .col(ColumnDef::new(Jobs::MaxAttempts).integer().not_null())
                    .col(ColumnDef::new(Jobs::RunAfter).big_integer().not_null())
                    .col(ColumnDef::new(Jobs::TimeoutSeconds).big_integer().not_null())
                    .col(ColumnDef::new(Jobs::Progress).small_integer().not_null().default(0))
                    .col(ColumnDef::new(Jobs::Worker).string_len(128).null())
                    .col(ColumnDef::new(Jobs::HeartbeatAt).big_integer().null())
                    .col(ColumnDef::new(Jobs::CancelRequested).boolean().not_null().default(false))
                    .col(ColumnDef::new(Jobs::LastError).text().null())
                    .col(ColumnDef::new(Jobs::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Jobs::UpdatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Jobs::FinishedAt).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("jobs_dedupe").table(Jobs::Table).col(Jobs::DedupeKey).unique().to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_state_run_after")
                    .table(Jobs::Table)
                    .col(Jobs::State)
                    .col(Jobs::RunAfter)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Jobs::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Uploads::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(MediaSlides::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Media::Table).to_owned()).await
    }
}
