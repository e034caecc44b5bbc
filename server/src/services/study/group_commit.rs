//! Heartbeats, committed in groups.
//!
//! Every heartbeat handler hands its (shape-checked) heartbeat to one
//! committer task per process and waits. The committer takes whatever has
//! queued up while its previous transaction was committing, and in one new
//! transaction authenticates every heartbeat (login session, CSRF token),
//! checks it against its playback session and the org tree, assesses it
//! with `courses::progress::assess`, and writes the heartbeat, its receipt
//! lines, the ledger and the session. Only after the commit does any
//! handler answer, so an acknowledged heartbeat is on disk (PostgreSQL: an
//! ordinary durable commit; SQLite: a WAL commit, which survives the process
//! being killed). Under load, one commit carries hundreds of heartbeats.
//!
//! Authentication happens here, not in the session middleware, so that a
//! batch needs one query for all its logins instead of one per request.
//!
//! If a batch's transaction fails, each heartbeat of it is retried in a
//! transaction of its own, so one bad heartbeat cannot fail its neighbours.
//! On PostgreSQL the playback sessions of a batch are locked (in id order)
//! so that app servers sharing the database never assess the same session
//! at once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::FixedOffset;
use courses::i18n::Localize;
use courses::progress::api::{Discarded, HeartbeatAck, LessonProgress};
use courses::progress::{assess, Heartbeat, LessonLedger, Outcome, SessionState, Verdict};
use courses::{Actor, Lang};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use crate::db::{
    courses as course_rows, heartbeats, lesson_progress, lessons, orgs, people, playback_sessions, sessions,
    study_entries,
};
use crate::error::{Detail, Error, Result};
use crate::services::auth::actor_of;
use crate::services::catalog::{facts_of, rules_of, Course, Lesson};
use crate::services::orgs::path_of;

use super::{ledger_of, ledger_row};

/// Rows per multi-row INSERT: well under SQLite's 32,766 parameters.
const ROWS_PER_STATEMENT: usize = 1000;

/// A heartbeat as the handler hands it over.
#[derive(Debug)]
pub struct Submission {
    /// SHA-256 of the login cookie, if there was one.
    pub token_hash: Option<String>,
    /// The `X-CSRF-Token` header, if any.
    pub csrf: Option<String>,
    pub beat: Heartbeat,
    /// When the request arrived (ms since the epoch, this server's clock).
    pub received_at: i64,
    pub lang: Lang,
}

struct Pending {
    submission: Submission,
    reply: oneshot::Sender<Result<HeartbeatAck>>,
}

/// The handle handlers submit heartbeats through.
#[derive(Clone)]
pub struct HeartbeatLog {
    tx: mpsc::Sender<Pending>,
}

/// What the committer needs to know of the settings.
#[derive(Debug, Clone, Copy)]
pub struct CommitSettings {
    pub batch_max: usize,
    /// Transactions in flight at once. PostgreSQL overlaps them (each on
    /// its own connection; sessions are row-locked); SQLite has one writer,
    /// so it gets one.
    pub committers: usize,
    pub session_hours: u32,
    /// The platform's time zone, where study days begin.
    pub zone: FixedOffset,
}

impl HeartbeatLog {
    /// Starts the committer task. It ends when every handle is dropped,
    /// after answering what was queued.
    pub fn start(db: DatabaseConnection, settings: CommitSettings) -> HeartbeatLog {
        let (tx, rx) = mpsc::channel(settings.batch_max.max(1) * 8);
        let committers = match db.get_database_backend() {
            DbBackend::Sqlite => 1,
            _ => settings.committers.max(1),
        };
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..committers {
            tokio::spawn(run(db.clone(), settings, rx.clone()));
        }
        HeartbeatLog { tx }
    }

