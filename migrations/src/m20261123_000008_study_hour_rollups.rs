//! Roll-ups of credited study time, so the study-hours report reads one row
//! per member, not every line of their 学时 receipt.
//!
//! - `study_days`: credited milliseconds per (member, day), added to by the
//!   heartbeat batch that credits them. `dirty` says the day changed since
//!   its member's year was last summed; a partial index finds those days.
//! - `study_years`: per (member, year) the credited total, the total that
//!   counts after the daily cap (`counted_ms`) and the credited total of each
//!   month, recomputed from `study_days` (`services::study::rollup`).
//!
//! Existing receipts are summed into `study_days` here, every day marked,
//! so the first refresh fills `study_years`.

use sea_orm_migration::prelude::*;

use crate::fk;
use crate::m20261122_000001_orgs_and_people::People;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StudyDays {
    Table,
    PersonId,
    Day,
    Year,
    CreditedMs,
    Dirty,
}

#[derive(DeriveIden)]
enum StudyYears {
    Table,
    PersonId,
    Year,
    CreditedMs,
    CountedMs,
}

/// `m01` … `m12`: credited milliseconds of each month.
const MONTHS: [&str; 12] = ["m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StudyDays::Table)
                    .col(ColumnDef::new(StudyDays::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(StudyDays::Day).string_len(10).not_null())
                    .col(ColumnDef::new(StudyDays::Year).integer().not_null())
                    .col(ColumnDef::new(StudyDays::CreditedMs).big_integer().not_null())
                    .col(ColumnDef::new(StudyDays::Dirty).boolean().not_null().default(true))
                    .primary_key(Index::create().col(StudyDays::PersonId).col(StudyDays::Day))
                    .foreign_key(&mut fk(
                        (StudyDays::Table, StudyDays::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Partial: only the few days changed since the last refresh are in
        // it, so marking and clearing stay cheap (SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX study_days_dirty ON study_days (person_id, year) WHERE dirty")
            .await?;

        let mut years = Table::create();
        years
            .table(StudyYears::Table)
            .col(ColumnDef::new(StudyYears::PersonId).big_integer().not_null())
            .col(ColumnDef::new(StudyYears::Year).integer().not_null())
            .col(ColumnDef::new(StudyYears::CreditedMs).big_integer().not_null())
            .col(ColumnDef::new(StudyYears::CountedMs).big_integer().not_null());
        for m in MONTHS {
            years.col(ColumnDef::new(Alias::new(m)).big_integer().not_null().default(0));
        }
        manager
            .create_table(
                years
                    .primary_key(Index::create().col(StudyYears::PersonId).col(StudyYears::Year))
                    .foreign_key(&mut fk(
                        (StudyYears::Table, StudyYears::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO study_days (person_id, day, year, credited_ms, dirty) \
                 SELECT se.person_id, se.day, MIN(se.year), SUM(se.wall_ms), TRUE FROM study_entries se \
                 JOIN people p ON p.id = se.person_id WHERE se.credited GROUP BY se.person_id, se.day",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(StudyYears::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(StudyDays::Table).to_owned()).await
    }
}
