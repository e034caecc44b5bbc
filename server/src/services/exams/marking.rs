//! The grading queue: short answers of submitted attempts wait here for
//! the exam's organizers, who see the answer, the reference answer and
//! when the page was hidden, and give points. The attempt's result becomes
//! final when its last answer is scored.

use courses::exam::api::{HiddenSpan, MarkAnswer, PendingAnswer};
use courses::exam::{AttemptScore, Grade, Key, Paper, QuestionKind};
use courses::Actor;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use super::grading::{answer_of, questions_of, rescore};
use super::{column, managed};
use crate::db::exam_attempts::{self, State};
use crate::db::{self, attempt_answers, attempt_hidden, people};
use crate::error::{Detail, Error, Result};

/// Short answers of the exam waiting for a grader, oldest attempt first.
pub async fn queue(db: &DatabaseConnection, actor: &Actor, exam_id: i64) -> Result<Vec<PendingAnswer>> {
    let exam = managed(db, actor, exam_id).await?;
    let attempts = exam_attempts::Entity::find()
        .filter(exam_attempts::Column::ExamId.eq(exam.row.id))
        .filter(exam_attempts::Column::State.eq(State::Submitted))
        .filter(exam_attempts::Column::Pending.gt(0))
        .order_by_asc(exam_attempts::Column::SubmittedAtMs)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for attempt in attempts {
        let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
        let questions = questions_of(db, &paper).await?;
        let person = people::Entity::find_by_id(attempt.person_id).one(db).await?;
        let hidden: Vec<HiddenSpan> = attempt_hidden::Entity::find()
            .filter(attempt_hidden::Column::AttemptId.eq(attempt.id))
            .order_by_asc(attempt_hidden::Column::HiddenAtMs)
            .all(db)
            .await?
            .into_iter()
            .map(|h| HiddenSpan { hidden_at_ms: h.hidden_at_ms, visible_at_ms: h.visible_at_ms })
            .collect();
        for (item, row) in paper.items.iter().zip(super::grading::answers_of(db, attempt.id).await?) {
            let pending = match &row.grade {
                Some(json) => column::<Grade>(json, "grade of attempt", attempt.id)? == Grade::Pending,
                None => true,
            };
            let Some(q) = questions.get(&item.question.0) else { continue };
            let Key::ShortAnswer { reference } = q.key() else { continue };
            if !pending {
                continue;
            }
            let answer = match answer_of(&row)? {
                Some(courses::exam::Answer::ShortAnswer { text }) => text,
                _ => String::new(),
            };
            out.push(PendingAnswer {
                attempt_id: attempt.id,
                person_id: attempt.person_id,
                person_name: person.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                position: row.position,
                points: item.points,
                stem: q.stem().to_owned(),
                reference: reference.clone(),
                explanation: q.explanation().to_owned(),
                answer,
                submitted_at_ms: attempt.submitted_at_ms.unwrap_or_default(),
                hidden: hidden.clone(),
            });
        }
    }
    Ok(out)
}

/// Scores a short answer (again, if a grader had); answers the attempt's
/// score, final once nothing is pending.
pub async fn mark(
    db: &DatabaseConnection,
    zone: chrono::FixedOffset,
    actor: &Actor,
    attempt_id: i64,
    position: i32,
    mark: MarkAnswer,
) -> Result<AttemptScore> {
    let attempt = exam_attempts::Entity::find_by_id(attempt_id).one(db).await?.ok_or(Error::NotFound)?;
    let exam = managed(db, actor, attempt.exam_id).await?;
    if attempt.state != State::Submitted {
        return Err(Error::Conflict(Detail::text(
            "这份答卷还没有提交，不能评分。",
            "This attempt is not submitted yet and cannot be graded.",
        )));
    }
    let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
    let item = usize::try_from(position).ok().and_then(|p| paper.items.get(p)).ok_or(Error::NotFound)?;
    let questions = questions_of(db, &Paper { items: vec![item.clone()] }).await?;
    let q = questions.get(&item.question.0).ok_or(Error::NotFound)?;
    if q.kind() != QuestionKind::ShortAnswer {
        return Err(Error::Invalid(Detail::text(
            "只有简答题需要人工评分；其他题型已自动评分。",
            "Only short answers are graded by hand; the other kinds were graded automatically.",
        )));
    }
    let g = Grade::manual(mark.points, item.points).map_err(|e| Error::invalid(&e))?;
    let json = serde_json::to_string(&g).map_err(|e| Error::Internal(e.into()))?;
    let txn = db::begin_writing(db).await?;
    attempt_answers::Entity::update_many()
        .set(attempt_answers::ActiveModel {
            grade: Set(Some(json)),
            graded_by: Set(Some(actor.id.0)),
            graded_at_ms: Set(Some(db::now_ms())),
            ..Default::default()
        })
        .filter(attempt_answers::Column::AttemptId.eq(attempt.id))
        .filter(attempt_answers::Column::Position.eq(position))
        .exec(&txn)
        .await?;
    let score = rescore(&txn, zone, &exam, &attempt).await?;
    txn.commit().await?;
    Ok(score)
}
