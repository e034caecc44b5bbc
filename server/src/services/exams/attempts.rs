//! Taking an exam. The server draws the paper once per attempt and keeps
//! it; the page gets the questions without keys, saves each answer as it
//! is given (a sequence number per answer, so a stale page never
//! overwrites a newer save), and reads the time left from the server's
//! clock. One attempt per person is open at a time: opening it from
//! another page takes it over, and the old page's saves are refused.

use std::collections::BTreeSet;

use chrono::FixedOffset;
use chrono::{DateTime, Utc};
use courses::exam::api::{
    valid_holder, AttemptQuestion, AttemptSummary, AttemptView, ExamStanding, Holder, MyExam, SaveAnswer, SavedAnswer,
    StartAttempt, Visibility, SAVE_GRACE_SECONDS,
};
use courses::exam::{grade, Paper, QuestionForTaker, TakerRecord};
use courses::i18n::{Lang, Localize};
use courses::Actor;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, SqlErr,
};

use super::grading::{self, answer_of, answers_of, questions_of};
use super::pool::Pool;
use super::{column, takeable, Exam};
use crate::db::exam_attempts::{self, State, SubmittedBy};
use crate::db::{self, attempt_answers, attempt_hidden, course_records, exams, orgs};
use crate::error::{Detail, Error, Result};
use crate::services::study::hours::credited_hours_total;

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn bad_holder() -> Error {
    Error::Invalid(Detail::text(
        "页面标识无效：请刷新页面后重试。",
        "The page's holder token is malformed; reload the page and try again.",
    ))
}

fn taken_over() -> Error {
    Error::Conflict(Detail::text(
        "本次作答已在另一个页面或设备上打开，这个页面不能再保存。请在最新打开的页面继续作答。",
        "This attempt was opened on another page or device; this page can no longer save. Continue on the newest one.",
    ))
}

fn closed() -> Error {
    Error::Conflict(Detail::text(
        "本次作答已提交（或已到时间由系统提交），不能再修改答案。",
        "This attempt was submitted (by you, or by the server when the time was up); answers can no longer change.",
    ))
}

