//! Studying a lesson: playback sessions, the ledger heartbeats feed (see
//! [`crate::services::heartbeats`]), and the records members and organizers
//! read back.
//!
//! - this module: opening a lesson (one active session per member) and
//!   reading one's progress for resume and the seek bar;
//! - [`material`]: what a lesson page shows, and its media files;
//! - [`article`]: article lessons' Markdown, rendered and sanitized;
//! - [`hours`]: 学时 totals, the receipt and the conversion rules;
//! - [`rollup`]: credited time per member and year, for reports;
//! - [`xapi`]: the record as xAPI statements.

pub mod article;
pub mod hours;
pub mod material;
pub mod playlist;
pub mod rollup;
pub mod xapi;

use courses::progress::api::{LessonProgress, OpenedSession};
use courses::progress::{LessonKind, LessonLedger, WatchedRanges};
use courses::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use crate::db::{self, heartbeats, lesson_progress, playback_sessions, study_entries};
use crate::error::{Detail, Error, Result};
use crate::services::catalog;

/// Deletes a deleted person's heartbeats and receipt lines. Call it after
/// deleting the person (whose playback sessions cascade), in the same
/// transaction: a heartbeat batch writing for one of those sessions at that
/// moment holds the session's row until it commits, so the person's delete
/// waits for it and this, a later statement, sees its rows. (PostgreSQL has
/// no foreign keys from these logs to the sessions: migration
/// m20261124_000012. On SQLite the cascade has already deleted them.)
pub async fn forget_logs_of_person(db: &impl ConnectionTrait, person_id: i64) -> Result<()> {
    heartbeats::Entity::delete_many().filter(heartbeats::Column::PersonId.eq(person_id)).exec(db).await?;
    study_entries::Entity::delete_many().filter(study_entries::Column::PersonId.eq(person_id)).exec(db).await?;
    Ok(())
}

/// Deletes a deleted lesson's heartbeats and receipt lines, as
/// [`forget_logs_of_person`] does for a person.
pub async fn forget_logs_of_lesson(db: &impl ConnectionTrait, course_id: i64, lesson_id: i64) -> Result<()> {
    heartbeats::Entity::delete_many().filter(heartbeats::Column::LessonId.eq(lesson_id)).exec(db).await?;
    study_entries::Entity::delete_many()
        .filter(study_entries::Column::CourseId.eq(course_id))
        .filter(study_entries::Column::LessonId.eq(lesson_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Heartbeat interval the page is told to use.
pub const HEARTBEAT_SECONDS: u32 = 12;

/// Reads a stored ledger row.
pub fn ledger_of(row: &lesson_progress::Model) -> Result<LessonLedger> {
    let bad = |what: &str, e: serde_json::Error| {
        Error::Internal(anyhow::anyhow!("lesson_progress ({}, {}) {what}: {e}", row.person_id, row.lesson_id))
    };
    let watched: WatchedRanges = serde_json::from_str(&row.watched).map_err(|e| bad("watched", e))?;
    let slide_ms: Vec<u64> = serde_json::from_str(&row.slide_ms).map_err(|e| bad("slide_ms", e))?;
    Ok(LessonLedger {
        watched,
        slide_ms,
        visible_ms: row.visible_ms.max(0) as u64,
        study_ms: row.study_ms.max(0) as u64,
        position: row.position.max(0) as u64,
        completed_at: row.completed_at_ms,
    })
}

/// The stored row for `ledger`: the inverse of [`ledger_of`].
pub fn ledger_row(
    person_id: i64,
    lesson_id: i64,
    course_id: i64,
    ledger: &LessonLedger,
    now_ms: i64,
) -> Result<lesson_progress::Model> {
    Ok(lesson_progress::Model {
        person_id,
        lesson_id,
        course_id,
        watched: serde_json::to_string(&ledger.watched).map_err(|e| Error::Internal(e.into()))?,
        slide_ms: serde_json::to_string(&ledger.slide_ms).map_err(|e| Error::Internal(e.into()))?,
        visible_ms: ledger.visible_ms as i64,
        study_ms: ledger.study_ms as i64,
        position: ledger.position as i64,
        completed_at_ms: ledger.completed_at,
        updated_at_ms: now_ms,
    })
}

async fn ledger_for(db: &impl sea_orm::ConnectionTrait, person_id: i64, lesson_id: i64) -> Result<LessonLedger> {
    match lesson_progress::Entity::find_by_id((person_id, lesson_id)).one(db).await? {
        Some(row) => ledger_of(&row),
        None => Ok(LessonLedger::default()),
    }
}

/// Opens a lesson on this device: a new playback session that takes over
/// from any other session of the member (which stops earning).
pub async fn open_session(db: &DatabaseConnection, actor: &Actor, lesson_id: i64) -> Result<OpenedSession> {
    let lesson = catalog::lesson_for_study(db, actor, lesson_id).await?;
    if lesson.facts.kind == LessonKind::Exam {
        // A quiz is taken on the exam's page; its attempts are the record.
        return Err(Error::Invalid(Detail::text(
            "测验课时不记录学习时长，请在考试页面作答。",
            "A quiz lesson records no study time; answer it on the exam page.",
        )));
    }
    let now = db::now_ms();
    let id = uuid::Uuid::new_v4().to_string();
    let txn = db.begin().await?;
    playback_sessions::Entity::update_many()
        .col_expr(playback_sessions::Column::Superseded, Expr::value(true))
        .filter(playback_sessions::Column::PersonId.eq(actor.id.0))
        .filter(playback_sessions::Column::Superseded.eq(false))
        .exec(&txn)
        .await?;
    let ledger = ledger_for(&txn, actor.id.0, lesson_id).await?;
    playback_sessions::ActiveModel {
        id: Set(id.clone()),
        person_id: Set(actor.id.0),
        lesson_id: Set(lesson_id),
        opened_at_ms: Set(now),
        last_beat_at_ms: Set(now),
        last_seq: Set(0),
        claimed_ms: Set(0),
        position: Set(ledger.position as i64),
        superseded: Set(false),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(OpenedSession {
        session_id: id,
        rules: lesson.course.rules,
        heartbeat_seconds: HEARTBEAT_SECONDS,
        duration_seconds: lesson.facts.duration_ms as f64 / 1000.0,
        slide_count: lesson.facts.slide_count,
        progress: LessonProgress::of(lesson_id, &lesson.facts, &lesson.course.rules, &ledger),
    })
}

/// The actor's progress in a lesson: where to resume, what was watched.
pub async fn progress(db: &DatabaseConnection, actor: &Actor, lesson_id: i64) -> Result<LessonProgress> {
    let lesson = catalog::lesson_for_study(db, actor, lesson_id).await?;
    let ledger = ledger_for(db, actor.id.0, lesson_id).await?;
    Ok(LessonProgress::of(lesson_id, &lesson.facts, &lesson.course.rules, &ledger))
}
