//! Course assignments, the member-course records reports read, report
//! snapshots, and reminders.
//!
//! - `assignments`: an organizer requires a course of a target (org nodes
//!   with their subtrees, roles, named people; JSON like a course's
//!   audience) by a due day (`YYYY-MM-DD`). `assignment_members` is that
//!   target resolved to people, kept current as people join or move.
//! - `course_records`: one row per (member, course) that is assigned or
//!   studied: the member's node *now* (so a record moves with a member who
//!   transfers), the earliest due day among their assignments, lessons
//!   completed, when started and completed. Derived from `lesson_progress`
//!   and `assignment_members`; `record_dirty` lists the pairs whose record
//!   must be recomputed (a version per pair, so a recompute never clears a
//!   mark made while it ran).
//! - `report_counts`: per (course, node, due day) counts of records, so a
//!   roll-up over the whole organization reads thousands of rows, not
//!   millions. Recomputed with the records they count.
//! - `report_snapshots`: a report frozen as JSON, by hand or at a deadline.
//! - `notifications`: in-app messages to one person; `reminder_log`: every
//!   reminder sent, automatic or by an organizer; `reminders_sent`: which
//!   automatic reminders a person already had, so each goes out once.
//! - `people.email`: where e-mail reminders go, when SMTP is configured.

use sea_orm_migration::prelude::*;

