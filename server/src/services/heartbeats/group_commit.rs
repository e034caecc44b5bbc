//! Heartbeats, committed in groups.
//!
//! Every heartbeat handler hands its (shape-checked) heartbeat to the
//! process's committers (see [`HeartbeatLog::start`]) and waits. A committer
//! takes whatever has queued up while its previous batch was committing,
//! reads what the batch names in one query, authenticates every heartbeat
//! (login session, CSRF token), checks it against its playback session and
//! the org tree, assesses it with `courses::progress::assess`, and writes
//! the heartbeats, their receipt lines, the ledgers and the sessions in one
//! transaction (SQLite: the read's; PostgreSQL: one statement). Only after
//! the commit does any handler answer, so an acknowledged heartbeat is on
//! disk (PostgreSQL: an ordinary durable commit; SQLite: a WAL commit, which
//! survives the process being killed). Under load, one commit carries
//! dozens of heartbeats.
//! The statements themselves are in [`super::batch_sql`].
//!
//! Authentication happens here, not in the session middleware (the route is
//! mounted outside it), so that a batch needs one query for all its logins
//! instead of one per request; the rules are the middleware's own
//! ([`auth::admit`], [`auth::renewal`]).
//!
//! If a batch's transaction fails, each heartbeat of it is retried in a
//! transaction of its own, so one bad heartbeat cannot fail its neighbours.
//! On PostgreSQL a batch's write commits only if none of its playback
//! sessions changed since its read, so that app servers sharing the database
//! never both credit one session's heartbeat; a batch that lost such a race
//! is read and assessed again (see `batch_sql`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::FixedOffset;
use courses::i18n::Localize;
use courses::progress::api::{Discarded, HeartbeatAck, LessonProgress};
use courses::progress::{assess, Heartbeat, Outcome, SessionState, Verdict};
use courses::Lang;
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::{mpsc, oneshot};

use crate::db::{day_of, playback_sessions, WalRestart};
use crate::error::{Detail, Error, Result};
use crate::services::auth::{self, Need, StoredLogin};

use super::batch_rows::{DayRow, DirtyRow, EntryRow, HeartbeatRow, LessonInfo, Loaded, Login, SessionUpdate, Writes};
use super::batch_sql::{BatchConnection, BatchSql, Written};
use crate::services::study::ledger_row;

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
    /// its own connection); SQLite has one writer, so it gets one.
    pub committers: usize,
    /// A committer that takes fewer heartbeats than this while another
    /// committer is busy waits up to `gather` for more.
    pub batch_min: usize,
    pub gather: std::time::Duration,
    pub session_hours: u32,
    /// The platform's time zone, where study days begin.
    pub zone: FixedOffset,
}

impl HeartbeatLog {
    /// Starts the committers. They end when every handle is dropped, after
    /// answering what was queued.
    ///
    /// SQLite has one writer, so it gets one committer, on a thread of its
    /// own with a single-threaded runtime. Each of its statements is a
    /// hand-over to the SQLite connection's worker thread and back, and a
    /// task of the server's runtime woken from that thread waits in the
    /// runtime's shared queue behind the requests its workers are busy
    /// with. That wait lengthens every batch's read, whatever its size, in
    /// the one chain every heartbeat waits for; a thread of its own is
    /// woken by the operating system at once, so the chain stays short and
    /// more heartbeats go through each second.
    /// PostgreSQL's committers are woken by the runtime's I/O driver and
    /// gained nothing from threads of their own, so they are tasks.
    /// `wal`: SQLite's requests to let the WAL start over (see
    /// [`crate::db::WalRestart`]).
    pub fn start(
        db: DatabaseConnection,
        wal: Option<Arc<WalRestart>>,
        settings: CommitSettings,
    ) -> std::io::Result<HeartbeatLog> {
        let (tx, rx) = mpsc::channel(settings.batch_max.max(1) * 8);
        let queue = Arc::new(Queue { rx: tokio::sync::Mutex::new(rx), busy: AtomicUsize::new(0) });
        let sql = Arc::new(BatchSql::new(db.get_database_backend()));
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
                std::thread::Builder::new()
                    .name("heartbeat-committer".into())
                    .spawn(move || runtime.block_on(run(db, sql, settings, queue, wal)))?;
            }
            _ => {
                for _ in 0..settings.committers.max(1) {
                    tokio::spawn(run(db.clone(), sql.clone(), settings, queue.clone(), None));
                }
            }
        }
        Ok(HeartbeatLog { tx })
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

/// The committers' shared queue.
struct Queue {
    rx: tokio::sync::Mutex<mpsc::Receiver<Pending>>,
    /// Committers between taking a batch and answering it.
    busy: AtomicUsize,
}

