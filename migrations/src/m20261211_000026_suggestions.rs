//! Suggestions (合理化建议 / 书记信箱): who sent each (always kept, shown
//! to its readers only when not anonymous), the node it went to, the
//! reply and where it stands.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Suggestions {
    Table,
    Id,
    SenderId,
    SenderOrgId,
    ToOrgId,
    Anonymous,
    Title,
    Body,
    State,
    Reply,
    RepliedById,
    RepliedByName,
    CreatedAtMs,
    RepliedAtMs,
    ClosedAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Suggestions::Table)
                    .col(crate::id_column(Suggestions::Id))
                    .col(ColumnDef::new(Suggestions::SenderId).big_integer().null())
                    .col(ColumnDef::new(Suggestions::SenderOrgId).big_integer().null())
                    .col(ColumnDef::new(Suggestions::ToOrgId).big_integer().not_null())
                    .col(ColumnDef::new(Suggestions::Anonymous).boolean().not_null())
                    .col(ColumnDef::new(Suggestions::Title).string_len(400).not_null())
                    .col(ColumnDef::new(Suggestions::Body).text().not_null())
                    .col(ColumnDef::new(Suggestions::State).string_len(16).not_null())
                    .col(ColumnDef::new(Suggestions::Reply).text().null())
                    .col(ColumnDef::new(Suggestions::RepliedById).big_integer().null())
                    .col(ColumnDef::new(Suggestions::RepliedByName).string_len(400).null())
                    .col(ColumnDef::new(Suggestions::CreatedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(Suggestions::RepliedAtMs).big_integer().null())
                    .col(ColumnDef::new(Suggestions::ClosedAtMs).big_integer().null())
                    .foreign_key(&mut crate::fk(
                        (Suggestions::Table, Suggestions::SenderId),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Suggestions::Table, Suggestions::SenderOrgId),
                        (Orgs::Table, Orgs::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Suggestions::Table, Suggestions::ToOrgId),
                        (Orgs::Table, Orgs::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Suggestions::Table, Suggestions::RepliedById),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in
            [("ix_suggestions_to", Suggestions::ToOrgId), ("ix_suggestions_sender", Suggestions::SenderId)]
        {
            manager.create_index(Index::create().name(name).table(Suggestions::Table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Suggestions::Table).to_owned()).await
    }
}
