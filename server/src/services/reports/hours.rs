//! Study hours (学时) against the yearly target: per child node, how many
//! people reached it and the average; per month, for the chart.
//!
//! Hours are computed as everywhere else (`StudyHourRules::summarize`):
//! credited time per day, capped per day, converted with the rules in
//! force. Read from the 学时 receipt (`study_entries`) of the subtree's
//! people for the year, grouped per person and day in SQL.

use std::collections::HashMap;

use courses::progress::{DayTotal, StudyHourRules};
use courses::report::{HoursReport, HoursRow, NodeRef};
use courses::Role;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, Statement};

use super::Node;
use crate::db::orgs;
use crate::error::Result;
use crate::services::orgs::{parse_path, subtree};
use crate::services::study::records as study_records;

#[derive(Debug, FromQueryResult)]
struct DayRow {
    person_id: i64,
    day: String,
    ms: Option<i64>,
}

/// Credited ms per person and day of `year`, for the people `filter`
/// (SQL over `study_entries se`, `people p`, `orgs o`) selects.
async fn days_of(db: &impl ConnectionTrait, filter: &str, year: i32) -> Result<HashMap<i64, Vec<DayTotal>>> {
    let sql = format!(
        "SELECT se.person_id, se.day, CAST(SUM(se.wall_ms) AS BIGINT) AS ms FROM study_entries se \
         JOIN people p ON p.id = se.person_id JOIN orgs o ON o.id = p.org_id \
         WHERE se.year = {year} AND se.credited = TRUE AND {filter} GROUP BY se.person_id, se.day"
    );
    let rows = DayRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(db).await?;
    let mut out: HashMap<i64, Vec<DayTotal>> = HashMap::new();
    for r in rows {
        out.entry(r.person_id).or_default().push(DayTotal { day: r.day, credited_ms: r.ms.unwrap_or(0).max(0) as u64 });
    }
    Ok(out)
}

/// 学时 of `year` for each of `ids` (people without study are absent).
pub(super) async fn hours_of_people(db: &impl ConnectionTrait, ids: &[i64], year: i32) -> Result<HashMap<i64, f64>> {
    let rules = study_records::rules(db).await?;
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        for (person, days) in days_of(db, &format!("se.person_id IN ({list})"), year).await? {
            // The role only picks the target, which is not used here.
            out.insert(person, rules.summarize(&days, Role::Member).hours);
        }
    }
    Ok(out)
}

#[derive(Debug, FromQueryResult)]
struct PersonRow {
    id: i64,
    role: String,
    path: String,
    org_id: i64,
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

/// Study hours of `node`'s subtree in `year`.
pub(super) async fn hours(db: &DatabaseConnection, node: &Node, year: i32) -> Result<HoursReport> {
    let rules: StudyHourRules = study_records::rules(db).await?;
    let in_tree = node.path_filter("o");
    let days = days_of(db, &in_tree, year).await?;
    let sql =
        format!("SELECT p.id, p.role, o.path, p.org_id FROM people p JOIN orgs o ON o.id = p.org_id WHERE {in_tree}");
    let people = PersonRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(db).await?;
    let children: Vec<orgs::Model> = orgs::Entity::find()
        .filter(subtree(&node.path))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| o.parent_id == Some(node.row.id))
        .collect();
    let depth = node.path.depth();
    let mut total = Tally::default();
    let mut per_child: HashMap<i64, Tally> = HashMap::new();
    let mut months = vec![0u64; 12];
    for p in &people {
        let role = Role::parse(&p.role).unwrap_or(Role::Member);
        let mine = days.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        let summary = rules.summarize(mine, role);
        let reached = summary.hours >= f64::from(summary.target_hours);
        total.add(summary.hours, reached);
        if let Some(child) = parse_path(p.org_id, p.path.clone())?.ids().nth(depth) {
            per_child.entry(child.0).or_default().add(summary.hours, reached);
        }
        for d in mine {
            if let Some(m) = d.day.get(5..7).and_then(|m| m.parse::<usize>().ok()).filter(|m| (1..=12).contains(m)) {
                months[m - 1] += d.credited_ms;
            }
        }
    }
    let mut rows: Vec<HoursRow> = children
        .into_iter()
        .map(|c| {
            let org = NodeRef { id: c.id, name: c.name };
            per_child.get(&c.id).map(|t| t.row(org.clone())).unwrap_or_else(|| Tally::default().row(org))
        })
        .collect();
    rows.sort_by(|a, b| a.org.name.cmp(&b.org.name));
    Ok(HoursReport {
        org: node.as_ref(),
        year,
        member_target_hours: rules.member_target_hours,
        activist_target_hours: rules.activist_target_hours,
        total: total.row(node.as_ref()),
        children: rows,
        months: months.into_iter().map(|ms| rules.hours(ms)).collect(),
    })
}
