//! A party class's offline sessions (集中学习) are meetings of the class's
//! node with `class_id` set: their roster is the class's students, and
//! `minutes` (the session's length) is what the absence limit is counted
//! in. Other meetings keep `class_id` empty and `minutes` 0.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    ClassId,
    Minutes,
}

const INDEX: &str = "meetings_class";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(ColumnDef::new(Meetings::ClassId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(ColumnDef::new(Meetings::Minutes).integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name(INDEX).table(Meetings::Table).col(Meetings::ClassId).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(Meetings::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Meetings::Table).drop_column(Meetings::Minutes).to_owned()).await?;
        manager.alter_table(Table::alter().table(Meetings::Table).drop_column(Meetings::ClassId).to_owned()).await
    }
}
