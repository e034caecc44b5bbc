//! Enrolling students in a class: activists and candidates of the class's
//! node and below, all at once or none (every refusal is named).

use courses::class::{ClassPerson, ClassView, EnrolError, Enrolment, ENROLLABLE};
use courses::{Actor, Standing};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::{managed, view};
use crate::db::{self, class_students, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::services::orgs as org_service;

/// Most people one request enrols.
pub const MAX_ENROLMENT: usize = 1000;

/// Enrols `who` (already enrolled people stay as they are).
pub async fn enrol(db: &DatabaseConnection, actor: &Actor, id: i64, who: Enrolment) -> Result<ClassView> {
    let class = managed(db, actor, id).await?;
    let mut ids = who.people;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_ENROLMENT {
        return Err(Error::Invalid(Detail::text(
            format!("一次可报名 1 到 {MAX_ENROLMENT} 人。"),
            format!("Enrol 1 to {MAX_ENROLMENT} people at a time."),
        )));
    }
    let rows = people::Entity::find()
        .filter(people::Column::Id.is_in(ids.clone()))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?;
    let mut problems = Vec::new();
    for &pid in &ids {
        let Some((person, org)) = rows.iter().find(|(p, _)| p.id == pid) else {
            problems.push(EnrolError::Unknown { id: pid });
            continue;
        };
        let inside = match org {
            Some(o) => class.path.contains(&org_service::path_of(o)?),
            None => false,
        };
        // Someone outside the organizer's subtree is named as unknown: their
        // existence is not revealed.
        if !inside {
            match org {
                Some(o) if actor.can_view_org(&org_service::path_of(o)?).is_ok() => {
                    problems.push(EnrolError::Outside { name: person.name.clone() })
                }
                _ => problems.push(EnrolError::Unknown { id: pid }),
            }
            continue;
        }
        let standing = Standing::parse(&person.standing).unwrap_or(Standing::Full);
        if !ENROLLABLE.contains(&standing) {
            problems.push(EnrolError::WrongStanding { name: person.name.clone() });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(Detail::all(&problems)));
    }
    let now = db::now_ms();
    let txn = db.begin().await?;
    class_students::Entity::insert_many(ids.iter().map(|&pid| class_students::ActiveModel {
        class_id: Set(class.row.id),
        person_id: Set(pid),
        enrolled_at_ms: Set(now),
        enrolled_by: Set((actor.id.0 > 0).then_some(actor.id.0)),
    }))
    .on_conflict(
        OnConflict::columns([class_students::Column::ClassId, class_students::Column::PersonId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    view(db, actor, id).await
}

/// Takes a student out of the class.
pub async fn withdraw(db: &DatabaseConnection, actor: &Actor, id: i64, person_id: i64) -> Result<ClassView> {
    let class = managed(db, actor, id).await?;
    let gone = class_students::Entity::delete_many()
        .filter(class_students::Column::ClassId.eq(class.row.id))
        .filter(class_students::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    view(db, actor, id).await
}

/// Who may still be enrolled: activists and candidates of the class's node
/// and below, not yet students, by name.
pub async fn eligible(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Vec<ClassPerson>> {
    let class = managed(db, actor, id).await?;
    let enrolled = super::student_ids(db, id).await?;
    let standings: Vec<&str> = ENROLLABLE.iter().map(|s| s.as_str()).collect();
    let rows = people::Entity::find()
        .find_also_related(orgs::Entity)
        .filter(org_service::subtree(&class.path))
        .filter(people::Column::Standing.is_in(standings))
        .all(db)
        .await?;
    let mut out: Vec<ClassPerson> = rows
        .into_iter()
        .filter(|(p, _)| !enrolled.contains(&p.id))
        .map(|(p, o)| ClassPerson {
            id: p.id,
            standing: Standing::parse(&p.standing).unwrap_or(Standing::Activist),
            name: p.name,
            org_name: o.map(|o| o.name).unwrap_or_default(),
        })
        .collect();
    courses::collation::sort_by_name(&mut out, |p| p.name.as_str(), |p| p.id);
    Ok(out)
}

/// Enrols the people a table names by login (CSV or XLSX; a column headed
/// 登录名 or `login`, else the first column): all or none. A login nobody
/// in the caller's view has is named by its row, as the others' refusals are.
pub async fn import(db: &DatabaseConnection, actor: &Actor, id: i64, bytes: &[u8]) -> Result<ClassView> {
    managed(db, actor, id).await?;
    let rows = crate::services::decode::table(bytes)?;
    let header = rows
        .first()
        .and_then(|r| r.iter().position(|c| matches!(c.trim().to_lowercase().as_str(), "登录名" | "账号" | "login")));
    let (column, skip) = header.map_or((0, 0), |c| (c, 1));
    if rows.len() > MAX_ENROLMENT + skip {
        return Err(Error::Invalid(Detail::text(
            format!("一次可报名 1 到 {MAX_ENROLMENT} 人，请分批导入。"),
            format!("Enrol 1 to {MAX_ENROLMENT} people at a time; import in parts."),
        )));
    }
    let mut wanted = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(skip) {
        let login = row.get(column).map(|c| c.trim()).unwrap_or("");
        if login.is_empty() {
            continue;
        }
        let person = match courses::people::Login::parse(login) {
            Ok(l) => {
                people::Entity::find()
                    .filter(people::Column::Login.eq(l.as_str()))
                    .find_also_related(orgs::Entity)
                    .one(db)
                    .await?
            }
            Err(_) => None,
        };
        let visible = match &person {
            Some((_, Some(o))) => actor.can_view_org(&org_service::path_of(o)?).is_ok(),
            _ => false,
        };
        match person {
            Some((p, _)) if visible => wanted.push(p.id),
            _ => problems.push(Detail::text(
                format!("第 {} 行：找不到登录名为 {login} 的人员。", i + 1),
                format!("Row {}: nobody has the login {login}.", i + 1),
            )),
        }
    }
    if !problems.is_empty() {
        let zh: String = problems.iter().map(|d| d.get(courses::Lang::Zh)).collect();
        let en = problems.iter().map(|d| d.get(courses::Lang::En)).collect::<Vec<_>>().join(" ");
        return Err(Error::Invalid(Detail::text(zh, en)));
    }
    if wanted.is_empty() {
        return Err(Error::Invalid(Detail::text(
            "表格中没有登录名：请在第一列（或“登录名”列）填写要报名的人员的登录名。",
            "The table holds no logins: put the logins to enrol in the first column (or one headed 登录名).",
        )));
    }
    enrol(db, actor, id, Enrolment { people: wanted }).await
}
