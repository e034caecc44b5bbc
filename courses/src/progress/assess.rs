//! Turning one heartbeat into credit: the heart of trustworthy progress.
//!
//! [`assess`] takes what the server knows (the lesson, the course's rules,
//! the member's ledger for the lesson and the playback session) and one
//! checked heartbeat, updates the ledger and the session, and returns a
//! receipt entry for every piece of time the heartbeat claimed: credited,
//! or discarded with its reason. It is pure, so the same inputs always give
//! the same credit, and the properties below can be tested exhaustively.
//!
//! The guarantees:
//! - Coverage only grows by media time not already covered, never past the
//!   lesson's duration, so replaying a range credits nothing.
//! - Study time credited by one heartbeat never exceeds the wall-clock time
//!   the server measured since the session's previous heartbeat (or since
//!   the session opened), so a session never earns more than it lasted.
//! - Media time covered (which decides completion) never runs ahead of the
//!   wall-clock time at the playback rate, over one heartbeat or a burst of
//!   them: a session's claims are bounded by its age plus one slack.
//! - A heartbeat repeated with the same `seq` changes nothing.

use serde::{Deserialize, Serialize};

use super::beat::Heartbeat;
use super::ranges::{Span, WatchedRanges};
use super::rules::{CompletionRules, LessonFacts, LessonKind, SeekRule};

/// Tolerance for network jitter and player rounding, in ms: how far a range
/// may start from where playback was, and how much more media time than the
/// elapsed wall time allows a heartbeat may report.
pub const SLACK_MS: u64 = 1500;

/// One member's progress in one lesson.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonLedger {
    /// Unique media time watched (video, audio).
    pub watched: WatchedRanges,
    /// Credited on-screen ms per slide (slides).
    pub slide_ms: Vec<u64>,
    /// Credited visible ms (articles).
    pub visible_ms: u64,
    /// Study time credited, wall-clock ms.
    pub study_ms: u64,
    /// Where to resume (see [`Heartbeat::position`]).
    pub position: u64,
    /// When the lesson became complete (server clock, ms since the epoch).
    pub completed_at: Option<i64>,
}

/// The server's view of one playback session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionState {
    /// When the session was opened (server clock, ms).
    pub opened_at: i64,
    /// Wall-clock ms of time the session's heartbeats have claimed so far
    /// (credited or not, once found plausible). Bounds bursts: a session
    /// never claims more than it has lasted, plus one [`SLACK_MS`].
    pub claimed_ms: u64,
    /// Highest heartbeat number taken so far.
    pub last_seq: u32,
    /// When that heartbeat (or, before any, the session) arrived; ms.
    pub last_beat_at: i64,
    /// Where playback was at that heartbeat.
    pub position: u64,
    /// A newer session of the same member has taken over.
    pub superseded: bool,
}

/// Why claimed time was not credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiscardReason {
    /// The page was hidden.
    PageHidden,
    /// No interaction for longer than the course allows.
    Idle,
    /// The media time was covered before.
    AlreadyWatched,
    /// Another device or tab took over the member's playback.
    SecondSession,
    /// Past the end of the media, a slide that does not exist, or more time
    /// than the lesson can earn.
    BeyondDuration,
    /// More time than the elapsed wall-clock time allows.
    ImplausibleJump,
    /// A jump forward into parts never watched, on first viewing.
    SkippedAhead,
    /// The heartbeat arrived after a later one of the same session.
    OutOfOrder,
}

impl DiscardReason {
    pub const ALL: [DiscardReason; 8] = [
        Self::PageHidden,
        Self::Idle,
        Self::AlreadyWatched,
        Self::SecondSession,
        Self::BeyondDuration,
        Self::ImplausibleJump,
        Self::SkippedAhead,
        Self::OutOfOrder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PageHidden => "page_hidden",
            Self::Idle => "idle",
            Self::AlreadyWatched => "already_watched",
            Self::SecondSession => "second_session",
            Self::BeyondDuration => "beyond_duration",
            Self::ImplausibleJump => "implausible_jump",
            Self::SkippedAhead => "skipped_ahead",
            Self::OutOfOrder => "out_of_order",
        }
    }

    pub fn parse(s: &str) -> Option<DiscardReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What became of a piece of claimed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Credited,
    Discarded(DiscardReason),
}

