//! The course catalog: courses and lessons, created and published by organizers for their node,
//! studied by everyone in that node's subtree once published.

use std::collections::HashMap;

use courses::course::{check_text, CourseError, CourseView, LessonView, NewCourse, NewLesson, Title};
use courses::i18n::Localize;
use courses::media::{MediaKind, MediaState};
use courses::progress::{CompletionRules, LessonFacts, LessonKind};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::db::{self, courses as course_rows, lessons, orgs};
use crate::error::{Detail, Error, Result};
use crate::services::orgs::{self as org_service, path_of};

/// A course row with what the rules need.
#[derive(Debug, Clone)]
pub struct Course {
    pub row: course_rows::Model,
    pub org: OrgPath,
    pub rules: CompletionRules,
}

/// A lesson with its course, ready for progress to be measured.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub row: lessons::Model,
    pub course: Course,
    pub facts: LessonFacts,
}

/// Reads stored rules; a row that no longer parses is a server fault.
pub fn rules_of(row: &course_rows::Model) -> Result<CompletionRules> {
    parse_rules(row.id, &row.rules)
}

/// Parses the `rules` column of course `course_id`.
pub fn parse_rules(course_id: i64, json: &str) -> Result<CompletionRules> {
    serde_json::from_str(json).map_err(|e| Error::Internal(anyhow::anyhow!("course {course_id} rules: {e}")))
}

pub fn facts_of(row: &lessons::Model) -> Result<LessonFacts> {
    facts_from(row.id, &row.kind, row.duration_ms, row.slide_count, row.article_chars)
}

/// The `LessonFacts` from the stored columns of lesson `lesson_id`.
pub fn facts_from(
    lesson_id: i64,
    kind: &str,
    duration_ms: i64,
    slide_count: i32,
    article_chars: i32,
) -> Result<LessonFacts> {
    let kind = LessonKind::parse(kind)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("lesson {lesson_id} has kind {kind}")))?;
    Ok(LessonFacts {
        kind,
        duration_ms: duration_ms.max(0) as u64,
        slide_count: slide_count.max(0) as u32,
        article_chars: article_chars.max(0) as u32,
    })
}

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

async fn view(db: &impl ConnectionTrait, course: &Course) -> Result<CourseView> {
    Ok(CourseView {
        id: course.row.id,
        org_id: course.row.org_id,
        title: course.row.title.clone(),
        summary: course.row.summary.clone(),
        published: course.row.published,
        rules: course.rules,
        lessons: lessons_of(db, course.row.id).await?,
    })
}

async fn load(db: &impl ConnectionTrait, id: i64) -> Result<Course> {
    let (row, org) =
        course_rows::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    let org = org.ok_or(Error::NotFound)?;
    Ok(Course { rules: rules_of(&row)?, org: path_of(&org)?, row })
}

