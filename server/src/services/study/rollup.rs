//! The study-hour roll-up reports read: one `study_years` row per member
//! and year instead of every line of their 学时 receipt.
//!
//! The heartbeat batch adds each credited interval to its (member, day) in
//! `study_days` and marks the day `dirty`. [`refresh`] recomputes the year
//! of every member with a marked day from all of that year's days (never
//! adding deltas, so a refresh is idempotent), then clears the marks it
//! read, but only where the day's total is still the one it summed: a day
//! credited again while it ran stays marked for the next refresh.
//!
//! A refresh makes one pass over the members in id order. Members keep
//! studying while it runs, so it must not start over from the lowest
//! marked member: under a steady load their days are marked again faster
//! than a batch clears them, and the refresh would never end (it did, with
//! 10,000 learners sending heartbeats: report upkeep and the reports that
//! refresh first then never finished).
//!
//! `counted_ms` applies the daily cap in force; [`mark_all`] marks every
//! day when the rules change, so the next refreshes recount every year.

use std::collections::{BTreeMap, BTreeSet};

use courses::progress::{DayTotal, StudyHourRules};
use courses::Standing;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::sql::{unlocked_rows, Marks, Params};
use crate::db::{self, exam_credits, study_days, study_years};
use crate::error::Result;
use crate::services::study::hours as study_hours;

/// Members recomputed per transaction.
const BATCH: usize = 500;

/// Recomputes the years of every member with marked days. Answers how many
/// (member, year) rows it wrote.
pub async fn refresh(db: &DatabaseConnection) -> Result<usize> {
    let mut pass = Pass::default();
    let mut total = 0;
    while let Some(written) = pass.next_batch(db).await? {
        total += written;
    }
    Ok(total)
}

/// One pass over the members with marked days, in id order, [`BATCH`]
/// members at a time.
#[derive(Debug, Default)]
pub struct Pass {
    /// The last member recomputed (person ids start at 1).
    after: i64,
    over: bool,
}

impl Pass {
    /// Recomputes the next batch of marked members. Answers the (member,
    /// year) rows written, or `None` once the pass is over.
    pub async fn next_batch(&mut self, db: &DatabaseConnection) -> Result<Option<usize>> {
        if self.over {
            return Ok(None);
        }
        let (written, last) = db::retry_when_busy(|| refresh_batch(db, self.after)).await?;
        match last {
            Some(last) => self.after = last,
            None => self.over = true,
        }
        Ok(Some(written))
    }
}