    /// Submits a heartbeat and waits until it is committed (or refused).
    pub async fn submit(&self, submission: Submission) -> Result<HeartbeatAck> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Pending { submission, reply })
            .await
            .map_err(|_| Error::Unavailable("the heartbeat committer has stopped".into()))?;
        answer.await.map_err(|_| Error::Unavailable("the heartbeat committer has stopped".into()))?
    }
}

/// One committer: takes what has queued up (waiting for the first if none),
/// commits it, answers, and goes again. Committers share the queue.
async fn run(db: DatabaseConnection, settings: CommitSettings, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Pending>>>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(settings.batch_max);
    loop {
        let taken = rx.lock().await.recv_many(&mut batch, settings.batch_max).await;
        if taken == 0 {
            break;
        }
        let subs: Vec<&Submission> = batch.iter().map(|p| &p.submission).collect();
        let results = match commit(&db, &settings, &subs).await {
            Ok(results) => results,
            Err(e) => {
                tracing::warn!(error = %e, size = subs.len(), "heartbeat batch failed; committing one by one");
                let mut one_by_one = Vec::with_capacity(subs.len());
                for s in &subs {
                    one_by_one.push(match commit(&db, &settings, &[s]).await {
                        Ok(mut r) => r.pop().unwrap_or_else(|| Err(Error::Internal(anyhow::anyhow!("empty result")))),
                        Err(e) => Err(e),
                    });
                }
                one_by_one
            }
        };
        for (pending, result) in batch.drain(..).zip(results) {
            // A handler whose client went away no longer listens; fine.
            let _ = pending.reply.send(result);
        }
    }
}

/// The logged-in person behind a cookie.
struct Login {
    csrf_token: String,
    expires_at: i64,
    must_change_password: bool,
    actor: Actor,
}

/// Everything one batch reads, keyed for lookups.
struct Loaded {
    logins: HashMap<String, Login>,
    sessions: HashMap<String, playback_sessions::Model>,
    lessons: HashMap<i64, Lesson>,
    ledgers: HashMap<(i64, i64), LessonLedger>,
}

async fn load(txn: &DatabaseTransaction, subs: &[&Submission]) -> Result<Loaded> {
    let tokens: HashSet<&str> = subs.iter().filter_map(|s| s.token_hash.as_deref()).collect();
    let login_rows = sessions::Entity::find().filter(sessions::Column::TokenHash.is_in(tokens)).all(txn).await?;
    let person_ids: HashSet<i64> = login_rows.iter().map(|s| s.person_id).collect();
    let people_rows = people::Entity::find()
        .filter(people::Column::Id.is_in(person_ids))
        .find_also_related(orgs::Entity)
        .all(txn)
        .await?;
    let mut people_by_id = HashMap::new();
    for (p, o) in people_rows {
        if let Some(o) = o {
            people_by_id.insert(p.id, (actor_of(&p, &o)?, p.must_change_password));
        }
    }
    let logins = login_rows
        .into_iter()
        .filter_map(|s| {
            let (actor, must_change_password) = people_by_id.get(&s.person_id)?.clone();
            Some((
                s.token_hash,
                Login { csrf_token: s.csrf_token, expires_at: s.expires_at, must_change_password, actor },
            ))
        })
        .collect();

    let session_ids: HashSet<&str> = subs.iter().map(|s| s.beat.session_id.as_str()).collect();
    let mut query = playback_sessions::Entity::find()
        .filter(playback_sessions::Column::Id.is_in(session_ids))
        .order_by_asc(playback_sessions::Column::Id);
    if txn.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let sessions: HashMap<String, playback_sessions::Model> =
        query.all(txn).await?.into_iter().map(|s| (s.id.clone(), s)).collect();

    let lesson_ids: HashSet<i64> = sessions.values().map(|s| s.lesson_id).collect();
    let lesson_rows = lessons::Entity::find().filter(lessons::Column::Id.is_in(lesson_ids.clone())).all(txn).await?;
    let course_ids: HashSet<i64> = lesson_rows.iter().map(|l| l.course_id).collect();
    let course_rows = course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(course_ids))
        .find_also_related(orgs::Entity)
        .all(txn)
        .await?;
    let mut courses_by_id = HashMap::new();
    for (row, org) in course_rows {
        if let Some(org) = org {
            courses_by_id.insert(row.id, Course { rules: rules_of(&row)?, org: path_of(&org)?, row });
        }
    }
    let mut lessons = HashMap::new();
    for row in lesson_rows {
        if let Some(course) = courses_by_id.get(&row.course_id) {
            lessons.insert(row.id, Lesson { facts: facts_of(&row)?, course: course.clone(), row });
        }
    }

    let people_in: HashSet<i64> = sessions.values().map(|s| s.person_id).collect();
    let mut ledgers = HashMap::new();
    for row in lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.is_in(people_in))
        .filter(lesson_progress::Column::LessonId.is_in(lesson_ids))
        .all(txn)
        .await?
    {
        ledgers.insert((row.person_id, row.lesson_id), ledger_of(&row)?);
    }
    Ok(Loaded { logins, sessions, lessons, ledgers })
}

