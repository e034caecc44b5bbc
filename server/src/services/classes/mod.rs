//! Party classes: organizers of a node set up a class with its 班主任 (who
//! must manage the node too), and enrol activists and candidates of the
//! node's subtree.
//!
//! - `mod.rs`: classes themselves, and who may manage one.
//! - `enrol.rs`: enrolling and withdrawing students.
//! - `essays.rs`: written work and its review.
//! - `gate.rs`: when the final exam opens.
//! - `report.rs`: each student's progress and what blocks them.
//! - `graduation.rs`: the 班主任 confirms who graduates.
//! - `certificates.rs`, `certificate_pdf.rs`: 结业证书, their PDF and public verification.

pub mod certificate_pdf;
pub mod certificates;
pub mod enrol;
pub mod essay_file;
pub mod essays;
pub(crate) mod gate;
pub mod graduation;
pub(crate) mod hours;
pub mod report;

use courses::class::{ClassDraft, ClassPerson, ClassView, GradeLevel, GradeThresholds, GradeWeights, MyClass};
use courses::report::views::{ArchiveCertificate, ArchiveClass};
use courses::{Actor, OrgId, OrgPath, Role, Standing};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use crate::db::{self, class_students, class_teachers, courses as course_rows, orgs, party_classes, people};
use crate::error::{Detail, Error, Result};
use crate::services::exams::column;
use crate::services::{hide_out_of_scope, orgs as org_service};

/// A class with its node.
pub(crate) struct Class {
    pub row: party_classes::Model,
    pub org: orgs::Model,
    pub path: OrgPath,
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Class> {
    let row = party_classes::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let org = orgs::Entity::find_by_id(row.org_id).one(db).await?.ok_or(Error::NotFound)?;
    let path = org_service::path_of(&org)?;
    Ok(Class { row, org, path })
}

/// The class if `actor` manages it: an organizer of its node or above (its
/// 班主任 are such organizers). Outside that, it does not exist.
pub(crate) async fn managed(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Class> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let class = find(db, id).await?;
    hide_out_of_scope(actor.can_manage_course(&class.path))?;
    Ok(class)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.into()))
}

/// Checks a draft against the tree: the node is the actor's to manage,
/// every 班主任 an organizer who manages it, every course and the exam of
/// the node or above.
async fn checked(db: &impl ConnectionTrait, actor: &Actor, draft: &ClassDraft) -> Result<orgs::Model> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    draft.check().map_err(|e| Error::invalid(&e))?;
    let org = org_service::find_visible(db, actor, draft.org_id).await?;
    let path = org_service::path_of(&org)?;
    hide_out_of_scope(actor.can_manage_course(&path))?;
    for &id in &draft.teachers {
        let teacher = people::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?;
        let manages = match &teacher {
            Some((p, Some(o))) => {
                let role = Role::parse(&p.role)?;
                role.manages_people() && (role == Role::Admin || org_service::path_of(o)?.contains(&path))
            }
            _ => false,
        };
        if !manages {
            let name = teacher.map(|(p, _)| p.name).unwrap_or_else(|| format!("#{id}"));
            return Err(Error::Invalid(Detail::text(
                format!("{name}不能担任本班班主任：班主任须是管理本班所属组织的组织员。"),
                format!("{name} cannot be this class's 班主任: a 班主任 is an organizer who manages the class's node."),
            )));
        }
    }
    for &id in &draft.required_courses {
        let course = course_rows::Entity::find_by_id(id).one(db).await?;
        let usable = match course {
            Some(c) => match orgs::Entity::find_by_id(c.org_id).one(db).await? {
                Some(o) => org_service::path_of(&o)?.contains(&path),
                None => false,
            },
            None => false,
        };
        if !usable {
            return Err(Error::Invalid(Detail::text(
                format!("课程 {id} 不是本班所属组织或其上级组织的课程。"),
                format!("Course {id} is not a course of the class's node or a node above it."),
            )));
        }
    }
    if let Some(exam) = draft.final_exam_id {
        let usable = match crate::services::exams::find(db, exam).await {
            Ok(e) => e.path.contains(&path),
            Err(Error::NotFound) => false,
            Err(e) => return Err(e),
        };
        if !usable {
            return Err(Error::Invalid(Detail::text(
                "结业考试须是本班所属组织或其上级组织的考试。",
                "The final exam must be an exam of the class's node or a node above it.",
            )));
        }
    }
    Ok(org)
}

