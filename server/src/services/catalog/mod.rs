//! The course catalog: courses and lessons, created and published by organizers for their node,
//! studied by their audience once published.
//!
//! - `mod.rs`: loading courses, their views, the catalog list with search and filters, settings.
//! - `structure.rs`: chapters, lessons, their order.
//! - `files.rs`: covers, captions and attachments in the object store.
//! - `search.rs`: the per-course search text and trigram queries.
//! - `learning.rs`: "my learning", a member's courses in the order they should be studied.

pub mod files;
mod learning;
mod search;
mod structure;

pub use files::{attachment_key, attachments_of, captions_key, cover_key, delete_attachment, put_cover};
pub use learning::my_learning;
pub use structure::{add_chapter, add_lesson, delete_chapter, delete_lesson, edit_lesson, rename_chapter, reorder};

use std::collections::HashMap;

use courses::course::edit::check_credit_hours;
use courses::course::{
    check_text, Audience, ChapterView, CourseError, CourseProgress, CourseQuery, CourseSettings, CourseView,
    LessonView, NewCourse, StudyStatus, Title,
};
use courses::i18n::Localize;
use courses::progress::{CompletionRules, LessonFacts, LessonKind};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use crate::db::{self, chapters, courses as course_rows, lesson_progress, lessons, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::services::orgs::{self as org_service, path_of};

/// A course row with what the rules need.
#[derive(Debug, Clone)]
pub struct Course {
    pub row: course_rows::Model,
    pub org: OrgPath,
    pub rules: CompletionRules,
    pub audience: Audience,
}

impl Course {
    fn from_rows(row: course_rows::Model, org: &orgs::Model) -> Result<Course> {
        Ok(Course { rules: rules_of(&row)?, audience: audience_of(&row)?, org: path_of(org)?, row })
    }
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

/// Reads the stored audience; a row that no longer parses is a server fault.
pub fn audience_of(row: &course_rows::Model) -> Result<Audience> {
    parse_audience(row.id, &row.audience)
}

pub fn parse_audience(course_id: i64, json: &str) -> Result<Audience> {
    serde_json::from_str(json).map_err(|e| Error::Internal(anyhow::anyhow!("course {course_id} audience: {e}")))
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
        chapter_id: row.chapter_id,
        slides_media_id: row.slides_media_id,
        has_captions: row.captions_key.is_some(),
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

/// A course's chapters in order.
pub async fn chapters_of(db: &impl ConnectionTrait, course_id: i64) -> Result<Vec<ChapterView>> {
    let rows = chapters::Entity::find()
        .filter(chapters::Column::CourseId.eq(course_id))
        .order_by_asc(chapters::Column::Position)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| ChapterView { id: c.id, position: c.position, title: c.title }).collect())
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
        chapters_by.entry(c.course_id).or_default().push(ChapterView {
            id: c.id,
            position: c.position,
            title: c.title,
        });
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
    Ok(courses
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
            }
        })
        .collect())
}

async fn view(db: &impl ConnectionTrait, actor: &Actor, course: &Course) -> Result<CourseView> {
    let mut v = views(db, actor, std::slice::from_ref(course)).await?;
    v.pop().ok_or_else(|| Error::Internal(anyhow::anyhow!("course {} has no view", course.row.id)))
}

async fn load(db: &impl ConnectionTrait, id: i64) -> Result<Course> {
    let (row, org) =
        course_rows::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    Course::from_rows(row, &org.ok_or(Error::NotFound)?)
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
    actor.can_study(&course.org, course.row.published, &course.audience).map_err(|_| Error::NotFound)?;
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
    let credit_hours = check_credit_hours(new.credit_hours).map_err(|e| invalid(&e))?;
    let rules = new.rules.unwrap_or_default();
    rules.validate().map_err(|e| invalid(&e))?;
    let audience = Audience::subtree_of(org.id);
    let now = db::now();
    let txn = db.begin().await?;
    let row = course_rows::ActiveModel {
        org_id: Set(org.id),
        title: Set(title.as_str().to_owned()),
        summary: Set(new.summary.trim().to_owned()),
        rules: Set(json(&rules)?),
        published: Set(false),
        required: Set(new.required),
        credit_hours: Set(credit_hours),
        due_on: Set(None),
        cover_key: Set(None),
        audience: Set(json(&audience)?),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    search::reindex(&txn, row.id).await?;
    txn.commit().await?;
    view(db, actor, &Course::from_rows(row, &org)?).await
}

fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.into()))
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<CourseView> {
    view(db, actor, &find_studied(db, actor, id).await?).await
}