/// One line of the 学时 receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptEntry {
    /// Media time concerned (video, audio).
    pub media: Option<Span>,
    /// Slide concerned (slides).
    pub slide: Option<u32>,
    /// Wall-clock ms: credited, or what would have been.
    pub wall_ms: u64,
    pub outcome: Outcome,
}

/// How the heartbeat as a whole was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Assessed; see the entries.
    Accepted,
    /// The same `seq` was taken before; nothing changed.
    Duplicate,
    /// Older than one already taken; recorded, not credited.
    OutOfOrder,
    /// The session was taken over; recorded, not credited. Stop sending.
    Superseded,
}

impl Verdict {
    /// The wire name, as stored with each heartbeat.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Duplicate => "duplicate",
            Verdict::OutOfOrder => "out_of_order",
            Verdict::Superseded => "superseded",
        }
    }
}

/// The result of one heartbeat.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub verdict: Verdict,
    pub entries: Vec<ReceiptEntry>,
    /// The lesson became complete with this heartbeat.
    pub completed_now: bool,
}

impl Assessment {
    pub fn credited_ms(&self) -> u64 {
        self.entries.iter().filter(|e| e.outcome == Outcome::Credited).map(|e| e.wall_ms).sum()
    }
}

/// Wall-clock ms that `media_ms` of media take at `rate`.
fn wall_of(media_ms: u64, rate: f64) -> u64 {
    (media_ms as f64 / rate).round() as u64
}

/// Every piece of time the heartbeat claims, all discarded for one reason.
fn discard_all(facts: &LessonFacts, beat: &Heartbeat, reason: DiscardReason) -> Vec<ReceiptEntry> {
    let outcome = Outcome::Discarded(reason);
    match facts.kind {
        LessonKind::Video | LessonKind::Audio => beat
            .played
            .iter()
            .map(|&s| ReceiptEntry { media: Some(s), slide: None, wall_ms: wall_of(s.len(), beat.rate), outcome })
            .collect(),
        LessonKind::Slides => beat
            .slides
            .iter()
            .map(|&(slide, ms)| ReceiptEntry { media: None, slide: Some(slide), wall_ms: ms, outcome })
            .collect(),
        LessonKind::Article if beat.visible_ms > 0 => {
            vec![ReceiptEntry { media: None, slide: None, wall_ms: beat.visible_ms, outcome }]
        }
        LessonKind::Article | LessonKind::Exam => Vec::new(),
    }
}

/// Assesses one heartbeat that arrived at `now` (server clock, ms).
pub fn assess(
    facts: &LessonFacts,
    rules: &CompletionRules,
    ledger: &mut LessonLedger,
    session: &mut SessionState,
    beat: &Heartbeat,
    now: i64,
) -> Assessment {
    let done = |verdict, entries| Assessment { verdict, entries, completed_now: false };
    if beat.seq == session.last_seq {
        return done(Verdict::Duplicate, Vec::new());
    }
    if beat.seq < session.last_seq {
        return done(Verdict::OutOfOrder, discard_all(facts, beat, DiscardReason::OutOfOrder));
    }
    let elapsed = u64::try_from(now - session.last_beat_at).unwrap_or(0);
    session.last_seq = beat.seq;
    session.last_beat_at = now.max(session.last_beat_at);
    if session.superseded {
        return done(Verdict::Superseded, discard_all(facts, beat, DiscardReason::SecondSession));
    }

    let age = u64::try_from(now - session.opened_at).unwrap_or(0);
    let allowed = (elapsed + SLACK_MS).min((age + SLACK_MS).saturating_sub(session.claimed_ms));
    let mut budget = Budget { wall: elapsed, claimed: 0, allowed };
    let entries = if !beat.visible {
        discard_all(facts, beat, DiscardReason::PageHidden)
    } else if beat.idle_ms > rules.idle_limit_ms() {
        discard_all(facts, beat, DiscardReason::Idle)
    } else {
        match facts.kind {
            LessonKind::Video | LessonKind::Audio => timed(facts, rules, ledger, session, beat, &mut budget),
            LessonKind::Slides => slides(facts, rules, ledger, beat, &mut budget),
            LessonKind::Article => article(facts, rules, ledger, beat, &mut budget),
            // Sessions are not opened for exams; credit nothing if one were.
            LessonKind::Exam => Vec::new(),
        }
    };
    session.claimed_ms += budget.claimed;
    update_position(facts, rules, ledger, session, beat);

    let credited: u64 = entries.iter().filter(|e| e.outcome == Outcome::Credited).map(|e| e.wall_ms).sum();
    ledger.study_ms += credited;
    let completed_now = ledger.completed_at.is_none() && rules.is_complete(facts, ledger);
    if completed_now {
        ledger.completed_at = Some(now);
    }
    Assessment { verdict: Verdict::Accepted, entries, completed_now }
}