/// Marks every day, so every year is recounted (after the rules changed).
pub async fn mark_all(db: &impl ConnectionTrait) -> Result<()> {
    study_days::Entity::update_many()
        .col_expr(study_days::Column::Dirty, Expr::value(true))
        .filter(study_days::Column::Dirty.eq(false))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct Day {
    person_id: i64,
    day: String,
    year: i32,
    credited_ms: i64,
    dirty: bool,
}

/// One (member, year) as stored.
#[derive(Debug, Default, PartialEq)]
struct Year {
    credited_ms: u64,
    counted_ms: u64,
    months: [u64; 12],
}

impl Year {
    fn of(days: &[DayTotal], rules: &StudyHourRules) -> Year {
        // The target is not stored; any standing sums the same.
        let summary = rules.summarize(days, Standing::Full);
        let mut months = [0u64; 12];
        for d in days {
            if let Some(m) = month_of(&d.day) {
                months[m] += d.credited_ms + rules.exam_ms(u64::from(d.exams_passed));
            }
        }
        Year { credited_ms: summary.credited_ms, counted_ms: summary.credited_ms - summary.over_cap_ms, months }
    }
}

/// 0-based month of a `YYYY-MM-DD` day.
fn month_of(day: &str) -> Option<usize> {
    day.get(5..7).and_then(|m| m.parse::<usize>().ok()).filter(|m| (1..=12).contains(m)).map(|m| m - 1)
}

/// A stored total: milliseconds fit an `i64` for some 290 million years.
fn stored(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// Recomputes up to [`BATCH`] marked members with ids above `after`;
/// answers the rows written and, when more may follow, the last member's id.
async fn refresh_batch(db: &DatabaseConnection, after: i64) -> Result<(usize, Option<i64>)> {
    let backend = db.get_database_backend();
    let txn = db::begin_writing(db).await?;
    if backend == DatabaseBackend::Postgres {
        // One refresh at a time: a slower one could otherwise write a year
        // it summed before a faster one wrote a newer sum.
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(72002)").await?;
    }
    let members: Vec<i64> = study_days::Entity::find()
        .select_only()
        .column(study_days::Column::PersonId)
        .distinct()
        // `dirty` itself, as the partial index says it: SQLite does not
        // see that `dirty = TRUE` means the same.
        .filter(Expr::col((study_days::Entity, study_days::Column::Dirty)))
        .filter(study_days::Column::PersonId.gt(after))
        .order_by_asc(study_days::Column::PersonId)
        .limit(BATCH as u64)
        .into_tuple()
        .all(&txn)
        .await?;
    if members.is_empty() {
        txn.commit().await?;
        return Ok((0, None));
    }
    // Every marked year of these members, with all of its days.
    let mut p = Params::new();
    let days = format!(
        "SELECT d.person_id, d.day, d.year, d.credited_ms, d.dirty FROM study_days d \
         WHERE d.person_id IN ({}) AND d.year IN \
         (SELECT m.year FROM study_days m WHERE m.person_id = d.person_id AND m.dirty) \
         ORDER BY d.person_id, d.day",
        p.list(members.iter().copied())
    );
    let days = Day::find_by_statement(p.statement(backend, days)).all(&txn).await?;
    let rules = study_hours::rules(&txn).await?;
    let mut years: BTreeMap<(i64, i32), Vec<DayTotal>> = BTreeMap::new();
    let mut seen = Vec::new();
    for d in &days {
        years
            .entry((d.person_id, d.year))
            .or_default()
            .push(DayTotal::studied(d.day.clone(), d.credited_ms.max(0) as u64));
        if d.dirty {
            seen.push(d);
        }
    }
    // A passed exam's day always has a row in `study_days` (the pass
    // marks it), so its year is among those being summed.
    let passes = exam_credits::Entity::find()
        .filter(exam_credits::Column::PersonId.is_in(members.iter().copied()))
        .all(&txn)
        .await?;
    for pass in passes {
        if let Some(d) =
            years.get_mut(&(pass.person_id, pass.year)).and_then(|l| l.iter_mut().find(|d| d.day == pass.day))
        {
            d.exams_passed += 1;
        }
    }
    let rows: Vec<study_years::ActiveModel> = years
        .iter()
        .map(|(&(person, year), days)| {
            let y = Year::of(days, &rules);
            let m = |i: usize| Set(stored(y.months[i]));
            study_years::ActiveModel {
                person_id: Set(person),
                year: Set(year),
                credited_ms: Set(stored(y.credited_ms)),
                counted_ms: Set(stored(y.counted_ms)),
                m01: m(0),
                m02: m(1),
                m03: m(2),
                m04: m(3),
                m05: m(4),
                m06: m(5),
                m07: m(6),
                m08: m(7),
                m09: m(8),
                m10: m(9),
                m11: m(10),
                m12: m(11),
            }
        })
        .collect();
    for chunk in rows.chunks(300) {
        use study_years::Column as C;
        study_years::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([C::PersonId, C::Year])
                    .update_columns([
                        C::CreditedMs,
                        C::CountedMs,
                        C::M01,
                        C::M02,
                        C::M03,
                        C::M04,
                        C::M05,
                        C::M06,
                        C::M07,
                        C::M08,
                        C::M09,
                        C::M10,
                        C::M11,
                        C::M12,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in seen.chunks(500) {
        let mut p = Params::new();
        // `person_id IN` first: SQLite scans the table for a row-value `IN` alone.
        let people = p.list(chunk.iter().map(|d| d.person_id).collect::<BTreeSet<_>>());
        let marks = p.rows(chunk.iter().map(|d| [d.person_id.into(), d.day.clone().into(), d.credited_ms.into()]));
        let unchanged = format!("person_id IN ({people}) AND (person_id, day, credited_ms) IN (VALUES {marks})");
        let update = format!(
            "UPDATE study_days SET dirty = FALSE WHERE {}",
            unlocked_rows(backend, Marks::StudyDays, &unchanged)
        );
        txn.execute_raw(p.statement(backend, update)).await?;
    }
    txn.commit().await?;
    let last = members.last().copied().filter(|_| members.len() == BATCH);
    Ok((rows.len(), last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str, minutes: u64) -> DayTotal {
        DayTotal::studied(d.into(), minutes * 60_000)
    }

    #[test]
    fn a_year_caps_each_day_and_sums_months_uncapped() {
        let rules = StudyHourRules { daily_cap_minutes: 60, ..StudyHourRules::default() };
        let y = Year::of(&[day("2026-01-05", 90), day("2026-01-06", 30), day("2026-03-01", 10)], &rules);
        assert_eq!(y.credited_ms, 130 * 60_000);
        assert_eq!(y.counted_ms, 100 * 60_000);
        assert_eq!(y.months[0], 120 * 60_000);
        assert_eq!(y.months[2], 10 * 60_000);
        assert_eq!(y.months.iter().sum::<u64>(), y.credited_ms);
    }

    #[test]
    fn a_passed_exam_counts_in_its_month_beside_the_capped_time() {
        let rules = StudyHourRules { daily_cap_minutes: 60, ..StudyHourRules::default() };
        let mut passed = day("2026-02-01", 90);
        passed.exams_passed = 1;
        let y = Year::of(&[passed], &rules);
        let exam = rules.exam_ms(1);
        assert_eq!(y.counted_ms, 60 * 60_000 + exam);
        assert_eq!(y.months[1], 90 * 60_000 + exam);
        assert_eq!(rules.hours(y.counted_ms), 1.83, "60 min at 45 a 学时 is 1.33, and the pass 0.5");
    }
}