/// Courses the actor may study or manages, newest first, narrowed by the
/// query's search words and filters.
pub async fn list(db: &DatabaseConnection, actor: &Actor, query: &CourseQuery) -> Result<Vec<CourseView>> {
    let filter = query.parse().map_err(|e| invalid(&e))?;
    // Every audience lies inside its course's subtree, so a course the actor
    // may study belongs to one of the actor's ancestors.
    let ancestors: Vec<i64> = actor.org.ids().map(|id| id.0).collect();
    let mut published = course_rows::Entity::find()
        .filter(course_rows::Column::OrgId.is_in(ancestors))
        .filter(course_rows::Column::Published.eq(true));
    let mut managed = org_service::in_scope(&actor.scope())
        .map(|cond| course_rows::Entity::find().find_also_related(orgs::Entity).filter(cond));
    if let Some(required) = filter.required {
        published = published.filter(course_rows::Column::Required.eq(required));
        managed = managed.map(|q| q.filter(course_rows::Column::Required.eq(required)));
    }
    if !filter.terms.is_empty() {
        let found = search::matching(db, &filter.terms).await?;
        published = published.filter(course_rows::Column::Id.is_in(found.clone()));
        managed = managed.map(|q| q.filter(course_rows::Column::Id.is_in(found)));
    }
    let mut rows = published.find_also_related(orgs::Entity).all(db).await?;
    if let Some(managed) = managed {
        rows.extend(managed.all(db).await?);
    }
    let mut seen = HashMap::new();
    for (row, org) in rows {
        if let Some(org) = org {
            seen.entry(row.id).or_insert((row, org));
        }
    }
    let mut courses: Vec<Course> = Vec::with_capacity(seen.len());
    for (row, org) in seen.into_values() {
        let course = Course::from_rows(row, &org)?;
        if actor.can_study(&course.org, course.row.published, &course.audience).is_ok() {
            courses.push(course);
        }
    }
    courses.sort_by_key(|c| std::cmp::Reverse(c.row.id));
    let mut out = views(db, actor, &courses).await?;
    if let Some(status) = filter.status {
        out.retain(|c| c.progress.as_ref().is_some_and(|p| p.status == status));
    }
    Ok(out)
}

/// Replaces the course's settings: title, summary, 必修/选修, credit
/// hours, due date and audience.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, new: CourseSettings) -> Result<CourseView> {
    let course = find_managed(db, actor, id).await?;
    let title = Title::parse(&new.title).map_err(|e| invalid(&e))?;
    check_text(&new.summary).map_err(|e| invalid(&e))?;
    let credit_hours = check_credit_hours(new.credit_hours).map_err(|e| invalid(&e))?;
    let due_on = match new.due_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| invalid(&CourseError::BadDueDate))?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    let audience = new.audience.normalized().map_err(|e| invalid(&e))?;
    check_audience(db, actor, &course, &audience).await?;
    let txn = db.begin().await?;
    let mut row = course.row.clone().into_active_model();
    row.title = Set(title.as_str().to_owned());
    row.summary = Set(new.summary.trim().to_owned());
    row.required = Set(new.required);
    row.credit_hours = Set(credit_hours);
    row.due_on = Set(due_on);
    row.audience = Set(json(&audience)?);
    row.updated_at = Set(db::now());
    let row = row.update(&txn).await?;
    search::reindex(&txn, row.id).await?;
    txn.commit().await?;
    view(db, actor, &Course { row, audience, ..course }).await
}

/// Every node and named person of an audience exists, lies inside the
/// course's subtree and within the actor's scope. One that does not is
/// reported as not found, whatever the reason, so ids cannot be probed.
async fn check_audience(db: &impl ConnectionTrait, actor: &Actor, course: &Course, audience: &Audience) -> Result<()> {
    let nodes = orgs::Entity::find().filter(orgs::Column::Id.is_in(audience.orgs.clone())).all(db).await?;
    let mut paths: HashMap<i64, OrgPath> = HashMap::new();
    for node in &nodes {
        paths.insert(node.id, path_of(node)?);
    }
    let people_rows = people::Entity::find()
        .filter(people::Column::Id.is_in(audience.people.clone()))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?;
    for (_, org) in &people_rows {
        if let Some(org) = org {
            paths.insert(org.id, path_of(org)?);
        }
    }
    let fits = |path: &OrgPath| course.org.contains(path) && actor.can_manage_course(path).is_ok();
    let nodes_ok = audience.orgs.iter().all(|id| paths.get(id).is_some_and(fits));
    let people_ok = people_rows.len() == audience.people.len()
        && people_rows.iter().all(|(_, org)| org.as_ref().and_then(|o| paths.get(&o.id)).is_some_and(fits));
    if nodes_ok && people_ok {
        Ok(())
    } else {
        Err(Error::Invalid(Detail::text(
            "学习对象中有不存在或不在本课程所属组织范围内的组织或人员，请重新选择。",
            "The audience names an org node or person that does not exist or lies outside the course's org node; choose again.",
        )))
    }
}

pub async fn set_rules(db: &DatabaseConnection, actor: &Actor, id: i64, rules: CompletionRules) -> Result<CourseView> {
    let course = find_managed(db, actor, id).await?;
    rules.validate().map_err(|e| invalid(&e))?;
    let mut row = course.row.clone().into_active_model();
    row.rules = Set(json(&rules)?);
    row.updated_at = Set(db::now());
    let row = row.update(db).await?;
    view(db, actor, &Course { rules, row, ..course }).await
}

pub async fn set_published(db: &DatabaseConnection, actor: &Actor, id: i64, published: bool) -> Result<CourseView> {
    let course = find_managed(db, actor, id).await?;
    let mut row = course.row.clone().into_active_model();
    row.published = Set(published);
    row.updated_at = Set(db::now());
    let row = row.update(db).await?;
    view(db, actor, &Course { row, ..course }).await
}

/// Whether an item of material is used by a lesson (it may then not be
/// deleted).
pub async fn media_in_use(db: &impl ConnectionTrait, media_id: i64) -> Result<bool> {
    let used = lessons::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(lessons::Column::MediaId.eq(media_id))
                .add(lessons::Column::SlidesMediaId.eq(media_id)),
        )
        .one(db)
        .await?;
    Ok(used.is_some())
}
