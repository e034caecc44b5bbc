//! Written work of party classes: the tasks a 班主任 sets
//! (`class_essay_tasks`) and each student's essay with its review
//! (`class_essays`: the text, its length in characters, submitted /
//! accepted / returned, the comment and who reviewed it).

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::People;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PartyClasses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ClassEssayTasks {
    Table,
    Id,
    ClassId,
    Title,
    Kind,
    MinChars,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClassEssays {
    Table,
    TaskId,
    PersonId,
    Body,
    Chars,
    State,
    Comment,
    SubmittedAtMs,
    ReviewedBy,
    ReviewedAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(ClassEssayTasks::Table)
                    .col(crate::id_column(ClassEssayTasks::Id))
                    .col(ColumnDef::new(ClassEssayTasks::ClassId).big_integer().not_null())
                    .col(ColumnDef::new(ClassEssayTasks::Title).string_len(800).not_null())
                    .col(ColumnDef::new(ClassEssayTasks::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(ClassEssayTasks::MinChars).integer().not_null())
                    .col(ColumnDef::new(ClassEssayTasks::CreatedAt).big_integer().not_null())
                    .foreign_key(&mut crate::fk(
                        (ClassEssayTasks::Table, ClassEssayTasks::ClassId),
                        (PartyClasses::Table, PartyClasses::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassEssays::Table)
                    .col(ColumnDef::new(ClassEssays::TaskId).big_integer().not_null())
                    .col(ColumnDef::new(ClassEssays::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(ClassEssays::Body).text().not_null())
                    .col(ColumnDef::new(ClassEssays::Chars).integer().not_null())
                    .col(ColumnDef::new(ClassEssays::State).string_len(16).not_null())
                    .col(ColumnDef::new(ClassEssays::Comment).text().null())
                    .col(ColumnDef::new(ClassEssays::SubmittedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(ClassEssays::ReviewedBy).big_integer().null())
                    .col(ColumnDef::new(ClassEssays::ReviewedAtMs).big_integer().null())
                    .primary_key(Index::create().col(ClassEssays::TaskId).col(ClassEssays::PersonId))
                    .foreign_key(&mut crate::fk(
                        (ClassEssays::Table, ClassEssays::TaskId),
                        (ClassEssayTasks::Table, ClassEssayTasks::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassEssays::Table, ClassEssays::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassEssays::Table, ClassEssays::ReviewedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ClassEssays::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ClassEssayTasks::Table).to_owned()).await
    }
}
