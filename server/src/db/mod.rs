//! The database: the sea-orm entities of the schema defined in the
//! `migrations` crate, one file each; and, each in its own file,
//! connecting and migrating (`connect`), keeping SQLite's WAL short
//! (`checkpoint`), helpers for raw SQL (`sql`), retrying a transaction
//! another writer crowded out (`busy`) and the clock (`clock`).

pub mod assignment_members;
pub mod assignments;
pub mod attempt_answers;
pub mod attempt_hidden;
pub mod certificates;
pub mod chapters;
pub mod class_essay_tasks;
pub mod class_essays;
pub mod class_graduates;
pub mod class_students;
pub mod class_teachers;
pub mod comment_reports;
pub mod comment_steps;
pub mod comments;
pub mod course_records;
pub mod courses;
pub mod exam_attempts;
pub mod exam_credits;
pub mod exams;
pub mod heartbeats;
pub mod jobs;
pub mod lesson_attachments;
pub mod lesson_progress;
pub mod lessons;
pub mod login_failures;
pub mod lost;
pub mod media;
pub mod media_slides;
pub mod meeting_attendance;
pub mod meeting_lessons;
pub mod meetings;
pub mod notice_attachments;
pub mod notice_reads;
pub mod notice_steps;
pub mod notice_targets;
pub mod notices;
pub mod notifications;
pub mod orgs;
pub mod party_classes;
pub mod party_milestones;
pub mod people;
pub mod playback_sessions;
pub mod question_banks;
pub mod question_key_changes;
pub mod question_versions;
pub mod questions;
pub mod record_dirty;
pub mod reminder_log;
pub mod reminders_sent;
pub mod report_counts;
pub mod report_snapshots;
pub mod sensitive_words;
pub mod sessions;
pub mod study_days;
pub mod study_entries;
pub mod study_hour_rules;
pub mod study_years;
pub mod suggestions;
pub mod uploads;
pub mod verify_lookups;

mod busy;
mod checkpoint;
mod clock;
mod connect;
pub mod sql;

pub use busy::retry_when_busy;
pub use checkpoint::{checkpoint_in_background, WalRestart, PASSIVE_CHECKPOINT};
pub use clock::{day_of, now, now_ms};
pub use connect::{connect, migrate, ping};
pub use sql::begin_writing;
