//! Exams: organizers set one up for a node (title, settings, a paper of
//! fixed questions or draw rules over banks of that node or above, who may
//! take it) and publish it; takers start attempts, save answers as they
//! give them and submit, or the server submits at the deadline.
//!
//! - `mod.rs`: exams themselves, and what a taker may open.
//! - `pool.rs`: the questions a paper draws from, as stored versions.
//! - `attempts.rs`: starting, reading, saving, submitting an attempt.
//! - `grading.rs`: grading and scoring a submitted attempt; regrading
//!   after a key correction.
//! - `marking.rs`: the grading queue of short answers.
//! - `credit.rs`: what a final result earns: the quiz lesson's completion
//!   and the passed-exam 学时.
//! - `report.rs`: results by org node and per question.
//! - `deadline.rs`: submitting attempts whose time is up, page open or not.

pub mod attempts;
pub(crate) mod credit;
pub mod deadline;
pub(crate) mod grading;
pub mod marking;
mod pool;
pub mod report;

use courses::course::Audience;
use courses::exam::api::{ExamDraft, ExamView, MAX_EXAM_TITLE_CHARS};
use courses::exam::{ExamSettings, PaperSpec, Shuffle};
use courses::{Actor, OrgId, OrgPath};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::de::DeserializeOwned;

use crate::db::{self, courses as course_rows, exams, lessons, orgs, people, question_banks};
use crate::error::{Detail, Error, Result};
use crate::services::{hide_out_of_scope, orgs as org_service};

