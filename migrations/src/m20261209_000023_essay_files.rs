//! An essay handed in as a document: the original file in the object store
//! (its key and name) beside the text read out of it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClassEssays {
    Table,
    FileKey,
    FileName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(ClassEssays::Table)
                    .add_column(ColumnDef::new(ClassEssays::FileKey).string_len(300).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ClassEssays::Table)
                    .add_column(ColumnDef::new(ClassEssays::FileName).string_len(255).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [ClassEssays::FileName, ClassEssays::FileKey] {
            manager.alter_table(Table::alter().table(ClassEssays::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
