//! The rows of one heartbeat batch: what its read returns and what it
//! writes, as Rust types. The statements of [`super::batch_sql`] take the
//! written rows as JSON on SQLite and as one array per column on
//! PostgreSQL, and give what they read as JSON.
//!
//! The tables' schema is described by the migrations (the history of how
//! it came to be) and by the entities in `crate::db` (what it is now). A
//! written column's name and PostgreSQL type come from its entity here;
//! only the row structs remain, because the write binds its rows' fields
//! (borrowed, `&'static str` where the entity has `String`). One row set
//! cannot use an entity: the session updates' `was_*` values, which no
//! table stores (their types come from the columns they were read from).

use std::collections::HashMap;

use courses::progress::{CompletionRules, LessonFacts, LessonLedger};
use courses::{Actor, OrgPath};
use sea_orm::sea_query::ColumnType;
use sea_orm::sqlx::{self, postgres::PgArguments, Postgres};
use sea_orm::{ColumnTrait, IdenStatic};
use serde::{Deserialize, Serialize};

use crate::db::{heartbeats, lesson_progress, playback_sessions, record_dirty, study_days, study_entries};
use crate::error::Result;
use crate::services::auth::actor_from;
use crate::services::catalog::{facts_from, parse_audience, parse_rules};
use crate::services::orgs::parse_path;

use crate::services::study::ledger_of;

/// Columns of a row set, with their PostgreSQL types.
pub type Columns<'a> = &'a [(&'static str, &'static str)];

/// A PostgreSQL statement being bound.
pub type PgQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// Rows a batch writes: as JSON objects (SQLite) or as one PostgreSQL array
/// per column (PostgreSQL, where unpacking arrays costs far less than
/// parsing JSON).
pub trait RowSet: Serialize + Sized {
    /// The columns, with their PostgreSQL types; also the JSON keys.
    fn columns() -> Vec<(&'static str, &'static str)>;
    /// Binds one array per column, in the order of `COLUMNS`.
    fn bind_columns<'q>(rows: &[Self], query: PgQuery<'q>) -> PgQuery<'q>;
}

/// Where a written column's name and PostgreSQL type come from.
pub trait ColumnSource {
    /// The column's name and type; `field` is the row's field holding it.
    fn describe(&self, field: &'static str) -> (&'static str, &'static str);
}

/// A column of an entity: its name and type are the entity's.
impl<C: ColumnTrait> ColumnSource for C {
    fn describe(&self, _field: &'static str) -> (&'static str, &'static str) {
        (IdenStatic::as_str(self), pg_type(self.def().get_column_type()))
    }
}

/// A value no table stores, of the type of entity column `C`: named by its
/// field.
pub struct TypeOf<C>(pub C);

impl<C: ColumnTrait> ColumnSource for TypeOf<C> {
    fn describe(&self, field: &'static str) -> (&'static str, &'static str) {
        (field, pg_type(self.0.def().get_column_type()))
    }
}

/// The element type of the array a column's values are bound as on
/// PostgreSQL. Text of any length is `text`: a column's length and
/// collation apply when the value is stored. A type no batch writes yet
/// falls to `text` too, which PostgreSQL refuses to bind a number or a
/// boolean to, so the API tests on PostgreSQL name it.
fn pg_type(column_type: &ColumnType) -> &'static str {
    match column_type {
        ColumnType::BigInteger => "bigint",
        ColumnType::Integer => "integer",
        ColumnType::SmallInteger => "smallint",
        ColumnType::Double => "double precision",
        ColumnType::Boolean => "boolean",
        _ => "text",
    }
}

