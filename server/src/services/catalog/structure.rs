//! A course's structure: chapters, lessons and their order. Only those who
//! manage the course change it.

use courses::course::{
    check_text, ChapterIn, ChapterView, CourseError, CourseOrder, CourseView, LessonEdit, LessonView, NewLesson, Title,
};
use courses::media::MediaKind;
use courses::progress::LessonKind;
use courses::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::views::chapter_view;
use super::{find_managed, get, invalid, lesson_view, search, Course};
use crate::db::{self, chapters, exam_credits, lessons, media, study_entries};
use crate::error::{Error, Result};

/// A lesson of a course the actor manages.
pub async fn managed_lesson(
    db: &impl ConnectionTrait,
    actor: &Actor,
    lesson_id: i64,
) -> Result<(lessons::Model, Course)> {
    let row = lessons::Entity::find_by_id(lesson_id).one(db).await?.ok_or(Error::NotFound)?;
    let course = find_managed(db, actor, row.course_id).await?;
    Ok((row, course))
}

async fn managed_chapter(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<(chapters::Model, Course)> {
    let row = chapters::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let course = find_managed(db, actor, row.course_id).await?;
    Ok((row, course))
}

/// A chapter of `course_id`, or a 422 naming the problem.
async fn chapter_in(db: &impl ConnectionTrait, course_id: i64, chapter_id: Option<i64>) -> Result<()> {
    if let Some(id) = chapter_id {
        let found = chapters::Entity::find_by_id(id).one(db).await?;
        if found.is_none_or(|c| c.course_id != course_id) {
            return Err(invalid(&CourseError::ForeignChapter));
        }
    }
    Ok(())
}

/// A new chapter at the end of the course.
pub async fn add_chapter(
    db: &DatabaseConnection,
    actor: &Actor,
    course_id: i64,
    new: ChapterIn,
) -> Result<ChapterView> {
    let course = find_managed(db, actor, course_id).await?;
    let title = Title::parse(&new.title).map_err(|e| invalid(&e))?;
    let txn = db.begin().await?;
    let last: Option<i32> = chapters::Entity::find()
        .select_only()
        .column_as(chapters::Column::Position.max(), "max")
        .filter(chapters::Column::CourseId.eq(course.row.id))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    let row = chapters::ActiveModel {
        course_id: Set(course.row.id),
        position: Set(last.map_or(1, |p| p + 1)),
        title: Set(title.as_str().to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(chapter_view(row))
}

pub async fn rename_chapter(db: &DatabaseConnection, actor: &Actor, id: i64, new: ChapterIn) -> Result<ChapterView> {
    let (row, _) = managed_chapter(db, actor, id).await?;
    let title = Title::parse(&new.title).map_err(|e| invalid(&e))?;
    let mut row = row.into_active_model();
    row.title = Set(title.as_str().to_owned());
    Ok(chapter_view(row.update(db).await?))
}

/// Deletes a chapter; its lessons stay in the course, before the first
/// chapter.
pub async fn delete_chapter(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let (row, _) = managed_chapter(db, actor, id).await?;
    let txn = db.begin().await?;
    lessons::Entity::update_many()
        .col_expr(lessons::Column::ChapterId, sea_orm::sea_query::Expr::value(Option::<i64>::None))
        .filter(lessons::Column::ChapterId.eq(row.id))
        .exec(&txn)
        .await?;
    chapters::Entity::delete_by_id(row.id).exec(&txn).await?;
    renumber(&txn, row.course_id).await?;
    txn.commit().await?;
    Ok(())
}

/// A ready item of material of the kind asked for, managed by the actor.
async fn ready_media(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(media::Model, MediaKind)> {
    let item = crate::services::media::find(db, actor, id).await?;
    if !item.is_ready() {
        return Err(invalid(&CourseError::MediaNotReady));
    }
    let kind = item.kind().ok_or_else(|| invalid(&CourseError::MediaNotReady))?;
    Ok((item, kind))
}

/// Adds a lesson at the end of the course (or of `chapter_id`'s place in
/// the numbering): from a ready item of material the actor manages, with
/// an optional companion slide deck beside a video, or an article.
pub async fn add_lesson(db: &DatabaseConnection, actor: &Actor, course_id: i64, new: NewLesson) -> Result<LessonView> {
    let course = find_managed(db, actor, course_id).await?;
    let title = Title::parse(&new.title).map_err(|e| invalid(&e))?;
    chapter_in(db, course.row.id, new.chapter_id).await?;
    let (kind, media_id, duration_ms, slide_count, article) = match (new.media_id, new.article, new.exam_id) {
        (None, None, Some(exam_id)) => {
            quiz_exam(db, &course, exam_id).await?;
            (LessonKind::Exam, None, 0, 0, None)
        }
        (Some(media_id), None, None) => {
            let (item, kind) = ready_media(db, actor, media_id).await?;
            let kind = match kind {
                MediaKind::Video => LessonKind::Video,
                MediaKind::Audio => LessonKind::Audio,
                MediaKind::Slides => LessonKind::Slides,
            };
            let duration_ms = (item.duration_seconds.unwrap_or(0.0) * 1000.0).round() as i64;
            (kind, Some(item.id), duration_ms, item.slide_count.unwrap_or(0), None)
        }
        (None, Some(text), None) => {
            check_text(&text).map_err(|e| invalid(&e))?;
            (LessonKind::Article, None, 0, 0, Some(text))
        }
        _ => return Err(invalid(&CourseError::NeedsOneSource)),
    };
    let slides_media_id = match new.slides_media_id {
        None => None,
        Some(_) if kind != LessonKind::Video => return Err(invalid(&CourseError::BadCompanion)),
        Some(id) => match ready_media(db, actor, id).await? {
            (deck, MediaKind::Slides) => Some(deck.id),
            _ => return Err(invalid(&CourseError::BadCompanion)),
        },
    };
    let txn = db.begin().await?;
    let last: Option<i32> = lessons::Entity::find()
        .select_only()
        .column_as(lessons::Column::Position.max(), "max")
        .filter(lessons::Column::CourseId.eq(course.row.id))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    let article_chars = article.as_deref().map_or(0, article_chars);
    let row = lessons::ActiveModel {
        course_id: Set(course.row.id),
        position: Set(last.map_or(1, |p| p + 1)),
        title: Set(title.as_str().to_owned()),
        kind: Set(kind.as_str().to_owned()),
        media_id: Set(media_id),
        duration_ms: Set(duration_ms),
        slide_count: Set(slide_count),
        article: Set(article),
        article_chars: Set(article_chars),
        created_at: Set(db::now()),
        chapter_id: Set(new.chapter_id),
        slides_media_id: Set(slides_media_id),
        captions_key: Set(None),
        exam_id: Set(new.exam_id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if new.chapter_id.is_some() {
        renumber(&txn, course.row.id).await?;
    }
    search::reindex(&txn, course.row.id).await?;
    // One more lesson to complete for everyone on the course.
    crate::services::course_records::mark_course(&txn, course.row.id).await?;
    txn.commit().await?;
    let row = lessons::Entity::find_by_id(row.id).one(db).await?.ok_or(Error::NotFound)?;
    lesson_view(&row)
}

/// Checks that a quiz lesson may be exam `exam_id`: an exam of the course's
/// node or a node above it, not yet in another lesson. An exam outside
/// that is "not one you can use", however it exists.
async fn quiz_exam(db: &DatabaseConnection, course: &super::Course, exam_id: i64) -> Result<()> {
    let usable = match crate::services::exams::find(db, exam_id).await {
        Ok(exam) => exam.path.contains(&course.org),
        Err(Error::NotFound) => false,
        Err(e) => return Err(e),
    };
    let taken = lessons::Entity::find().filter(lessons::Column::ExamId.eq(exam_id)).one(db).await?.is_some();
    if !usable || taken {
        return Err(invalid(&CourseError::BadExam));
    }
    Ok(())
}

/// Characters that count towards an article's reading time.
fn article_chars(text: &str) -> i32 {
    i32::try_from(text.chars().filter(|c| !c.is_whitespace()).count()).unwrap_or(i32::MAX)
}

/// Renames a lesson, and replaces an article's text.
pub async fn edit_lesson(db: &DatabaseConnection, actor: &Actor, id: i64, edit: LessonEdit) -> Result<LessonView> {
    let (row, course) = managed_lesson(db, actor, id).await?;
    let title = Title::parse(&edit.title).map_err(|e| invalid(&e))?;
    let is_article = row.kind == LessonKind::Article.as_str();
    let mut active = row.into_active_model();
    active.title = Set(title.as_str().to_owned());
    match edit.article {
        Some(_) if !is_article => return Err(invalid(&CourseError::NotAnArticle)),
        Some(text) => {
            check_text(&text).map_err(|e| invalid(&e))?;
            active.article_chars = Set(article_chars(&text));
            active.article = Set(Some(text));
        }
        None => {}
    }
    let txn = db.begin().await?;
    let row = active.update(&txn).await?;
    search::reindex(&txn, course.row.id).await?;
    txn.commit().await?;
    lesson_view(&row)
}

/// Deletes a lesson nobody has studied yet. Its attachments and captions
/// go with it.
pub async fn delete_lesson(
    db: &DatabaseConnection,
    store: &dyn crate::storage::Store,
    actor: &Actor,
    id: i64,
) -> Result<()> {
    let (row, course) = managed_lesson(db, actor, id).await?;
    let studied = study_entries::Entity::find().filter(study_entries::Column::LessonId.eq(row.id)).one(db).await?;
    let passed = exam_credits::Entity::find().filter(exam_credits::Column::LessonId.eq(row.id)).one(db).await?;
    if studied.is_some() || passed.is_some() {
        return Err(Error::Conflict(crate::error::Detail::of(&CourseError::LessonStudied)));
    }
    let keys = super::files::keys_of_lesson(db, &row).await?;
    let txn = db.begin().await?;
    lessons::Entity::delete_by_id(row.id).exec(&txn).await?;
    crate::services::study::forget_logs_of_lesson(&txn, course.row.id, row.id).await?;
    search::reindex(&txn, course.row.id).await?;
    crate::services::course_records::mark_course(&txn, course.row.id).await?;
    txn.commit().await?;
    // The rows are gone; objects left behind by a failure here are only
    // unreachable bytes, never a lesson pointing at nothing.
    for key in keys {
        if let Err(e) = store.delete(&key).await {
            tracing::warn!(key = key.as_str(), error = %e, "could not delete a deleted lesson's file");
        }
    }
    Ok(())
}

/// Numbers the course's lessons in reading order: those before any chapter
/// first, then chapter by chapter, each group keeping its current order.
/// Lesson pages step through lessons by number, so the numbering must follow
/// the chapters after a lesson joins a chapter or a chapter goes.
async fn renumber(db: &impl ConnectionTrait, course_id: i64) -> Result<()> {
    let chapter_order: Vec<i64> = chapters::Entity::find()
        .select_only()
        .column(chapters::Column::Id)
        .filter(chapters::Column::CourseId.eq(course_id))
        .order_by_asc(chapters::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let mut rows: Vec<(i64, Option<i64>, i32)> = lessons::Entity::find()
        .select_only()
        .columns([lessons::Column::Id, lessons::Column::ChapterId, lessons::Column::Position])
        .filter(lessons::Column::CourseId.eq(course_id))
        .into_tuple()
        .all(db)
        .await?;
    let group =
        |chapter: Option<i64>| chapter.and_then(|c| chapter_order.iter().position(|&x| x == c)).map_or(0, |i| i + 1);
    rows.sort_by_key(|&(id, chapter, position)| (group(chapter), position, id));
    for (i, (id, _, position)) in rows.into_iter().enumerate() {
        let wanted = i as i32 + 1;
        if position != wanted {
            lessons::Entity::update_many()
                .col_expr(lessons::Column::Position, sea_orm::sea_query::Expr::value(wanted))
                .filter(lessons::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Puts chapters and lessons in the given order, in one transaction.
pub async fn reorder(db: &DatabaseConnection, actor: &Actor, course_id: i64, order: CourseOrder) -> Result<CourseView> {
    let course = find_managed(db, actor, course_id).await?;
    let txn = db.begin().await?;
    let have_chapters: Vec<i64> = chapters::Entity::find()
        .select_only()
        .column(chapters::Column::Id)
        .filter(chapters::Column::CourseId.eq(course.row.id))
        .into_tuple()
        .all(&txn)
        .await?;
    let have_lessons: Vec<i64> = lessons::Entity::find()
        .select_only()
        .column(lessons::Column::Id)
        .filter(lessons::Column::CourseId.eq(course.row.id))
        .into_tuple()
        .all(&txn)
        .await?;
    order.check(&have_chapters, &have_lessons).map_err(|e| invalid(&e))?;
    for (i, id) in order.chapters.iter().enumerate() {
        chapters::Entity::update_many()
            .col_expr(chapters::Column::Position, sea_orm::sea_query::Expr::value(i as i32 + 1))
            .filter(chapters::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    for (i, place) in order.lessons.iter().enumerate() {
        lessons::Entity::update_many()
            .col_expr(lessons::Column::Position, sea_orm::sea_query::Expr::value(i as i32 + 1))
            .col_expr(lessons::Column::ChapterId, sea_orm::sea_query::Expr::value(place.chapter_id))
            .filter(lessons::Column::Id.eq(place.id))
            .exec(&txn)
            .await?;
    }
    // Whatever order the lessons were given in, they are numbered chapter by chapter.
    renumber(&txn, course.row.id).await?;
    txn.commit().await?;
    get(db, actor, course.row.id).await
}
