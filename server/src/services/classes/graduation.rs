//! Graduation (结业): the 班主任 confirms the list. Only a student with
//! nothing left to do and a grade of 合格 or better graduates; every
//! refusal is named and nothing is stored then. Each graduate gets their
//! certificate in the same transaction. Confirming again records the grade
//! as it stands now.

use chrono::FixedOffset;
use courses::class::{Enrolment, GradeLevel};
use courses::class_report::{Blocker, ClassReport};
use courses::i18n::{Lang, Localize};
use courses::Actor;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set, TransactionTrait};

use super::certificates::Graduate;
use crate::db::{self, class_graduates};
use crate::error::{Detail, Error, Result};

/// Why someone cannot graduate (yet).
enum Refusal {
    NotStudent(i64),
    Blocked { name: String, why: Vec<Blocker> },
    Failed { name: String },
}

impl Localize for Refusal {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::NotStudent(id), Lang::Zh) => format!("人员 {id} 不是本班学员。"),
            (Self::NotStudent(id), Lang::En) => format!("Person {id} is not a student of this class."),
            (Self::Blocked { name, why }, Lang::Zh) => {
                format!("{name}尚不能结业：{}。", why.iter().map(|b| b.describe(lang)).collect::<Vec<_>>().join("；"))
            }
            (Self::Blocked { name, why }, Lang::En) => {
                format!(
                    "{name} cannot graduate yet: {}.",
                    why.iter().map(|b| b.describe(lang)).collect::<Vec<_>>().join("; ")
                )
            }
            (Self::Failed { name }, Lang::Zh) => format!("{name}的总评为不合格，不能结业。"),
            (Self::Failed { name }, Lang::En) => format!("{name}'s grade is a fail, so they cannot graduate."),
        }
    }
}

/// Confirms the graduation of `who`; answers the class report.
pub async fn confirm(
    db: &DatabaseConnection,
    actor: &Actor,
    class_id: i64,
    who: Enrolment,
    zone: FixedOffset,
) -> Result<ClassReport> {
    let report = super::report::report(db, actor, class_id).await?;
    if who.people.is_empty() {
        return Err(Error::Invalid(Detail::text("请选择要结业的学员。", "Choose the students who graduate.")));
    }
    let mut refusals = Vec::new();
    let mut grades = Vec::new();
    for id in &who.people {
        let Some(s) = report.students.iter().find(|s| s.person_id == *id) else {
            refusals.push(Refusal::NotStudent(*id));
            continue;
        };
        if !s.blocked.is_empty() {
            refusals.push(Refusal::Blocked { name: s.name.clone(), why: s.blocked.clone() });
            continue;
        }
        match (s.grade, s.score) {
            (Some(grade @ (GradeLevel::Excellent | GradeLevel::Pass)), Some(score)) => {
                grades.push((Graduate { person_id: s.person_id, name: s.name.clone(), hours: s.hours, grade }, score))
            }
            _ => refusals.push(Refusal::Failed { name: s.name.clone() }),
        }
    }
    if !refusals.is_empty() {
        return Err(Error::Invalid(Detail::all(&refusals)));
    }
    let class = super::find(db, class_id).await?;
    let now = db::now_ms();
    let txn = db.begin().await?;
    for (g, score) in &grades {
        class_graduates::Entity::insert(class_graduates::ActiveModel {
            class_id: Set(class_id),
            person_id: Set(g.person_id),
            grade: Set(g.grade.as_str().to_owned()),
            score: Set(*score),
            confirmed_by: Set((actor.id.0 > 0).then_some(actor.id.0)),
            confirmed_at_ms: Set(now),
        })
        .on_conflict(
            OnConflict::columns([class_graduates::Column::ClassId, class_graduates::Column::PersonId])
                .update_columns([
                    class_graduates::Column::Grade,
                    class_graduates::Column::Score,
                    class_graduates::Column::ConfirmedBy,
                    class_graduates::Column::ConfirmedAtMs,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    let graduates: Vec<Graduate> = grades.into_iter().map(|(g, _)| g).collect();
    super::certificates::issue(&txn, &class, actor, zone, &graduates).await?;
    txn.commit().await?;
    super::report::report(db, actor, class_id).await
}