use crate::m20261122_000001_orgs_and_people::{Orgs, People};
use crate::{fk, id_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    CourseId,
    OrgId,
    Target,
    DueOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AssignmentMembers {
    Table,
    AssignmentId,
    PersonId,
}

#[derive(DeriveIden)]
enum CourseRecords {
    Table,
    PersonId,
    CourseId,
    OrgId,
    DueOn,
    Assigned,
    LessonsDone,
    LessonsTotal,
    StartedAtMs,
    CompletedAtMs,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum RecordDirty {
    Table,
    PersonId,
    CourseId,
    Version,
}

#[derive(DeriveIden)]
enum ReportCounts {
    Table,
    CourseId,
    OrgId,
    DueOn,
    Records,
    Assigned,
    AssignedDone,
    Started,
    Completed,
}

#[derive(DeriveIden)]
enum ReportSnapshots {
    Table,
    Id,
    OrgId,
    Kind,
    SubjectId,
    Title,
    Reason,
    DueOn,
    TakenAtMs,
    TakenBy,
    Data,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    PersonId,
    Kind,
    Payload,
    CreatedAtMs,
    ReadAtMs,
}

#[derive(DeriveIden)]
enum ReminderLog {
    Table,
    Id,
    OrgId,
    SubjectKind,
    SubjectId,
    SentBy,
    SentAtMs,
    Recipients,
    Emailed,
}

#[derive(DeriveIden)]
enum RemindersSent {
    Table,
    PersonId,
    SubjectKind,
    SubjectId,
    Reason,
    SentAtMs,
}

#[derive(DeriveIden)]
enum PeopleEmail {
    #[sea_orm(iden = "email")]
    Email,
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .add_column(ColumnDef::new(PeopleEmail::Email).string_len(254).null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(id_column(Assignments::Id))
                    .col(ColumnDef::new(Assignments::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(Assignments::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(Assignments::Target).text().not_null())
                    .col(ColumnDef::new(Assignments::DueOn).string_len(10).not_null())
                    .col(ColumnDef::new(Assignments::CreatedBy).big_integer().null())
                    .col(ColumnDef::new(Assignments::CreatedAt).big_integer().not_null())
                    .col(ColumnDef::new(Assignments::UpdatedAt).big_integer().not_null())
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk((Assignments::Table, Assignments::OrgId), (Orgs::Table, Orgs::Id), Cascade))
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::CreatedBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("assignments_org", Assignments::Table, vec![Assignments::OrgId.into_iden()]))
            .await?;
        manager
            .create_index(index("assignments_course", Assignments::Table, vec![Assignments::CourseId.into_iden()]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AssignmentMembers::Table)
                    .col(ColumnDef::new(AssignmentMembers::AssignmentId).big_integer().not_null())
                    .col(ColumnDef::new(AssignmentMembers::PersonId).big_integer().not_null())
                    .primary_key(Index::create().col(AssignmentMembers::AssignmentId).col(AssignmentMembers::PersonId))
                    .foreign_key(&mut fk(
                        (AssignmentMembers::Table, AssignmentMembers::AssignmentId),
                        (Assignments::Table, Assignments::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (AssignmentMembers::Table, AssignmentMembers::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "assignment_members_person",
                AssignmentMembers::Table,
                vec![AssignmentMembers::PersonId.into_iden()],
            ))
            .await?;

        // No foreign key on `org_id`: it follows the person and is corrected
        // by the recompute, and must not hold a node back from deletion.
        manager
            .create_table(
                Table::create()
                    .table(CourseRecords::Table)
                    .col(ColumnDef::new(CourseRecords::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(CourseRecords::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(CourseRecords::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(CourseRecords::DueOn).string_len(10).null())
                    .col(ColumnDef::new(CourseRecords::Assigned).boolean().not_null().default(false))
                    .col(ColumnDef::new(CourseRecords::LessonsDone).integer().not_null().default(0))
                    .col(ColumnDef::new(CourseRecords::LessonsTotal).integer().not_null().default(0))
                    .col(ColumnDef::new(CourseRecords::StartedAtMs).big_integer().null())
                    .col(ColumnDef::new(CourseRecords::CompletedAtMs).big_integer().null())
                    .col(ColumnDef::new(CourseRecords::UpdatedAtMs).big_integer().not_null())
                    .primary_key(Index::create().col(CourseRecords::PersonId).col(CourseRecords::CourseId))
                    .foreign_key(&mut fk(
                        (CourseRecords::Table, CourseRecords::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (CourseRecords::Table, CourseRecords::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A course's records by branch; a branch's records by course.
        manager
            .create_index(index(
                "course_records_course_org",
                CourseRecords::Table,
                vec![CourseRecords::CourseId.into_iden(), CourseRecords::OrgId.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "course_records_org_course",
                CourseRecords::Table,
                vec![CourseRecords::OrgId.into_iden(), CourseRecords::CourseId.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecordDirty::Table)
                    .col(ColumnDef::new(RecordDirty::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(RecordDirty::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(RecordDirty::Version).big_integer().not_null().default(1))
                    .primary_key(Index::create().col(RecordDirty::PersonId).col(RecordDirty::CourseId))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportCounts::Table)
                    .col(ColumnDef::new(ReportCounts::CourseId).big_integer().not_null())
                    .col(ColumnDef::new(ReportCounts::OrgId).big_integer().not_null())
                    // '' when not assigned.
                    .col(ColumnDef::new(ReportCounts::DueOn).string_len(10).not_null())
                    .col(ColumnDef::new(ReportCounts::Records).integer().not_null())
                    .col(ColumnDef::new(ReportCounts::Assigned).integer().not_null())
                    .col(ColumnDef::new(ReportCounts::AssignedDone).integer().not_null())
                    .col(ColumnDef::new(ReportCounts::Started).integer().not_null())
                    .col(ColumnDef::new(ReportCounts::Completed).integer().not_null())
                    .primary_key(
                        Index::create().col(ReportCounts::CourseId).col(ReportCounts::OrgId).col(ReportCounts::DueOn),
                    )
                    .foreign_key(&mut fk(
                        (ReportCounts::Table, ReportCounts::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("report_counts_org", ReportCounts::Table, vec![ReportCounts::OrgId.into_iden()]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportSnapshots::Table)
                    .col(id_column(ReportSnapshots::Id))
                    .col(ColumnDef::new(ReportSnapshots::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(ReportSnapshots::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(ReportSnapshots::SubjectId).big_integer().null())
                    .col(ColumnDef::new(ReportSnapshots::Title).string_len(300).not_null())
                    .col(ColumnDef::new(ReportSnapshots::Reason).string_len(16).not_null())
                    // The deadline an automatic snapshot froze; null for one by hand.
                    .col(ColumnDef::new(ReportSnapshots::DueOn).string_len(10).null())
                    .col(ColumnDef::new(ReportSnapshots::TakenAtMs).big_integer().not_null())
                    .col(ColumnDef::new(ReportSnapshots::TakenBy).big_integer().null())
                    .col(ColumnDef::new(ReportSnapshots::Data).text().not_null())
                    .foreign_key(&mut fk(
                        (ReportSnapshots::Table, ReportSnapshots::OrgId),
                        (Orgs::Table, Orgs::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ReportSnapshots::Table, ReportSnapshots::TakenBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "report_snapshots_org",
                ReportSnapshots::Table,
                vec![ReportSnapshots::OrgId.into_iden(), ReportSnapshots::TakenAtMs.into_iden()],
            ))
            .await?;
        // At most one automatic snapshot per subject and deadline (nulls differ:
        // snapshots by hand never collide).
        manager
            .create_index(
                index(
                    "report_snapshots_subject",
                    ReportSnapshots::Table,
                    vec![
                        ReportSnapshots::Kind.into_iden(),
                        ReportSnapshots::SubjectId.into_iden(),
                        ReportSnapshots::DueOn.into_iden(),
                    ],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(id_column(Notifications::Id))
                    .col(ColumnDef::new(Notifications::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(Notifications::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Notifications::Payload).text().not_null())
                    .col(ColumnDef::new(Notifications::CreatedAtMs).big_integer().not_null())
                    .col(ColumnDef::new(Notifications::ReadAtMs).big_integer().null())
                    .foreign_key(&mut fk(
                        (Notifications::Table, Notifications::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "notifications_person",
                Notifications::Table,
                vec![Notifications::PersonId.into_iden(), Notifications::Id.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReminderLog::Table)
                    .col(id_column(ReminderLog::Id))
                    .col(ColumnDef::new(ReminderLog::OrgId).big_integer().not_null())
                    .col(ColumnDef::new(ReminderLog::SubjectKind).string_len(16).not_null())
                    .col(ColumnDef::new(ReminderLog::SubjectId).big_integer().not_null())
                    .col(ColumnDef::new(ReminderLog::SentBy).big_integer().null())
                    .col(ColumnDef::new(ReminderLog::SentAtMs).big_integer().not_null())
                    .col(ColumnDef::new(ReminderLog::Recipients).integer().not_null())
                    .col(ColumnDef::new(ReminderLog::Emailed).integer().not_null())
                    .foreign_key(&mut fk((ReminderLog::Table, ReminderLog::OrgId), (Orgs::Table, Orgs::Id), Cascade))
                    .foreign_key(&mut fk(
                        (ReminderLog::Table, ReminderLog::SentBy),
                        (People::Table, People::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "reminder_log_subject",
                ReminderLog::Table,
                vec![
                    ReminderLog::SubjectKind.into_iden(),
                    ReminderLog::SubjectId.into_iden(),
                    ReminderLog::SentAtMs.into_iden(),
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RemindersSent::Table)
                    .col(ColumnDef::new(RemindersSent::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(RemindersSent::SubjectKind).string_len(16).not_null())
                    .col(ColumnDef::new(RemindersSent::SubjectId).big_integer().not_null())
                    .col(ColumnDef::new(RemindersSent::Reason).string_len(16).not_null())
                    .col(ColumnDef::new(RemindersSent::SentAtMs).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(RemindersSent::PersonId)
                            .col(RemindersSent::SubjectKind)
                            .col(RemindersSent::SubjectId)
                            .col(RemindersSent::Reason),
                    )
                    .foreign_key(&mut fk(
                        (RemindersSent::Table, RemindersSent::PersonId),
                        (People::Table, People::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RemindersSent::Table.into_iden(),
            ReminderLog::Table.into_iden(),
            Notifications::Table.into_iden(),
            ReportSnapshots::Table.into_iden(),
            ReportCounts::Table.into_iden(),
            RecordDirty::Table.into_iden(),
            CourseRecords::Table.into_iden(),
            AssignmentMembers::Table.into_iden(),
            Assignments::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(People::Table).drop_column(PeopleEmail::Email).to_owned()).await
    }
}
