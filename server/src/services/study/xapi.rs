//! The study record as xAPI statements (xAPI 1.0.3), following the xAPI
//! video profile (https://w3id.org/xapi/video) for video: `initialized`,
//! `played`, `paused`, `seeked`, `interacted` and `completed`, with the
//! profile's `played-segments`, `progress`, `time` and `length`
//! extensions. Audio, slide and article lessons use the same verbs with
//! ADL activity types.
//!
//! Statements are derived from stored heartbeats (accepted ones), so an
//! export can be repeated and gives the same statement ids. A person's
//! export ends, on its last page, with their exam results: `passed` or
//! `failed` with the score (`completed` while a grader has yet to score
//! a short answer), one statement per submitted attempt that counts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SecondsFormat};
use courses::progress::{LessonKind, Verdict};
use courses::Actor;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::{exam_attempts, exams, heartbeats, lesson_progress, lessons, people};
use crate::error::Result;
use crate::services::catalog;

/// Namespace of dangxiao's statement ids (UUID v5).
const NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_4c2e_93d7_4b0a_8e51_d2c7_0f3b_9a64);
/// Most statements per page.
pub const PAGE_MAX: u64 = 1000;

const VIDEO: &str = "https://w3id.org/xapi/video";
const EXT_TIME: &str = "https://w3id.org/xapi/video/extensions/time";
const EXT_TIME_FROM: &str = "https://w3id.org/xapi/video/extensions/time-from";
const EXT_TIME_TO: &str = "https://w3id.org/xapi/video/extensions/time-to";
const EXT_SEGMENTS: &str = "https://w3id.org/xapi/video/extensions/played-segments";
const EXT_PROGRESS: &str = "https://w3id.org/xapi/video/extensions/progress";
const EXT_LENGTH: &str = "https://w3id.org/xapi/video/extensions/length";
const EXT_SESSION: &str = "https://w3id.org/xapi/video/extensions/session-id";
const EXT_SPEED: &str = "https://w3id.org/xapi/video/extensions/speed";

/// Whose statements to export.
#[derive(Debug, Clone, Default)]
pub struct ExportQuery {
    pub person_id: Option<i64>,
    pub course_id: Option<i64>,
    pub after: Option<i64>,
    pub limit: Option<u64>,
}

/// One page of statements, as an xAPI `StatementResult`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StatementResult {
    /// xAPI statements.
    #[schema(value_type = Vec<Object>)]
    pub statements: Vec<Value>,
    /// Where the next page is; empty on the last page.
    pub more: String,
}

fn verb(id: &str, en: &str, zh: &str) -> Value {
    json!({ "id": id, "display": { "en-US": en, "zh-CN": zh } })
}

/// A person as an xAPI agent: their login as an account of the site.
fn agent(base: &str, p: &people::Model) -> Value {
    json!({ "objectType": "Agent", "name": p.name, "account": { "homePage": base, "name": p.login } })
}

fn timestamp(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// The profile's `start[.]end[,]start[.]end` form, in seconds.
fn segments(played: &[[u64; 2]]) -> String {
    played
        .iter()
        .map(|[a, b]| format!("{:.3}[.]{:.3}", *a as f64 / 1000.0, *b as f64 / 1000.0))
        .collect::<Vec<_>>()
        .join("[,]")
}

struct Context<'a> {
    base: &'a str,
    actors: HashMap<i64, Value>,
    lessons: HashMap<i64, lessons::Model>,
    completed: HashMap<(i64, i64), i64>,
}

