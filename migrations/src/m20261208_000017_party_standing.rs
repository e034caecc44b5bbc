//! Party standing apart from permissions.
//!
//! - `people.standing`: applicant, activist, candidate, probationary or
//!   full (`courses::Standing`). The role `activist` was both a permission
//!   level and a standing: such people become role `member` with standing
//!   `activist`; everyone else starts as `full` (the only other standing
//!   the old roles could express).
//! - `party_milestones`: each change of standing, dated, with who recorded
//!   it. A person's milestones stay with them when they move nodes.
//! - Stored audiences (`courses.audience`, `assignments.target`,
//!   `exams.audience`) gain `standings`, and a role filter that named
//!   activists names the standing instead, so each admits exactly the
//!   people it admitted before: `[activist]` becomes role member with
//!   standing activist; `member` without `activist` becomes role member
//!   with every standing but activist. Targets are written as the server
//!   writes them (the fields in `Audience`'s order, each list sorted as the
//!   enums order), and assignment keys recomputed, so the duplicate check
//!   keeps matching.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::m20261122_000001_orgs_and_people::People;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PeopleCols {
    #[sea_orm(iden = "people")]
    Table,
    Standing,
}

#[derive(DeriveIden)]
enum PartyMilestones {
    Table,
    Id,
    PersonId,
    Standing,
    OnDay,
    RecordedBy,
    RecordedAtMs,
}

/// Roles and standings in the order of their enums (`courses::Role`,
/// `courses::Standing`): how a normalized audience sorts them.
const ROLE_ORDER: [&str; 3] = ["member", "organizer", "admin"];
const STANDING_ORDER: [&str; 5] = ["applicant", "activist", "candidate", "probationary", "full"];

/// `courses::course::Audience` as stored, in its field order.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Audience {
    orgs: Vec<i64>,
    roles: Vec<String>,
    standings: Vec<String>,
    people: Vec<i64>,
}

fn sorted(mut list: Vec<String>, order: &[&str]) -> Vec<String> {
    list.sort_by_key(|x| order.iter().position(|o| o == x).unwrap_or(usize::MAX));
    list.dedup();
    list
}

/// The audience with the activist role turned into the standing.
fn upgraded(json: &str) -> Option<String> {
    let mut a: Audience = serde_json::from_str(json).ok()?;
    let had_activist = a.roles.iter().any(|r| r == "activist");
    let had_member = a.roles.iter().any(|r| r == "member");
    if had_activist {
        a.roles.retain(|r| r != "activist");
        a.roles.push("member".into());
        if !had_member && a.roles.len() == 1 {
            a.standings = vec!["activist".into()];
        }
    } else if had_member {
        a.standings = STANDING_ORDER.iter().filter(|s| **s != "activist").map(|s| (*s).to_owned()).collect();
    }
    a.roles = sorted(a.roles, &ROLE_ORDER);
    a.standings = sorted(a.standings, &STANDING_ORDER);
    serde_json::to_string(&a).ok()
}

/// The audience as the roles alone said it (going down).
fn downgraded(json: &str) -> Option<String> {
    #[derive(Serialize)]
    struct Old {
        orgs: Vec<i64>,
        roles: Vec<String>,
        people: Vec<i64>,
    }
    let a: Audience = serde_json::from_str(json).ok()?;
    let mut roles = a.roles;
    if a.standings == ["activist"] {
        roles = vec!["activist".into()];
    }
    serde_json::to_string(&Old { orgs: a.orgs, roles, people: a.people }).ok()
}

