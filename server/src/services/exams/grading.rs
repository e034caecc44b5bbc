//! Grading a submitted attempt: every answer against the version its paper
//! showed, the score, and the result the taker sees. Objective answers are
//! graded at once; a short answer stays pending for a grader, and so does
//! the attempt's outcome (no pass before everything is graded).

use std::collections::HashMap;

use chrono::FixedOffset;
use chrono::{DateTime, Utc};
use courses::exam::api::{AttemptResult, ReviewItem};
use courses::exam::{
    grade, score_attempt, Answer, AttemptScore, Correctness, Grade, MultipleScoring, Paper, Points, Question,
    QuestionData,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::{column, Exam};
use crate::db::exam_attempts::{self, State, SubmittedBy};
use crate::db::{attempt_answers, question_versions};
use crate::error::{Error, Result};
use crate::services::question_banks::questions::{question_of, versions_by_id};

/// The questions of a paper, by version id.
pub(super) async fn questions_of(db: &impl ConnectionTrait, paper: &Paper) -> Result<HashMap<i64, Question>> {
    let ids: Vec<i64> = paper.items.iter().map(|i| i.question.0).collect();
    versions_by_id(db, &ids).await?.into_iter().map(|(id, v)| Ok((id, question_of(&v)?))).collect()
}

/// The attempt's answer rows, in paper order.
pub(super) async fn answers_of(db: &impl ConnectionTrait, attempt_id: i64) -> Result<Vec<attempt_answers::Model>> {
    Ok(attempt_answers::Entity::find()
        .filter(attempt_answers::Column::AttemptId.eq(attempt_id))
        .order_by_asc(attempt_answers::Column::Position)
        .all(db)
        .await?)
}

pub(super) fn answer_of(row: &attempt_answers::Model) -> Result<Option<Answer>> {
    row.answer.as_deref().map(|a| column(a, "answer of attempt", row.attempt_id)).transpose()
}

/// Submits an open attempt (inside the caller's transaction): claims it
/// from the open state, grades every answer and stores the score. None if
/// it was no longer open (submitted meanwhile by the taker or the sweep).
pub(super) async fn submit(
    db: &impl ConnectionTrait,
    zone: FixedOffset,
    exam: &Exam,
    attempt: &exam_attempts::Model,
    by: SubmittedBy,
    now_ms: i64,
) -> Result<Option<exam_attempts::Model>> {
    // Claim the attempt first: its row stays locked (PostgreSQL) until the
    // caller commits, so no save lands between reading and grading.
    let still_open = exam_attempts::Entity::find_by_id(attempt.id)
        .filter(exam_attempts::Column::State.eq(State::Open))
        .lock_exclusive()
        .one(db)
        .await?;
    if still_open.is_none() {
        return Ok(None);
    }
    let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
    let questions = questions_of(db, &paper).await?;
    let rows = answers_of(db, attempt.id).await?;
    let mut graded = Vec::with_capacity(paper.items.len());
    let mut grades = Vec::with_capacity(paper.items.len());
    for (item, row) in paper.items.iter().zip(&rows) {
        let q = questions.get(&item.question.0).ok_or_else(|| {
            Error::Internal(anyhow::anyhow!("attempt {} lost version {}", attempt.id, item.question.0))
        })?;
        // A stored answer was checked against this very version when saved.
        let g = grade_or_zero(q, answer_of(row)?.as_ref(), item.points, exam.settings.multiple_scoring, attempt.id);
        graded.push((item.points, g));
        grades.push((row.position, g));
    }
    let score = score_attempt(&graded, exam.settings.pass_mark);
    let claimed = exam_attempts::Entity::update_many()
        .set(exam_attempts::ActiveModel {
            state: Set(State::Submitted),
            submitted_at_ms: Set(Some(now_ms)),
            submitted_by: Set(Some(by)),
            total_tenths: Set(Some(i64::from(score.total.tenths()))),
            max_tenths: Set(i64::from(score.max.tenths())),
            pending: Set(i32::try_from(score.pending).unwrap_or(i32::MAX)),
            outcome: Set(Some(score.outcome.into())),
            ..Default::default()
        })
        .filter(exam_attempts::Column::Id.eq(attempt.id))
        .filter(exam_attempts::Column::State.eq(State::Open))
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(None);
    }
    for (position, g) in grades {
        let json = serde_json::to_string(&g).map_err(|e| Error::Internal(e.into()))?;
        attempt_answers::Entity::update_many()
            .set(attempt_answers::ActiveModel { grade: Set(Some(json)), ..Default::default() })
            .filter(attempt_answers::Column::AttemptId.eq(attempt.id))
            .filter(attempt_answers::Column::Position.eq(position))
            .exec(db)
            .await?;
    }
    mark_shown(db, &paper).await?;
    if !attempt.practice {
        super::credit::settle(db, exam, attempt.person_id, zone).await?;
    }
    Ok(exam_attempts::Entity::find_by_id(attempt.id).one(db).await?)
}