/// What one heartbeat may still claim: wall time to credit, and the wall
/// time of everything claimed so far against what elapsed (plus slack).
struct Budget {
    wall: u64,
    claimed: u64,
    allowed: u64,
}

impl Budget {
    /// Splits `wall_ms` of claimed time into the plausible part and the
    /// excess.
    fn claim(&mut self, wall_ms: u64) -> (u64, u64) {
        let ok = wall_ms.min(self.allowed.saturating_sub(self.claimed));
        self.claimed += ok;
        (ok, wall_ms - ok)
    }

    /// Wall time that may be credited for `wall_ms` of plausible time.
    fn credit(&mut self, wall_ms: u64) -> u64 {
        let c = wall_ms.min(self.wall);
        self.wall -= c;
        c
    }
}

fn timed(
    facts: &LessonFacts,
    rules: &CompletionRules,
    ledger: &mut LessonLedger,
    session: &SessionState,
    beat: &Heartbeat,
    budget: &mut Budget,
) -> Vec<ReceiptEntry> {
    let mut out = Vec::new();
    let entry = |span: Span, wall_ms: u64, outcome| ReceiptEntry { media: Some(span), slide: None, wall_ms, outcome };
    let restricted = rules.seek == SeekRule::WithinWatched && ledger.completed_at.is_none();
    let mut cursor = session.position;
    for &span in &beat.played {
        if let Some(beyond) = span.from(facts.duration_ms) {
            out.push(entry(
                beyond,
                wall_of(beyond.len(), beat.rate),
                Outcome::Discarded(DiscardReason::BeyondDuration),
            ));
        }
        let Some(span) = span.below(facts.duration_ms) else { continue };
        let reachable = span.start() <= SLACK_MS
            || span.start().abs_diff(cursor) <= SLACK_MS
            || ledger.watched.reaches(span.start(), SLACK_MS);
        if restricted && !reachable {
            out.push(entry(span, wall_of(span.len(), beat.rate), Outcome::Discarded(DiscardReason::SkippedAhead)));
            continue;
        }
        // Only as much media as the elapsed time allows at this rate.
        let (ok_wall, cut) = budget.claim(wall_of(span.len(), beat.rate));
        let ok_media = if cut == 0 { span.len() } else { ((ok_wall as f64) * beat.rate).floor() as u64 };
        let (span, excess) = match span.below(span.start() + ok_media) {
            Some(ok) => (Some(ok), span.from(span.start() + ok_media)),
            None => (None, Some(span)),
        };
        if let Some(x) = excess {
            out.push(entry(x, wall_of(x.len(), beat.rate), Outcome::Discarded(DiscardReason::ImplausibleJump)));
        }
        let Some(span) = span else { continue };
        let mut pieces: Vec<(Span, bool)> = ledger.watched.covered(span).into_iter().map(|s| (s, false)).collect();
        pieces.extend(ledger.watched.missing(span).into_iter().map(|s| (s, true)));
        pieces.sort_by_key(|(s, _)| s.start());
        for (piece, new) in pieces {
            let wall = wall_of(piece.len(), beat.rate);
            if new {
                ledger.watched.insert(piece);
                let credit = budget.credit(wall);
                out.push(entry(piece, credit, Outcome::Credited));
                if wall > credit {
                    // Covered, but the study time it would take had not passed.
                    out.push(entry(piece, wall - credit, Outcome::Discarded(DiscardReason::ImplausibleJump)));
                }
            } else {
                out.push(entry(piece, wall, Outcome::Discarded(DiscardReason::AlreadyWatched)));
            }
        }
        cursor = span.end();
    }
    out
}