/// An attempt of `actor`'s; someone else's is "not found".
async fn own(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<exam_attempts::Model> {
    let attempt = exam_attempts::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if attempt.person_id != actor.id.0 {
        return Err(Error::NotFound);
    }
    Ok(attempt)
}

/// Refuses unless the attempt is open and held by the page `holder`.
fn check_held(attempt: &exam_attempts::Model, holder: &str) -> Result<()> {
    if attempt.state != State::Open {
        return Err(closed());
    }
    if attempt.holder != holder {
        return Err(taken_over());
    }
    Ok(())
}

/// The caller's attempt `id` with its exam, submitted first if its time is
/// up, and refused unless still open and held by the page `holder`.
async fn held(
    db: &DatabaseConnection,
    zone: FixedOffset,
    actor: &Actor,
    id: i64,
    holder: &str,
) -> Result<(Exam, exam_attempts::Model)> {
    if !valid_holder(holder) {
        return Err(bad_holder());
    }
    let attempt = own(db, actor, id).await?;
    let exam = super::find(db, attempt.exam_id).await?;
    let attempt = settle(db, zone, &exam, attempt).await?;
    check_held(&attempt, holder)?;
    Ok((exam, attempt))
}

/// Whether the server must have submitted this open attempt by now: its
/// deadline passed more than the network grace ago.
fn overdue(attempt: &exam_attempts::Model, now_ms: i64) -> bool {
    attempt.state == State::Open && attempt.deadline_ms.is_some_and(|d| now_ms > d + SAVE_GRACE_SECONDS * 1000)
}

/// Submits an overdue attempt now, so nobody reads or writes past its
/// deadline whether or not the sweep has come by yet. Answers the attempt
/// as it stands.
async fn settle(
    db: &DatabaseConnection,
    zone: FixedOffset,
    exam: &Exam,
    attempt: exam_attempts::Model,
) -> Result<exam_attempts::Model> {
    if !overdue(&attempt, ms(now())) {
        return Ok(attempt);
    }
    let txn = db::begin_writing(db).await?;
    let submitted =
        grading::submit(&txn, zone, exam, &attempt, SubmittedBy::Deadline, attempt.deadline_ms.unwrap_or_default())
            .await?;
    txn.commit().await?;
    match submitted {
        Some(a) => Ok(a),
        None => Ok(exam_attempts::Entity::find_by_id(attempt.id).one(db).await?.ok_or(Error::NotFound)?),
    }
}

async fn attempts_of(db: &impl ConnectionTrait, exam_id: i64, person_id: i64) -> Result<Vec<exam_attempts::Model>> {
    Ok(exam_attempts::Entity::find()
        .filter(exam_attempts::Column::ExamId.eq(exam_id))
        .filter(exam_attempts::Column::PersonId.eq(person_id))
        .order_by_asc(exam_attempts::Column::Number)
        .all(db)
        .await?)
}

/// A person's attempts at `exam`, any whose time is up submitted first.
async fn settled_attempts(
    db: &DatabaseConnection,
    zone: FixedOffset,
    exam: &Exam,
    person_id: i64,
) -> Result<Vec<exam_attempts::Model>> {
    let mut out = Vec::new();
    for a in attempts_of(db, exam.row.id, person_id).await? {
        out.push(settle(db, zone, exam, a).await?);
    }
    Ok(out)
}

/// Whether `actor` may start a new attempt now: the exam's rules, with the
/// prerequisites of any class that has it as the final exam and enrols
/// them.
async fn may_start(
    db: &impl ConnectionTrait,
    exam: &Exam,
    actor: &Actor,
    attempts: &[exam_attempts::Model],
    at: DateTime<Utc>,
) -> Result<std::result::Result<(), courses::exam::StartRefusal>> {
    let gate = crate::services::classes::gate::for_student(
        db,
        exam.row.id,
        actor.id.0,
        actor.standing,
        &exam.settings.prerequisites,
    )
    .await?;
    let failed = exam.result(attempts).is_some_and(|s| s.outcome == courses::exam::Outcome::Failed);
    let resit = u32::from(gate.resit && failed);
    let settings = courses::exam::ExamSettings {
        prerequisites: gate.prerequisites,
        attempts_allowed: exam.settings.attempts_allowed.map(|n| n + resit),
        ..exam.settings.clone()
    };
    let record = taker_record(db, exam, &settings, actor, attempts).await?;
    Ok(settings.may_start(at, &record).and_then(|()| match gate.hours_short {
        Some((needed, have)) => Err(courses::exam::StartRefusal::HoursMissing { needed, have: format!("{have:.1}") }),
        None => Ok(()),
    }))
}

/// What the person has done, as `settings` ask.
async fn taker_record(
    db: &impl ConnectionTrait,
    exam: &Exam,
    settings: &courses::exam::ExamSettings,
    actor: &Actor,
    attempts: &[exam_attempts::Model],
) -> Result<TakerRecord> {
    let wanted = &settings.prerequisites.courses;
    let completed_courses: BTreeSet<i64> = if wanted.is_empty() {
        BTreeSet::new()
    } else {
        course_records::Entity::find()
            .filter(course_records::Column::PersonId.eq(actor.id.0))
            .filter(course_records::Column::CourseId.is_in(wanted.iter().copied()))
            .filter(course_records::Column::CompletedAtMs.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.course_id)
            .collect()
    };
    let credited_hours = if settings.prerequisites.credited_hours > 0 {
        credited_hours_total(db, actor.id.0, actor.standing).await?
    } else {
        0.0
    };
    Ok(TakerRecord { completed_courses, credited_hours, attempts_used: exam.attempts_used(attempts) })
}

/// The exam as a taker sees it before starting.
pub async fn standing(
    db: &DatabaseConnection,
    zone: FixedOffset,
    actor: &Actor,
    exam_id: i64,
    lang: Lang,
) -> Result<ExamStanding> {
    let exam = takeable(db, actor, exam_id).await?;
    let attempts = settled_attempts(db, zone, &exam, actor.id.0).await?;
    let open_attempt = attempts.iter().find(|a| a.state == State::Open).map(|a| a.id);
    let refusal = match open_attempt {
        Some(_) => None,
        None => may_start(db, &exam, actor, &attempts, now()).await?.err(),
    };
    Ok(ExamStanding {
        id: exam.row.id,
        title: exam.row.title.clone(),
        settings: exam.settings.clone(),
        questions: exam.paper.question_count(),
        max_points: exam.paper.max_points(),
        attempts: attempts
            .iter()
            .map(|a| AttemptSummary {
                id: a.id,
                number: a.number,
                practice: a.practice,
                open: a.state == State::Open,
                started_at_ms: a.started_at_ms,
                submitted_at_ms: a.submitted_at_ms,
                score: grading::score_of(a),
            })
            .collect(),
        open_attempt,
        result: exam.result(&attempts),
        refusal_code: refusal.as_ref().map(|r| r.code().to_owned()),
        refusal: refusal.map(|r| r.localize(lang)),
    })
}

/// The published exams the caller may take: those of their node and the
/// nodes above it whose audience admits them, the newest first.
pub async fn mine(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<MyExam>> {
    let nodes: Vec<i64> = actor.org.ids().map(|id| id.0).collect();
    let rows = exams::Entity::find()
        .filter(exams::Column::OrgId.is_in(nodes))
        .filter(exams::Column::Published.eq(true))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for (row, org) in rows {
        let Some(org) = org else { continue };
        let exam = Exam::read(row, &org)?;
        if !exam.open_to(actor) {
            continue;
        }
        let attempts = attempts_of(db, exam.row.id, actor.id.0).await?;
        out.push(MyExam {
            id: exam.row.id,
            title: exam.row.title.clone(),
            org_name: org.name.clone(),
            practice: exam.settings.practice,
            questions: exam.paper.question_count(),
            max_points: exam.paper.max_points(),
            time_limit_minutes: exam.settings.time_limit_minutes,
            window: exam.settings.window,
            attempts_allowed: exam.settings.attempts_allowed,
            attempts_used: exam.attempts_used(&attempts),
            open_attempt: attempts.iter().find(|a| a.state == State::Open).map(|a| a.id),
            result: exam.result(&attempts),
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.id));
    Ok(out)
}

/// Starts an attempt, or resumes the open one from this page (taking it
/// over from any other).
pub async fn start(
    db: &DatabaseConnection,
    zone: FixedOffset,
    actor: &Actor,
    exam_id: i64,
    start: StartAttempt,
) -> Result<AttemptView> {
    if !valid_holder(&start.holder) {
        return Err(bad_holder());
    }
    let exam = takeable(db, actor, exam_id).await?;
    let attempts = settled_attempts(db, zone, &exam, actor.id.0).await?;
    if let Some(open) = attempts.iter().find(|a| a.state == State::Open) {
        return take_over(db, &exam, open.id, &start.holder).await;
    }
    let started = now();
    may_start(db, &exam, actor, &attempts, started).await?.map_err(|e| Error::Conflict(Detail::of(&e)))?;

    let pool = Pool::load(db, &exam.banks).await?;
    let seed: u64 = rand::thread_rng().gen();
    let drawn =
        exam.paper.draw(&pool.entries(), exam.settings.shuffle, seed).map_err(|e| Error::Conflict(Detail::of(&e)))?;
    let paper = pool.pin_versions(drawn)?;
    let number = attempts.iter().map(|a| a.number).max().unwrap_or(0) + 1;
    let txn = db::begin_writing(db).await?;
    let inserted = exam_attempts::ActiveModel {
        exam_id: Set(exam.row.id),
        person_id: Set(actor.id.0),
        number: Set(number),
        practice: Set(exam.settings.practice),
        state: Set(State::Open),
        // Stored as the bits of the u64, so the draw can be repeated.
        seed: Set(seed as i64),
        paper: Set(serde_json::to_string(&paper).map_err(|e| Error::Internal(e.into()))?),
        holder: Set(start.holder.clone()),
        started_at_ms: Set(ms(started)),
        deadline_ms: Set(exam.settings.deadline(started).map(ms)),
        submitted_at_ms: Set(None),
        submitted_by: Set(None),
        total_tenths: Set(None),
        max_tenths: Set(i64::from(paper.max_points().tenths())),
        pending: Set(0),
        outcome: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let attempt = match inserted {
        Ok(a) => a,
        // Two pages started at once: the other one's attempt stands, and
        // this page takes it over.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            let open = attempts_of(db, exam.row.id, actor.id.0).await?.into_iter().find(|a| a.state == State::Open);
            return match open {
                Some(a) => take_over(db, &exam, a.id, &start.holder).await,
                None => Err(Error::Db(e)),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let rows = paper.items.iter().enumerate().map(|(i, item)| attempt_answers::ActiveModel {
        attempt_id: Set(attempt.id),
        position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
        version_id: Set(item.question.0),
        answer: Set(None),
        seq: Set(0),
        saved_at_ms: Set(None),
        grade: Set(None),
        graded_by: Set(None),
        graded_at_ms: Set(None),
    });
    attempt_answers::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    grading::mark_shown(&txn, &paper).await?;
    txn.commit().await?;
    view_of(db, &exam, attempt).await
}

async fn take_over(db: &DatabaseConnection, exam: &Exam, id: i64, holder: &str) -> Result<AttemptView> {
    exam_attempts::Entity::update_many()
        .set(exam_attempts::ActiveModel { holder: Set(holder.to_owned()), ..Default::default() })
        .filter(exam_attempts::Column::Id.eq(id))
        .filter(exam_attempts::Column::State.eq(State::Open))
        .exec(db)
        .await?;
    let attempt = exam_attempts::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    view_of(db, exam, attempt).await
}

async fn view_of(db: &DatabaseConnection, exam: &Exam, attempt: exam_attempts::Model) -> Result<AttemptView> {
    let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
    let questions = questions_of(db, &paper).await?;
    let rows = answers_of(db, attempt.id).await?;
    let mut list = Vec::with_capacity(rows.len());
    for (item, row) in paper.items.iter().zip(&rows) {
        let q = questions.get(&item.question.0).ok_or_else(|| {
            Error::Internal(anyhow::anyhow!("attempt {} lost version {}", attempt.id, item.question.0))
        })?;
        list.push(AttemptQuestion {
            position: row.position,
            points: item.points,
            question: QuestionForTaker::new(q, &item.option_order),
            stem_html: crate::services::study::article::render(q.stem()).html,
            answer: answer_of(row)?,
            seq: row.seq,
        });
    }
    let now = now();
    Ok(AttemptView {
        id: attempt.id,
        exam_id: exam.row.id,
        title: exam.row.title.clone(),
        practice: attempt.practice,
        open: attempt.state == State::Open,
        holder: attempt.holder.clone(),
        server_now_ms: ms(now),
        started_at_ms: attempt.started_at_ms,
        deadline_ms: attempt.deadline_ms,
        result: grading::result(exam, &attempt, &rows, &paper, &questions, now)?,
        questions: list,
    })
}

/// The attempt as its taker sees it now (submitted first if its time is up).
pub async fn view(db: &DatabaseConnection, zone: FixedOffset, actor: &Actor, id: i64) -> Result<AttemptView> {
    let attempt = own(db, actor, id).await?;
    let exam = super::find(db, attempt.exam_id).await?;
    let attempt = settle(db, zone, &exam, attempt).await?;
    view_of(db, &exam, attempt).await
}

/// Saves one answer. Refused: after the deadline (plus the network's
/// grace), from a page that no longer holds the attempt, with a sequence
/// number not above the saved one, or an answer that does not fit the
/// question. Fields the page may add (a score, "correct") are ignored.
pub async fn save(
    db: &DatabaseConnection,
    zone: FixedOffset,
    actor: &Actor,
    id: i64,
    position: i32,
    save: SaveAnswer,
) -> Result<SavedAnswer> {
    let (exam, attempt) = held(db, zone, actor, id, &save.holder).await?;
    let paper: Paper = column(&attempt.paper, "paper of attempt", attempt.id)?;
    let item = usize::try_from(position).ok().and_then(|p| paper.items.get(p)).ok_or_else(|| {
        Error::Invalid(Detail::text(
            format!("这份试卷没有第 {} 题。", i64::from(position) + 1),
            format!("This paper has no question {}.", i64::from(position) + 1),
        ))
    })?;
    let questions = questions_of(db, &Paper { items: vec![item.clone()] }).await?;
    let q = questions.get(&item.question.0).ok_or(Error::NotFound)?;
    if let Some(answer) = &save.answer {
        answer.check(q).map_err(|e| Error::invalid(&e))?;
    }
    if save.seq < 1 {
        return Err(Error::Invalid(Detail::text(
            "保存序号须为正整数。",
            "The save's sequence number must be positive.",
        )));
    }
    let json = save.answer.as_ref().map(serde_json::to_string).transpose().map_err(|e| Error::Internal(e.into()))?;
    let saved_at = ms(now());
    // The attempt row is read under a shared lock (PostgreSQL; SQLite
    // writes one at a time anyway): a submit, which locks it exclusively,
    // either sees this save or this save sees the attempt submitted.
    let txn = db::begin_writing(db).await?;
    let current =
        exam_attempts::Entity::find_by_id(attempt.id).lock_shared().one(&txn).await?.ok_or(Error::NotFound)?;
    check_held(&current, &save.holder)?;
    let written = attempt_answers::Entity::update_many()
        .set(attempt_answers::ActiveModel {
            answer: Set(json),
            seq: Set(save.seq),
            saved_at_ms: Set(Some(saved_at)),
            ..Default::default()
        })
        .filter(attempt_answers::Column::AttemptId.eq(attempt.id))
        .filter(attempt_answers::Column::Position.eq(position))
        .filter(attempt_answers::Column::Seq.lt(save.seq))
        .exec(&txn)
        .await?;
    if written.rows_affected == 0 {
        return Err(Error::Conflict(Detail::text(
            "这个答案已被更新的一次保存覆盖（序号更大），本次旧的保存未生效。",
            "A newer save (a higher sequence number) already holds this answer; this older one was not applied.",
        )));
    }
    txn.commit().await?;
    let feedback = if attempt.practice {
        let g = grade(q, save.answer.as_ref(), item.points, exam.settings.multiple_scoring)
            .map_err(|e| Error::invalid(&e))?;
        Some(grading::review_item(position, g, q, true))
    } else {
        None
    };
    Ok(SavedAnswer { position, seq: save.seq, saved_at_ms: saved_at, feedback })
}

/// Submits the attempt from the page that holds it, and answers the result.
pub async fn submit(
    db: &DatabaseConnection,
    zone: FixedOffset,
    actor: &Actor,
    id: i64,
    holder: Holder,
) -> Result<AttemptView> {
    let (exam, attempt) = held(db, zone, actor, id, &holder.holder).await?;
    let txn = db::begin_writing(db).await?;
    let submitted = grading::submit(&txn, zone, &exam, &attempt, SubmittedBy::Taker, ms(now())).await?;
    txn.commit().await?;
    let attempt = submitted.ok_or_else(closed)?;
    view_of(db, &exam, attempt).await
}

/// Records that the page was hidden or shown again, on the server's clock.
pub async fn visibility(
    db: &DatabaseConnection,
    zone: FixedOffset,
    actor: &Actor,
    id: i64,
    v: Visibility,
) -> Result<()> {
    let (_, attempt) = held(db, zone, actor, id, &v.holder).await?;
    let now = ms(now());
    let last = attempt_hidden::Entity::find()
        .filter(attempt_hidden::Column::AttemptId.eq(attempt.id))
        .order_by_desc(attempt_hidden::Column::HiddenAtMs)
        .one(db)
        .await?;
    match (v.hidden, last) {
        // Hidden while already hidden: the first time stands.
        (true, Some(l)) if l.visible_at_ms.is_none() => {}
        (true, _) => {
            attempt_hidden::ActiveModel {
                attempt_id: Set(attempt.id),
                hidden_at_ms: Set(now),
                visible_at_ms: Set(None),
            }
            .insert(db)
            .await?;
        }
        (false, Some(l)) if l.visible_at_ms.is_none() => {
            attempt_hidden::Entity::update_many()
                .set(attempt_hidden::ActiveModel { visible_at_ms: Set(Some(now)), ..Default::default() })
                .filter(attempt_hidden::Column::AttemptId.eq(attempt.id))
                .filter(attempt_hidden::Column::HiddenAtMs.eq(l.hidden_at_ms))
                .exec(db)
                .await?;
        }
        (false, _) => {}
    }
    Ok(())
}

/// Submits every open attempt whose time is up (plus the network grace),
/// one transaction each; answers how many it submitted.
pub async fn submit_overdue(db: &DatabaseConnection, zone: FixedOffset) -> Result<usize> {
    let cutoff = ms(now()) - SAVE_GRACE_SECONDS * 1000;
    let due = exam_attempts::Entity::find()
        .filter(exam_attempts::Column::State.eq(State::Open))
        .filter(exam_attempts::Column::DeadlineMs.lt(cutoff))
        .all(db)
        .await?;
    let mut done = 0;
    for attempt in due {
        let exam = super::find(db, attempt.exam_id).await?;
        let txn = db::begin_writing(db).await?;
        let deadline = attempt.deadline_ms.unwrap_or(cutoff);
        if grading::submit(&txn, zone, &exam, &attempt, SubmittedBy::Deadline, deadline).await?.is_some() {
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(done)
}
