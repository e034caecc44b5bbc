//! Graduation (结业) of party classes: the students a 班主任 confirmed,
//! with the grade (优秀 / 合格) and the weighted score they had then.

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
enum ClassGraduates {
    Table,
    ClassId,
    PersonId,
    Grade,
    Score,
    ConfirmedBy,
    ConfirmedAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(ClassGraduates::Table)
                    .col(ColumnDef::new(ClassGraduates::ClassId).big_integer().not_null())
                    .col(ColumnDef::new(ClassGraduates::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(ClassGraduates::Grade).string_len(16).not_null())
                    .col(ColumnDef::new(ClassGraduates::Score).double().not_null())
                    .col(ColumnDef::new(ClassGraduates::ConfirmedBy).big_integer().null())
                    .col(ColumnDef::new(ClassGraduates::ConfirmedAtMs).big_integer().not_null())
                    .primary_key(Index::create().col(ClassGraduates::ClassId).col(ClassGraduates::PersonId))
                    .foreign_key(&mut crate::fk(
                        (ClassGraduates::Table, ClassGraduates::ClassId),
                        (PartyClasses::Table, PartyClasses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassGraduates::Table, ClassGraduates::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassGraduates::Table, ClassGraduates::ConfirmedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ClassGraduates::Table).to_owned()).await
    }
}
