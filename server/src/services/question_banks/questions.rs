//! Questions of a bank and their versions. An edit changes the current
//! version in place until an attempt's paper has drawn it; after that a
//! change of what takers saw (stem, options) makes a new version, and the
//! attempts keep the one they showed, while a correction of the key alone
//! changes the shown version and regrades its attempts, with an audit line.

use std::collections::HashMap;

use courses::exam::bank::{BankQuestion, EditOutcome, EditedQuestion};
use courses::exam::{Question, QuestionData, QuestionKind, QuestionProblem};
use courses::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::managed;
use crate::db::{self, question_banks, question_key_changes, question_versions, questions};
use crate::error::{Detail, Error, Result};

/// A question's stored JSON and its SHA-256 (hex): the same content always
/// gives the same hash, so an import finds what is already there.
pub(crate) fn stored(question: &Question) -> Result<(String, String)> {
    let data = QuestionData::from(question.clone());
    let json = serde_json::to_string(&data).map_err(|e| Error::Internal(e.into()))?;
    let hash = hex::encode(Sha256::digest(json.as_bytes()));
    Ok((json, hash))
}

/// Every problem of a question, as one error in both languages.
pub(crate) fn problems_error(problems: &[QuestionProblem]) -> Error {
    Error::Invalid(Detail::all(problems))
}

fn version_row(
    question_id: i64,
    number: i32,
    question: &Question,
    json: String,
    hash: String,
    actor: &Actor,
) -> Result<question_versions::ActiveModel> {
    let categories: Vec<&str> = question.categories().iter().map(|c| c.as_str()).collect();
    Ok(question_versions::ActiveModel {
        question_id: Set(question_id),
        number: Set(number),
        kind: Set(question.kind().as_str().to_owned()),
        difficulty: Set(i16::from(question.difficulty().level())),
        categories: Set(serde_json::to_string(&categories).map_err(|e| Error::Internal(e.into()))?),
        data: Set(json),
        fingerprint: Set(hash),
        shown: Set(false),
        created_by: Set((actor.id.0 > 0).then_some(actor.id.0)),
        created_at: Set(db::now()),
        ..Default::default()
    })
}

/// Writes a new question with its first version (inside the caller's
/// transaction).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    bank_id: i64,
    question: &Question,
) -> Result<(questions::Model, question_versions::Model)> {
    let (json, hash) = stored(question)?;
    let now = db::now();
    let row = questions::ActiveModel {
        bank_id: Set(bank_id),
        current_version_id: Set(None),
        fingerprint: Set(hash.clone()),
        retired_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let version = version_row(row.id, 1, question, json, hash, actor)?.insert(db).await?;
    let mut active = row.into_active_model();
    active.current_version_id = Set(Some(version.id));
    let row = active.update(db).await?;
    Ok((row, version))
}

fn view(q: &questions::Model, v: &question_versions::Model) -> Result<BankQuestion> {
    let data: QuestionData = serde_json::from_str(&v.data)
        .map_err(|e| Error::Internal(anyhow::anyhow!("question version {} is unreadable: {e}", v.id)))?;
    let kind = QuestionKind::parse(&v.kind)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("question version {} has kind {}", v.id, v.kind)))?;
    Ok(BankQuestion {
        id: q.id,
        bank_id: q.bank_id,
        version: v.number,
        version_id: v.id,
        kind,
        data,
        updated_at: q.updated_at,
    })
}

/// The question a stored version holds; one that does not read back is
/// corruption, not bad input.
pub(crate) fn question_of(v: &question_versions::Model) -> Result<Question> {
    serde_json::from_str(&v.data)
        .map_err(|e| Error::Internal(anyhow::anyhow!("question version {} is unreadable: {e}", v.id)))
}

/// Versions by id, read in chunks well under every database's parameter
/// limit.
pub(crate) async fn versions_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, question_versions::Model>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        for v in question_versions::Entity::find()
            .filter(question_versions::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(v.id, v);
        }
    }
    Ok(out)
}

/// The bank's questions now (not retired) with their current versions, in
/// the order they were added.
pub(crate) async fn current(
    db: &impl ConnectionTrait,
    bank_id: i64,
) -> Result<Vec<(questions::Model, question_versions::Model)>> {
    let list = questions::Entity::find()
        .filter(questions::Column::BankId.eq(bank_id))
        .filter(questions::Column::RetiredAt.is_null())
        .order_by_asc(questions::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = list.iter().filter_map(|q| q.current_version_id).collect();
    let mut versions = versions_by_id(db, &ids).await?;
    Ok(list
        .into_iter()
        .filter_map(|q| {
            let v = q.current_version_id.and_then(|id| versions.remove(&id))?;
            Some((q, v))
        })
        .collect())
}

pub async fn list(db: &impl ConnectionTrait, actor: &Actor, bank_id: i64) -> Result<Vec<BankQuestion>> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    current(db, bank.id).await?.iter().map(|(q, v)| view(q, v)).collect()
}