/// A course the actor manages.
pub async fn find_managed(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Course> {
    let course = load(db, id).await?;
    super::hide_out_of_scope(actor.can_manage_course(&course.org))?;
    Ok(course)
}

/// A course the actor may study (or manages).
pub async fn find_studied(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Course> {
    let course = load(db, id).await?;
    // Someone outside the audience learns nothing about the course.
    actor.can_study(&course.org, course.row.published).map_err(|_| Error::NotFound)?;
    Ok(course)
}

/// A lesson the actor may study.
pub async fn lesson_for_study(db: &impl ConnectionTrait, actor: &Actor, lesson_id: i64) -> Result<Lesson> {
    let row = lessons::Entity::find_by_id(lesson_id).one(db).await?.ok_or(Error::NotFound)?;
    let course = find_studied(db, actor, row.course_id).await?;
    Ok(Lesson { facts: facts_of(&row)?, row, course })
}

fn invalid(e: &impl Localize) -> Error {
    Error::Invalid(Detail::of(e))
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, new: NewCourse) -> Result<CourseView> {
    let org = org_service::find_visible(db, actor, OrgId(new.org_id)).await?;
    super::hide_out_of_scope(actor.can_manage_course(&path_of(&org)?))?;
    let title = Title::parse(&new.title).map_err(|e| invalid(&e))?;
    check_text(&new.summary).map_err(|e| invalid(&e))?;
    let rules = new.rules.unwrap_or_default();
    rules.validate().map_err(|e| invalid(&e))?;
    let now = db::now();
    let row = course_rows::ActiveModel {
        org_id: Set(org.id),
        title: Set(title.as_str().to_owned()),
        summary: Set(new.summary.trim().to_owned()),
        rules: Set(serde_json::to_string(&rules).map_err(|e| Error::Internal(e.into()))?),
        published: Set(false),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    view(db, &Course { rules, org: path_of(&org)?, row }).await
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<CourseView> {
    view(db, &find_studied(db, actor, id).await?).await
}

/// Courses the actor may study or manages, newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<CourseView>> {
    let ancestors: Vec<i64> = actor.org.ids().map(|id| id.0).collect();
    let mut rows = course_rows::Entity::find()
        .filter(course_rows::Column::OrgId.is_in(ancestors))
        .filter(course_rows::Column::Published.eq(true))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?;
    if let Some(cond) = org_service::in_scope(&actor.scope()) {
        let managed = course_rows::Entity::find().find_also_related(orgs::Entity).filter(cond).all(db).await?;
        rows.extend(managed);
    }
    let mut seen = HashMap::new();
    for (row, org) in rows {
        if let Some(org) = org {
            seen.entry(row.id).or_insert((row, org));
        }
    }
    let mut courses: Vec<Course> = seen
        .into_values()
        .map(|(row, org)| Ok(Course { rules: rules_of(&row)?, org: path_of(&org)?, row }))
        .collect::<Result<_>>()?;
    courses.sort_by_key(|c| std::cmp::Reverse(c.row.id));
    let mut out = Vec::with_capacity(courses.len());
    for c in &courses {
        out.push(view(db, c).await?);
    }
    Ok(out)
}

pub async fn set_rules(db: &DatabaseConnection, actor: &Actor, id: i64, rules: CompletionRules) -> Result<CourseView> {
    let course = find_managed(db, actor, id).await?;
    rules.validate().map_err(|e| invalid(&e))?;
    let mut row = course.row.clone().into_active_model();
    row.rules = Set(serde_json::to_string(&rules).map_err(|e| Error::Internal(e.into()))?);
    row.updated_at = Set(db::now());
    let row = row.update(db).await?;
    view(db, &Course { rules, row, ..course }).await
}

pub async fn set_published(db: &DatabaseConnection, actor: &Actor, id: i64, published: bool) -> Result<CourseView> {
    let course = find_managed(db, actor, id).await?;
    let mut row = course.row.clone().into_active_model();
    row.published = Set(published);
    row.updated_at = Set(db::now());
    let row = row.update(db).await?;
    view(db, &Course { row, ..course }).await
}

/// Adds a lesson at the end of the course: from a ready item of material
/// the actor manages, or an article.
pub async fn add_lesson(db: &DatabaseConnection, actor: &Actor, course_id: i64, new: NewLesson) -> Result<LessonView> {
    let course = find_managed(db, actor, course_id).await?;
    let title = Title::parse(&new.title).map_err(|e| invalid(&e))?;
    let (kind, media_id, duration_ms, slide_count, article) = match (new.media_id, new.article) {
        (Some(media_id), None) => {
            let item = super::media::find(db, actor, media_id).await?;
            if MediaState::parse(&item.state) != Some(MediaState::Ready) {
                return Err(invalid(&CourseError::MediaNotReady));
            }
            let kind = match item.kind.as_deref().and_then(MediaKind::parse) {
                Some(MediaKind::Video) => LessonKind::Video,
                Some(MediaKind::Audio) => LessonKind::Audio,
                Some(MediaKind::Slides) => LessonKind::Slides,
                None => return Err(invalid(&CourseError::MediaNotReady)),
            };
            let duration_ms = (item.duration_seconds.unwrap_or(0.0) * 1000.0).round() as i64;
            (kind, Some(item.id), duration_ms, item.slide_count.unwrap_or(0), None)
        }
        (None, Some(text)) => {
            check_text(&text).map_err(|e| invalid(&e))?;
            (LessonKind::Article, None, 0, 0, Some(text))
        }
        _ => return Err(invalid(&CourseError::NeedsOneSource)),
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
    let article_chars = article.as_deref().map_or(0, |a| a.chars().filter(|c| !c.is_whitespace()).count());
    let row = lessons::ActiveModel {
        course_id: Set(course.row.id),
        position: Set(last.map_or(1, |p| p + 1)),
        title: Set(title.as_str().to_owned()),
        kind: Set(kind.as_str().to_owned()),
        media_id: Set(media_id),
        duration_ms: Set(duration_ms),
        slide_count: Set(slide_count),
        article: Set(article),
        article_chars: Set(i32::try_from(article_chars).unwrap_or(i32::MAX)),
        created_at: Set(db::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    lesson_view(&row)
}

/// Whether an item of material is used by a lesson (it may then not be
/// deleted).
pub async fn media_in_use(db: &impl ConnectionTrait, media_id: i64) -> Result<bool> {
    Ok(lessons::Entity::find().filter(lessons::Column::MediaId.eq(media_id)).one(db).await?.is_some())
}
