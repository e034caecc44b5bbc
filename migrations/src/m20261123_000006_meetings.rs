//! Meetings (三会一课) and the make-up study (补学) they assign.
//!
//! - `meetings`: one meeting of an org node: kind (`courses::meeting::MeetingKind`
//!   code), the day it was held and the last day of its make-up study
//!   (`YYYY-MM-DD`, compared as text), topic. A node deleted (only possible
//!   once it has no people and no children) takes its meetings with it.
//! - `meeting_lessons`: the lessons the meeting used, in order; the material
//!   absent members make up. A lesson can only be deleted while nobody has
//!   studied it, and then leaves the meetings that used it.
//! - `meeting_attendance`: the roster as it was when the meeting was
//!   recorded, one row per person with `present`, `absent` or `leave`. A row
//!   that is not `present` *is* the make-up assignment; marking the person
//!   present withdraws it. Progress is never stored here: it is the
//!   person's `lesson_progress` for the meeting's lessons, which nothing
//!   about meetings ever deletes. `attendance_person` finds a member's
//!   assignments.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};
use crate::{fk, id_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    OrgId,
    Kind,
    HeldOn,
    Topic,
    MakeupDeadline,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingLessons {
    Table,
    MeetingId,
    LessonId,
    Position,
}

#[derive(DeriveIden)]
enum MeetingAttendance {
    Table,
    MeetingId,
    PersonId,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(id_column(Meetings::Id))
                    .col(ColumnDef::new(Meetings::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Meetings::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Meetings::HeldOn).string_len(10).not_null())
                    .col(ColumnDef::new(Meetings::Topic).string_len(200).not_null())
                    .col(ColumnDef::new(Meetings::MakeupDeadline).string_len(10).not_null())
                    .col(ColumnDef::new(Meetings::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(Meetings::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Meetings::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut fk((Meetings::Table, Meetings::OrgId), (Orgs::Table, Orgs::Id), Cascade))
                    .foreign_key(&mut fk((Meetings::Table, Meetings::CreatedBy), (People::Table, People::Id), SetNull))
                    .to_owned(),
            )
            .await?;
        // Lists are per node, newest first.
        manager
            .create_index(
                Index::create()
                    .name("meetings_org_held_on")
                    .table(Meetings::Table)
                    .col(Meetings::OrgId)
                    .col(Meetings::HeldOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingLessons::Table)
                    .col(ColumnDef::new(MeetingLessons::MeetingId).big_integer().not_null())
                    .col(ColumnDef::new(MeetingLessons::LessonId).big_integer().not_null())
                    .col(ColumnDef::new(MeetingLessons::Position).integer().not_null())
                    .primary_key(Index::create().col(MeetingLessons::MeetingId).col(MeetingLessons::LessonId))
                    .foreign_key(&mut fk(
                        (MeetingLessons::Table, MeetingLessons::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (MeetingLessons::Table, MeetingLessons::LessonId),
                        (Lessons::Table, Lessons::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meeting_lessons_lesson")
                    .table(MeetingLessons::Table)
                    .col(MeetingLessons::LessonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingAttendance::Table)
                    .col(ColumnDef::new(MeetingAttendance::MeetingId).big_integer().not_null())
                    .col(ColumnDef::new(MeetingAttendance::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(MeetingAttendance::Status).string_len(16).not_null())
                    .col(ColumnDef::new(MeetingAttendance::UpdatedAt).big_integer().not_null())
                    // One row per (meeting, person).
                    .primary_key(Index::create().col(MeetingAttendance::MeetingId).col(MeetingAttendance::PersonId))
                    .foreign_key(&mut fk(
                        (MeetingAttendance::Table, MeetingAttendance::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (MeetingAttendance::Table, MeetingAttendance::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("meeting_attendance_person")
                    .table(MeetingAttendance::Table)
                    .col(MeetingAttendance::PersonId)
                    .col(MeetingAttendance::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [MeetingAttendance::Table.into_iden(), MeetingLessons::Table.into_iden(), Meetings::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
