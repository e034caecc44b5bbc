//! A class's report: each student's 学时, required courses done, essays
//! accepted, final exam result, and what still blocks them.

use std::collections::HashMap;

use courses::class::MyClass;
use courses::class::{GradeLevel, GradeThresholds, GradeWeights, ResultParts};
use courses::class_report::{BranchClassReport, ClassDesk, ClassReport, MyClassStatus, StudentRow};
use courses::{Actor, Standing};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::{managed, Class};
use crate::db::class_essays::State as EssayState;
use crate::db::{
    class_essay_tasks, class_essays, class_graduates, class_students, course_records, exam_attempts, orgs, people,
};
use crate::error::Result;
use crate::services::exams::column;
use crate::services::orgs as org_service;

/// The report of a class the actor manages.
pub async fn report(db: &DatabaseConnection, actor: &Actor, class_id: i64) -> Result<ClassReport> {
    let class = managed(db, actor, class_id).await?;
    of(db, &class, None).await
}

/// The report of `class`, of all its students or only of those in `only`
/// (who must be students of it to appear).
pub(crate) async fn of(db: &DatabaseConnection, class: &Class, only: Option<&[i64]>) -> Result<ClassReport> {
    let id = class.row.id;
    let mut student_ids = super::student_ids(db, id).await?;
    if let Some(only) = only {
        student_ids.retain(|s| only.contains(s));
    }
    let required: Vec<i64> = column(&class.row.required_courses, "required courses of class", id)?;
    crate::services::course_records::refresh(db).await?;
    let mut courses_done: HashMap<i64, u32> = HashMap::new();
    if !required.is_empty() {
        for r in course_records::Entity::find()
            .filter(course_records::Column::PersonId.is_in(student_ids.clone()))
            .filter(course_records::Column::CourseId.is_in(required.clone()))
            .filter(course_records::Column::CompletedAtMs.is_not_null())
            .all(db)
            .await?
        {
            *courses_done.entry(r.person_id).or_default() += 1;
        }
    }
    let tasks: Vec<i64> = class_essay_tasks::Entity::find()
        .filter(class_essay_tasks::Column::ClassId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut accepted: HashMap<i64, u32> = HashMap::new();
    for e in class_essays::Entity::find()
        .filter(class_essays::Column::TaskId.is_in(tasks.clone()))
        .filter(class_essays::Column::State.eq(EssayState::Accepted))
        .all(db)
        .await?
    {
        *accepted.entry(e.person_id).or_default() += 1;
    }
    // Offline sessions: meetings of the class; not present is absent.
    let sessions = super::hours::sessions(db, id).await?;
    let session_minutes: u32 = sessions.iter().map(|s| s.1).sum();
    let absent = super::hours::absent_minutes(db, &sessions).await?;
    let exam = match class.row.final_exam_id {
        Some(exam) => Some(crate::services::exams::find(db, exam).await?),
        None => None,
    };
    let weights: GradeWeights = column(&class.row.weights, "weights of class", id)?;
    let thresholds: GradeThresholds = column(&class.row.thresholds, "thresholds of class", id)?;
    let graduated: HashMap<i64, GradeLevel> = class_graduates::Entity::find()
        .filter(class_graduates::Column::ClassId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| Some((g.person_id, GradeLevel::parse(&g.grade)?)))
        .collect();
    let people_rows = people::Entity::find()
        .filter(people::Column::Id.is_in(student_ids))
        .find_also_related(orgs::Entity)
        .all(db)
        .await?;
    let mut report = ClassReport {
        class_id: id,
        name: class.row.name.clone(),
        required_hours: u32::try_from(class.row.required_hours).unwrap_or(0),
        required_courses: u32::try_from(required.len()).unwrap_or(u32::MAX),
        essay_tasks: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
        has_final_exam: exam.is_some(),
        session_minutes,
        max_absence_percent: u8::try_from(class.row.max_absence_percent).unwrap_or(100),
        students: Vec::with_capacity(people_rows.len()),
    };
    for (p, org) in people_rows {
        let standing = Standing::parse(&p.standing).unwrap_or(Standing::Full);
        let result = match &exam {
            Some(exam) => {
                let attempts = exam_attempts::counting()
                    .filter(exam_attempts::Column::ExamId.eq(exam.row.id))
                    .filter(exam_attempts::Column::PersonId.eq(p.id))
                    .all(db)
                    .await?;
                exam.result(&attempts)
            }
            None => None,
        };
        let mut row = StudentRow {
            person_id: p.id,
            hours: {
                let present = session_minutes.saturating_sub(absent.get(&p.id).copied().unwrap_or(0));
                super::hours::class_hours(db, &class.row, p.id, standing, present).await?
            },
            courses_done: courses_done.get(&p.id).copied().unwrap_or(0),
            essays_accepted: accepted.get(&p.id).copied().unwrap_or(0),
            absent_minutes: absent.get(&p.id).copied().unwrap_or(0),
            exam: result,
            score: None,
            grade: None,
            graduated: graduated.get(&p.id).copied(),
            blocked: Vec::new(),
            name: p.name,
            org_name: org.map(|o| o.name).unwrap_or_default(),
            standing,
        };
        row.blocked = row.blockers(&report);
        row.score = score_of(&row, &report, exam.is_some(), weights);
        row.grade = row.score.map(|s| thresholds.level(s));
        report.students.push(row);
    }
    courses::collation::sort_by_name(&mut report.students, |s| s.name.as_str(), |s| s.person_id);
    Ok(report)
}

/// The weighted score once it can be known: the exam's final result (or no
/// exam), the share of essays accepted, the share of session time present.
/// A part the class does not have (no essays, no sessions) counts in full.
fn score_of(row: &StudentRow, report: &ClassReport, has_exam: bool, weights: GradeWeights) -> Option<f64> {
    let percent = |part: f64, whole: f64| if whole > 0.0 { (part / whole * 100.0).clamp(0.0, 100.0) } else { 100.0 };
    let exam = match (&row.exam, has_exam) {
        (_, false) => 100.0,
        (Some(s), true) if s.outcome != courses::exam::Outcome::Pending => {
            percent(f64::from(s.total.tenths()), f64::from(s.max.tenths()))
        }
        _ => return None,
    };
    let essays = percent(f64::from(row.essays_accepted), f64::from(report.essay_tasks));
    let present = f64::from(report.session_minutes.saturating_sub(row.absent_minutes));
    let attendance = percent(present, f64::from(report.session_minutes));
    Some(weights.score(ResultParts { exam, essays, attendance }))
}

/// The caller's own standing in a class they study in; to anyone else the
/// class does not exist.
pub async fn mine(db: &DatabaseConnection, actor: &Actor, class_id: i64) -> Result<MyClassStatus> {
    let class = super::find(db, class_id).await?;
    let me = [actor.id.0];
    let report = of(db, &class, Some(&me)).await?;
    if report.students.is_empty() {
        return Err(crate::error::Error::NotFound);
    }
    let certificate =
        super::certificates::of_person(db, actor.id.0).await?.into_iter().find(|c| c.class_id == class_id);
    Ok(MyClassStatus {
        class: MyClass {
            id: class.row.id,
            name: class.row.name.clone(),
            org_name: class.org.name.clone(),
            term_from: class.row.term_from.clone(),
            term_to: class.row.term_to.clone(),
        },
        final_exam_id: class.row.final_exam_id,
        report,
        certificate,
    })
}

/// A node's students in every class they are enrolled in, for those who
/// manage the node: each class's report, cut to the node's subtree.
pub async fn branch(db: &DatabaseConnection, actor: &Actor, org_id: i64) -> Result<BranchClassReport> {
    if !actor.role.manages_people() {
        return Err(crate::error::Error::Forbidden);
    }
    let org = org_service::find_visible(db, actor, courses::OrgId(org_id)).await?;
    let path = org_service::path_of(&org)?;
    crate::services::hide_out_of_scope(actor.can_view_reports(&path))?;
    let in_subtree = Query::select()
        .column((people::Entity, people::Column::Id))
        .from(people::Entity)
        .inner_join(
            orgs::Entity,
            Expr::col((orgs::Entity, orgs::Column::Id)).equals((people::Entity, people::Column::OrgId)),
        )
        .cond_where(org_service::subtree(&path))
        .to_owned();
    let enrolled: Vec<(i64, i64)> = class_students::Entity::find()
        .filter(class_students::Column::PersonId.in_subquery(in_subtree))
        .select_only()
        .column(class_students::Column::ClassId)
        .column(class_students::Column::PersonId)
        .into_tuple()
        .all(db)
        .await?;
    let members: Vec<i64> = enrolled.iter().map(|&(_, p)| p).collect();
    let mut class_ids: Vec<i64> = enrolled.iter().map(|&(c, _)| c).collect();
    class_ids.sort_unstable_by(|a, b| b.cmp(a));
    class_ids.dedup();
    let mut classes = Vec::with_capacity(class_ids.len());
    for id in class_ids {
        let class = super::find(db, id).await?;
        classes.push(of(db, &class, Some(&members)).await?);
    }
    Ok(BranchClassReport { org_id: org.id, org_name: org.name, classes })
}

/// The class's page for its 班主任, in one answer.
pub async fn desk(db: &DatabaseConnection, actor: &Actor, class_id: i64) -> Result<ClassDesk> {
    Ok(ClassDesk {
        class: super::view(db, actor, class_id).await?,
        report: report(db, actor, class_id).await?,
        eligible: super::enrol::eligible(db, actor, class_id).await?,
        essays: super::essays::list(db, actor, class_id).await?,
        certificates: super::certificates::of_class(db, actor, class_id).await?,
    })
}
