//! dangxiao's database migrations. Each change is one file with `up` and
//! `down`; the same files run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_orgs_and_people;
mod m20261122_000002_sessions;
mod m20261122_000003_media_and_jobs;
mod m20261122_000004_courses_and_progress;
mod m20261123_000005_course_editor;
mod m20261123_000006_meetings;
mod m20261123_000007_assignments_and_reports;
mod m20261123_000008_study_hour_rollups;
mod m20261124_000009_progress_by_course_and_person;
mod m20261124_000010_key_columns_compare_bytewise;
mod m20261124_000011_require_unchanged;
mod m20261124_000012_heartbeat_logs_without_foreign_keys;
mod m20261125_000013_assignments_unique_target;
mod m20261207_000014_question_banks;
mod m20261207_000015_exams;
mod m20261208_000016_exam_lessons;
mod m20261208_000017_party_standing;
mod m20261208_000018_party_classes;
mod m20261208_000019_class_essays;
mod m20261208_000020_class_sessions;
mod m20261208_000021_class_graduates;
mod m20261209_000022_certificates;
mod m20261209_000023_essay_files;
mod m20261210_000024_notices;
mod m20261211_000025_discussion;
mod m20261211_000026_suggestions;
mod m20261212_000027_media_ladder;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_orgs_and_people::Migration),
            Box::new(m20261122_000002_sessions::Migration),
            Box::new(m20261122_000003_media_and_jobs::Migration),
            Box::new(m20261122_000004_courses_and_progress::Migration),
            Box::new(m20261123_000005_course_editor::Migration),
            Box::new(m20261123_000006_meetings::Migration),
            Box::new(m20261123_000007_assignments_and_reports::Migration),
            Box::new(m20261123_000008_study_hour_rollups::Migration),
            Box::new(m20261124_000009_progress_by_course_and_person::Migration),
            Box::new(m20261124_000010_key_columns_compare_bytewise::Migration),
            Box::new(m20261124_000011_require_unchanged::Migration),
            Box::new(m20261124_000012_heartbeat_logs_without_foreign_keys::Migration),
            Box::new(m20261125_000013_assignments_unique_target::Migration),
            Box::new(m20261207_000014_question_banks::Migration),
            Box::new(m20261207_000015_exams::Migration),
            Box::new(m20261208_000016_exam_lessons::Migration),
            Box::new(m20261208_000017_party_standing::Migration),
            Box::new(m20261208_000018_party_classes::Migration),
            Box::new(m20261208_000019_class_essays::Migration),
            Box::new(m20261208_000020_class_sessions::Migration),
            Box::new(m20261208_000021_class_graduates::Migration),
            Box::new(m20261209_000022_certificates::Migration),
            Box::new(m20261209_000023_essay_files::Migration),
            Box::new(m20261210_000024_notices::Migration),
            Box::new(m20261211_000025_discussion::Migration),
            Box::new(m20261211_000026_suggestions::Migration),
            Box::new(m20261212_000027_media_ladder::Migration),
        ]
    }
}

/// An auto-increment 64-bit primary key (SQLite maps it to its rowid).
pub(crate) fn id_column<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().auto_increment().primary_key().to_owned()
}

/// A foreign key from `(table, column)` to `(table, column)`.
pub(crate) fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}
