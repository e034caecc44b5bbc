//! The rows of one heartbeat batch: what its read returns and what it
//! writes, as Rust types. The statements of [`super::batch_sql`] take the
//! written rows as JSON on SQLite and as one array per column on
//! PostgreSQL, and give what they read as JSON.

use std::collections::HashMap;

use courses::progress::{CompletionRules, LessonFacts, LessonLedger};
use courses::{Actor, OrgPath};
use sea_orm::sqlx::{self, postgres::PgArguments, Postgres};
use serde::{Deserialize, Serialize};

use crate::db::{lesson_progress, playback_sessions};
use crate::error::Result;
use crate::services::auth::actor_from;
use crate::services::catalog::{facts_from, parse_audience, parse_rules};
use crate::services::orgs::parse_path;

use crate::services::study::ledger_of;

/// Columns of a row set, with their PostgreSQL types.
pub type Columns = &'static [(&'static str, &'static str)];

/// A PostgreSQL statement being bound.
pub type PgQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// Rows a batch writes: as JSON objects (SQLite) or as one PostgreSQL array
/// per column (PostgreSQL, where unpacking arrays costs far less than
/// parsing JSON).
pub trait RowSet: Serialize + Sized {
    /// The columns, with their PostgreSQL types; also the JSON keys.
    const COLUMNS: Columns;
    /// Binds one array per column, in the order of `COLUMNS`.
    fn bind_columns<'q>(rows: &[Self], query: PgQuery<'q>) -> PgQuery<'q>;
}

/// Implements [`RowSet`] from one list of fields and their PostgreSQL
/// types, so the columns and their binding order cannot disagree.
macro_rules! row_set {
    ($row:ty { $($field:ident: $pg:literal),+ $(,)? }) => {
        impl RowSet for $row {
            const COLUMNS: Columns = &[$((stringify!($field), $pg)),+];
            fn bind_columns<'q>(rows: &[Self], query: PgQuery<'q>) -> PgQuery<'q> {
                query$(.bind(rows.iter().map(|r| &r.$field).collect::<Vec<_>>()))+
            }
        }
    };
}

/// The logged-in person behind a cookie.
pub struct Login {
    pub csrf_token: String,
    pub expires_at: i64,
    pub must_change_password: bool,
    pub actor: Actor,
}

/// What the committer needs to know of a lesson and its course.
#[derive(Debug, Clone)]
pub struct LessonInfo {
    pub id: i64,
    pub course_id: i64,
    pub facts: LessonFacts,
    pub rules: CompletionRules,
    /// The course's org node: who manages it.
    pub org: OrgPath,
    pub published: bool,
    /// Who may study it.
    pub audience: courses::course::Audience,
}

/// Everything one batch reads, keyed for lookups.
pub struct Loaded {
    pub logins: HashMap<String, Login>,
    pub sessions: HashMap<String, playback_sessions::Model>,
    pub lessons: HashMap<i64, LessonInfo>,
    pub ledgers: HashMap<(i64, i64), LessonLedger>,
}

/// A `heartbeats` row.
#[derive(Debug, Serialize)]
pub struct HeartbeatRow {
    pub session_id: String,
    pub seq: i32,
    pub person_id: i64,
    pub lesson_id: i64,
    pub received_at_ms: i64,
    pub event: &'static str,
    /// The played ranges as JSON text, `[[start_ms, end_ms], …]`.
    pub played: String,
    pub position: i64,
    pub rate: f64,
    pub verdict: &'static str,
    pub credited_ms: i64,
    pub percent: i16,
}

row_set!(HeartbeatRow {
    session_id: "text",
    seq: "integer",
    person_id: "bigint",
    lesson_id: "bigint",
    received_at_ms: "bigint",
    event: "text",
    played: "text",
    position: "bigint",
    rate: "double precision",
    verdict: "text",
    credited_ms: "bigint",
    percent: "smallint",
});

/// A `study_entries` row: one line of the 学时 receipt.
#[derive(Debug, Serialize)]
pub struct EntryRow {
    pub session_id: String,
    pub seq: i32,
    pub person_id: i64,
    pub lesson_id: i64,
    pub course_id: i64,
    pub at_ms: i64,
    pub day: String,
    pub year: i32,
    pub media_start_ms: Option<i64>,
    pub media_end_ms: Option<i64>,
    pub slide: Option<i32>,
    pub wall_ms: i64,
    pub credited: bool,
    pub reason: Option<&'static str>,
}

row_set!(EntryRow {
    session_id: "text",
    seq: "integer",
    person_id: "bigint",
    lesson_id: "bigint",
    course_id: "bigint",
    at_ms: "bigint",
    day: "text",
    year: "integer",
    media_start_ms: "bigint",
    media_end_ms: "bigint",
    slide: "integer",
    wall_ms: "bigint",
    credited: "boolean",
    reason: "text",
});