impl Context<'_> {
    fn object(&self, lesson: &lessons::Model) -> Value {
        let kind = LessonKind::parse(&lesson.kind).unwrap_or(LessonKind::Video);
        let activity_type = match kind {
            LessonKind::Video => "https://w3id.org/xapi/video/activity-type/video",
            LessonKind::Audio => "http://adlnet.gov/expapi/activities/media",
            LessonKind::Slides | LessonKind::Article => "http://adlnet.gov/expapi/activities/lesson",
            LessonKind::Exam => "http://adlnet.gov/expapi/activities/assessment",
        };
        json!({
            "objectType": "Activity",
            "id": format!("{}/lessons/{}", self.base, lesson.id),
            "definition": { "type": activity_type, "name": { "zh-CN": lesson.title } },
        })
    }

    fn statements_for(&self, hb: &heartbeats::Model) -> Vec<Value> {
        let (Some(actor), Some(lesson)) = (self.actors.get(&hb.person_id), self.lessons.get(&hb.lesson_id)) else {
            return Vec::new();
        };
        let timed = LessonKind::parse(&lesson.kind).is_some_and(LessonKind::is_timed);
        let played: Vec<[u64; 2]> = serde_json::from_str(&hb.played).unwrap_or_default();
        let position = if timed { secs(hb.position) } else { hb.position as f64 / 1000.0 };
        let mut context_ext = json!({ EXT_SESSION: hb.session_id });
        if timed {
            context_ext[EXT_LENGTH] = json!(secs(lesson.duration_ms));
        }
        let context = json!({
            "contextActivities": {
                "parent": [{ "objectType": "Activity", "id": format!("{}/courses/{}", self.base, lesson.course_id) }],
                "category": [{ "objectType": "Activity", "id": VIDEO }],
            },
            "extensions": context_ext,
        });
        let statement = |kind: &str, verb: Value, result: Value, at: i64| {
            json!({
                "id": Uuid::new_v5(&NAMESPACE, format!("{}/{}/{kind}", hb.session_id, hb.seq).as_bytes()).to_string(),
                "actor": actor,
                "verb": verb,
                "object": self.object(lesson),
                "result": result,
                "context": context,
                "timestamp": timestamp(at),
            })
        };
        let progress = f64::from(hb.percent) / 100.0;
        let mut out = Vec::new();
        if hb.seq == 1 {
            out.push(statement(
                "initialized",
                verb("http://adlnet.gov/expapi/verbs/initialized", "initialized", "开始学习"),
                json!({ "extensions": {} }),
                hb.received_at_ms,
            ));
        }
        let mut ext = json!({ EXT_TIME: position, EXT_PROGRESS: progress, EXT_SPEED: format!("{}x", hb.rate) });
        if !played.is_empty() {
            ext[EXT_SEGMENTS] = json!(segments(&played));
        }
        let (kind, v) = match hb.event.as_str() {
            "pause" | "ended" | "hidden" => {
                ("paused", verb("https://w3id.org/xapi/video/verbs/paused", "paused", "暂停"))
            }
            "seek" => {
                ext[EXT_TIME_FROM] = json!(played.last().map_or(position, |s| s[1] as f64 / 1000.0));
                ext[EXT_TIME_TO] = json!(position);
                ("seeked", verb("https://w3id.org/xapi/video/verbs/seeked", "seeked", "跳转"))
            }
            "rate_change" => ("interacted", verb("http://adlnet.gov/expapi/verbs/interacted", "interacted", "调整")),
            _ => ("played", verb("https://w3id.org/xapi/video/verbs/played", "played", "播放")),
        };
        out.push(statement(kind, v, json!({ "extensions": ext }), hb.received_at_ms));
        if self.completed.get(&(hb.person_id, hb.lesson_id)) == Some(&hb.received_at_ms) {
            out.push(statement(
                "completed",
                verb("http://adlnet.gov/expapi/verbs/completed", "completed", "完成"),
                json!({ "completion": true, "extensions": { EXT_PROGRESS: 1.0, EXT_TIME: position } }),
                hb.received_at_ms,
            ));
        }
        out
    }
}

