//! A class's written work: its 班主任 set tasks (心得体会, 思想汇报) and
//! review what students hand in; students write in the page, at least the
//! task's length in characters, and may hand in again once returned.

use courses::essay::{
    check_essay, EssayError, EssayIn, EssayKind, EssayReview, EssayTaskView, EssayView, NewEssayTask,
};
use courses::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{find, managed, Class};
use crate::db::class_essays::State;
use crate::db::{self, class_essay_tasks, class_essays, class_students, people};
use crate::error::{Error, Result};

/// Longest task title, in characters.
const MAX_TITLE_CHARS: usize = 200;

/// Sets a task for the class (those who manage it).
pub async fn create(db: &DatabaseConnection, actor: &Actor, class_id: i64, new: NewEssayTask) -> Result<EssayTaskView> {
    let class = managed(db, actor, class_id).await?;
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
        return Err(Error::invalid(&EssayError::BadTitle));
    }
    let min_chars = new.min_chars.unwrap_or(u32::try_from(class.row.min_essay_chars).unwrap_or(0));
    if min_chars > 100_000 {
        return Err(Error::invalid(&EssayError::BadMinimum));
    }
    let row = class_essay_tasks::ActiveModel {
        class_id: Set(class.row.id),
        title: Set(title.to_owned()),
        kind: Set(new.kind.as_str().to_owned()),
        min_chars: Set(i32::try_from(min_chars).unwrap_or(i32::MAX)),
        created_at: Set(db::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    task_view(db, row, None).await
}

/// Whether `actor` studies in the class.
async fn enrolled(db: &impl ConnectionTrait, class_id: i64, person_id: i64) -> Result<bool> {
    Ok(class_students::Entity::find_by_id((class_id, person_id)).one(db).await?.is_some())
}

/// The class as `actor` may see its written work: all essays for those who
/// manage it, their own for a student; anyone else finds nothing.
async fn visible(db: &impl ConnectionTrait, actor: &Actor, class_id: i64) -> Result<(Class, Option<i64>)> {
    if let Ok(class) = managed(db, actor, class_id).await {
        return Ok((class, None));
    }
    let class = find(db, class_id).await?;
    if enrolled(db, class.row.id, actor.id.0).await? {
        return Ok((class, Some(actor.id.0)));
    }
    Err(Error::NotFound)
}

/// A class's tasks with the essays the caller may read.
pub async fn list(db: &DatabaseConnection, actor: &Actor, class_id: i64) -> Result<Vec<EssayTaskView>> {
    let (class, only) = visible(db, actor, class_id).await?;
    let tasks = class_essay_tasks::Entity::find()
        .filter(class_essay_tasks::Column::ClassId.eq(class.row.id))
        .order_by_asc(class_essay_tasks::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(task_view(db, t, only).await?);
    }
    Ok(out)
}

async fn task_of(db: &impl ConnectionTrait, task_id: i64) -> Result<class_essay_tasks::Model> {
    class_essay_tasks::Entity::find_by_id(task_id).one(db).await?.ok_or(Error::NotFound)
}

/// A student hands in their essay (again, once returned).
pub async fn submit(db: &DatabaseConnection, actor: &Actor, task_id: i64, essay: EssayIn) -> Result<EssayTaskView> {
    Ok(hand_in(db, actor, task_id, essay.text, None).await?.0)
}

/// A document an essay was handed in as: where it is stored, its name.
pub(crate) struct HandedFile {
    pub key: String,
    pub name: String,
}

/// Checks a student may hand in `task_id` now; answers the task and their
/// essay as it stands.
pub(crate) async fn open_task(
    db: &DatabaseConnection,
    actor: &Actor,
    task_id: i64,
) -> Result<(class_essay_tasks::Model, Option<class_essays::Model>)> {
    let task = task_of(db, task_id).await?;
    if !enrolled(db, task.class_id, actor.id.0).await? {
        return Err(Error::NotFound);
    }
    let current = class_essays::Entity::find_by_id((task.id, actor.id.0)).one(db).await?;
    if current.as_ref().is_some_and(|e| e.state == State::Accepted) {
        return Err(Error::Conflict(crate::error::Detail::of(&EssayError::AlreadyAccepted)));
    }
    Ok((task, current))
}

/// Stores the essay `text` (read out of `file` when one was sent); answers
/// the task and the key of a document it replaced, to delete. It checks
/// that the student may hand in even after `essay_file` checked before
/// storing a document: the essay may have been accepted meanwhile.
pub(crate) async fn hand_in(
    db: &DatabaseConnection,
    actor: &Actor,
    task_id: i64,
    text: String,
    file: Option<HandedFile>,
) -> Result<(EssayTaskView, Option<String>)> {
    let (task, current) = open_task(db, actor, task_id).await?;
    let chars = check_essay(&text, u32::try_from(task.min_chars).unwrap_or(0)).map_err(|e| Error::invalid(&e))?;
    let replaced = current.as_ref().and_then(|c| c.file_key.clone());
    let (file_key, file_name) = match file {
        Some(f) => (Some(f.key), Some(f.name)),
        None => (None, None),
    };
    let row = class_essays::ActiveModel {
        task_id: Set(task.id),
        person_id: Set(actor.id.0),
        body: Set(text),
        chars: Set(i32::try_from(chars).unwrap_or(i32::MAX)),
        state: Set(State::Submitted),
        comment: Set(current.as_ref().and_then(|c| c.comment.clone())),
        submitted_at_ms: Set(db::now_ms()),
        reviewed_by: Set(None),
        reviewed_at_ms: Set(None),
        file_key: Set(file_key),
        file_name: Set(file_name),
    };
    match current {
        Some(_) => row.update(db).await?,
        None => row.insert(db).await?,
    };
    Ok((task_view(db, task, Some(actor.id.0)).await?, replaced))
}

/// The stored document of `person`'s essay on `task_id`, for them and for
/// those who manage the class: its name and key.
pub(crate) async fn file_of(
    db: &DatabaseConnection,
    actor: &Actor,
    task_id: i64,
    person_id: i64,
) -> Result<(String, String)> {
    let task = task_of(db, task_id).await?;
    if person_id != actor.id.0 {
        match managed(db, actor, task.class_id).await {
            Ok(_) => {}
            Err(Error::Forbidden) => return Err(Error::NotFound),
            Err(e) => return Err(e),
        }
    }
    let essay = class_essays::Entity::find_by_id((task.id, person_id)).one(db).await?.ok_or(Error::NotFound)?;
    match (essay.file_name, essay.file_key) {
        (Some(name), Some(key)) => Ok((name, key)),
        _ => Err(Error::NotFound),
    }
}

/// The 班主任 accepts an essay or returns it with a comment.
pub async fn review(
    db: &DatabaseConnection,
    actor: &Actor,
    task_id: i64,
    person_id: i64,
    review: EssayReview,
) -> Result<EssayTaskView> {
    let task = task_of(db, task_id).await?;
    managed(db, actor, task.class_id).await?;
    let essay = class_essays::Entity::find_by_id((task.id, person_id)).one(db).await?.ok_or(Error::NotFound)?;
    let comment = review.comment.trim().to_owned();
    if !review.accept && comment.is_empty() {
        return Err(Error::invalid(&EssayError::NoComment));
    }
    if comment.chars().count() > 2000 {
        return Err(Error::Invalid(crate::error::Detail::text(
            "评语不能超过 2000 字。",
            "A comment may have at most 2,000 characters.",
        )));
    }
    let mut active: class_essays::ActiveModel = essay.into();
    active.state = Set(if review.accept { State::Accepted } else { State::Returned });
    active.comment = Set((!comment.is_empty()).then_some(comment));
    active.reviewed_by = Set((actor.id.0 > 0).then_some(actor.id.0));
    active.reviewed_at_ms = Set(Some(db::now_ms()));
    active.update(db).await?;
    task_view(db, task, None).await
}

async fn task_view(
    db: &impl ConnectionTrait,
    task: class_essay_tasks::Model,
    only: Option<i64>,
) -> Result<EssayTaskView> {
    let mut q = class_essays::Entity::find().filter(class_essays::Column::TaskId.eq(task.id));
    if let Some(person) = only {
        q = q.filter(class_essays::Column::PersonId.eq(person));
    }
    let rows = q.find_also_related(people::Entity).all(db).await?;
    let mut essays: Vec<EssayView> = rows
        .into_iter()
        .map(|(e, p)| EssayView {
            task_id: e.task_id,
            person_id: e.person_id,
            person_name: p.map(|p| p.name).unwrap_or_default(),
            text: e.body,
            chars: u32::try_from(e.chars).unwrap_or(0),
            state: e.state.into(),
            comment: e.comment,
            submitted_at_ms: e.submitted_at_ms,
            file_url: e
                .file_key
                .as_ref()
                .map(|_| format!("/api/v1/essay-tasks/{}/essays/{}/file", e.task_id, e.person_id)),
            file_name: e.file_name,
        })
        .collect();
    courses::collation::sort_by_name(&mut essays, |e| e.person_name.as_str(), |e| e.person_id);
    let kind = EssayKind::parse(&task.kind)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("essay task {} has kind {}", task.id, task.kind)))?;
    Ok(EssayTaskView {
        id: task.id,
        class_id: task.class_id,
        title: task.title,
        kind,
        min_chars: u32::try_from(task.min_chars).unwrap_or(0),
        essays,
    })
}
