//! Party classes (培训班).
//!
//! - `party_classes`: a class of an org node: name, term, what students
//!   must complete (`required_courses` JSON, `required_hours`), the final
//!   exam, and the grading (`weights`, `thresholds` JSON, resits, essay
//!   length, absence limit).
//! - `class_teachers`: its 班主任.
//! - `class_students`: who is enrolled, when and by whom.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PartyClasses {
    Table,
    Id,
    OrgId,
    Name,
    TermFrom,
    TermTo,
    RequiredCourses,
    RequiredHours,
    FinalExamId,
    Weights,
    Thresholds,
    ResitAllowed,
    MinEssayChars,
    MaxAbsencePercent,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ClassTeachers {
    Table,
    ClassId,
    PersonId,
}

#[derive(DeriveIden)]
enum ClassStudents {
    Table,
    ClassId,
    PersonId,
    EnrolledAtMs,
    EnrolledBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(PartyClasses::Table)
                    .col(crate::id_column(PartyClasses::Id))
                    .col(ColumnDef::new(PartyClasses::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(PartyClasses::Name).string_len(400).not_null())
                    .col(ColumnDef::new(PartyClasses::TermFrom).string_len(10).not_null())
                    .col(ColumnDef::new(PartyClasses::TermTo).string_len(10).not_null())
                    .col(ColumnDef::new(PartyClasses::RequiredCourses).text().not_null())
                    .col(ColumnDef::new(PartyClasses::RequiredHours).integer().not_null())
                    .col(ColumnDef::new(PartyClasses::FinalExamId).big_integer().null())
                    .col(ColumnDef::new(PartyClasses::Weights).text().not_null())
                    .col(ColumnDef::new(PartyClasses::Thresholds).text().not_null())
                    .col(ColumnDef::new(PartyClasses::ResitAllowed).boolean().not_null())
                    .col(ColumnDef::new(PartyClasses::MinEssayChars).integer().not_null())
                    .col(ColumnDef::new(PartyClasses::MaxAbsencePercent).integer().not_null())
                    .col(ColumnDef::new(PartyClasses::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(PartyClasses::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(PartyClasses::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut crate::fk(
                        (PartyClasses::Table, PartyClasses::OrgId),
                        (Orgs::Table, Orgs::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (PartyClasses::Table, PartyClasses::CreatedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("party_classes_org")
                    .table(PartyClasses::Table)
                    .col(PartyClasses::OrgId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassTeachers::Table)
                    .col(ColumnDef::new(ClassTeachers::ClassId).big_integer().not_null())
                    .col(ColumnDef::new(ClassTeachers::PersonId).big_integer().not_null())
                    .primary_key(Index::create().col(ClassTeachers::ClassId).col(ClassTeachers::PersonId))
                    .foreign_key(&mut crate::fk(
                        (ClassTeachers::Table, ClassTeachers::ClassId),
                        (PartyClasses::Table, PartyClasses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassTeachers::Table, ClassTeachers::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassStudents::Table)
                    .col(ColumnDef::new(ClassStudents::ClassId).big_integer().not_null())
                    .col(ColumnDef::new(ClassStudents::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(ClassStudents::EnrolledAtMs).big_integer().not_null())
                    .col(ColumnDef::new(ClassStudents::EnrolledBy).big_integer().null())
                    .primary_key(Index::create().col(ClassStudents::ClassId).col(ClassStudents::PersonId))
                    .foreign_key(&mut crate::fk(
                        (ClassStudents::Table, ClassStudents::ClassId),
                        (PartyClasses::Table, PartyClasses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassStudents::Table, ClassStudents::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (ClassStudents::Table, ClassStudents::EnrolledBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("class_students_person")
                    .table(ClassStudents::Table)
                    .col(ClassStudents::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ClassStudents::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ClassTeachers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(PartyClasses::Table).to_owned()).await
    }
}
