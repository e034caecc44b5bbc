//! Attachments of notices, and the discussion under lessons and courses:
//! comments, their reports, each moderation step (who, when, why), the
//! admins' sensitive-word list, and a course's 先审后发 switch.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NoticeAttachments {
    Table,
    Id,
    NoticeId,
    FileName,
    SizeBytes,
    ObjectKey,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    CommentsReviewed,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    CourseId,
    LessonId,
    ParentId,
    AuthorId,
    AuthorName,
    AuthorOrgId,
    SurnameOnly,
    Body,
    State,
    HeldFor,
    Matched,
    ModerationReason,
    OpenReports,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum CommentReports {
    Table,
    CommentId,
    PersonId,
    Reason,
    AtMs,
    Open,
}

#[derive(DeriveIden)]
enum CommentSteps {
    Table,
    Id,
    CommentId,
    Action,
    ById,
    ByName,
    AtMs,
    Reason,
}

#[derive(DeriveIden)]
enum SensitiveWords {
    Table,
    Word,
    AddedById,
    AddedAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(NoticeAttachments::Table)
                    .col(crate::id_column(NoticeAttachments::Id))
                    .col(ColumnDef::new(NoticeAttachments::NoticeId).big_integer().not_null())
                    .col(ColumnDef::new(NoticeAttachments::FileName).string_len(400).not_null())
                    .col(ColumnDef::new(NoticeAttachments::SizeBytes).big_integer().not_null())
                    .col(ColumnDef::new(NoticeAttachments::ObjectKey).string_len(400).not_null())
                    .col(ColumnDef::new(NoticeAttachments::CreatedAtMs).big_integer().not_null())
                    .foreign_key(&mut crate::fk(
                        (NoticeAttachments::Table, NoticeAttachments::NoticeId),
                        (Notices::Table, Notices::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notice_attachments_notice")
                    .table(NoticeAttachments::Table)
                    .col(NoticeAttachments::NoticeId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(ColumnDef::new(Courses::CommentsReviewed).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Comments::Table)
                    .col(crate::id_column(Comments::Id))
                    .col(ColumnDef::new(Comments::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(Comments::LessonId).big_integer().null())
                    .col(ColumnDef::new(Comments::ParentId).big_integer().null())
                    .col(ColumnDef::new(Comments::AuthorId).big_integer().null())
                    .col(ColumnDef::new(Comments::AuthorName).string_len(400).not_null())
                    .col(ColumnDef::new(Comments::AuthorOrgId).big_integer().null())
                    .col(ColumnDef::new(Comments::SurnameOnly).boolean().not_null())
                    .col(ColumnDef::new(Comments::Body).text().not_null())
                    .col(ColumnDef::new(Comments::State).string_len(16).not_null())
                    .col(ColumnDef::new(Comments::HeldFor).string_len(16).null())
                    .col(ColumnDef::new(Comments::Matched).string_len(2000).null())
                    .col(ColumnDef::new(Comments::ModerationReason).string_len(1000).null())
                    .col(ColumnDef::new(Comments::OpenReports).integer().not_null().default(0))
                    .col(ColumnDef::new(Comments::CreatedAtMs).big_integer().not_null())
                    .foreign_key(&mut crate::fk(
                        (Comments::Table, Comments::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Comments::Table, Comments::LessonId),
                        (Lessons::Table, Lessons::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Comments::Table, Comments::ParentId),
                        (Comments::Table, Comments::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Comments::Table, Comments::AuthorId),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut crate::fk(
                        (Comments::Table, Comments::AuthorOrgId),
                        (Orgs::Table, Orgs::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_comments_course_lesson", vec![Comments::CourseId, Comments::LessonId]),
            ("ix_comments_parent", vec![Comments::ParentId]),
            ("ix_comments_state", vec![Comments::State, Comments::OpenReports]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Comments::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CommentReports::Table)
                    .col(ColumnDef::new(CommentReports::CommentId).big_integer().not_null())
                    .col(ColumnDef::new(CommentReports::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(CommentReports::Reason).string_len(1000).not_null())
                    .col(ColumnDef::new(CommentReports::AtMs).big_integer().not_null())
                    .col(ColumnDef::new(CommentReports::Open).boolean().not_null())
                    .primary_key(Index::create().col(CommentReports::CommentId).col(CommentReports::PersonId))
                    .foreign_key(&mut crate::fk(
                        (CommentReports::Table, CommentReports::CommentId),
                        (Comments::Table, Comments::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (CommentReports::Table, CommentReports::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommentSteps::Table)
                    .col(crate::id_column(CommentSteps::Id))
                    .col(ColumnDef::new(CommentSteps::CommentId).big_integer().not_null())
                    .col(ColumnDef::new(CommentSteps::Action).string_len(16).not_null())
                    .col(ColumnDef::new(CommentSteps::ById).big_integer().null())
                    .col(ColumnDef::new(CommentSteps::ByName).string_len(400).not_null())
                    .col(ColumnDef::new(CommentSteps::AtMs).big_integer().not_null())
                    .col(ColumnDef::new(CommentSteps::Reason).string_len(1000).null())
                    .foreign_key(&mut crate::fk(
                        (CommentSteps::Table, CommentSteps::CommentId),
                        (Comments::Table, Comments::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (CommentSteps::Table, CommentSteps::ById),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_comment_steps_comment")
                    .table(CommentSteps::Table)
                    .col(CommentSteps::CommentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SensitiveWords::Table)
                    .col(ColumnDef::new(SensitiveWords::Word).string_len(200).not_null().primary_key())
                    .col(ColumnDef::new(SensitiveWords::AddedById).big_integer().null())
                    .col(ColumnDef::new(SensitiveWords::AddedAtMs).big_integer().not_null())
                    .foreign_key(&mut crate::fk(
                        (SensitiveWords::Table, SensitiveWords::AddedById),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SensitiveWords::Table.into_iden(),
            CommentSteps::Table.into_iden(),
            CommentReports::Table.into_iden(),
            Comments::Table.into_iden(),
            NoticeAttachments::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Courses::Table).drop_column(Courses::CommentsReviewed).to_owned())
            .await
    }
}
