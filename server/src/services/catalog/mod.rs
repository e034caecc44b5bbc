//! The course catalog: courses and lessons, created and published by organizers for their node,
//! studied by their audience once published.
//!
//! - `mod.rs`: loading courses, the catalog list with search and filters, settings.
//! - `views.rs`: courses and lessons as callers see them.
//! - `structure.rs`: chapters, lessons, their order.
//! - `files.rs`: covers, captions and attachments in the object store.
//! - `search.rs`: the per-course search text and trigram queries.
//! - `learning.rs`: "my learning", a member's courses in the order they should be studied.
//! - `next.rs`: "继续学习", the lesson a member studies next and their standing in each lesson.

pub mod files;
mod learning;
mod next;
mod search;
mod structure;
mod views;

pub use files::{attachment_key, attachments_of, captions_key, cover_key, delete_attachment, put_cover};
pub use learning::my_learning;
pub use next::{course_standing, next_lesson_for};
pub use structure::{add_chapter, add_lesson, delete_chapter, delete_lesson, edit_lesson, rename_chapter, reorder};
use views::view;
pub use views::{chapters_of, cover_url, lesson_view, lessons_of, views};

use std::collections::HashMap;

use courses::course::edit::check_credit_hours;
use courses::course::{check_text, Audience, CourseError, CourseQuery, CourseSettings, CourseView, NewCourse, Title};
use courses::i18n::Localize;
use courses::progress::{CompletionRules, LessonFacts, LessonKind};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};

use crate::db::{self, courses as course_rows, lessons, orgs, people};
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
/// course's subtree and within the actor's scope. Any that does not gets
/// the same 422, whatever the reason, so ids cannot be probed.
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