/// What one batch writes.
#[derive(Default)]
struct Writes {
    heartbeats: Vec<heartbeats::ActiveModel>,
    entries: Vec<study_entries::ActiveModel>,
    /// Final state per key: a batch may carry several beats of one ledger.
    ledgers: HashMap<(i64, i64), (i64, i64)>,
    sessions: HashSet<String>,
    extend_logins: HashSet<String>,
}

/// `YYYY-MM-DD` and year of an instant in the platform's time zone.
fn day_of(ms: i64, zone: FixedOffset) -> (String, i32) {
    use chrono::{Datelike, TimeZone};
    match zone.timestamp_millis_opt(ms).single() {
        Some(t) => (t.format("%Y-%m-%d").to_string(), t.year()),
        None => ("1970-01-01".into(), 1970),
    }
}

fn invalid(zh: &str, en: &str) -> Error {
    Error::Invalid(Detail::text(zh, en))
}

/// Checks one heartbeat against who sent it and what it names.
fn authorize<'a>(loaded: &'a Loaded, s: &Submission) -> Result<(&'a Login, &'a playback_sessions::Model, &'a Lesson)> {
    let login = s.token_hash.as_deref().and_then(|t| loaded.logins.get(t)).ok_or(Error::Unauthenticated)?;
    if login.expires_at <= s.received_at / 1000 {
        return Err(Error::Unauthenticated);
    }
    match &s.csrf {
        Some(c) if crate::services::auth::same_secret(c, &login.csrf_token) => {}
        _ => return Err(Error::Csrf),
    }
    if login.must_change_password {
        return Err(Error::PasswordChangeRequired);
    }
    // Another member's session is as unknown as a made-up one.
    let session =
        loaded.sessions.get(&s.beat.session_id).filter(|ps| ps.person_id == login.actor.id.0).ok_or(Error::NotFound)?;
    if session.lesson_id != s.beat.lesson_id {
        return Err(invalid(
            "心跳中的课时与学习会话不一致，请重新打开课程。",
            "The heartbeat names a different lesson than its playback session; reopen the lesson.",
        ));
    }
    let lesson = loaded.lessons.get(&session.lesson_id).ok_or(Error::NotFound)?;
    login.actor.can_study(&lesson.course.org, lesson.course.row.published).map_err(|_| Error::NotFound)?;
    Ok((login, session, lesson))
}