/// Keeps the versions of a paper as they are from now on: an edit makes a
/// new version, and a question taken out of its bank is retired, not
/// deleted. Called when a paper is drawn (a taker sees it from then on)
/// and again on submitting.
pub(super) async fn mark_shown(db: &impl ConnectionTrait, paper: &Paper) -> Result<()> {
    let versions: Vec<i64> = paper.items.iter().map(|i| i.question.0).collect();
    for chunk in versions.chunks(500) {
        question_versions::Entity::update_many()
            .set(question_versions::ActiveModel { shown: Set(true), ..Default::default() })
            .filter(question_versions::Column::Id.is_in(chunk.iter().copied()))
            .filter(question_versions::Column::Shown.eq(false))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Grades an answer; one that no longer fits its question (which pinned
/// versions rule out) scores 0 rather than stopping the whole attempt.
fn grade_or_zero(
    q: &Question,
    answer: Option<&Answer>,
    worth: Points,
    scoring: MultipleScoring,
    attempt: i64,
) -> Grade {
    grade(q, answer, worth, scoring).unwrap_or_else(|e| {
        tracing::warn!(attempt, error = %e, "a stored answer does not fit its question; scored 0");
        Grade::Scored { points: Points::ZERO, correctness: Correctness::Wrong }
    })
}

/// The stored score of a submitted attempt.
pub(super) fn score_of(attempt: &exam_attempts::Model) -> Option<AttemptScore> {
    let total = attempt.total_tenths?;
    Some(AttemptScore {
        total: Points::from_tenths(u32::try_from(total).unwrap_or(0)),
        max: Points::from_tenths(u32::try_from(attempt.max_tenths).unwrap_or(0)),
        pending: usize::try_from(attempt.pending).unwrap_or(0),
        outcome: attempt.outcome?.into(),
    })
}

/// One answer's grade, with the key when `show_key`.
pub(super) fn review_item(position: i32, g: Grade, q: &Question, show_key: bool) -> ReviewItem {
    ReviewItem { position, grade: g, key: show_key.then(|| QuestionData::from(q.clone())) }
}

/// What the taker sees of a submitted attempt: the score, and each
/// question's grade with its key and 解析 when the review allows.
pub(super) fn result(
    exam: &Exam,
    attempt: &exam_attempts::Model,
    rows: &[attempt_answers::Model],
    paper: &Paper,
    questions: &HashMap<i64, Question>,
    now: DateTime<Utc>,
) -> Result<Option<AttemptResult>> {
    let (Some(score), Some(submitted_at_ms)) = (score_of(attempt), attempt.submitted_at_ms) else { return Ok(None) };
    let show_key = attempt.practice || exam.settings.review_shows_answers(now);
    let mut review = Vec::with_capacity(rows.len());
    for (item, row) in paper.items.iter().zip(rows) {
        let Some(q) = questions.get(&item.question.0) else { continue };
        let g: Grade = match &row.grade {
            Some(json) => column(json, "grade of attempt", attempt.id)?,
            None => Grade::Pending,
        };
        review.push(review_item(row.position, g, q, show_key));
    }
    Ok(Some(AttemptResult {
        score,
        submitted_at_ms,
        by_deadline: attempt.submitted_by == Some(SubmittedBy::Deadline),
        review,
    }))
}

/// The grades stored on an attempt's answers (a row without one is pending).
fn stored_grades(attempt: &exam_attempts::Model, rows: &[attempt_answers::Model]) -> Result<Vec<Grade>> {
    rows.iter()
        .map(|r| match &r.grade {
            Some(json) => column(json, "grade of attempt", attempt.id),
            None => Ok(Grade::Pending),
        })
        .collect()
}

/// Scores a submitted attempt again from its stored grades, after a
/// grader scored an answer or a key was corrected.
pub(super) async fn rescore(
    db: &impl ConnectionTrait,
    zone: FixedOffset,
    exam: &Exam,
    attempt: &exam_attempts::Model,
) -> Result<AttemptScore> {
    let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
    let rows = answers_of(db, attempt.id).await?;
    let grades = stored_grades(attempt, &rows)?;
    let graded: Vec<(Points, Grade)> = paper.items.iter().map(|i| i.points).zip(grades).collect();
    let score = score_attempt(&graded, exam.settings.pass_mark);
    exam_attempts::Entity::update_many()
        .set(exam_attempts::ActiveModel {
            total_tenths: Set(Some(i64::from(score.total.tenths()))),
            pending: Set(i32::try_from(score.pending).unwrap_or(i32::MAX)),
            outcome: Set(Some(score.outcome.into())),
            ..Default::default()
        })
        .filter(exam_attempts::Column::Id.eq(attempt.id))
        .exec(db)
        .await?;
    if !attempt.practice {
        super::credit::settle(db, exam, attempt.person_id, zone).await?;
    }
    Ok(score)
}

/// Regrades, with `question` (a corrected key), every answer of a
/// submitted attempt that showed version `version_id`, and rescores those
/// attempts. A grader's score of a short answer stands. Answers how many
/// attempts were regraded.
pub(crate) async fn regrade_version(
    db: &impl ConnectionTrait,
    zone: FixedOffset,
    version_id: i64,
    question: &Question,
) -> Result<usize> {
    let rows = attempt_answers::Entity::find()
        .filter(attempt_answers::Column::VersionId.eq(version_id))
        .filter(attempt_answers::Column::GradedBy.is_null())
        .all(db)
        .await?;
    let mut attempts: Vec<i64> = rows.iter().map(|r| r.attempt_id).collect();
    attempts.sort_unstable();
    attempts.dedup();
    let mut done = 0;
    for attempt_id in attempts {
        let Some(attempt) = exam_attempts::Entity::find_by_id(attempt_id).one(db).await? else { continue };
        if attempt.state != State::Submitted {
            continue;
        }
        let exam = super::find(db, attempt.exam_id).await?;
        let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
        for row in rows.iter().filter(|r| r.attempt_id == attempt_id) {
            let Some(item) = usize::try_from(row.position).ok().and_then(|p| paper.items.get(p)) else { continue };
            let g = grade_or_zero(
                question,
                answer_of(row)?.as_ref(),
                item.points,
                exam.settings.multiple_scoring,
                attempt_id,
            );
            let json = serde_json::to_string(&g).map_err(|e| Error::Internal(e.into()))?;
            attempt_answers::Entity::update_many()
                .set(attempt_answers::ActiveModel { grade: Set(Some(json)), ..Default::default() })
                .filter(attempt_answers::Column::AttemptId.eq(attempt_id))
                .filter(attempt_answers::Column::Position.eq(row.position))
                .exec(db)
                .await?;
        }
        rescore(db, zone, &exam, &attempt).await?;
        done += 1;
    }
    Ok(done)
}
