//! One assignment per (course, node, target): assigning the same course to
//! the same people again is refused (409), not stored a second time.
//!
//! `assignments.target_key` is the SHA-256 (hex) of the target as stored
//! (the normalized `Audience` JSON: sorted, without duplicates), so the
//! unique index stays small however many nodes and people a target names
//! (PostgreSQL's b-tree limits an entry to about 2.7 KB; a target may name
//! 1,000 ids). The server checks first and answers with the existing
//! assignment's due day; the index settles two requests at once.
//!
//! Existing rows get their key here; of earlier duplicates only the oldest
//! does (the others keep `NULL`, which a unique index never compares equal),
//! so the index can be built without deleting anyone's assignment.

use std::collections::HashSet;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use sha2::{Digest, Sha256};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Assignments {
    Table,
    CourseId,
    OrgId,
    TargetKey,
}

const INDEX: &str = "assignments_course_org_target";

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    course_id: i64,
    org_id: i64,
    target: String,
}

/// The key of a stored target; `server::services::assignments` computes
/// the same.
fn key(target: &str) -> String {
    Sha256::digest(target.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Assignments::Table)
                    .add_column(ColumnDef::new(Assignments::TargetKey).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let rows = Row::find_by_statement(Statement::from_string(
            backend,
            "SELECT id, course_id, org_id, target FROM assignments ORDER BY id",
        ))
        .all(db)
        .await?;
        let mut seen = HashSet::new();
        for r in rows {
            let key = key(&r.target);
            if !seen.insert((r.course_id, r.org_id, key.clone())) {
                continue;
            }
            let update = Query::update()
                .table(Assignments::Table)
                .value(Assignments::TargetKey, key)
                .and_where(Expr::col(Alias::new("id")).eq(r.id))
                .to_owned();
            db.execute(&update).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Assignments::Table)
                    .col(Assignments::CourseId)
                    .col(Assignments::OrgId)
                    .col(Assignments::TargetKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(Assignments::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Assignments::Table).drop_column(Assignments::TargetKey).to_owned())
            .await
    }
}