/// Assesses and writes one batch in one transaction.
async fn commit(
    db: &DatabaseConnection,
    settings: &CommitSettings,
    subs: &[&Submission],
) -> Result<Vec<Result<HeartbeatAck>>> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Sqlite {
        // Take SQLite's write lock before reading: a transaction that reads
        // first cannot upgrade if another connection wrote in between.
        txn.execute_unprepared("UPDATE playback_sessions SET last_seq = last_seq WHERE 0").await?;
    }
    let mut loaded = load(&txn, subs).await?;
    let mut writes = Writes::default();
    let mut results = Vec::with_capacity(subs.len());
    let ttl = i64::from(settings.session_hours) * 3600;
    for s in subs {
        let (person_id, session, lesson_id, course_id, facts, rules) = match authorize(&loaded, s) {
            Ok((login, session, lesson)) => {
                if login.expires_at - s.received_at / 1000 < ttl / 2 {
                    writes.extend_logins.insert(s.token_hash.clone().unwrap_or_default());
                }
                (
                    login.actor.id.0,
                    session.id.clone(),
                    lesson.row.id,
                    lesson.row.course_id,
                    lesson.facts,
                    lesson.course.rules,
                )
            }
            Err(e) => {
                results.push(Err(e));
                continue;
            }
        };
        let row = loaded.sessions.get_mut(&session).ok_or(Error::NotFound)?;
        let mut state = SessionState {
            opened_at: row.opened_at_ms,
            claimed_ms: row.claimed_ms.max(0) as u64,
            last_seq: row.last_seq.max(0) as u32,
            last_beat_at: row.last_beat_at_ms,
            position: row.position.max(0) as u64,
            superseded: row.superseded,
        };
        let ledger = loaded.ledgers.entry((person_id, lesson_id)).or_default();
        let mut updated = ledger.clone();
        let assessment = assess(&facts, &rules, &mut updated, &mut state, &s.beat, s.received_at);
        let stored = matches!(assessment.verdict, Verdict::Accepted | Verdict::Superseded);
        if stored {
            *ledger = updated;
            row.last_seq = state.last_seq as i32;
            row.last_beat_at_ms = state.last_beat_at;
            row.claimed_ms = state.claimed_ms as i64;
            row.position = state.position as i64;
            writes.sessions.insert(session.clone());
            if assessment.verdict == Verdict::Accepted {
                writes.ledgers.insert((person_id, lesson_id), (course_id, s.received_at));
            }
            let percent = rules.percent(&facts, ledger);
            let played: Vec<[u64; 2]> = s.beat.played.iter().map(|&sp| sp.into()).collect();
            writes.heartbeats.push(heartbeats::ActiveModel {
                session_id: Set(session.clone()),
                seq: Set(s.beat.seq as i32),
                person_id: Set(person_id),
                lesson_id: Set(lesson_id),
                received_at_ms: Set(s.received_at),
                event: Set(s.beat.event.as_str().to_owned()),
                played: Set(serde_json::to_string(&played).map_err(|e| Error::Internal(e.into()))?),
                position: Set(s.beat.position as i64),
                rate: Set(s.beat.rate),
                verdict: Set(assessment.verdict.as_str().to_owned()),
                credited_ms: Set(assessment.credited_ms() as i64),
                percent: Set(i16::from(percent)),
                ..Default::default()
            });
            let (day, year) = day_of(s.received_at, settings.zone);
            for e in &assessment.entries {
                writes.entries.push(study_entries::ActiveModel {
                    session_id: Set(session.clone()),
                    seq: Set(s.beat.seq as i32),
                    person_id: Set(person_id),
                    lesson_id: Set(lesson_id),
                    course_id: Set(course_id),
                    at_ms: Set(s.received_at),
                    day: Set(day.clone()),
                    year: Set(year),
                    media_start_ms: Set(e.media.map(|m| m.start() as i64)),
                    media_end_ms: Set(e.media.map(|m| m.end() as i64)),
                    slide: Set(e.slide.map(|n| n as i32)),
                    wall_ms: Set(e.wall_ms as i64),
                    credited: Set(e.outcome == Outcome::Credited),
                    reason: Set(match e.outcome {
                        Outcome::Credited => None,
                        Outcome::Discarded(r) => Some(r.as_str().to_owned()),
                    }),
                    ..Default::default()
                });
            }
        }
        let ledger = loaded.ledgers.get(&(person_id, lesson_id)).cloned().unwrap_or_default();
        results.push(Ok(HeartbeatAck {
            seq: s.beat.seq,
            verdict: assessment.verdict,
            credited_seconds: assessment.credited_ms() as f64 / 1000.0,
            discarded: discards(&assessment.entries, s.lang),
            progress: LessonProgress::of(lesson_id, &facts, &rules, &ledger),
        }));
    }
    write(&txn, &loaded, writes, settings).await?;
    txn.commit().await?;
    Ok(results)
}

