//! Courses and lessons as callers see them: one course's lessons and
//! chapters, and the views of many courses with three queries in all.

use std::collections::HashMap;

use courses::course::learning::bind_due;
use courses::course::{ChapterView, CourseProgress, CourseView, LessonView, StudyStatus};
use courses::Actor;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{facts_of, search, Course};
use crate::db::{chapters, courses as course_rows, lesson_progress, lessons};
use crate::error::{Error, Result};
use crate::services::assignments;

pub fn lesson_view(row: &lessons::Model) -> Result<LessonView> {
    let facts = facts_of(row)?;
    Ok(LessonView {
        id: row.id,
        course_id: row.course_id,
        position: row.position,
        title: row.title.clone(),
        kind: facts.kind,
        media_id: row.media_id,
        duration_seconds: facts.duration_ms as f64 / 1000.0,
        slide_count: facts.slide_count,
        article_chars: facts.article_chars,
        chapter_id: row.chapter_id,
        slides_media_id: row.slides_media_id,
        has_captions: row.captions_key.is_some(),
        exam_id: row.exam_id,
    })
}

/// A course's lessons in order.
pub async fn lessons_of(db: &impl ConnectionTrait, course_id: i64) -> Result<Vec<LessonView>> {
    let rows = lessons::Entity::find()
        .filter(lessons::Column::CourseId.eq(course_id))
        .order_by_asc(lessons::Column::Position)
        .all(db)
        .await?;
    rows.iter().map(lesson_view).collect()
}

pub(super) fn chapter_view(c: chapters::Model) -> ChapterView {
    ChapterView { id: c.id, position: c.position, title: c.title }
}

/// A course's chapters in order.
pub async fn chapters_of(db: &impl ConnectionTrait, course_id: i64) -> Result<Vec<ChapterView>> {
    let rows = chapters::Entity::find()
        .filter(chapters::Column::CourseId.eq(course_id))
        .order_by_asc(chapters::Column::Position)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(chapter_view).collect())
}

/// Where the cover image is served.
pub fn cover_url(row: &course_rows::Model) -> Option<String> {
    // The key changes with every upload, so the URL can be cached.
    row.cover_key.as_ref().map(|key| format!("/api/v1/courses/{}/cover?v={}", row.id, search::short_hash(key)))
}

/// The views of `courses` as `actor` sees them, with three queries for all
/// of them (lessons, chapters, the actor's progress).
pub async fn views(db: &impl ConnectionTrait, actor: &Actor, courses: &[Course]) -> Result<Vec<CourseView>> {
    let ids: Vec<i64> = courses.iter().map(|c| c.row.id).collect();
    let mut lessons_by: HashMap<i64, Vec<LessonView>> = HashMap::new();
    for row in lessons::Entity::find()
        .filter(lessons::Column::CourseId.is_in(ids.clone()))
        .order_by_asc(lessons::Column::Position)
        .all(db)
        .await?
    {
        lessons_by.entry(row.course_id).or_default().push(lesson_view(&row)?);
    }
    let mut chapters_by: HashMap<i64, Vec<ChapterView>> = HashMap::new();
    for c in chapters::Entity::find()
        .filter(chapters::Column::CourseId.is_in(ids.clone()))
        .order_by_asc(chapters::Column::Position)
        .all(db)
        .await?
    {
        chapters_by.entry(c.course_id).or_default().push(chapter_view(c));
    }
    let mut progress_by: HashMap<i64, (u32, u32, i64)> = HashMap::new();
    for p in lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.eq(actor.id.0))
        .filter(lesson_progress::Column::CourseId.is_in(ids))
        .all(db)
        .await?
    {
        let e = progress_by.entry(p.course_id).or_default();
        e.0 += 1;
        e.1 += u32::from(p.completed_at_ms.is_some());
        e.2 += p.study_ms;
    }
    let mut out: Vec<CourseView> = courses
        .iter()
        .map(|c| {
            let lessons = lessons_by.remove(&c.row.id).unwrap_or_default();
            let (started, completed, study_ms) = progress_by.get(&c.row.id).copied().unwrap_or_default();
            let total = u32::try_from(lessons.len()).unwrap_or(u32::MAX);
            let can_manage = actor.can_manage_course(&c.org).is_ok();
            CourseView {
                id: c.row.id,
                org_id: c.row.org_id,
                title: c.row.title.clone(),
                summary: c.row.summary.clone(),
                published: c.row.published,
                rules: c.rules,
                required: c.row.required,
                credit_hours: c.row.credit_hours,
                due_on: c.row.due_on.clone(),
                cover_url: cover_url(&c.row),
                chapters: chapters_by.remove(&c.row.id).unwrap_or_default(),
                lessons,
                can_manage,
                audience: can_manage.then(|| c.audience.clone()),
                progress: Some(CourseProgress {
                    status: StudyStatus::of(total, completed.min(total), started),
                    lessons_completed: completed.min(total),
                    lessons_total: total,
                    studied_seconds: study_ms.max(0) as f64 / 1000.0,
                }),
                due: None,
            }
        })
        .collect();
    // The due date that binds the actor: their assignment's, else the course's.
    bind_due(&mut out, &assignments::due_dates_of(db, actor.id.0).await?);
    Ok(out)
}

pub(super) async fn view(db: &impl ConnectionTrait, actor: &Actor, course: &Course) -> Result<CourseView> {
    let mut v = views(db, actor, std::slice::from_ref(course)).await?;
    v.pop().ok_or_else(|| Error::Internal(anyhow::anyhow!("course {} has no view", course.row.id)))
}
