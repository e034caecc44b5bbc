//! Question banks (题库): a bank belongs to an org node, like a course,
//! and the organizers of that node and above edit it. Only they see its
//! questions with their keys; an organizer below, who may sit an exam
//! drawn from it, does not.
//!
//! - `mod.rs`: the banks themselves (list, create, rename, delete).
//! - `questions.rs`: questions and their versions.
//! - `import.rs`: a file of questions (CSV, XLSX, GIFT, Aiken) into a bank.
//! - `export.rs`: a bank back into those formats.

pub mod export;
pub mod import;
pub mod questions;

use std::collections::HashMap;

use courses::exam::bank::{check_description, check_name, BankPatch, BankSummary, NewBank};
use courses::Actor;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};

use crate::db::{self, orgs, question_banks, question_versions, questions as question_rows};
use crate::error::{Detail, Error, Result};
use crate::services::{conflict_on_unique, hide_out_of_scope, orgs as org_service};

fn name_taken(name: &str) -> Detail {
    Detail::text(format!("本组织已有名为“{name}”的题库。"), format!("This org node already has a bank named `{name}`."))
}

/// The bank `id` if `actor` manages its node; `NotFound` otherwise (also
/// out of scope, so existence is not revealed), `Forbidden` for a role
/// that manages nothing.
pub(crate) async fn managed(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(question_banks::Model, orgs::Model)> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let (bank, org) =
        question_banks::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    let org = org.ok_or(Error::NotFound)?;
    hide_out_of_scope(actor.can_manage_material(&org_service::path_of(&org)?))?;
    Ok((bank, org))
}

#[derive(FromQueryResult)]
struct CountRow {
    bank_id: i64,
    n: i64,
}

/// Questions in each bank now (retired ones not counted).
async fn counts(db: &impl ConnectionTrait, banks: &[i64]) -> Result<HashMap<i64, u32>> {
    if banks.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = question_rows::Entity::find()
        .select_only()
        .column(question_rows::Column::BankId)
        .column_as(question_rows::Column::Id.count(), "n")
        .filter(question_rows::Column::BankId.is_in(banks.iter().copied()))
        .filter(question_rows::Column::RetiredAt.is_null())
        .group_by(question_rows::Column::BankId)
        .into_model::<CountRow>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.bank_id, u32::try_from(r.n).unwrap_or(u32::MAX))).collect())
}

async fn summaries(
    db: &impl ConnectionTrait,
    list: Vec<(question_banks::Model, orgs::Model)>,
) -> Result<Vec<BankSummary>> {
    let ids: Vec<i64> = list.iter().map(|(b, _)| b.id).collect();
    let counts = counts(db, &ids).await?;
    Ok(list
        .into_iter()
        .map(|(b, o)| BankSummary {
            id: b.id,
            org_id: courses::OrgId(b.org_id),
            org_name: o.name,
            questions: counts.get(&b.id).copied().unwrap_or(0),
            name: b.name,
            description: b.description,
            updated_at: b.updated_at,
        })
        .collect())
}

/// Every bank of the nodes `actor` manages, by node then name.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<BankSummary>> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let scope = org_service::in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let rows = question_banks::Entity::find().find_also_related(orgs::Entity).filter(scope).all(db).await?;
    let mut list: Vec<(question_banks::Model, orgs::Model)> =
        rows.into_iter().filter_map(|(b, o)| o.map(|o| (b, o))).collect();
    list.sort_by(|(a, ao), (b, bo)| {
        ao.path.cmp(&bo.path).then_with(|| courses::collation::compare_labels(&a.name, &b.name)).then(a.id.cmp(&b.id))
    });
    summaries(db, list).await
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<BankSummary> {
    let found = managed(db, actor, id).await?;
    Ok(summaries(db, vec![found]).await?.remove(0))
}

pub async fn create(db: &impl ConnectionTrait, actor: &Actor, new: NewBank) -> Result<BankSummary> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let org = org_service::find_visible(db, actor, new.org_id).await?;
    hide_out_of_scope(actor.can_manage_material(&org_service::path_of(&org)?))?;
    let name = check_name(&new.name).map_err(|e| Error::invalid(&e))?;
    let description = check_description(&new.description).map_err(|e| Error::invalid(&e))?;
    let now = db::now();
    let row = question_banks::ActiveModel {
        org_id: Set(org.id),
        name: Set(name.clone()),
        description: Set(description),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| conflict_on_unique(e, name_taken(&name)))?;
    Ok(summaries(db, vec![(row, org)]).await?.remove(0))
}

pub async fn update(db: &impl ConnectionTrait, actor: &Actor, id: i64, patch: BankPatch) -> Result<BankSummary> {
    let (bank, org) = managed(db, actor, id).await?;
    let mut active = bank.into_active_model();
    let mut name_for_error = String::new();
    if let Some(name) = &patch.name {
        let name = check_name(name).map_err(|e| Error::invalid(&e))?;
        name_for_error = name.clone();
        active.name = Set(name);
    }
    if let Some(description) = &patch.description {
        active.description = Set(check_description(description).map_err(|e| Error::invalid(&e))?);
    }
    active.updated_at = Set(db::now());
    let row = active.update(db).await.map_err(|e| conflict_on_unique(e, name_taken(&name_for_error)))?;
    Ok(summaries(db, vec![(row, org)]).await?.remove(0))
}

/// Deletes a bank with its questions, unless an attempt's paper holds
/// one of them: its results must keep what was asked.
pub async fn delete(db: &sea_orm::DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let (bank, _) = managed(db, actor, id).await?;
    let txn = db::begin_writing(db).await?;
    let in_bank = Query::select()
        .column(question_rows::Column::Id)
        .from(question_rows::Entity)
        .and_where(question_rows::Column::BankId.eq(bank.id))
        .to_owned();
    let shown = question_versions::Entity::find()
        .filter(question_versions::Column::QuestionId.in_subquery(in_bank))
        .filter(question_versions::Column::Shown.eq(true))
        .count(&txn)
        .await?;
    if shown > 0 {
        return Err(Error::Conflict(Detail::text(
            "题库中的试题已在考试中使用，不能删除题库；可以停用其中的试题。",
            "Questions of this bank were shown in exams, so the bank cannot be deleted; retire its questions instead.",
        )));
    }
    question_banks::Entity::delete_by_id(bank.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}
