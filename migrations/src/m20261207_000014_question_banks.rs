//! Question banks (题库) and their questions, versioned.
//!
//! - `question_banks`: a bank belongs to an org node, like a course; its
//!   name is unique among the node's banks.
//! - `questions`: a question's identity in its bank, pointing at its
//!   current version. `fingerprint` is the current version's content hash
//!   (SHA-256 of its canonical JSON), so importing the same file again
//!   finds every question already there and adds nothing. `retired_at`
//!   takes a question out of the bank while attempts that showed it keep
//!   their version.
//! - `question_versions`: each version's content (`courses::exam::
//!   QuestionData` as JSON) with its kind, difficulty and categories.
//!   `shown` turns true once an attempt's paper draws the version: an
//!   edit after that makes a new version (a key correction alone changes
//!   it in place and regrades), an edit before it changes it in place.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};
use crate::{fk, id_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum QuestionBanks {
    Table,
    Id,
    OrgId,
    Name,
    Description,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum Questions {
    Table,
    Id,
    BankId,
    CurrentVersionId,
    Fingerprint,
    RetiredAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum QuestionVersions {
    Table,
    Id,
    QuestionId,
    Number,
    Kind,
    Difficulty,
    Categories,
    Data,
    Fingerprint,
    Shown,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(QuestionBanks::Table)
                    .col(id_column(QuestionBanks::Id))
                    .col(ColumnDef::new(QuestionBanks::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(QuestionBanks::Name).string_len(100).not_null())
                    .col(ColumnDef::new(QuestionBanks::Description).text().not_null().default(""))
                    .col(ColumnDef::new(QuestionBanks::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(QuestionBanks::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(QuestionBanks::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut fk(
                        (QuestionBanks::Table, QuestionBanks::OrgId),
                        (Orgs::Table, Orgs::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QuestionBanks::Table, QuestionBanks::CreatedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("question_banks_org_name")
                    .table(QuestionBanks::Table)
                    .col(QuestionBanks::OrgId)
                    .col(QuestionBanks::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    .col(id_column(Questions::Id))
                    .col(ColumnDef::new(Questions::BankId).big_integer().not_null())
                    // Set right after the first version is written, in the
                    // same transaction.
                    .col(ColumnDef::new(Questions::CurrentVersionId).big_integer().null())
                    .col(ColumnDef::new(Questions::Fingerprint).string_len(64).not_null())
                    .col(ColumnDef::new(Questions::RetiredAt).big_integer().null())
                    .col(ColumnDef::new(Questions::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Questions::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut fk(
                        (Questions::Table, Questions::BankId),
                        (QuestionBanks::Table, QuestionBanks::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Import looks questions up by content within a bank.
        manager
            .create_index(
                Index::create()
                    .name("questions_bank_fingerprint")
                    .table(Questions::Table)
                    .col(Questions::BankId)
                    .col(Questions::Fingerprint)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(QuestionVersions::Table)
                    .col(id_column(QuestionVersions::Id))
                    .col(ColumnDef::new(QuestionVersions::QuestionId).big_integer().not_null())
                    .col(ColumnDef::new(QuestionVersions::Number).integer().not_null())
                    .col(ColumnDef::new(QuestionVersions::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(QuestionVersions::Difficulty).small_integer().not_null())
                    // JSON list of category names.
                    .col(ColumnDef::new(QuestionVersions::Categories).text().not_null())
                    .col(ColumnDef::new(QuestionVersions::Data).text().not_null())
                    .col(ColumnDef::new(QuestionVersions::Fingerprint).string_len(64).not_null())
                    .col(ColumnDef::new(QuestionVersions::Shown).boolean().not_null().default(false))
                    .col(ColumnDef::new(QuestionVersions::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(QuestionVersions::CreatedAt).big_integer().not_null())
                    .foreign_key(&mut fk(
                        (QuestionVersions::Table, QuestionVersions::QuestionId),
                        (Questions::Table, Questions::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QuestionVersions::Table, QuestionVersions::CreatedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("question_versions_question_number")
                    .table(QuestionVersions::Table)
                    .col(QuestionVersions::QuestionId)
                    .col(QuestionVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [QuestionVersions::Table.into_iden(), Questions::Table.into_iden(), QuestionBanks::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
