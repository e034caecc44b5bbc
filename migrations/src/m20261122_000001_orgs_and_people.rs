//! The organization tree and the people in it.
//!
//! `orgs.path` is the materialized path of ids (`/1/4/9/`). On PostgreSQL it
//! uses the C collation so that byte order, and with it the subtree range
//! scan, is the same as on SQLite.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::id_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Orgs {
    Table,
    Id,
    ParentId,
    Name,
    Kind,
    Path,
    CreatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum People {
    Table,
    Id,
    Login,
    Name,
    Role,
    OrgId,
    PasswordHash,
    MustChangePassword,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut path = ColumnDef::new(Orgs::Path);
        path.string_len(512).not_null();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            path.extra("COLLATE \"C\"");
        }
        manager
            .create_table(
                Table::create()
                    .table(Orgs::Table)
                    .col(id_column(Orgs::Id))
                    .col(ColumnDef::new(Orgs::ParentId).big_integer().null())
                    .col(ColumnDef::new(Orgs::Name).string_len(64).not_null())
                    .col(ColumnDef::new(Orgs::Kind).string_len(16).not_null())
                    .col(path)
                    .col(ColumnDef::new(Orgs::CreatedAt).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orgs::Table, Orgs::ParentId)
                            .to(Orgs::Table, Orgs::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("orgs_path").table(Orgs::Table).col(Orgs::Path).unique().to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("orgs_parent_name")
                    .table(Orgs::Table)
                    .col(Orgs::ParentId)
                    .col(Orgs::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(id_column(People::Id))
                    .col(ColumnDef::new(People::Login).string_len(32).not_null())
                    .col(ColumnDef::new(People::Name).string_len(128).not_null())
                    .col(ColumnDef::new(People::Role).string_len(16).not_null())
                    .col(ColumnDef::new(People::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(People::PasswordHash).string_len(255).not_null())
                    .col(ColumnDef::new(People::MustChangePassword).boolean().not_null().default(false))
                    .col(ColumnDef::new(People::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(People::UpdatedAt).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(People::Table, People::OrgId)
                            .to(Orgs::Table, Orgs::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("people_login").table(People::Table).col(People::Login).unique().to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("people_org").table(People::Table).col(People::OrgId).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(People::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Orgs::Table).to_owned()).await
    }
}