// A `lesson_progress` row, as `lesson_progress::Model` serializes.
row_set!(lesson_progress::Model {
    person_id: "bigint",
    lesson_id: "bigint",
    course_id: "bigint",
    watched: "text",
    slide_ms: "text",
    visible_ms: "bigint",
    study_ms: "bigint",
    position: "bigint",
    completed_at_ms: "bigint",
    updated_at_ms: "bigint",
});

/// What a heartbeat changes in its playback session, and what the session
/// held when the batch read it (`was_*`). On PostgreSQL, where batches do
/// not lock the sessions they read, the write fails unless every session
/// still holds what was read (see `batch_sql`).
#[derive(Debug, Serialize)]
pub struct SessionUpdate {
    pub id: String,
    pub last_beat_at_ms: i64,
    pub last_seq: i32,
    pub claimed_ms: i64,
    pub position: i64,
    pub was_last_beat_at_ms: i64,
    pub was_last_seq: i32,
    pub was_superseded: bool,
}

row_set!(SessionUpdate {
    id: "text",
    last_beat_at_ms: "bigint",
    last_seq: "integer",
    claimed_ms: "bigint",
    position: "bigint",
    was_last_beat_at_ms: "bigint",
    was_last_seq: "integer",
    was_superseded: "boolean",
});

/// A (member, course) pair whose course record a batch changed: a lesson
/// studied for the first time, or completed (see `services::course_records`).
#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirtyRow {
    pub person_id: i64,
    pub course_id: i64,
}

row_set!(DirtyRow { person_id: "bigint", course_id: "bigint" });

/// Credited study time to add to a member's day of the study-hour roll-up
/// (`study_days`).
#[derive(Debug, Serialize)]
pub struct DayRow {
    pub person_id: i64,
    pub day: String,
    pub year: i32,
    pub credited_ms: i64,
}

row_set!(DayRow { person_id: "bigint", day: "text", year: "integer", credited_ms: "bigint" });

/// What one batch writes.
#[derive(Default)]
pub struct Writes {
    pub heartbeats: Vec<HeartbeatRow>,
    pub entries: Vec<EntryRow>,
    pub ledgers: Vec<lesson_progress::Model>,
    pub sessions: Vec<SessionUpdate>,
    /// Course records to recompute; distinct.
    pub dirty: Vec<DirtyRow>,
    /// Credited time per (member, day); distinct.
    pub days: Vec<DayRow>,
    /// Token hashes of logins to extend, and until when (seconds).
    pub extend_logins: Vec<String>,
    pub extend_until: i64,
}

/// One row of the login query.
#[derive(Deserialize)]
pub struct LoginQueryRow {
    token_hash: String,
    csrf_token: String,
    expires_at: i64,
    person_id: i64,
    role: String,
    #[serde(deserialize_with = "sql_bool")]
    must_change_password: bool,
    org_id: i64,
    org_path: String,
}

/// One row of the session query: a playback session with its lesson,
/// course, course org and (if any) ledger.
#[derive(Deserialize)]
pub struct SessionQueryRow {
    id: String,
    person_id: i64,
    lesson_id: i64,
    opened_at_ms: i64,
    last_beat_at_ms: i64,
    last_seq: i32,
    claimed_ms: i64,
    position: i64,
    #[serde(deserialize_with = "sql_bool")]
    superseded: bool,
    course_id: i64,
    kind: String,
    duration_ms: i64,
    slide_count: i32,
    article_chars: i32,
    #[serde(deserialize_with = "sql_bool")]
    published: bool,
    rules: String,
    audience: String,
    org_id: i64,
    org_path: String,
    lp_watched: Option<String>,
    lp_slide_ms: Option<String>,
    lp_visible_ms: Option<i64>,
    lp_study_ms: Option<i64>,
    lp_position: Option<i64>,
    lp_completed_at_ms: Option<i64>,
    lp_updated_at_ms: Option<i64>,
}

pub const LOGIN_FIELDS: &[&str] =
    &["token_hash", "csrf_token", "expires_at", "person_id", "role", "must_change_password", "org_id", "org_path"];

pub const SESSION_FIELDS: &[&str] = &[
    "id",
    "person_id",
    "lesson_id",
    "opened_at_ms",
    "last_beat_at_ms",
    "last_seq",
    "claimed_ms",
    "position",
    "superseded",
    "course_id",
    "kind",
    "duration_ms",
    "slide_count",
    "article_chars",
    "published",
    "rules",
    "audience",
    "org_id",
    "org_path",
    "lp_watched",
    "lp_slide_ms",
    "lp_visible_ms",
    "lp_study_ms",
    "lp_position",
    "lp_completed_at_ms",
    "lp_updated_at_ms",
];