/// Reads a JSON column; a value that does not parse is corruption, not bad
/// input.
pub(crate) fn column<T: DeserializeOwned>(json: &str, what: &str, id: i64) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::Internal(anyhow::anyhow!("{what} of {id} is unreadable: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.into()))
}

/// An exam with its JSON columns read.
#[derive(Debug, Clone)]
pub(crate) struct Exam {
    pub row: exams::Model,
    pub settings: ExamSettings,
    pub paper: PaperSpec,
    pub banks: Vec<i64>,
    pub audience: Audience,
    pub path: OrgPath,
}

impl Exam {
    pub(crate) fn read(row: exams::Model, org: &orgs::Model) -> Result<Exam> {
        Ok(Exam {
            settings: column(&row.settings, "settings of exam", row.id)?,
            paper: column(&row.paper, "paper of exam", row.id)?,
            banks: column(&row.banks, "banks of exam", row.id)?,
            audience: column(&row.audience, "audience of exam", row.id)?,
            path: org_service::path_of(org)?,
            row,
        })
    }

    /// Whether `actor` may take it: published and its audience admits them.
    pub(crate) fn open_to(&self, actor: &Actor) -> bool {
        self.row.published && self.audience.admits(actor.id, actor.role, actor.standing, &actor.org)
    }

    /// Attempts of these (one person's) that the attempt limit counts:
    /// practice ones for a practice exam, the others otherwise.
    pub(crate) fn attempts_used(&self, attempts: &[crate::db::exam_attempts::Model]) -> u32 {
        u32::try_from(attempts.iter().filter(|a| a.practice == self.settings.practice).count()).unwrap_or(u32::MAX)
    }

    /// The result that counts of one person's attempts (never a practice one).
    pub(crate) fn result(&self, attempts: &[crate::db::exam_attempts::Model]) -> Option<courses::exam::AttemptScore> {
        let scores: Vec<_> = attempts.iter().filter(|a| !a.practice).filter_map(grading::score_of).collect();
        courses::exam::counted(&scores, self.settings.counting)
    }

    fn view(&self) -> ExamView {
        ExamView {
            id: self.row.id,
            org_id: OrgId(self.row.org_id),
            title: self.row.title.clone(),
            settings: self.settings.clone(),
            paper: self.paper.clone(),
            banks: self.banks.clone(),
            audience: self.audience.clone(),
            published: self.row.published,
        }
    }
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Exam> {
    let (row, org) =
        exams::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    Exam::read(row, &org.ok_or(Error::NotFound)?)
}

/// The exam if `actor` manages its node.
async fn managed(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Exam> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let exam = find(db, id).await?;
    hide_out_of_scope(actor.can_manage_course(&exam.path))?;
    Ok(exam)
}

/// The exam if `actor` may take it: published and open to them. Anything
/// else is "not found", so an exam's existence is not revealed.
pub(crate) async fn takeable(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Exam> {
    let exam = find(db, id).await?;
    if exam.open_to(actor) || (exam.row.published && in_studied_lesson(db, actor, id).await?) {
        return Ok(exam);
    }
    Err(Error::NotFound)
}

/// Whether exam `id` is a quiz lesson of a course `actor` may study: the
/// course's audience may take its quizzes, whoever the exam's own
/// audience names.
async fn in_studied_lesson(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<bool> {
    let Some(lesson) = lessons::Entity::find().filter(lessons::Column::ExamId.eq(id)).one(db).await? else {
        return Ok(false);
    };
    match crate::services::catalog::find_studied(db, actor, lesson.course_id).await {
        Ok(_) => Ok(true),
        Err(Error::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Invalid(Detail::text(zh, en))
}

/// Checks a draft against the tree and the banks; answers the exam's node
/// and its audience.
async fn check_draft(db: &impl ConnectionTrait, actor: &Actor, draft: &ExamDraft) -> Result<(orgs::Model, Audience)> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let org = org_service::find_visible(db, actor, draft.org_id).await?;
    let path = org_service::path_of(&org)?;
    hide_out_of_scope(actor.can_manage_course(&path))?;
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > MAX_EXAM_TITLE_CHARS {
        return Err(invalid(
            format!("考试名称须为 1–{MAX_EXAM_TITLE_CHARS} 个字。"),
            format!("The title must be 1 to {MAX_EXAM_TITLE_CHARS} characters."),
        ));
    }
    draft.settings.check().map_err(|e| Error::invalid(&e))?;
    draft.paper.check().map_err(|e| Error::invalid(&e))?;

    // Banks of the exam's node or above, each once.
    if draft.banks.is_empty() {
        return Err(invalid("请选择试题所在的题库。", "Choose the banks the questions come from."));
    }
    let mut banks = draft.banks.clone();
    banks.sort_unstable();
    banks.dedup();
    for id in &banks {
        let usable = match question_banks::Entity::find_by_id(*id).find_also_related(orgs::Entity).one(db).await? {
            Some((_, Some(bank_org))) => org_service::path_of(&bank_org)?.contains(&path),
            _ => false,
        };
        if !usable {
            return Err(invalid(
                format!("题库 {id} 不存在，或不属于本组织及其上级组织。"),
                format!("Bank {id} does not exist or belongs to no node at or above the exam's."),
            ));
        }
    }
    // The paper must be drawable now: enough questions, fixed ones present.
    let pool = pool::Pool::load(db, &banks).await?;
    draft.paper.draw(&pool.entries(), Shuffle::default(), 0).map_err(|e| Error::invalid(&e))?;

    for course in &draft.settings.prerequisites.courses {
        if course_rows::Entity::find_by_id(*course).one(db).await?.is_none() {
            return Err(invalid(
                format!("先修课程 {course} 不存在。"),
                format!("Prerequisite course {course} does not exist."),
            ));
        }
    }

    let audience = match &draft.audience {
        None => Audience::subtree_of(org.id),
        Some(a) => {
            for node in &a.orgs {
                let inside = match orgs::Entity::find_by_id(*node).one(db).await? {
                    Some(o) => path.contains(&org_service::path_of(&o)?),
                    None => false,
                };
                if !inside {
                    return Err(invalid(
                        format!("考试对象中的组织 {node} 不在本组织之内。"),
                        format!("Audience node {node} is not inside the exam's node."),
                    ));
                }
            }
            let found = people::Entity::find().filter(people::Column::Id.is_in(a.people.clone())).all(db).await?;
            if found.len() != a.people.iter().collect::<std::collections::BTreeSet<_>>().len() {
                return Err(invalid("考试对象中有不存在的人员。", "The audience names someone who does not exist."));
            }
            a.clone()
        }
    };
    Ok((org, audience))
}

pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<ExamView>> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let scope = org_service::in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let rows = exams::Entity::find().find_also_related(orgs::Entity).filter(scope).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, org) in rows {
        let Some(org) = org else { continue };
        out.push(Exam::read(row, &org)?.view());
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.id));
    Ok(out)
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<ExamView> {
    Ok(managed(db, actor, id).await?.view())
}

pub async fn create(db: &impl ConnectionTrait, actor: &Actor, draft: ExamDraft) -> Result<ExamView> {
    let (org, audience) = check_draft(db, actor, &draft).await?;
    let now = db::now();
    let row = exams::ActiveModel {
        org_id: Set(org.id),
        title: Set(draft.title.trim().to_owned()),
        settings: Set(to_json(&draft.settings)?),
        paper: Set(to_json(&draft.paper)?),
        banks: Set(to_json(&draft.banks)?),
        audience: Set(to_json(&audience)?),
        published: Set(false),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Exam::read(row, &org)?.view())
}

/// Replaces an exam's title, settings, paper and audience. Attempts already
/// started keep the paper they drew.
pub async fn replace(db: &impl ConnectionTrait, actor: &Actor, id: i64, draft: ExamDraft) -> Result<ExamView> {
    let exam = managed(db, actor, id).await?;
    let (org, audience) = check_draft(db, actor, &draft).await?;
    let mut active = exam.row.into_active_model();
    active.org_id = Set(org.id);
    active.title = Set(draft.title.trim().to_owned());
    active.settings = Set(to_json(&draft.settings)?);
    active.paper = Set(to_json(&draft.paper)?);
    active.banks = Set(to_json(&draft.banks)?);
    active.audience = Set(to_json(&audience)?);
    active.updated_at = Set(db::now());
    let row = active.update(db).await?;
    Ok(Exam::read(row, &org)?.view())
}

pub async fn publish(db: &impl ConnectionTrait, actor: &Actor, id: i64, published: bool) -> Result<ExamView> {
    let exam = managed(db, actor, id).await?;
    let org = orgs::Entity::find_by_id(exam.row.org_id).one(db).await?.ok_or(Error::NotFound)?;
    let mut active = exam.row.into_active_model();
    active.published = Set(published);
    active.updated_at = Set(db::now());
    let row = active.update(db).await?;
    Ok(Exam::read(row, &org)?.view())
}

/// Deletes an exam nobody has started; once someone has, its attempts and
/// results must stay, so it can only be unpublished.
pub async fn delete(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<()> {
    let exam = managed(db, actor, id).await?;
    let started = crate::db::exam_attempts::Entity::find()
        .filter(crate::db::exam_attempts::Column::ExamId.eq(exam.row.id))
        .one(db)
        .await?
        .is_some();
    if started {
        return Err(Error::Conflict(Detail::text(
            "已有人参加这场考试，不能删除；可以取消发布。",
            "Someone has taken this exam, so it cannot be deleted; unpublish it instead.",
        )));
    }
    let lesson = lessons::Entity::find().filter(lessons::Column::ExamId.eq(exam.row.id)).one(db).await?;
    if let Some(lesson) = lesson {
        return Err(Error::Conflict(Detail::text(
            format!("这场考试是课时“{}”的测验，请先删除该课时。", lesson.title),
            format!("This exam is the quiz of the lesson “{}”; delete the lesson first.", lesson.title),
        )));
    }
    exams::Entity::delete_by_id(exam.row.id).exec(db).await?;
    Ok(())
}