fn key(target: &str) -> String {
    Sha256::digest(target.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    json: String,
    has_key: bool,
}

/// Rewrites the audience column `column` of `table` with `change`; for
/// assignments also their keys.
async fn rewrite(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
    change: fn(&str) -> Option<String>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let keyed = table == "assignments";
    let has_key = if keyed { "target_key IS NOT NULL" } else { "FALSE" };
    let rows = Row::find_by_statement(Statement::from_string(
        backend,
        format!("SELECT id, {column} AS json, {has_key} AS has_key FROM {table} ORDER BY id"),
    ))
    .all(db)
    .await?;
    for r in rows {
        let Some(json) = change(&r.json) else { continue };
        let mut update = Query::update();
        update.table(Alias::new(table)).value(Alias::new(column), json.clone());
        if keyed && r.has_key {
            update.value(Alias::new("target_key"), key(&json));
        }
        update.and_where(Expr::col(Alias::new("id")).eq(r.id));
        db.execute(&update).await?;
    }
    Ok(())
}

const AUDIENCES: [(&str, &str); 3] = [("courses", "audience"), ("assignments", "target"), ("exams", "audience")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PeopleCols::Table)
                    .add_column(ColumnDef::new(PeopleCols::Standing).string_len(16).not_null().default("full"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE people SET standing = 'activist', role = 'member' WHERE role = 'activist'")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PartyMilestones::Table)
                    .col(crate::id_column(PartyMilestones::Id))
                    .col(ColumnDef::new(PartyMilestones::PersonId).big_integer().not_null())
                    .col(ColumnDef::new(PartyMilestones::Standing).string_len(16).not_null())
                    .col(ColumnDef::new(PartyMilestones::OnDay).string_len(10).not_null())
                    .col(ColumnDef::new(PartyMilestones::RecordedBy).big_integer().null())
                    .col(ColumnDef::new(PartyMilestones::RecordedAtMs).big_integer().not_null())
                    .foreign_key(&mut crate::fk(
                        (PartyMilestones::Table, PartyMilestones::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut crate::fk(
                        (PartyMilestones::Table, PartyMilestones::RecordedBy),
                        (People::Table, People::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("party_milestones_person")
                    .table(PartyMilestones::Table)
                    .col(PartyMilestones::PersonId)
                    .col(PartyMilestones::OnDay)
                    .to_owned(),
            )
            .await?;
        for (table, column) in AUDIENCES {
            rewrite(manager, table, column, upgraded).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in AUDIENCES {
            rewrite(manager, table, column, downgraded).await?;
        }
        manager.drop_table(Table::drop().table(PartyMilestones::Table).to_owned()).await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE people SET role = 'activist' WHERE standing = 'activist' AND role = 'member'")
            .await?;
        manager.alter_table(Table::alter().table(PeopleCols::Table).drop_column(PeopleCols::Standing).to_owned()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_keep_who_they_admit() {
        let up = |s: &str| upgraded(s).unwrap();
        assert_eq!(
            up(r#"{"orgs":[2],"roles":["activist"],"people":[]}"#),
            r#"{"orgs":[2],"roles":["member"],"standings":["activist"],"people":[]}"#
        );
        assert_eq!(
            up(r#"{"orgs":[2],"roles":["member"],"people":[7]}"#),
            r#"{"orgs":[2],"roles":["member"],"standings":["applicant","candidate","probationary","full"],"people":[7]}"#
        );
        assert_eq!(
            up(r#"{"orgs":[2],"roles":["member","activist"],"people":[]}"#),
            r#"{"orgs":[2],"roles":["member"],"standings":[],"people":[]}"#
        );
        assert_eq!(
            up(r#"{"orgs":[2],"roles":[],"people":[]}"#),
            r#"{"orgs":[2],"roles":[],"standings":[],"people":[]}"#
        );
        assert_eq!(
            up(r#"{"orgs":[2],"roles":["organizer","admin"],"people":[]}"#),
            r#"{"orgs":[2],"roles":["organizer","admin"],"standings":[],"people":[]}"#
        );
        let back = downgraded(&up(r#"{"orgs":[2],"roles":["activist"],"people":[]}"#)).unwrap();
        assert_eq!(back, r#"{"orgs":[2],"roles":["activist"],"people":[]}"#);
    }
}