/// Implements [`RowSet`] from one list of fields and their columns, so the
/// columns and their binding order cannot disagree.
macro_rules! row_set {
    ($row:ty { $($field:ident: $column:expr),+ $(,)? }) => {
        impl RowSet for $row {
            fn columns() -> Vec<(&'static str, &'static str)> {
                vec![$(ColumnSource::describe(&$column, stringify!($field))),+]
            }
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
    session_id: heartbeats::Column::SessionId,
    seq: heartbeats::Column::Seq,
    person_id: heartbeats::Column::PersonId,
    lesson_id: heartbeats::Column::LessonId,
    received_at_ms: heartbeats::Column::ReceivedAtMs,
    event: heartbeats::Column::Event,
    played: heartbeats::Column::Played,
    position: heartbeats::Column::Position,
    rate: heartbeats::Column::Rate,
    verdict: heartbeats::Column::Verdict,
    credited_ms: heartbeats::Column::CreditedMs,
    percent: heartbeats::Column::Percent,
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
    session_id: study_entries::Column::SessionId,
    seq: study_entries::Column::Seq,
    person_id: study_entries::Column::PersonId,
    lesson_id: study_entries::Column::LessonId,
    course_id: study_entries::Column::CourseId,
    at_ms: study_entries::Column::AtMs,
    day: study_entries::Column::Day,
    year: study_entries::Column::Year,
    media_start_ms: study_entries::Column::MediaStartMs,
    media_end_ms: study_entries::Column::MediaEndMs,
    slide: study_entries::Column::Slide,
    wall_ms: study_entries::Column::WallMs,
    credited: study_entries::Column::Credited,
    reason: study_entries::Column::Reason,
});

// A `lesson_progress` row, as `lesson_progress::Model` serializes.
row_set!(lesson_progress::Model {
    person_id: lesson_progress::Column::PersonId,
    lesson_id: lesson_progress::Column::LessonId,
    course_id: lesson_progress::Column::CourseId,
    watched: lesson_progress::Column::Watched,
    slide_ms: lesson_progress::Column::SlideMs,
    visible_ms: lesson_progress::Column::VisibleMs,
    study_ms: lesson_progress::Column::StudyMs,
    position: lesson_progress::Column::Position,
    completed_at_ms: lesson_progress::Column::CompletedAtMs,
    updated_at_ms: lesson_progress::Column::UpdatedAtMs,
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
    id: playback_sessions::Column::Id,
    last_beat_at_ms: playback_sessions::Column::LastBeatAtMs,
    last_seq: playback_sessions::Column::LastSeq,
    claimed_ms: playback_sessions::Column::ClaimedMs,
    position: playback_sessions::Column::Position,
    was_last_beat_at_ms: TypeOf(playback_sessions::Column::LastBeatAtMs),
    was_last_seq: TypeOf(playback_sessions::Column::LastSeq),
    was_superseded: TypeOf(playback_sessions::Column::Superseded),
});

/// A (member, course) pair whose course record a batch changed: a lesson
/// studied for the first time, or completed (see `services::course_records`).
#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirtyRow {
    pub person_id: i64,
    pub course_id: i64,
}

row_set!(DirtyRow { person_id: record_dirty::Column::PersonId, course_id: record_dirty::Column::CourseId });

/// Credited study time to add to a member's day of the study-hour roll-up
/// (`study_days`).
#[derive(Debug, Serialize)]
pub struct DayRow {
    pub person_id: i64,
    pub day: String,
    pub year: i32,
    pub credited_ms: i64,
}

row_set!(DayRow {
    person_id: study_days::Column::PersonId,
    day: study_days::Column::Day,
    year: study_days::Column::Year,
    credited_ms: study_days::Column::CreditedMs,
});

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
    standing: String,
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

pub const LOGIN_FIELDS: &[&str] = &[
    "token_hash",
    "csrf_token",
    "expires_at",
    "person_id",
    "role",
    "standing",
    "must_change_password",
    "org_id",
    "org_path",
];

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
        let actor = actor_from(r.person_id, &r.role, &r.standing, r.org_id, r.org_path)?;
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

    fn sorted(columns: Columns<'_>) -> Vec<String> {
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
        let check = |keys: Vec<String>, columns: Vec<(&'static str, &'static str)>| {
            let mut keys = keys;
            keys.sort();
            assert_eq!(keys, sorted(&columns));
        };
        check(keys_of(&heartbeat), HeartbeatRow::columns());
        check(keys_of(&entry), EntryRow::columns());
        check(keys_of(&ledger), lesson_progress::Model::columns());
        check(keys_of(&session), SessionUpdate::columns());
        check(keys_of(&DirtyRow { person_id: 1, course_id: 1 }), DirtyRow::columns());
        let day = DayRow { person_id: 1, day: String::new(), year: 2026, credited_ms: 0 };
        check(keys_of(&day), DayRow::columns());
    }

    /// A column added to a log table is written by the batch, or this
    /// fails: every column but the generated id is in the row set.
    #[test]
    fn the_batch_writes_every_column_of_the_logs_and_ledgers() {
        fn stored<C: ColumnTrait>(except: &[&str]) -> Vec<String> {
            let mut names: Vec<String> = C::iter()
                .map(|c| IdenStatic::as_str(&c).to_owned())
                .filter(|c| !except.contains(&c.as_str()))
                .collect();
            names.sort();
            names
        }
        assert_eq!(stored::<heartbeats::Column>(&["id"]), sorted(&HeartbeatRow::columns()));
        assert_eq!(stored::<study_entries::Column>(&["id"]), sorted(&EntryRow::columns()));
        assert_eq!(stored::<lesson_progress::Column>(&[]), sorted(&lesson_progress::Model::columns()));
    }

    #[test]
    fn the_postgresql_types_are_those_the_columns_were_bound_as() {
        let types =
            |columns: Vec<(&'static str, &'static str)>| columns.into_iter().map(|(_, t)| t).collect::<Vec<_>>();
        assert_eq!(
            types(HeartbeatRow::columns()),
            [
                "text",
                "integer",
                "bigint",
                "bigint",
                "bigint",
                "text",
                "text",
                "bigint",
                "double precision",
                "text",
                "bigint",
                "smallint"
            ]
        );
        assert_eq!(
            types(SessionUpdate::columns()),
            ["text", "bigint", "integer", "bigint", "bigint", "bigint", "integer", "boolean"]
        );
        assert_eq!(
            types(EntryRow::columns()),
            [
                "text", "integer", "bigint", "bigint", "bigint", "bigint", "text", "integer", "bigint", "bigint",
                "integer", "bigint", "boolean", "text"
            ]
        );
    }
}
