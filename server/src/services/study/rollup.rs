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

use std::collections::BTreeMap;

use courses::progress::{DayTotal, StudyHourRules};
use courses::Role;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, FromQueryResult, Statement};

use crate::db;
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
    db.execute_unprepared("UPDATE study_days SET dirty = TRUE WHERE NOT dirty").await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct Member {
    person_id: i64,
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
        let summary = rules.summarize(days, Role::Member);
        let mut months = [0u64; 12];
        for d in days {
            if let Some(m) = month_of(&d.day) {
                months[m] += d.credited_ms;
            }
        }
        Year { credited_ms: summary.credited_ms, counted_ms: summary.credited_ms - summary.over_cap_ms, months }
    }
}

/// 0-based month of a `YYYY-MM-DD` day.
fn month_of(day: &str) -> Option<usize> {
    day.get(5..7).and_then(|m| m.parse::<usize>().ok()).filter(|m| (1..=12).contains(m)).map(|m| m - 1)
}

/// Whether `day` is a plain `YYYY-MM-DD`, safe to write into SQL text.
fn plain_day(day: &str) -> bool {
    day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
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
    let members = Member::find_by_statement(Statement::from_string(
        backend,
        format!(
            "SELECT DISTINCT person_id FROM study_days WHERE dirty AND person_id > {after} \
             ORDER BY person_id LIMIT {BATCH}"
        ),
    ))
    .all(&txn)
    .await?;
    if members.is_empty() {
        txn.commit().await?;
        return Ok((0, None));
    }
    let list = db::in_list(members.iter().map(|m| m.person_id));
    // Every marked year of these members, with all of its days.
    let days = Day::find_by_statement(Statement::from_string(
        backend,
        format!(
            "SELECT d.person_id, d.day, d.year, d.credited_ms, d.dirty FROM study_days d \
             WHERE d.person_id IN ({list}) AND d.year IN \
             (SELECT m.year FROM study_days m WHERE m.person_id = d.person_id AND m.dirty) \
             ORDER BY d.person_id, d.day"
        ),
    ))
    .all(&txn)
    .await?;
    let rules = study_hours::rules(&txn).await?;
    let mut years: BTreeMap<(i64, i32), Vec<DayTotal>> = BTreeMap::new();
    let mut seen = Vec::new();
    for d in &days {
        years
            .entry((d.person_id, d.year))
            .or_default()
            .push(DayTotal { day: d.day.clone(), credited_ms: d.credited_ms.max(0) as u64 });
        if d.dirty && plain_day(&d.day) {
            seen.push((d.person_id, format!("({}, '{}', {})", d.person_id, d.day, d.credited_ms)));
        }
    }
    let rows: Vec<String> = years
        .iter()
        .map(|(&(person, year), days)| {
            let y = Year::of(days, &rules);
            let months = y.months.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
            format!("({person}, {year}, {}, {}, {months})", y.credited_ms, y.counted_ms)
        })
        .collect();
    let month_columns = (1..=12).map(|m| format!("m{m:02}")).collect::<Vec<_>>();
    let updates = ["credited_ms", "counted_ms"]
        .iter()
        .map(|c| c.to_string())
        .chain(month_columns.iter().cloned())
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    for chunk in rows.chunks(300) {
        txn.execute_unprepared(&format!(
            "INSERT INTO study_years (person_id, year, credited_ms, counted_ms, {}) VALUES {} \
             ON CONFLICT (person_id, year) DO UPDATE SET {updates}",
            month_columns.join(", "),
            chunk.join(", ")
        ))
        .await?;
    }
    for chunk in seen.chunks(500) {
        // `person_id IN` first: SQLite scans the table for a row-value `IN` alone.
        let people = db::in_list(chunk.iter().map(|(person, _)| *person));
        let marks = chunk.iter().map(|(_, mark)| mark.as_str()).collect::<Vec<_>>().join(", ");
        let unchanged = format!("person_id IN ({people}) AND (person_id, day, credited_ms) IN (VALUES {marks})");
        txn.execute_unprepared(&format!(
            "UPDATE study_days SET dirty = FALSE WHERE {}",
            db::unlocked_rows(backend, "study_days", "person_id, day", &unchanged)
        ))
        .await?;
    }
    txn.commit().await?;
    let last = members.last().map(|m| m.person_id).filter(|_| members.len() == BATCH);
    Ok((rows.len(), last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str, minutes: u64) -> DayTotal {
        DayTotal { day: d.into(), credited_ms: minutes * 60_000 }
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
    fn only_plain_days_are_written_into_sql() {
        assert!(plain_day("2026-11-23"));
        assert!(!plain_day("2026-11-2'"));
        assert!(!plain_day("2026-11-233"));
        assert!(!plain_day("20261-1-23"));
    }
}