/// Sums discarded time per reason, in first-seen order.
fn discards(entries: &[courses::progress::ReceiptEntry], lang: Lang) -> Vec<Discarded> {
    let mut out: Vec<Discarded> = Vec::new();
    for e in entries {
        if let Outcome::Discarded(reason) = e.outcome {
            let seconds = e.wall_ms as f64 / 1000.0;
            match out.iter_mut().find(|d| d.reason == reason) {
                Some(d) => d.seconds += seconds,
                None => out.push(Discarded { reason, seconds, message: reason.localize(lang) }),
            }
        }
    }
    out
}

async fn write(txn: &DatabaseTransaction, loaded: &Loaded, writes: Writes, settings: &CommitSettings) -> Result<()> {
    for chunk in writes.heartbeats.chunks(ROWS_PER_STATEMENT) {
        heartbeats::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    for chunk in writes.entries.chunks(ROWS_PER_STATEMENT) {
        study_entries::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    let mut ledger_rows = Vec::with_capacity(writes.ledgers.len());
    for (&(person_id, lesson_id), &(course_id, at)) in &writes.ledgers {
        let ledger = loaded.ledgers.get(&(person_id, lesson_id)).cloned().unwrap_or_default();
        ledger_rows.push(ledger_row(person_id, lesson_id, course_id, &ledger, at)?);
    }
    for chunk in ledger_rows.chunks(ROWS_PER_STATEMENT) {
        use lesson_progress::Column as C;
        lesson_progress::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([C::PersonId, C::LessonId])
                    .update_columns([
                        C::Watched,
                        C::SlideMs,
                        C::VisibleMs,
                        C::StudyMs,
                        C::Position,
                        C::CompletedAtMs,
                        C::UpdatedAtMs,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    let session_rows: Vec<playback_sessions::ActiveModel> = writes
        .sessions
        .iter()
        .filter_map(|id| loaded.sessions.get(id))
        .map(|s| playback_sessions::ActiveModel {
            id: Set(s.id.clone()),
            person_id: Set(s.person_id),
            lesson_id: Set(s.lesson_id),
            opened_at_ms: Set(s.opened_at_ms),
            last_beat_at_ms: Set(s.last_beat_at_ms),
            last_seq: Set(s.last_seq),
            claimed_ms: Set(s.claimed_ms),
            position: Set(s.position),
            superseded: Set(s.superseded),
        })
        .collect();
    for chunk in session_rows.chunks(ROWS_PER_STATEMENT) {
        use playback_sessions::Column as C;
        playback_sessions::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(C::Id)
                    .update_columns([C::LastBeatAtMs, C::LastSeq, C::ClaimedMs, C::Position])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    if !writes.extend_logins.is_empty() {
        let until = crate::db::now() + i64::from(settings.session_hours) * 3600;
        sessions::Entity::update_many()
            .col_expr(sessions::Column::ExpiresAt, Expr::value(until))
            .filter(sessions::Column::TokenHash.is_in(writes.extend_logins))
            .exec(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn study_days_follow_the_platform_time_zone() {
        // 2026-12-31 17:00 UTC is already 2027-01-01 in Beijing.
        let ms = 1_798_736_400_000;
        let zone = |h| FixedOffset::east_opt(h * 3600).expect("valid offset");
        assert_eq!(day_of(ms, zone(8)), ("2027-01-01".to_string(), 2027));
        assert_eq!(day_of(ms, zone(0)), ("2026-12-31".to_string(), 2026));
    }
}
