//! Bulk import of members from CSV or XLSX.
//!
//! The file type is sniffed from the content (a ZIP container is a
//! spreadsheet, anything else must be text), never trusted from the name.
//! Row checks that need no database come from `courses::import`; here each
//! row is checked against the tree and the good rows are written in one
//! transaction. Importing the same file twice changes nothing the second
//! time: people are matched by login and only differences are written.

use courses::directory::{ImportOutcome, ImportReport, ImportRowReport};
use courses::i18n::{Lang, Localize};
use courses::import::{parse_roster, RowProblem};
use courses::{Actor, Login, OrgNamePath, Password, PersonId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};
use std::collections::HashMap;

use crate::config::Settings;
use crate::db::{self, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::services::reminders::new_tasks::{self, Announced};
use crate::services::{
    assignments, course_records, meetings, orgs as org_service, passwords, people as people_service,
};

enum Plan {
    Create { org_id: i64, password: String },
    Update { person: people::Model, org_id: i64 },
    Unchanged,
}

/// Checks every row and, unless `dry_run`, writes the good ones in one
/// transaction. File-level problems return an error and write nothing.
/// People created, moved or given another role have their assignments
/// brought up to date (`today` is the platform's date).
pub async fn import(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    rows: &[Vec<String>],
    dry_run: bool,
    lang: Lang,
) -> Result<ImportReport> {
    let today = meetings::today(settings)?;
    // Assignments the imported people join, told to them once committed.
    let mut announced = Announced::default();
    let roster = parse_roster(rows).map_err(|e| Error::ImportFile(Detail::of(&e)))?;
    let mut reports: Vec<ImportRowReport> =
        roster.bad.iter().map(|b| rejected(b.line, None, &b.problem, lang)).collect();

    let txn = db.begin().await?;
    let mut org_cache: HashMap<String, Option<orgs::Model>> = HashMap::new();
    let logins: Vec<String> = roster.good.iter().map(|r| r.login.to_string()).collect();
    let mut existing: HashMap<String, (people::Model, Option<orgs::Model>)> = HashMap::new();
    for chunk in logins.chunks(500) {
        for (p, o) in people::Entity::find()
            .filter(people::Column::Login.is_in(chunk.to_vec()))
            .find_also_related(orgs::Entity)
            .all(&txn)
            .await?
        {
            existing.insert(p.login.clone(), (p, o));
        }
    }

    for row in &roster.good {
        let login = Some(row.login.to_string());
        let org = match org_for(&txn, &mut org_cache, &row.org_path).await? {
            Some(o) => o,
            None => {
                reports.push(rejected(
                    row.line,
                    login,
                    &RowProblem::UnknownOrg { path: row.org_path.to_string() },
                    lang,
                ));
                continue;
            }
        };
        let path = org_service::path_of(&org)?;
        let current = existing.get(row.login.as_str());
        let person_id = current.map(|(p, _)| PersonId(p.id));
        if let Err(denied) = actor.can_manage_person(person_id, &path, row.role) {
            let problem = match denied {
                courses::access::Denied::OutOfScope => RowProblem::OrgOutOfScope { path: row.org_path.to_string() },
                courses::access::Denied::Role => RowProblem::RoleNotAllowed { role: row.role },
            };
            reports.push(rejected(row.line, login, &problem, lang));
            continue;
        }
        let plan = match current {
            None => Plan::Create { org_id: org.id, password: passwords::generate() },
            Some((person, person_org)) => {
                // Someone outside the importer's subtree keeps their account.
                let theirs = match person_org {
                    Some(o) => actor.can_manage_person(
                        person_id,
                        &org_service::path_of(o)?,
                        courses::Role::parse(&person.role)?,
                    ),
                    None => Err(courses::access::Denied::OutOfScope),
                };
                if theirs.is_err() {
                    reports.push(rejected(
                        row.line,
                        login,
                        &RowProblem::LoginTaken { login: row.login.to_string() },
                        lang,
                    ));
                    continue;
                }
                let same_email = row.email.as_ref().is_none_or(|e| person.email.as_deref() == Some(e.as_str()));
                if person.name == row.name.as_str()
                    && person.role == row.role.as_str()
                    && person.standing == row.standing.as_str()
                    && person.org_id == org.id
                    && same_email
                {
                    Plan::Unchanged
                } else {
                    Plan::Update { person: person.clone(), org_id: org.id }
                }
            }
        };
        let (outcome, initial_password) = match plan {
            Plan::Unchanged => (ImportOutcome::Unchanged, None),
            Plan::Create { org_id, password } => {
                if !dry_run {
                    let pw = Password::parse(&password)?;
                    let mut person = people_service::insert(
                        &txn,
                        people_service::NewAccount {
                            login: &row.login,
                            name: &row.name,
                            role: row.role,
                            standing: row.standing,
                            org_id,
                        },
                        &pw,
                        true,
                    )
                    .await?;
                    if let Some(email) = &row.email {
                        let mut active = person.into_active_model();
                        active.email = Set(Some(email.to_string()));
                        person = active.update(&txn).await?;
                    }
                    announced.extend(assignments::sync_person(&txn, person.id, today).await?);
                }
                (ImportOutcome::Created, (!dry_run).then_some(password))
            }
            Plan::Update { person, org_id } => {
                if !dry_run {
                    let moved = person.org_id != org_id;
                    let placed = moved || person.role != row.role.as_str();
                    // A new standing from a roster is a milestone of the import's day.
                    if person.standing != row.standing.as_str() {
                        let day = today.to_string();
                        announced.extend(
                            crate::services::standing::change(&txn, &person, row.standing, &day, actor, today).await?,
                        );
                    }
                    let person = people::Entity::find_by_id(person.id).one(&txn).await?.ok_or(Error::NotFound)?;
                    let mut active = person.into_active_model();
                    active.name = Set(row.name.to_string());
                    active.role = Set(row.role.as_str().to_owned());
                    active.org_id = Set(org_id);
                    if let Some(email) = &row.email {
                        active.email = Set(Some(email.to_string()));
                    }
                    active.updated_at = Set(db::now());
                    let person = active.update(&txn).await?;
                    // A new node or role: the same follow-ups as a change by hand.
                    if placed {
                        announced.extend(assignments::sync_person(&txn, person.id, today).await?);
                    }
                    if moved {
                        course_records::mark_person(&txn, person.id).await?;
                    }
                }
                (ImportOutcome::Updated, None)
            }
        };
        reports.push(ImportRowReport { line: row.line, login, outcome, message: None, initial_password });
    }

    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        new_tasks::email_later(db, settings, announced);
    }
    reports.sort_by_key(|r| r.line);
    let count = |o: ImportOutcome| reports.iter().filter(|r| r.outcome == o).count();
    Ok(ImportReport {
        dry_run,
        created: count(ImportOutcome::Created),
        updated: count(ImportOutcome::Updated),
        unchanged: count(ImportOutcome::Unchanged),
        rejected: count(ImportOutcome::Rejected),
        rows: reports,
    })
}

fn rejected(line: usize, login: Option<String>, problem: &RowProblem, lang: Lang) -> ImportRowReport {
    ImportRowReport {
        line,
        login,
        outcome: ImportOutcome::Rejected,
        message: Some(problem.localize(lang)),
        initial_password: None,
    }
}

async fn org_for(
    db: &impl sea_orm::ConnectionTrait,
    cache: &mut HashMap<String, Option<orgs::Model>>,
    path: &OrgNamePath,
) -> Result<Option<orgs::Model>> {
    let key = path.to_string().to_lowercase();
    if let Some(found) = cache.get(&key) {
        return Ok(found.clone());
    }
    let found = org_service::find_by_names(db, path).await?;
    cache.insert(key, found.clone());
    Ok(found)
}

/// Used by tests and the CLI to look a person up after an import.
pub async fn find_login(db: &DatabaseConnection, login: &Login) -> Result<Option<people::Model>> {
    Ok(people::Entity::find().filter(people::Column::Login.eq(login.as_str())).one(db).await?)
}