/// Sets up a class.
pub async fn create(db: &DatabaseConnection, actor: &Actor, draft: ClassDraft) -> Result<ClassView> {
    let org = checked(db, actor, &draft).await?;
    let now = db::now();
    let txn = db.begin().await?;
    let row = party_classes::ActiveModel {
        org_id: Set(org.id),
        name: Set(draft.name.trim().to_owned()),
        term_from: Set(draft.term_from.clone()),
        term_to: Set(draft.term_to.clone()),
        required_courses: Set(to_json(&draft.required_courses)?),
        required_hours: Set(i32::try_from(draft.required_hours).unwrap_or(i32::MAX)),
        final_exam_id: Set(draft.final_exam_id),
        weights: Set(to_json(&draft.weights)?),
        thresholds: Set(to_json(&draft.thresholds)?),
        resit_allowed: Set(draft.resit_allowed),
        min_essay_chars: Set(i32::try_from(draft.min_essay_chars).unwrap_or(i32::MAX)),
        max_absence_percent: Set(i32::from(draft.max_absence_percent)),
        created_by: Set((actor.id.0 > 0).then_some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut teachers = draft.teachers.clone();
    teachers.sort_unstable();
    teachers.dedup();
    class_teachers::Entity::insert_many(
        teachers.iter().map(|&p| class_teachers::ActiveModel { class_id: Set(row.id), person_id: Set(p) }),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    view(db, actor, row.id).await
}

/// A class with its 班主任 and students (those who manage it).
pub async fn view(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<ClassView> {
    let class = managed(db, actor, id).await?;
    view_of(db, class).await
}

/// The classes of the nodes the actor manages, newest first.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<ClassView>> {
    if !actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let scope = org_service::in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let rows = party_classes::Entity::find().find_also_related(orgs::Entity).filter(scope).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, org) in rows {
        let Some(org) = org else { continue };
        let path = org_service::path_of(&org)?;
        out.push(view_of(db, Class { row, org, path }).await?);
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.id));
    Ok(out)
}

/// The students of a class.
pub(crate) async fn student_ids(db: &impl ConnectionTrait, class_id: i64) -> Result<Vec<i64>> {
    Ok(class_students::Entity::find()
        .filter(class_students::Column::ClassId.eq(class_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.person_id)
        .collect())
}

/// The classes a person is enrolled in, with their nodes, the newest first.
async fn classes_of(db: &impl ConnectionTrait, person_id: i64) -> Result<Vec<(party_classes::Model, String)>> {
    let ids: Vec<i64> = class_students::Entity::find()
        .filter(class_students::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.class_id)
        .collect();
    let mut rows: Vec<(party_classes::Model, String)> = party_classes::Entity::find()
        .filter(party_classes::Column::Id.is_in(ids))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(c, o)| (c, o.map(|o| o.name).unwrap_or_default()))
        .collect();
    rows.sort_by_key(|(c, _)| std::cmp::Reverse(c.id));
    Ok(rows)
}

/// The classes the actor is enrolled in, the newest first.
pub async fn mine(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<MyClass>> {
    Ok(classes_of(db, actor.id.0)
        .await?
        .into_iter()
        .map(|(c, org_name)| MyClass { id: c.id, name: c.name, org_name, term_from: c.term_from, term_to: c.term_to })
        .collect())
}

/// A person's party classes for their 学习档案, the newest first.
pub(crate) async fn archive(db: &impl ConnectionTrait, person_id: i64) -> Result<Vec<ArchiveClass>> {
    let graduated: std::collections::HashMap<i64, GradeLevel> = crate::db::class_graduates::Entity::find()
        .filter(crate::db::class_graduates::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| Some((g.class_id, GradeLevel::parse(&g.grade)?)))
        .collect();
    let certificates: std::collections::HashMap<i64, ArchiveCertificate> = certificates::of_person(db, person_id)
        .await?
        .into_iter()
        .map(|c| {
            (c.class_id, ArchiveCertificate { revoked: c.revoked.is_some(), serial: c.serial, issued_on: c.issued_on })
        })
        .collect();
    Ok(classes_of(db, person_id)
        .await?
        .into_iter()
        .map(|(c, org_name)| ArchiveClass {
            graduated: graduated.get(&c.id).copied(),
            certificate: certificates.get(&c.id).cloned(),
            class: courses::report::views::NodeRef { id: c.id, name: c.name },
            org_name,
            term_from: c.term_from,
            term_to: c.term_to,
        })
        .collect())
}

/// The people of these ids as a class shows them, by name.
async fn people_of(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<ClassPerson>> {
    let rows =
        people::Entity::find().filter(people::Column::Id.is_in(ids)).find_also_related(orgs::Entity).all(db).await?;
    let mut out: Vec<ClassPerson> = rows
        .into_iter()
        .map(|(p, o)| ClassPerson {
            id: p.id,
            standing: Standing::parse(&p.standing).unwrap_or(Standing::Full),
            name: p.name,
            org_name: o.map(|o| o.name).unwrap_or_default(),
        })
        .collect();
    courses::collation::sort_by_name(&mut out, |p| p.name.as_str(), |p| p.id);
    Ok(out)
}

async fn view_of(db: &impl ConnectionTrait, class: Class) -> Result<ClassView> {
    let id = class.row.id;
    let teacher_ids: Vec<i64> = class_teachers::Entity::find()
        .filter(class_teachers::Column::ClassId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.person_id)
        .collect();
    let student_ids = student_ids(db, id).await?;
    let row = class.row;
    let weights: GradeWeights = column(&row.weights, "weights of class", id)?;
    let thresholds: GradeThresholds = column(&row.thresholds, "thresholds of class", id)?;
    Ok(ClassView {
        id,
        org_id: OrgId(row.org_id),
        org_name: class.org.name,
        name: row.name,
        term_from: row.term_from,
        term_to: row.term_to,
        teachers: people_of(db, teacher_ids).await?,
        students: people_of(db, student_ids).await?,
        required_courses: column(&row.required_courses, "required courses of class", id)?,
        required_hours: u32::try_from(row.required_hours).unwrap_or(0),
        final_exam_id: row.final_exam_id,
        weights,
        thresholds,
        resit_allowed: row.resit_allowed,
        min_essay_chars: u32::try_from(row.min_essay_chars).unwrap_or(0),
        max_absence_percent: u8::try_from(row.max_absence_percent).unwrap_or(100),
    })
}