/// A boolean as PostgreSQL (`true`) or SQLite (`1`) puts it into JSON.
fn sql_bool<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Int(i64),
    }
    Ok(match B::deserialize(d)? {
        B::Bool(b) => b,
        B::Int(i) => i != 0,
    })
}

/// What the read returned, keyed for lookups.
pub fn loaded(logins: Vec<LoginQueryRow>, rows: Vec<SessionQueryRow>) -> Result<Loaded> {
    let mut by_token = HashMap::new();
    for r in logins {
        let actor = actor_from(r.person_id, &r.role, r.org_id, r.org_path)?;
        by_token.insert(
            r.token_hash,
            Login {
                csrf_token: r.csrf_token,
                expires_at: r.expires_at,
                must_change_password: r.must_change_password,
                actor,
            },
        );
    }
    let mut sessions = HashMap::new();
    let mut lessons: HashMap<i64, LessonInfo> = HashMap::new();
    let mut ledgers = HashMap::new();
    for r in rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = lessons.entry(r.lesson_id) {
            slot.insert(LessonInfo {
                id: r.lesson_id,
                course_id: r.course_id,
                facts: facts_from(r.lesson_id, &r.kind, r.duration_ms, r.slide_count, r.article_chars)?,
                rules: parse_rules(r.course_id, &r.rules)?,
                org: parse_path(r.org_id, r.org_path)?,
                published: r.published,
                audience: parse_audience(r.course_id, &r.audience)?,
            });
        }
        let key = (r.person_id, r.lesson_id);
        if let (Some(watched), Some(slide_ms), false) = (r.lp_watched, r.lp_slide_ms, ledgers.contains_key(&key)) {
            let row = lesson_progress::Model {
                person_id: r.person_id,
                lesson_id: r.lesson_id,
                course_id: r.course_id,
                watched,
                slide_ms,
                visible_ms: r.lp_visible_ms.unwrap_or(0),
                study_ms: r.lp_study_ms.unwrap_or(0),
                position: r.lp_position.unwrap_or(0),
                completed_at_ms: r.lp_completed_at_ms,
                updated_at_ms: r.lp_updated_at_ms.unwrap_or(0),
            };
            ledgers.insert(key, ledger_of(&row)?);
        }
        sessions.insert(
            r.id.clone(),
            playback_sessions::Model {
                id: r.id,
                person_id: r.person_id,
                lesson_id: r.lesson_id,
                opened_at_ms: r.opened_at_ms,
                last_beat_at_ms: r.last_beat_at_ms,
                last_seq: r.last_seq,
                claimed_ms: r.claimed_ms,
                position: r.position,
                superseded: r.superseded,
            },
        );
    }
    Ok(Loaded { logins: by_token, sessions, lessons, ledgers })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON keys each row type writes are exactly its statement's columns.
    fn keys_of<T: Serialize>(row: &T) -> Vec<String> {
        match serde_json::to_value(row).expect("serializes") {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    fn sorted(columns: Columns) -> Vec<String> {
        let mut v: Vec<String> = columns.iter().map(|(c, _)| (*c).to_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn row_types_match_their_columns() {
        let heartbeat = HeartbeatRow {
            session_id: String::new(),
            seq: 1,
            person_id: 1,
            lesson_id: 1,
            received_at_ms: 0,
            event: "tick",
            played: "[]".into(),
            position: 0,
            rate: 1.0,
            verdict: "accepted",
            credited_ms: 0,
            percent: 0,
        };
        let entry = EntryRow {
            session_id: String::new(),
            seq: 1,
            person_id: 1,
            lesson_id: 1,
            course_id: 1,
            at_ms: 0,
            day: String::new(),
            year: 2026,
            media_start_ms: None,
            media_end_ms: None,
            slide: None,
            wall_ms: 0,
            credited: true,
            reason: None,
        };
        let ledger = crate::services::study::ledger_row(1, 1, 1, &LessonLedger::default(), 0).expect("ledger row");
        let session = SessionUpdate {
            id: String::new(),
            last_beat_at_ms: 0,
            last_seq: 0,
            claimed_ms: 0,
            position: 0,
            was_last_beat_at_ms: 0,
            was_last_seq: 0,
            was_superseded: false,
        };
        let check = |keys: Vec<String>, columns| {
            let mut keys = keys;
            keys.sort();
            assert_eq!(keys, sorted(columns));
        };
        check(keys_of(&heartbeat), HeartbeatRow::COLUMNS);
        check(keys_of(&entry), EntryRow::COLUMNS);
        check(keys_of(&ledger), lesson_progress::Model::COLUMNS);
        check(keys_of(&session), SessionUpdate::COLUMNS);
        check(keys_of(&DirtyRow { person_id: 1, course_id: 1 }), DirtyRow::COLUMNS);
        let day = DayRow { person_id: 1, day: String::new(), year: 2026, credited_ms: 0 };
        check(keys_of(&day), DayRow::COLUMNS);
    }
}