/// A page of statements: a person's (their own, or anyone's in the actor's
/// scope), optionally narrowed to a course; or, with only `course_id`, a
/// whole course's (for those who manage it).
pub async fn export(db: &DatabaseConnection, actor: &Actor, base: &str, q: ExportQuery) -> Result<StatementResult> {
    let limit = q.limit.unwrap_or(500).clamp(1, PAGE_MAX);
    let mut query = heartbeats::Entity::find()
        .filter(heartbeats::Column::Verdict.eq(Verdict::Accepted.as_str()))
        .filter(heartbeats::Column::Id.gt(q.after.unwrap_or(0)))
        .order_by_asc(heartbeats::Column::Id)
        .limit(limit + 1);
    match (q.person_id, q.course_id) {
        (person, None) => {
            let person = super::hours::subject(db, actor, person).await?;
            query = query.filter(heartbeats::Column::PersonId.eq(person.id));
        }
        (person, Some(course_id)) => {
            let lesson_ids: Vec<i64> = lessons::Entity::find()
                .filter(lessons::Column::CourseId.eq(course_id))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.id)
                .collect();
            match person {
                // Someone's own record, or that of a person in scope.
                Some(p) => {
                    let person = super::hours::subject(db, actor, Some(p)).await?;
                    query = query.filter(heartbeats::Column::PersonId.eq(person.id));
                }
                // A whole course: for those who manage it.
                None => {
                    catalog::find_managed(db, actor, course_id).await?;
                }
            }
            query = query.filter(heartbeats::Column::LessonId.is_in(lesson_ids));
        }
    }
    let mut rows = query.all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);

    let person_ids: HashSet<i64> = rows.iter().map(|r| r.person_id).collect();
    let lesson_ids: HashSet<i64> = rows.iter().map(|r| r.lesson_id).collect();
    let actors = people::Entity::find()
        .filter(people::Column::Id.is_in(person_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, agent(base, &p)))
        .collect();
    let lessons = lessons::Entity::find()
        .filter(lessons::Column::Id.is_in(lesson_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let completed = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.is_in(person_ids))
        .filter(lesson_progress::Column::LessonId.is_in(lesson_ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.completed_at_ms.map(|at| ((p.person_id, p.lesson_id), at)))
        .collect();
    let ctx = Context { base, actors, lessons, completed };
    let mut statements: Vec<Value> = rows.iter().flat_map(|hb| ctx.statements_for(hb)).collect();
    if !more && q.course_id.is_none() {
        let person = super::hours::subject(db, actor, q.person_id).await?;
        statements.extend(exam_statements(db, base, &person).await?);
    }
    let more = match (more, rows.last()) {
        (true, Some(last)) => {
            let mut url = format!("/api/v1/xapi/statements?after={}&limit={limit}", last.id);
            if let Some(p) = q.person_id {
                url.push_str(&format!("&person_id={p}"));
            }
            if let Some(c) = q.course_id {
                url.push_str(&format!("&course_id={c}"));
            }
            url
        }
        _ => String::new(),
    };
    Ok(StatementResult { statements, more })
}

/// A person's exam results as statements: one per submitted attempt that
/// counts (not practice), with the score.
async fn exam_statements(db: &DatabaseConnection, base: &str, person: &people::Model) -> Result<Vec<Value>> {
    let attempts = exam_attempts::counting()
        .filter(exam_attempts::Column::PersonId.eq(person.id))
        .order_by_asc(exam_attempts::Column::Id)
        .all(db)
        .await?;
    if attempts.is_empty() {
        return Ok(Vec::new());
    }
    let titles: HashMap<i64, String> = exams::Entity::find()
        .filter(exams::Column::Id.is_in(attempts.iter().map(|a| a.exam_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    let agent = agent(base, person);
    let mut out = Vec::with_capacity(attempts.len());
    for a in attempts {
        let (Some(total), Some(outcome), Some(at)) = (a.total_tenths, a.outcome, a.submitted_at_ms) else { continue };
        let (kind, v, success) = match outcome {
            exam_attempts::Outcome::Passed => {
                ("passed", verb("http://adlnet.gov/expapi/verbs/passed", "passed", "通过"), Some(true))
            }
            exam_attempts::Outcome::Failed => {
                ("failed", verb("http://adlnet.gov/expapi/verbs/failed", "failed", "未通过"), Some(false))
            }
            exam_attempts::Outcome::Pending => {
                ("completed", verb("http://adlnet.gov/expapi/verbs/completed", "completed", "已交卷"), None)
            }
        };
        let (raw, max) = (total as f64 / 10.0, a.max_tenths as f64 / 10.0);
        let mut result = json!({
            "completion": true,
            "score": { "raw": raw, "min": 0.0, "max": max, "scaled": if max > 0.0 { raw / max } else { 0.0 } },
        });
        if let Some(success) = success {
            result["success"] = json!(success);
        }
        out.push(json!({
            "id": Uuid::new_v5(&NAMESPACE, format!("attempt/{}/{kind}", a.id).as_bytes()).to_string(),
            "actor": agent,
            "verb": v,
            "object": {
                "objectType": "Activity",
                "id": format!("{base}/exams/{}", a.exam_id),
                "definition": {
                    "type": "http://adlnet.gov/expapi/activities/assessment",
                    "name": { "zh-CN": titles.get(&a.exam_id).cloned().unwrap_or_default() },
                },
            },
            "result": result,
            "context": { "extensions": { format!("{base}/xapi/extensions/attempt-number"): a.number } },
            "timestamp": timestamp(at),
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn played_segments_use_the_profile_notation() {
        assert_eq!(segments(&[[0, 10_500], [20_000, 21_000]]), "0.000[.]10.500[,]20.000[.]21.000");
    }
}
