//! Notices (通知公告) and items of 党务公开: the notice, the nodes it is for,
//! each step of its way (who, when, why) and each person's first reading.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    OrgId,
    AuthorId,
    Title,
    Body,
    MustRead,
    ReadBy,
    Openness,
    State,
    Reason,
    CreatedAtMs,
    PublishedAtMs,
}

#[derive(DeriveIden)]
enum NoticeTargets {
    Table,
    NoticeId,
    OrgId,
}

#[derive(DeriveIden)]
enum NoticeSteps {
    Table,
    Id,
    NoticeId,
    Kind,
    ById,
    ByName,
    AtMs,
    Note,
}

#[derive(DeriveIden)]
enum NoticeReads {
    Table,
    NoticeId,
    PersonId,
    ReadAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .col(crate::id_column(Notices::Id))
                    .col(ColumnDef::new(Notices::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Notices::AuthorId).big_integer().null())
                    .col(ColumnDef::new(Notices::Title).string_len(800).not_null())
                    .col(ColumnDef::new(Notices::Body).text().not_null())
                    .col(ColumnDef::new(Notices::MustRead).boolean().not_null())
                    .col(ColumnDef::new(Notices::ReadBy).string_len(10).null())
                    .col(ColumnDef::new(Notices::Openness).boolean().not_null())
                    .col(ColumnDef::new(Notices::State).string_len(16).not_null())
                    .col(ColumnDef::new(Notices::Reason).string_len(2000).null())
                    .col(ColumnDef::new(Notices::CreatedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(Notices::PublishedAtMs).big_integer().null())
                    .foreign_key(&mut crate::fk((Notices::Table, Notices::OrgId), (Orgs::Table, Orgs::Id), Cascade))
                    .foreign_key(&mut crate::fk(
                        (Notices::Table, Notices::AuthorId),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notices_state_published")
                    .table(Notices::Table)
                    .col(Notices::State)
                    .col(Notices::PublishedAtMs)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeTargets::Table)
                    .col(ColumnDef::new(NoticeTargets::NoticeId).big_integer().not_null())
                    .col(ColumnDef::new(NoticeTargets::OrgId).big_integer().not_null())
                    .primary_key(Index::create().col(NoticeTargets::NoticeId).col(NoticeTargets::OrgId))
                    .foreign_key(&mut crate::fk(
                        (NoticeTargets::Table, NoticeTargets::NoticeId),
                        (Notices::Table, Notices::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (NoticeTargets::Table, NoticeTargets::OrgId),
                        (Orgs::Table, Orgs::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notice_targets_org")
                    .table(NoticeTargets::Table)
                    .col(NoticeTargets::OrgId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeSteps::Table)
                    .col(crate::id_column(NoticeSteps::Id))
                    .col(ColumnDef::new(NoticeSteps::NoticeId).big_integer().not_null())
                    .col(ColumnDef::new(NoticeSteps::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(NoticeSteps::ById).big_integer().null())
                    .col(ColumnDef::new(NoticeSteps::ByName).string_len(400).not_null())
                    .col(ColumnDef::new(NoticeSteps::AtMs).big_integer().not_null())
                    .col(ColumnDef::new(NoticeSteps::Note).string_len(2000).null())
                    .foreign_key(&mut crate::fk(
                        (NoticeSteps::Table, NoticeSteps::NoticeId),
                        (Notices::Table, Notices::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (NoticeSteps::Table, NoticeSteps::ById),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notice_steps_notice")
                    .table(NoticeSteps::Table)
                    .col(NoticeSteps::NoticeId)
                    .to_owned(),
            )
            .await?;
        // No foreign keys on the read receipts: 20,000 readers in minutes
        // write here, and a receipt outlives nothing it points to (the
        // notice's and the person's deletions remove them in the services).
        manager
            .create_table(
                Table::create()
                    .table(NoticeReads::Table)
                    .col(ColumnDef::new(NoticeReads::NoticeId).big_integer().not_null())
                    .col(ColumnDef::new(NoticeReads::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(NoticeReads::ReadAtMs).big_integer().not_null())
                    .primary_key(Index::create().col(NoticeReads::NoticeId).col(NoticeReads::PersonId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NoticeReads::Table.into_iden(),
            NoticeSteps::Table.into_iden(),
            NoticeTargets::Table.into_iden(),
            Notices::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
