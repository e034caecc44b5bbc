//! Moderation: members report comments; the course's organizers approve
//! waiting ones, hide, restore or delete with a reason, or keep a reported
//! one. Each step is logged with who, when and why. And the queue of what
//! waits for them, and a course's 先审后发 switch.
//!
//! Each step changes the state only from the state it expects, in one
//! conditional update, so two moderators at once cannot both act on it.

use chrono::FixedOffset;
use courses::discussion::{
    checked_reason, CommentReport, CommentState, CommentView, DiscussionError, DiscussionSettings, Moderation,
    ModerationAction, QueueItem,
};
use courses::Actor;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set, TransactionTrait,
};

use super::{find_visible, state_of, view_of, Lookups};
use crate::db::{self, comment_reports, comment_steps, comments, courses as course_rows, lessons, orgs};
use crate::error::{Error, Result};
use crate::services::catalog::find_managed;
use crate::services::hide_out_of_scope;
use crate::services::orgs::in_scope;

/// Most comments in one answer of the queue.
pub const QUEUE_PAGE: u64 = 200;

/// Logs a moderation step.
pub(crate) async fn record_step(
    db: &impl ConnectionTrait,
    comment_id: i64,
    action: ModerationAction,
    actor: &Actor,
    by_name: &str,
    reason: Option<String>,
) -> Result<()> {
    comment_steps::Entity::insert(comment_steps::ActiveModel {
        comment_id: Set(comment_id),
        action: Set(action.as_str().to_owned()),
        by_id: Set((actor.id.0 > 0).then_some(actor.id.0)),
        by_name: Set(by_name.to_owned()),
        at_ms: Set(db::now_ms()),
        reason: Set(reason),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A member reports a published comment they can see (not their own). A
/// second report by the same person changes nothing.
pub async fn report(db: &DatabaseConnection, actor: &Actor, id: i64, report: CommentReport) -> Result<()> {
    let (row, _) = find_visible(db, actor, id).await?;
    let reason = checked_reason(&report.reason).map_err(|e| Error::invalid(&e))?;
    if row.author_id == Some(actor.id.0) || state_of(&row)? != CommentState::Published {
        return Err(Error::invalid(&DiscussionError::WrongState));
    }
    let tx = db.begin().await?;
    let inserted = comment_reports::Entity::insert(comment_reports::ActiveModel {
        comment_id: Set(row.id),
        person_id: Set(actor.id.0),
        reason: Set(reason),
        at_ms: Set(db::now_ms()),
        open: Set(true),
    })
    .on_conflict(
        OnConflict::columns([comment_reports::Column::CommentId, comment_reports::Column::PersonId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    if inserted == 1 {
        comments::Entity::update_many()
            .col_expr(comments::Column::OpenReports, Expr::col(comments::Column::OpenReports).add(1))
            .filter(comments::Column::Id.eq(row.id))
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A moderation step by one of the course's organizers.
pub async fn moderate(
    db: &DatabaseConnection,
    actor: &Actor,
    by_name: &str,
    id: i64,
    step: Moderation,
    zone: FixedOffset,
) -> Result<CommentView> {
    let (row, place) = find_visible(db, actor, id).await?;
    hide_out_of_scope(actor.can_manage_course(&place.course.org))?;
    let reason = if step.action.needs_reason() || !step.reason.trim().is_empty() {
        Some(checked_reason(&step.reason).map_err(|e| Error::invalid(&e))?)
    } else {
        None
    };
    let from = state_of(&row)?;
    let keeps_reason = step.action == ModerationAction::Dismiss;
    take_step(db, &row, from, step.action, actor, by_name, reason, keeps_reason).await?;
    let row = comments::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let look = Lookups::load(db, actor, std::slice::from_ref(&row), zone).await?;
    view_of(&row, actor, true, &look)
}

/// Moves a comment from `from` by `action` in one transaction, if it is
/// still in `from`: its new state (a deleted one loses its text), its open
/// reports closed, the step logged. `keeps_reason`: the comment's last
/// moderation reason stays as it was.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn take_step(
    db: &DatabaseConnection,
    row: &comments::Model,
    from: CommentState,
    action: ModerationAction,
    actor: &Actor,
    by_name: &str,
    reason: Option<String>,
    keeps_reason: bool,
) -> Result<()> {
    let to = action.apply(from).ok_or_else(|| Error::invalid(&DiscussionError::WrongState))?;
    let tx = db.begin().await?;
    let mut update = comments::Entity::update_many()
        .col_expr(comments::Column::State, Expr::value(to.as_str()))
        .col_expr(comments::Column::OpenReports, Expr::value(0));
    if !keeps_reason {
        update = update.col_expr(comments::Column::ModerationReason, Expr::value(reason.clone()));
    }
    if to == CommentState::Deleted {
        update = update.col_expr(comments::Column::Body, Expr::value(""));
    }
    if to != CommentState::Pending {
        update = update.col_expr(comments::Column::HeldFor, Expr::value(Option::<String>::None));
    }
    let done = update
        .filter(comments::Column::Id.eq(row.id))
        .filter(comments::Column::State.eq(from.as_str()))
        .exec(&tx)
        .await?;
    if done.rows_affected != 1 {
        return Err(Error::invalid(&DiscussionError::WrongState));
    }
    comment_reports::Entity::update_many()
        .col_expr(comment_reports::Column::Open, Expr::value(false))
        .filter(comment_reports::Column::CommentId.eq(row.id))
        .exec(&tx)
        .await?;
    record_step(&tx, row.id, action, actor, by_name, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// What waits for the caller's moderation: comments waiting for approval
/// and comments with open reports, in the courses the caller manages (one
/// course with `course`), oldest first.
pub async fn queue(
    db: &DatabaseConnection,
    actor: &Actor,
    course: Option<i64>,
    zone: FixedOffset,
) -> Result<Vec<QueueItem>> {
    let Some(scope) = in_scope(&actor.scope()) else { return Err(Error::Forbidden) };
    let managed = course_rows::Entity::find()
        .select_only()
        .column(course_rows::Column::Id)
        .inner_join(orgs::Entity)
        .filter(scope)
        .into_query();
    let mut find = comments::Entity::find().filter(comments::Column::CourseId.in_subquery(managed)).filter(
        Condition::any()
            .add(comments::Column::State.eq(CommentState::Pending.as_str()))
            .add(comments::Column::OpenReports.gt(0)),
    );
    if let Some(c) = course {
        find_managed(db, actor, c).await?;
        find = find.filter(comments::Column::CourseId.eq(c));
    }
    let rows = find.order_by_asc(comments::Column::Id).limit(QUEUE_PAGE).all(db).await?;
    let look = Lookups::load(db, actor, &rows, zone).await?;
    let course_ids: Vec<i64> = rows.iter().map(|r| r.course_id).collect();
    let lesson_ids: Vec<i64> = rows.iter().filter_map(|r| r.lesson_id).collect();
    let courses: std::collections::HashMap<i64, String> = course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let lessons: std::collections::HashMap<i64, String> = lessons::Entity::find()
        .filter(lessons::Column::Id.is_in(lesson_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.title))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let reports = comment_reports::Entity::find()
        .filter(comment_reports::Column::CommentId.is_in(ids))
        .filter(comment_reports::Column::Open.eq(true))
        .order_by_asc(comment_reports::Column::AtMs)
        .all(db)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(QueueItem {
                comment: view_of(r, actor, true, &look)?,
                course_title: courses.get(&r.course_id).cloned().unwrap_or_default(),
                lesson_title: r.lesson_id.and_then(|l| lessons.get(&l).cloned()),
                report_reasons: reports.iter().filter(|p| p.comment_id == r.id).map(|p| p.reason.clone()).collect(),
                real_name: r.author_name.clone(),
            })
        })
        .collect()
}

/// A course's discussion settings, for those who manage it.
pub async fn settings(db: &DatabaseConnection, actor: &Actor, course: i64) -> Result<DiscussionSettings> {
    let c = find_managed(db, actor, course).await?;
    Ok(DiscussionSettings { review_first: c.row.comments_reviewed })
}

/// Turns 先审后发 on or off for a course. Comments already waiting keep
/// waiting; turning it off publishes nothing by itself.
pub async fn set_settings(
    db: &DatabaseConnection,
    actor: &Actor,
    course: i64,
    new: DiscussionSettings,
) -> Result<DiscussionSettings> {
    let c = find_managed(db, actor, course).await?;
    course_rows::Entity::update_many()
        .col_expr(course_rows::Column::CommentsReviewed, Expr::value(new.review_first))
        .filter(course_rows::Column::Id.eq(c.row.id))
        .exec(db)
        .await?;
    Ok(new)
}
