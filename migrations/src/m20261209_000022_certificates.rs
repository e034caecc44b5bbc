//! Certificates (结业证书) of party-class graduates, and the counters that
//! rate-limit their public verification.
//!
//! A certificate keeps what it says (name, class, term, 学时, grade,
//! issuer, date) as it was issued, so verifying it does not depend on the
//! class or person rows staying as they are. Its serial is unique, and
//! numbered per issuing org and year (`seq`).

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PartyClasses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Serial,
    ClassId,
    PersonId,
    IssuerOrgId,
    Year,
    Seq,
    Name,
    ClassName,
    TermFrom,
    TermTo,
    Hours,
    Grade,
    IssuerName,
    IssuedOn,
    IssuedAtMs,
    IssuedBy,
    Edition,
    RevokedAtMs,
    RevokedBy,
    RevokeReason,
}

#[derive(DeriveIden)]
enum VerifyLookups {
    Table,
    Client,
    WindowStart,
    Lookups,
    Misses,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Certificates as C;
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(crate::id_column(C::Id))
                    .col(ColumnDef::new(C::Serial).string_len(40).not_null())
                    .col(ColumnDef::new(C::ClassId).big_integer().not_null())
                    .col(ColumnDef::new(C::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(C::IssuerOrgId).big_integer().not_null())
                    .col(ColumnDef::new(C::Year).integer().not_null())
                    .col(ColumnDef::new(C::Seq).integer().not_null())
                    .col(ColumnDef::new(C::Name).string_len(400).not_null())
                    .col(ColumnDef::new(C::ClassName).string_len(400).not_null())
                    .col(ColumnDef::new(C::TermFrom).string_len(10).not_null())
                    .col(ColumnDef::new(C::TermTo).string_len(10).not_null())
                    .col(ColumnDef::new(C::Hours).double().not_null())
                    .col(ColumnDef::new(C::Grade).string_len(16).not_null())
                    .col(ColumnDef::new(C::IssuerName).string_len(400).not_null())
                    .col(ColumnDef::new(C::IssuedOn).string_len(10).not_null())
                    .col(ColumnDef::new(C::IssuedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(C::IssuedBy).big_integer().null())
                    .col(ColumnDef::new(C::Edition).integer().not_null())
                    .col(ColumnDef::new(C::RevokedAtMs).big_integer().null())
                    .col(ColumnDef::new(C::RevokedBy).big_integer().null())
                    .col(ColumnDef::new(C::RevokeReason).string_len(2000).null())
                    .foreign_key(&mut crate::fk(
                        (C::Table, C::ClassId),
                        (PartyClasses::Table, PartyClasses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk((C::Table, C::PersonId), (People::Table, People::Id), Cascade))
                    .foreign_key(&mut crate::fk((C::Table, C::IssuerOrgId), (Orgs::Table, Orgs::Id), Restrict))
                    .foreign_key(&mut crate::fk((C::Table, C::IssuedBy), (People::Table, People::Id), SetNull))
                    .foreign_key(&mut crate::fk((C::Table, C::RevokedBy), (People::Table, People::Id), SetNull))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ux_certificates_serial", vec![C::Serial]),
            ("ux_certificates_class_person", vec![C::ClassId, C::PersonId]),
            ("ux_certificates_issuer_year_seq", vec![C::IssuerOrgId, C::Year, C::Seq]),
        ] {
            let mut index = Index::create().name(name).table(C::Table).unique().to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }
        manager
            .create_index(Index::create().name("ix_certificates_person").table(C::Table).col(C::PersonId).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VerifyLookups::Table)
                    .col(ColumnDef::new(VerifyLookups::Client).string_len(64).not_null().primary_key())
                    .col(ColumnDef::new(VerifyLookups::WindowStart).big_integer().not_null())
                    .col(ColumnDef::new(VerifyLookups::Lookups).integer().not_null())
                    .col(ColumnDef::new(VerifyLookups::Misses).integer().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(VerifyLookups::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Certificates::Table).to_owned()).await
    }
}
