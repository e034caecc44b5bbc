//! The member-course records reports read, and the counts they roll up.
//!
//! `course_records` and `report_counts` are derived data: from
//! `lesson_progress` (what was studied), `assignment_members` (what is
//! required, by when) and `people` (where the member sits now). Whatever
//! changes one of those marks the (member, course) pairs it touches in
//! `record_dirty`; [`refresh`] recomputes the marked records from their
//! sources, then the counts of every (course, node) group a record left or
//! joined. Marks are cheap, so the hot paths (heartbeats, assignments,
//! transfers) only mark; reports refresh before they read, and the worker
//! refreshes every few seconds so the counts stay near current anyway.
//!
//! Recomputing from the sources, never adding deltas, makes a refresh
//! idempotent: running it twice, or two at once, gives the same rows. A
//! mark carries a version, and a refresh clears only the versions it read,
//! so a mark made while it ran survives to the next one.

use std::collections::{BTreeSet, HashMap};

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, Set,
    Statement,
};

use crate::db::sql::{unlocked_rows, Marks, Params};
use crate::db::{self, course_records, record_dirty, report_counts};
use crate::error::Result;

/// Pairs recomputed per transaction.
const BATCH: i64 = 1000;

/// A (person, course) pair.
pub type Pair = (i64, i64);