fn slides(
    facts: &LessonFacts,
    rules: &CompletionRules,
    ledger: &mut LessonLedger,
    beat: &Heartbeat,
    budget: &mut Budget,
) -> Vec<ReceiptEntry> {
    let mut out = Vec::new();
    let count = facts.slide_count as usize;
    if ledger.slide_ms.len() < count {
        ledger.slide_ms.resize(count, 0);
    }
    let cap = u64::from(rules.slide_max_seconds) * 1000;
    for &(slide, ms) in &beat.slides {
        let entry = |wall_ms, outcome| ReceiptEntry { media: None, slide: Some(slide), wall_ms, outcome };
        if slide as usize >= count {
            out.push(entry(ms, Outcome::Discarded(DiscardReason::BeyondDuration)));
            continue;
        }
        let (ok, excess) = budget.claim(ms);
        if excess > 0 {
            out.push(entry(excess, Outcome::Discarded(DiscardReason::ImplausibleJump)));
        }
        let so_far = &mut ledger.slide_ms[slide as usize];
        let room = cap.saturating_sub(*so_far);
        let take = budget.credit(ok.min(room));
        *so_far += take;
        out.extend(split_credit(ok, room, take).map(|(ms, outcome)| entry(ms, outcome)));
    }
    out
}

fn article(
    facts: &LessonFacts,
    rules: &CompletionRules,
    ledger: &mut LessonLedger,
    beat: &Heartbeat,
    budget: &mut Budget,
) -> Vec<ReceiptEntry> {
    let mut out = Vec::new();
    if beat.visible_ms == 0 {
        return out;
    }
    let entry = |wall_ms, outcome| ReceiptEntry { media: None, slide: None, wall_ms, outcome };
    let (ok, excess) = budget.claim(beat.visible_ms);
    if excess > 0 {
        out.push(entry(excess, Outcome::Discarded(DiscardReason::ImplausibleJump)));
    }
    let room = rules.article_credit_cap_ms(facts).saturating_sub(ledger.visible_ms);
    let take = budget.credit(ok.min(room));
    ledger.visible_ms += take;
    out.extend(split_credit(ok, room, take).map(|(ms, outcome)| entry(ms, outcome)));
    out
}

/// Splits `ok` ms of plausible time of which `take` were credited: the rest
/// is beyond what the lesson can earn (over `room`) or beyond the wall time
/// that elapsed (the slack).
fn split_credit(ok: u64, room: u64, take: u64) -> impl Iterator<Item = (u64, Outcome)> {
    let over_lesson = ok.saturating_sub(room);
    let over_time = ok - over_lesson - take;
    [
        (take, Outcome::Credited),
        (over_time, Outcome::Discarded(DiscardReason::ImplausibleJump)),
        (over_lesson, Outcome::Discarded(DiscardReason::BeyondDuration)),
    ]
    .into_iter()
    .filter(|(ms, _)| *ms > 0)
}

/// Remembers where to resume. On first viewing under the seek rule, a
/// position in never-watched media is not taken (resume would skip ahead);
/// the end of what was just played is used instead.
fn update_position(
    facts: &LessonFacts,
    rules: &CompletionRules,
    ledger: &mut LessonLedger,
    session: &mut SessionState,
    beat: &Heartbeat,
) {
    let position = match facts.kind {
        LessonKind::Video | LessonKind::Audio => {
            let p = beat.position.min(facts.duration_ms);
            let restricted = rules.seek == SeekRule::WithinWatched && ledger.completed_at.is_none();
            if !restricted || p <= SLACK_MS || ledger.watched.reaches(p, SLACK_MS) {
                p
            } else {
                ledger.watched.spans().iter().map(|s| s.end()).filter(|&e| e <= p).max().unwrap_or(0)
            }
        }
        LessonKind::Slides => (beat.position / 1000).min(u64::from(facts.slide_count.saturating_sub(1))),
        LessonKind::Article => (beat.position).min(1000),
        LessonKind::Exam => 0,
    };
    ledger.position = position;
    session.position = position;
}

#[cfg(test)]
#[path = "assess_tests.rs"]
mod tests;
