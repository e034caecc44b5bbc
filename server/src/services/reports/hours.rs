//! Study hours (学时) against the yearly target: per child node, how many
//! people reached it and the average; per month, for the chart.
//!
//! Hours are computed as everywhere else (`StudyHourRules::summarize`:
//! credited time per day, capped per day, converted with the rules in
//! force), but read from the roll-up of each member's year
//! (`study_years`, kept by `services::study::rollup`), so a report of the
//! whole organization reads one row per member, not their receipts.

use std::collections::HashMap;

use courses::collation::compare_labels;
use courses::progress::StudyHourRules;
use courses::report::{HoursReport, HoursRow, NodeRef};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

use super::Node;
use crate::db::{orgs, study_years};
use crate::error::Result;
use crate::services::orgs::{parse_path, subtree};
use crate::services::study::hours as study_hours;

/// 学时 of `year` for each of `ids` (people without study are absent).
pub(super) async fn hours_of_people(db: &impl ConnectionTrait, ids: &[i64], year: i32) -> Result<HashMap<i64, f64>> {
    let rules = study_hours::rules(db).await?;
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let counted: Vec<(i64, i64)> = study_years::Entity::find()
            .select_only()
            .columns([study_years::Column::PersonId, study_years::Column::CountedMs])
            .filter(study_years::Column::Year.eq(year))
            .filter(study_years::Column::PersonId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (person_id, counted_ms) in counted {
            out.insert(person_id, rules.hours(counted_ms.max(0) as u64));
        }
    }
    Ok(out)
}

#[derive(Debug, FromQueryResult)]
struct PersonRow {
    standing: String,
    path: String,
    org_id: i64,
    /// The roll-up of the year; None without study that year.
    counted_ms: Option<i64>,
    m01: Option<i64>,
    m02: Option<i64>,
    m03: Option<i64>,
    m04: Option<i64>,
    m05: Option<i64>,
    m06: Option<i64>,
    m07: Option<i64>,
    m08: Option<i64>,
    m09: Option<i64>,
    m10: Option<i64>,
    m11: Option<i64>,
    m12: Option<i64>,
}

impl PersonRow {
    fn months(&self) -> [Option<i64>; 12] {
        [
            self.m01, self.m02, self.m03, self.m04, self.m05, self.m06, self.m07, self.m08, self.m09, self.m10,
            self.m11, self.m12,
        ]
    }
}

#[derive(Default)]
struct Tally {
    people: u32,
    reached: u32,
    hours: f64,
}

impl Tally {
    fn add(&mut self, hours: f64, reached: bool) {
        self.people += 1;
        self.reached += u32::from(reached);
        self.hours += hours;
    }

    fn row(&self, org: NodeRef) -> HoursRow {
        let average =
            if self.people == 0 { 0.0 } else { (self.hours / f64::from(self.people) * 100.0).round() / 100.0 };
        HoursRow { org, people: self.people, reached: self.reached, average_hours: average }
    }
}

/// The people of the subtree `$1`..`$2`, with the roll-up of their year `$3`.
const PEOPLE_AND_YEARS: &str = "SELECT p.standing, o.path, p.org_id, y.counted_ms, \
     y.m01, y.m02, y.m03, y.m04, y.m05, y.m06, y.m07, y.m08, y.m09, y.m10, y.m11, y.m12 \
     FROM people p JOIN orgs o ON o.id = p.org_id \
     LEFT JOIN study_years y ON y.person_id = p.id AND y.year = $3 WHERE o.path >= $1 AND o.path < $2";

/// Study hours of `node`'s subtree in `year`: a row per child node, and
/// one for the people directly in `node` (the 支部书记 of a branch with
/// 党小组 sits in the branch itself), so the rows add up to the total.
pub(super) async fn hours(db: &DatabaseConnection, node: &Node, year: i32) -> Result<HoursReport> {
    let rules: StudyHourRules = study_hours::rules(db).await?;
    let mut p = node.subtree_params();
    p.bind(year);
    let people = PersonRow::find_by_statement(p.statement(db.get_database_backend(), PEOPLE_AND_YEARS)).all(db).await?;
    let children: Vec<orgs::Model> = orgs::Entity::find()
        .filter(subtree(&node.path))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| o.parent_id == Some(node.row.id))
        .collect();
    let depth = node.path.depth();
    let mut total = Tally::default();
    let mut own = Tally::default();
    let mut per_child: HashMap<i64, Tally> = HashMap::new();
    let mut months = vec![0u64; 12];
    for p in &people {
        let standing = courses::Standing::parse(&p.standing).unwrap_or(courses::Standing::Full);
        let hours = rules.hours(p.counted_ms.unwrap_or(0).max(0) as u64);
        let reached = hours >= f64::from(rules.target_for(standing));
        total.add(hours, reached);
        if p.org_id == node.row.id {
            own.add(hours, reached);
        } else if let Some(child) = parse_path(p.org_id, p.path.clone())?.ids().nth(depth) {
            per_child.entry(child.0).or_default().add(hours, reached);
        }
        for (sum, ms) in months.iter_mut().zip(p.months()) {
            *sum += ms.unwrap_or(0).max(0) as u64;
        }
    }
    let mut rows: Vec<HoursRow> = children
        .into_iter()
        .map(|c| {
            let org = NodeRef { id: c.id, name: c.name };
            per_child.get(&c.id).map(|t| t.row(org.clone())).unwrap_or_else(|| Tally::default().row(org))
        })
        .collect();
    rows.sort_by(|a, b| compare_labels(&a.org.name, &b.org.name).then(a.org.id.cmp(&b.org.id)));
    Ok(HoursReport {
        org: node.as_ref(),
        year,
        member_target_hours: rules.member_target_hours,
        activist_target_hours: rules.activist_target_hours,
        total: total.row(node.as_ref()),
        children: rows,
        own: (own.people > 0).then(|| own.row(node.as_ref())),
        months: months.into_iter().map(|ms| rules.hours(ms)).collect(),
    })
}