impl Queue {
    /// Takes what has queued up, waiting for the first heartbeat if none.
    /// Under load, when another committer is busy (so nothing waits on
    /// this one), a batch smaller than `batch_min` waits up to `gather` for
    /// more, as PostgreSQL's `commit_delay` does for WAL flushes: each batch
    /// costs a fixed two round trips and statement start-ups, and a batch
    /// of a few heartbeats would spend more on those than on the
    /// heartbeats. Returns how many it took (0: the
    /// queue is closed).
    async fn take(&self, batch: &mut Vec<Pending>, settings: &CommitSettings) -> usize {
        let mut rx = self.rx.lock().await;
        let mut taken = rx.recv_many(batch, settings.batch_max).await;
        if taken > 0
            && taken < settings.batch_min
            && !settings.gather.is_zero()
            && self.busy.load(Ordering::Acquire) > 0
        {
            let deadline = tokio::time::Instant::now() + settings.gather;
            while taken < settings.batch_min {
                match tokio::time::timeout_at(deadline, rx.recv_many(batch, settings.batch_max - taken)).await {
                    Ok(more) if more > 0 => taken += more,
                    _ => break,
                }
            }
        }
        if taken > 0 {
            self.busy.fetch_add(1, Ordering::AcqRel);
        }
        taken
    }
}

/// One committer: takes what has queued up (see [`Queue::take`]), commits
/// it, answers, and goes again. Committers share the queue.
async fn run(
    db: DatabaseConnection,
    sql: Arc<BatchSql>,
    settings: CommitSettings,
    queue: Arc<Queue>,
    wal: Option<Arc<WalRestart>>,
) {
    let mut batch: Vec<Pending> = Vec::with_capacity(settings.batch_max);
    let mut conn: Option<BatchConnection> = None;
    loop {
        if queue.take(&mut batch, &settings).await == 0 {
            break;
        }
        if let (Some(wal), Some(c)) = (&wal, conn.as_mut()) {
            if wal.take_request() {
                BatchSql::checkpoint(c).await;
            }
        }
        let subs: Vec<&Submission> = batch.iter().map(|p| &p.submission).collect();
        let started = std::time::Instant::now();
        let waited_ms = crate::db::now_ms() - subs.iter().map(|s| s.received_at).min().unwrap_or_default();
        let results = match attempt(&db, &mut conn, &sql, &settings, &subs).await {
            Ok(results) => results,
            Err(e) => {
                tracing::warn!(error = %e, size = subs.len(), "heartbeat batch failed; committing one by one");
                let mut one_by_one = Vec::with_capacity(subs.len());
                for s in &subs {
                    one_by_one.push(match attempt(&db, &mut conn, &sql, &settings, &[s]).await {
                        Ok(mut r) => r.pop().unwrap_or_else(|| Err(Error::Internal(anyhow::anyhow!("empty result")))),
                        Err(e) => Err(e),
                    });
                }
                one_by_one
            }
        };
        tracing::debug!(
            size = subs.len(),
            waited_ms,
            total_us = started.elapsed().as_micros() as u64,
            "heartbeat batch answered"
        );
        for (pending, result) in batch.drain(..).zip(results) {
            // A handler whose client went away no longer listens; fine.
            let _ = pending.reply.send(result);
        }
        queue.busy.fetch_sub(1, Ordering::AcqRel);
    }
    // Closed rather than pooled: it carries the committer's session settings.
    if let Some(c) = conn.take() {
        BatchSql::discard(c).await;
    }
}

/// Commits one batch on the committer's connection (connecting first if it
/// has none). A failed batch's connection is closed, so no transaction
/// stays open on it.
async fn attempt(
    db: &DatabaseConnection,
    conn: &mut Option<BatchConnection>,
    sql: &BatchSql,
    settings: &CommitSettings,
    subs: &[&Submission],
) -> Result<Vec<Result<HeartbeatAck>>> {
    let c = match conn {
        Some(c) => c,
        None => conn.insert(BatchSql::connect(db).await?),
    };
    let result = commit(c, sql, settings, subs).await;
    if result.is_err() {
        if let Some(c) = conn.take() {
            BatchSql::discard(c).await;
        }
    }
    result
}

fn invalid(zh: &str, en: &str) -> Error {
    Error::Invalid(Detail::text(zh, en))
}

impl StoredLogin for Login {
    fn expires_at(&self) -> i64 {
        self.expires_at
    }
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
    fn must_change_password(&self) -> bool {
        self.must_change_password
    }
}

