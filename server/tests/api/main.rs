//! API integration tests: the real router on port 0, each test with its own
//! database, run on both SQLite and PostgreSQL.

mod helpers;

mod assignments;
mod auth;
mod authorization;
mod backup;
mod certificates;
mod class_files;
mod classes;
mod continue_study;
mod course_files;
mod courses;
mod csrf;
mod discussion;
mod exam_lessons;
mod exams;
mod health;
mod hostile_names;
mod import;
mod jobs;
mod lessons;
mod media;
mod meetings;
mod new_task_email;
mod notice_files;
mod notices;
mod organizer_views;
mod orgs;
mod pages;
mod people;
mod pipeline;
mod question_banks;
mod reminder_email;
mod reminders;
mod report_files;
mod reports;
mod sessions;
mod smtp_sink;
mod sqlite_wal;
mod standing;
mod study;
mod suggestions;
mod uploads;
mod voice_authorization;
mod worker;
