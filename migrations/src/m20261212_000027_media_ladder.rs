//! Video lessons are published once their lowest rendition is ready; the
//! rungs above it follow. `ladder` says where those stand (`pending`,
//! `complete`, `failed`; NULL for items without rungs to add) and
//! `ladder_problem` why they failed, while the lesson plays on.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Media {
    Table,
    Ladder,
    LadderProblem,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .add_column(ColumnDef::new(Media::Ladder).string_len(16).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .add_column(ColumnDef::new(Media::LadderProblem).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Media::Table).drop_column(Media::LadderProblem).to_owned()).await?;
        manager.alter_table(Table::alter().table(Media::Table).drop_column(Media::Ladder).to_owned()).await
    }
}