/// Checks one heartbeat against who sent it (the session rules of every
/// request, [`auth::admit`], applied to the batch's logins as read) and
/// what it names.
fn authorize<'a>(
    loaded: &'a Loaded,
    s: &Submission,
) -> Result<(&'a Login, &'a playback_sessions::Model, &'a LessonInfo)> {
    let login = s.token_hash.as_deref().and_then(|t| loaded.logins.get(t));
    let login = auth::admit(login, s.received_at / 1000, Need::Change { csrf: s.csrf.as_deref() })?;
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
    login.actor.can_study(&lesson.org, lesson.published, &lesson.audience).map_err(|_| Error::NotFound)?;
    Ok((login, session, lesson))
}

/// How often a batch is read and assessed again when its write finds that
/// a playback session changed after the read (PostgreSQL), before it fails
/// and its heartbeats are committed one by one.
const CONFLICT_ATTEMPTS: u32 = 5;

/// Reads, assesses and writes one batch.
async fn commit(
    conn: &mut BatchConnection,
    sql: &BatchSql,
    settings: &CommitSettings,
    subs: &[&Submission],
) -> Result<Vec<Result<HeartbeatAck>>> {
    for attempt in 1..=CONFLICT_ATTEMPTS {
        let started = std::time::Instant::now();
        let loaded = sql
            .load(
                conn,
                subs.iter().filter_map(|s| s.token_hash.as_deref()),
                subs.iter().map(|s| s.beat.session_id.as_str()),
            )
            .await?;
        let read = started.elapsed();
        let (results, writes) = decide(loaded, settings, subs)?;
        let assessed = started.elapsed();
        let written = sql.write_and_commit(conn, &writes).await?;
        tracing::debug!(
            size = subs.len(),
            attempt,
            ?written,
            read_us = read.as_micros() as u64,
            assess_us = (assessed - read).as_micros() as u64,
            write_us = (started.elapsed() - assessed).as_micros() as u64,
            "heartbeat batch written"
        );
        if written == Written::Committed {
            return Ok(results);
        }
    }
    Err(Error::Unavailable(format!(
        "a heartbeat batch's playback sessions kept changing while it was assessed ({CONFLICT_ATTEMPTS} attempts)"
    )))
}