/// One question of a bank the actor manages, with its current version.
async fn find(
    db: &impl ConnectionTrait,
    bank: &question_banks::Model,
    id: i64,
) -> Result<(questions::Model, question_versions::Model)> {
    let q = questions::Entity::find_by_id(id)
        .filter(questions::Column::BankId.eq(bank.id))
        .filter(questions::Column::RetiredAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let v = match q.current_version_id {
        Some(vid) => question_versions::Entity::find_by_id(vid).one(db).await?,
        None => None,
    }
    .ok_or(Error::NotFound)?;
    Ok((q, v))
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, bank_id: i64, id: i64) -> Result<BankQuestion> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    let (q, v) = find(db, &bank, id).await?;
    view(&q, &v)
}

pub(crate) async fn touch_bank(db: &impl ConnectionTrait, bank: question_banks::Model) -> Result<()> {
    let mut active = bank.into_active_model();
    active.updated_at = Set(db::now());
    active.update(db).await?;
    Ok(())
}

pub async fn create(db: &DatabaseConnection, actor: &Actor, bank_id: i64, data: QuestionData) -> Result<BankQuestion> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    let question = Question::from_data(data).map_err(|p| problems_error(&p))?;
    let txn = db::begin_writing(db).await?;
    let (q, v) = insert(&txn, actor, bank.id, &question).await?;
    touch_bank(&txn, bank).await?;
    txn.commit().await?;
    view(&q, &v)
}

/// Changes a question: in place while no attempt's paper holds its current
/// version; after that a key correction in place with regrading, or a new
/// version.
pub async fn edit(
    db: &DatabaseConnection,
    zone: chrono::FixedOffset,
    actor: &Actor,
    bank_id: i64,
    id: i64,
    data: QuestionData,
) -> Result<EditedQuestion> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    let question = Question::from_data(data).map_err(|p| problems_error(&p))?;
    let (json, hash) = stored(&question)?;
    let txn = db::begin_writing(db).await?;
    let (q, v) = find(&txn, &bank, id).await?;
    if v.fingerprint == hash {
        return Ok(EditedQuestion { outcome: EditOutcome::Unchanged, question: view(&q, &v)?, regraded: 0 });
    }
    let before = question_of(&v)?;
    // What a taker saw: the kind, the stem and the options.
    let same_to_takers =
        before.kind() == question.kind() && before.stem() == question.stem() && before.options() == question.options();
    let key_changed = before.key() != question.key();
    let mut regraded = 0;
    let (outcome, version) = if v.shown && !same_to_takers {
        let row = version_row(q.id, v.number + 1, &question, json, hash.clone(), actor)?;
        (EditOutcome::NewVersion, row.insert(&txn).await?)
    } else {
        let number = v.number;
        let mut row = version_row(q.id, number, &question, json, hash.clone(), actor)?;
        row.id = Set(v.id);
        row.created_at = Set(v.created_at);
        row.shown = Set(v.shown);
        let version = row.update(&txn).await?;
        if v.shown && key_changed {
            regraded = crate::services::exams::grading::regrade_version(&txn, zone, v.id, &question).await?;
            question_key_changes::ActiveModel {
                question_id: Set(q.id),
                version_id: Set(v.id),
                changed_by: Set((actor.id.0 > 0).then_some(actor.id.0)),
                changed_at_ms: Set(db::now_ms()),
                old_key: Set(v.data.clone()),
                new_key: Set(version.data.clone()),
                regraded: Set(i32::try_from(regraded).unwrap_or(i32::MAX)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (EditOutcome::KeyCorrected, version)
        } else {
            (EditOutcome::ChangedInPlace, version)
        }
    };
    let mut active = q.into_active_model();
    active.current_version_id = Set(Some(version.id));
    active.fingerprint = Set(hash);
    active.updated_at = Set(db::now());
    let q = active.update(&txn).await?;
    touch_bank(&txn, bank).await?;
    txn.commit().await?;
    Ok(EditedQuestion { outcome, question: view(&q, &version)?, regraded })
}

/// Takes a question out of its bank: deleted if no attempt's paper holds
/// it, else retired (its versions stay for those attempts).
pub async fn retire(db: &DatabaseConnection, actor: &Actor, bank_id: i64, id: i64) -> Result<()> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    let txn = db::begin_writing(db).await?;
    let (q, _) = find(&txn, &bank, id).await?;
    let shown = question_versions::Entity::find()
        .filter(question_versions::Column::QuestionId.eq(q.id))
        .filter(question_versions::Column::Shown.eq(true))
        .one(&txn)
        .await?
        .is_some();
    if shown {
        let mut active = q.into_active_model();
        active.retired_at = Set(Some(db::now_ms()));
        active.update(&txn).await?;
    } else {
        questions::Entity::delete_by_id(q.id).exec(&txn).await?;
    }
    touch_bank(&txn, bank).await?;
    txn.commit().await?;
    Ok(())
}