/// Marks (person, course) pairs for recomputing.
pub async fn mark(db: &impl ConnectionTrait, pairs: &[Pair]) -> Result<()> {
    use record_dirty::{Column as C, Entity as Dirty};
    use sea_orm::sea_query::ExprTrait;
    let mut pairs: Vec<Pair> = pairs.to_vec();
    pairs.sort_unstable();
    pairs.dedup();
    for chunk in pairs.chunks(500) {
        let marks = chunk.iter().map(|&(person_id, course_id)| record_dirty::ActiveModel {
            person_id: Set(person_id),
            course_id: Set(course_id),
            version: Set(1),
        });
        Dirty::insert_many(marks)
            .on_conflict(
                OnConflict::columns([C::PersonId, C::CourseId])
                    .value(C::Version, Expr::col((Dirty, C::Version)).add(1))
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// `INSERT … ON CONFLICT DO UPDATE version + 1` of the (person, course, 1)
/// rows `$select` answers. SQLite needs `WHERE true` to tell ON CONFLICT
/// from a join clause.
macro_rules! upsert_marks {
    ($select:literal) => {
        concat!(
            "INSERT INTO record_dirty (person_id, course_id, version) SELECT * FROM (",
            $select,
            ") AS m WHERE true ON CONFLICT (person_id, course_id) DO UPDATE SET version = record_dirty.version + 1"
        )
    };
}

/// Marks of every course the person `$1` has a record of, is assigned, or studied.
const MARK_PERSON: &str = upsert_marks!(
    "SELECT person_id, course_id, 1 FROM course_records WHERE person_id = $1 \
     UNION SELECT am.person_id, a.course_id, 1 FROM assignment_members am \
     JOIN assignments a ON a.id = am.assignment_id WHERE am.person_id = $1 \
     UNION SELECT person_id, course_id, 1 FROM lesson_progress WHERE person_id = $1"
);

/// Marks of every record of the course `$1`, and of everyone who studied it.
const MARK_COURSE: &str = upsert_marks!(
    "SELECT person_id, course_id, 1 FROM course_records WHERE course_id = $1 \
     UNION SELECT person_id, course_id, 1 FROM lesson_progress WHERE course_id = $1"
);

/// Marks of every member of the assignment `$1`.
const MARK_ASSIGNMENT: &str = upsert_marks!(
    "SELECT am.person_id, a.course_id, 1 FROM assignment_members am \
     JOIN assignments a ON a.id = am.assignment_id WHERE am.assignment_id = $1"
);

/// Marks every course a person has a record of, is assigned, or studied:
/// after they moved to another node, or their assignments changed.
pub async fn mark_person(db: &impl ConnectionTrait, person_id: i64) -> Result<()> {
    mark_of(db, MARK_PERSON, person_id).await
}

/// Marks every record of a course: after its lessons changed, so the
/// number of lessons to complete did.
pub async fn mark_course(db: &impl ConnectionTrait, course_id: i64) -> Result<()> {
    mark_of(db, MARK_COURSE, course_id).await
}

/// Marks every member of an assignment (before it changes or goes, and
/// after it was made).
pub async fn mark_assignment(db: &impl ConnectionTrait, assignment_id: i64) -> Result<()> {
    mark_of(db, MARK_ASSIGNMENT, assignment_id).await
}

async fn mark_of(db: &impl ConnectionTrait, sql: &'static str, id: i64) -> Result<()> {
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [id.into()])).await?;
    Ok(())
}

/// Recomputes every marked record and the counts it touches. Answers how
/// many pairs it recomputed.
pub async fn refresh(db: &DatabaseConnection) -> Result<usize> {
    let mut total = 0;
    loop {
        let done = db::retry_when_busy(|| refresh_batch(db)).await?;
        total += done;
        if done < BATCH as usize {
            return Ok(total);
        }
    }
}

/// One recomputed pair, with the record it replaces.
#[derive(Debug, FromQueryResult)]
struct Fresh {
    person_id: i64,
    course_id: i64,
    version: i64,
    /// None: the person is gone.
    org_id: Option<i64>,
    /// None: the course is gone.
    course_exists: Option<i64>,
    due_on: Option<String>,
    lessons_total: i64,
    lessons_done: i64,
    progress_rows: i64,
    last_completed_ms: Option<i64>,
    first_opened_ms: Option<i64>,
    old_org_id: Option<i64>,
    old_started_ms: Option<i64>,
    old_completed_ms: Option<i64>,
}

/// The first [`BATCH`] (`$1`) marked pairs, with what their records are
/// recomputed from and the records they replace.
const FRESH: &str =
    "WITH d AS (SELECT person_id, course_id, version FROM record_dirty ORDER BY person_id, course_id LIMIT $1) \
         SELECT d.person_id, d.course_id, d.version, p.org_id, c.id AS course_exists, \
         (SELECT MIN(a.due_on) FROM assignment_members am JOIN assignments a ON a.id = am.assignment_id \
           WHERE am.person_id = d.person_id AND a.course_id = d.course_id) AS due_on, \
         (SELECT COUNT(*) FROM lessons l WHERE l.course_id = d.course_id) AS lessons_total, \
         (SELECT COUNT(*) FROM lesson_progress lp WHERE lp.person_id = d.person_id AND lp.course_id = d.course_id \
           AND lp.completed_at_ms IS NOT NULL) AS lessons_done, \
         (SELECT COUNT(*) FROM lesson_progress lp WHERE lp.person_id = d.person_id AND lp.course_id = d.course_id) \
           AS progress_rows, \
         (SELECT MAX(lp.completed_at_ms) FROM lesson_progress lp WHERE lp.person_id = d.person_id \
           AND lp.course_id = d.course_id) AS last_completed_ms, \
         (SELECT MIN(ps.opened_at_ms) FROM playback_sessions ps JOIN lessons l ON l.id = ps.lesson_id \
           WHERE ps.person_id = d.person_id AND l.course_id = d.course_id) AS first_opened_ms, \
         old.org_id AS old_org_id, old.started_at_ms AS old_started_ms, old.completed_at_ms AS old_completed_ms \
         FROM d LEFT JOIN people p ON p.id = d.person_id LEFT JOIN courses c ON c.id = d.course_id \
         LEFT JOIN course_records old ON old.person_id = d.person_id AND old.course_id = d.course_id";

async fn refresh_batch(db: &DatabaseConnection) -> Result<usize> {
    let backend = db.get_database_backend();
    let txn = db::begin_writing(db).await?;
    if backend == DatabaseBackend::Postgres {
        // One refresh at a time: two would compute the same rows, but could
        // interleave their recounts of one group.
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(72001)").await?;
    }
    let read = Statement::from_sql_and_values(backend, FRESH, [BATCH.into()]);
    let rows = Fresh::find_by_statement(read).all(&txn).await?;
    if rows.is_empty() {
        txn.commit().await?;
        return Ok(0);
    }
    let now = db::now_ms();
    let mut groups: BTreeSet<(i64, i64)> = BTreeSet::new();
    let mut keep = Vec::new();
    let mut gone = Vec::new();
    for r in &rows {
        if let Some(org) = r.old_org_id {
            groups.insert((r.course_id, org));
        }
        let (Some(org_id), Some(_)) = (r.org_id, r.course_exists) else {
            gone.push((r.person_id, r.course_id));
            continue;
        };
        if r.due_on.is_none() && r.progress_rows == 0 {
            gone.push((r.person_id, r.course_id));
            continue;
        }
        groups.insert((r.course_id, org_id));
        let complete = r.lessons_total > 0 && r.lessons_done >= r.lessons_total;
        let started = (r.progress_rows > 0).then(|| r.old_started_ms.or(r.first_opened_ms).unwrap_or(now));
        keep.push(course_records::ActiveModel {
            person_id: Set(r.person_id),
            course_id: Set(r.course_id),
            org_id: Set(org_id),
            assigned: Set(r.due_on.is_some()),
            due_on: Set(r.due_on.clone()),
            lessons_done: Set(r.lessons_done.min(i64::from(i32::MAX)) as i32),
            lessons_total: Set(r.lessons_total.min(i64::from(i32::MAX)) as i32),
            started_at_ms: Set(started),
            // A completion keeps its first date, unless it no longer holds.
            completed_at_ms: Set(complete.then(|| r.old_completed_ms.or(r.last_completed_ms).unwrap_or(now))),
            updated_at_ms: Set(now),
        });
    }
    for chunk in gone.chunks(500) {
        let mut p = Params::new();
        // `person_id IN` first: SQLite scans the table for a row-value `IN` alone.
        let people = p.list(chunk.iter().map(|&(person, _)| person).collect::<BTreeSet<_>>());
        let pairs = p.rows(chunk.iter().map(|&(person, course)| [person.into(), course.into()]));
        let delete = format!(
            "DELETE FROM course_records WHERE person_id IN ({people}) AND (person_id, course_id) IN (VALUES {pairs})"
        );
        txn.execute_raw(p.statement(backend, delete)).await?;
    }
    for chunk in keep.chunks(300) {
        use course_records::Column as C;
        course_records::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([C::PersonId, C::CourseId])
                    .update_columns([
                        C::OrgId,
                        C::DueOn,
                        C::Assigned,
                        C::LessonsDone,
                        C::LessonsTotal,
                        C::StartedAtMs,
                        C::CompletedAtMs,
                        C::UpdatedAtMs,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
    }
    recount(&txn, &groups).await?;
    for chunk in rows.chunks(500) {
        let mut p = Params::new();
        let people = p.list(chunk.iter().map(|r| r.person_id).collect::<BTreeSet<_>>());
        let marks = p.rows(chunk.iter().map(|r| [r.person_id.into(), r.course_id.into(), r.version.into()]));
        let unchanged = format!("person_id IN ({people}) AND (person_id, course_id, version) IN (VALUES {marks})");
        let delete =
            format!("DELETE FROM record_dirty WHERE {}", unlocked_rows(backend, Marks::RecordDirty, &unchanged));
        txn.execute_raw(p.statement(backend, delete)).await?;
    }
    txn.commit().await?;
    Ok(rows.len())
}

/// Recounts `report_counts` of (course, node) groups from their records.
async fn recount(db: &impl ConnectionTrait, groups: &BTreeSet<(i64, i64)>) -> Result<()> {
    let mut by_course: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(course, org) in groups {
        by_course.entry(course).or_default().push(org);
    }
    for (course, orgs) in by_course {
        for chunk in orgs.chunks(500) {
            report_counts::Entity::delete_many()
                .filter(report_counts::Column::CourseId.eq(course))
                .filter(report_counts::Column::OrgId.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
            let mut p = Params::new();
            let filter = format!("course_id = {} AND org_id IN ({})", p.bind(course), p.list(chunk.iter().copied()));
            let insert = format!(
                "INSERT INTO report_counts \
                 (course_id, org_id, due_on, records, assigned, assigned_done, started, completed) \
                 SELECT course_id, org_id, COALESCE(due_on, ''), COUNT(*), \
                 SUM(CASE WHEN assigned THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN assigned AND completed_at_ms IS NOT NULL THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN started_at_ms IS NOT NULL THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) \
                 FROM course_records WHERE {filter} GROUP BY course_id, org_id, COALESCE(due_on, '')"
            );
            db.execute_raw(p.statement(db.get_database_backend(), insert)).await?;
        }
    }
    Ok(())
}

/// Deletes a person's records and recounts what they counted in, before
/// the person goes (their rows would go with them, leaving counts behind).
pub async fn forget_person(db: &impl ConnectionTrait, person_id: i64) -> Result<()> {
    let rows = course_records::Entity::find().filter(course_records::Column::PersonId.eq(person_id)).all(db).await?;
    let groups: BTreeSet<(i64, i64)> = rows.iter().map(|r| (r.course_id, r.org_id)).collect();
    course_records::Entity::delete_many().filter(course_records::Column::PersonId.eq(person_id)).exec(db).await?;
    record_dirty::Entity::delete_many().filter(record_dirty::Column::PersonId.eq(person_id)).exec(db).await?;
    recount(db, &groups).await
}