/// Checks and assesses every heartbeat of a batch against what was read:
/// the answers, and what to write.
fn decide(
    mut loaded: Loaded,
    settings: &CommitSettings,
    subs: &[&Submission],
) -> Result<(Vec<Result<HeartbeatAck>>, Writes)> {
    // Sessions as read: the write checks they still are.
    let as_read: HashMap<String, (i64, i32, bool)> =
        loaded.sessions.iter().map(|(id, s)| (id.clone(), (s.last_beat_at_ms, s.last_seq, s.superseded))).collect();
    let mut writes = Writes::default();
    // Ledgers as they were: a first study or a completion changes the
    // member's course record.
    let existed: HashMap<(i64, i64), bool> =
        loaded.ledgers.iter().map(|(k, l)| (*k, l.completed_at.is_some())).collect();
    // Ledgers and sessions a batch changed: written once, in their final state.
    let mut changed_ledgers: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    let mut changed_sessions: HashSet<String> = HashSet::new();
    let mut extend: HashSet<String> = HashSet::new();
    let mut extend_until = 0;
    let mut results = Vec::with_capacity(subs.len());
    for s in subs {
        let (person_id, session, lesson_id, course_id, facts, rules) = match authorize(&loaded, s) {
            Ok((login, session, lesson)) => {
                if let Some(until) = auth::renewal(login.expires_at, s.received_at / 1000, settings.session_hours) {
                    extend.insert(s.token_hash.clone().unwrap_or_default());
                    extend_until = extend_until.max(until);
                }
                (login.actor.id.0, session.id.clone(), lesson.id, lesson.course_id, lesson.facts, lesson.rules)
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
        if matches!(assessment.verdict, Verdict::Accepted | Verdict::Superseded) {
            *ledger = updated;
            row.last_seq = state.last_seq as i32;
            row.last_beat_at_ms = state.last_beat_at;
            row.claimed_ms = state.claimed_ms as i64;
            row.position = state.position as i64;
            changed_sessions.insert(session.clone());
            if assessment.verdict == Verdict::Accepted {
                changed_ledgers.insert((person_id, lesson_id), (course_id, s.received_at));
            }
            let played: Vec<[u64; 2]> = s.beat.played.iter().map(|&sp| sp.into()).collect();
            writes.heartbeats.push(HeartbeatRow {
                session_id: session.clone(),
                seq: s.beat.seq as i32,
                person_id,
                lesson_id,
                received_at_ms: s.received_at,
                event: s.beat.event.as_str(),
                played: serde_json::to_string(&played).map_err(|e| Error::Internal(e.into()))?,
                position: s.beat.position as i64,
                rate: s.beat.rate,
                verdict: assessment.verdict.as_str(),
                credited_ms: assessment.credited_ms() as i64,
                percent: i16::from(rules.percent(&facts, ledger)),
            });
            let (day, year) = day_of(s.received_at, settings.zone);
            for e in &assessment.entries {
                writes.entries.push(EntryRow {
                    session_id: session.clone(),
                    seq: s.beat.seq as i32,
                    person_id,
                    lesson_id,
                    course_id,
                    at_ms: s.received_at,
                    day: day.clone(),
                    year,
                    media_start_ms: e.media.map(|m| m.start() as i64),
                    media_end_ms: e.media.map(|m| m.end() as i64),
                    slide: e.slide.map(|n| n as i32),
                    wall_ms: e.wall_ms as i64,
                    credited: e.outcome == Outcome::Credited,
                    reason: match e.outcome {
                        Outcome::Credited => None,
                        Outcome::Discarded(r) => Some(r.as_str()),
                    },
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
    let mut dirty = BTreeSet::new();
    for ((person_id, lesson_id), (course_id, at)) in changed_ledgers {
        let ledger = loaded.ledgers.get(&(person_id, lesson_id)).cloned().unwrap_or_default();
        let was_complete = existed.get(&(person_id, lesson_id)).copied();
        if was_complete.is_none() || (was_complete == Some(false) && ledger.completed_at.is_some()) {
            dirty.insert(DirtyRow { person_id, course_id });
        }
        writes.ledgers.push(ledger_row(person_id, lesson_id, course_id, &ledger, at)?);
    }
    writes.dirty = dirty.into_iter().collect();
    writes.days = credited_days(&writes.entries);
    for id in changed_sessions {
        if let (Some(s), Some(&(was_last_beat_at_ms, was_last_seq, was_superseded))) =
            (loaded.sessions.get(&id), as_read.get(&id))
        {
            writes.sessions.push(SessionUpdate {
                id,
                last_beat_at_ms: s.last_beat_at_ms,
                last_seq: s.last_seq,
                claimed_ms: s.claimed_ms,
                position: s.position,
                was_last_beat_at_ms,
                was_last_seq,
                was_superseded,
            });
        }
    }
    // One order for every batch's row locks, so two batches that share a
    // member (or an app server's batch and another's) wait for each other
    // instead of deadlocking. (`dirty` and `days` come sorted.)
    writes.ledgers.sort_by_key(|l| (l.person_id, l.lesson_id));
    writes.sessions.sort_by(|a, b| a.id.cmp(&b.id));
    writes.extend_logins = extend.into_iter().collect();
    writes.extend_logins.sort();
    writes.extend_until = extend_until;
    Ok((results, writes))
}

/// Credited time per (member, day) of a batch's receipt lines.
fn credited_days(entries: &[EntryRow]) -> Vec<DayRow> {
    let mut days: BTreeMap<(i64, &str), (i32, i64)> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.credited) {
        let day = days.entry((e.person_id, e.day.as_str())).or_insert((e.year, 0));
        day.1 += e.wall_ms;
    }
    days.into_iter()
        .map(|((person_id, day), (year, credited_ms))| DayRow { person_id, day: day.to_owned(), year, credited_ms })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(person_id: i64, day: &str, wall_ms: i64, credited: bool) -> EntryRow {
        EntryRow {
            session_id: "s".into(),
            seq: 1,
            person_id,
            lesson_id: 1,
            course_id: 1,
            at_ms: 0,
            day: day.into(),
            year: 2026,
            media_start_ms: None,
            media_end_ms: None,
            slide: None,
            wall_ms,
            credited,
            reason: None,
        }
    }

    #[test]
    fn credited_days_sum_credited_time_per_member_and_day() {
        let entries = [
            entry(2, "2026-11-24", 5_000, true),
            entry(1, "2026-11-24", 4_000, true),
            entry(2, "2026-11-24", 7_000, false),
            entry(2, "2026-11-24", 1_000, true),
            entry(2, "2026-11-25", 3_000, true),
            entry(3, "2026-11-24", 9_000, false),
        ];
        let days: Vec<(i64, String, i64)> =
            credited_days(&entries).into_iter().map(|d| (d.person_id, d.day, d.credited_ms)).collect();
        assert_eq!(
            days,
            [(1, "2026-11-24".into(), 4_000), (2, "2026-11-24".into(), 6_000), (2, "2026-11-25".into(), 3_000)]
        );
    }

    #[test]
    fn study_days_follow_the_platform_time_zone() {
        // 2026-12-31 17:00 UTC is already 2027-01-01 in Beijing.
        let ms = 1_798_736_400_000;
        let zone = |h| FixedOffset::east_opt(h * 3600).expect("valid offset");
        assert_eq!(day_of(ms, zone(8)), ("2027-01-01".to_string(), 2027));
        assert_eq!(day_of(ms, zone(0)), ("2026-12-31".to_string(), 2026));
    }
}
