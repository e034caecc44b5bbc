//! Reading the study record back: 学时 per year, course and lesson; the
//! receipt of every credited and discarded piece of time; and the
//! conversion rules, which admins edit.

use std::collections::{BTreeMap, HashMap};

use courses::i18n::Localize;
use courses::progress::api::{CourseHours, LessonHours, Receipt, ReceiptLine, StudyHours};
use courses::progress::{DayTotal, DiscardReason, StudyHourRules};
use courses::Standing;
use courses::{Actor, Lang, PersonId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use crate::db::{
    self, courses as course_rows, exam_credits, lesson_progress, lessons, orgs, people, study_entries, study_hour_rules,
};
use crate::error::{Detail, Error, Result};
use crate::services::orgs::path_of;

/// Most receipt lines per page.
pub const RECEIPT_PAGE_MAX: u64 = 2000;

/// A person's party standing as stored (正式党员 if unreadable, which the
/// column's writers never leave).
pub(crate) fn standing_of(person: &people::Model) -> Standing {
    Standing::parse(&person.standing).unwrap_or(Standing::Full)
}

/// The rules in force (the defaults until an admin saves some).
pub async fn rules(db: &impl ConnectionTrait) -> Result<StudyHourRules> {
    match study_hour_rules::Entity::find_by_id(1).one(db).await? {
        Some(row) => serde_json::from_str(&row.rules)
            .map_err(|e| Error::Internal(anyhow::anyhow!("study_hour_rules is unreadable: {e}"))),
        None => Ok(StudyHourRules::default()),
    }
}

/// Replaces the rules (admins only).
pub async fn set_rules(db: &DatabaseConnection, actor: &Actor, new: StudyHourRules) -> Result<StudyHourRules> {
    actor.can_edit_study_rules()?;
    new.validate().map_err(|e| Error::Invalid(Detail::of(&e)))?;
    let row = study_hour_rules::ActiveModel {
        id: Set(1),
        rules: Set(serde_json::to_string(&new).map_err(|e| Error::Internal(e.into()))?),
        updated_at: Set(db::now()),
        updated_by: Set(Some(actor.id.0)),
    };
    let txn = db.begin().await?;
    study_hour_rules::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(study_hour_rules::Column::Id)
                .update_columns([
                    study_hour_rules::Column::Rules,
                    study_hour_rules::Column::UpdatedAt,
                    study_hour_rules::Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    // The daily cap may have changed: every year's counted total is recounted.
    super::rollup::mark_all(&txn).await?;
    txn.commit().await?;
    Ok(new)
}

/// The person whose record is asked for, if the actor may read it.
pub async fn subject(db: &impl ConnectionTrait, actor: &Actor, person_id: Option<i64>) -> Result<people::Model> {
    let id = person_id.unwrap_or(actor.id.0);
    let (person, org) =
        people::Entity::find_by_id(id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    let org = org.ok_or(Error::NotFound)?;
    crate::services::hide_out_of_scope(actor.can_view_record_of(PersonId(id), &path_of(&org)?))?;
    Ok(person)
}

pub(crate) fn sum_wall() -> sea_orm::sea_query::SimpleExpr {
    // SUM of a bigint is numeric on PostgreSQL; read it back as bigint.
    Expr::cust("CAST(SUM(wall_ms) AS BIGINT)")
}

/// A person's exams passed per day (of one year, or of all), as
/// (year, day, count) in day order.
pub(crate) async fn passes_by_day(
    db: &impl ConnectionTrait,
    person_id: i64,
    year: Option<i32>,
) -> Result<Vec<(i32, String, i64)>> {
    let mut q = exam_credits::Entity::find().filter(exam_credits::Column::PersonId.eq(person_id));
    if let Some(year) = year {
        q = q.filter(exam_credits::Column::Year.eq(year));
    }
    Ok(q.select_only()
        .column(exam_credits::Column::Year)
        .column(exam_credits::Column::Day)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(exam_credits::Column::Year)
        .group_by(exam_credits::Column::Day)
        .order_by_asc(exam_credits::Column::Day)
        .into_tuple()
        .all(db)
        .await?)
}

/// Days of credited study time, as (year, day, ms), joined with the days
/// exams were passed: a day may have either or both. In day order.
pub(crate) fn merge_days(studied: Vec<(i32, String, i64)>, passed: Vec<(i32, String, i64)>) -> Vec<(i32, DayTotal)> {
    let mut days: BTreeMap<String, (i32, DayTotal)> = BTreeMap::new();
    for (year, day, ms) in studied {
        days.insert(day.clone(), (year, DayTotal::studied(day, ms.max(0) as u64)));
    }
    for (year, day, n) in passed {
        let entry = days.entry(day.clone()).or_insert_with(|| (year, DayTotal::studied(day, 0)));
        entry.1.exams_passed += u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    }
    days.into_values().collect()
}

/// A person's credited 学时 over all years, by the platform's rules (the
/// daily cap applied), as an exam's prerequisite counts them.
pub async fn credited_hours_total(db: &impl ConnectionTrait, person_id: i64, standing: Standing) -> Result<f64> {
    credited_hours_between(db, person_id, standing, None).await
}

/// A person's credited 学时 on the days from `days.0` to `days.1`
/// (`YYYY-MM-DD`, both included; `None`: every day), by the platform's
/// rules with the daily cap applied.
pub async fn credited_hours_between(
    db: &impl ConnectionTrait,
    person_id: i64,
    standing: Standing,
    days: Option<(&str, &str)>,
) -> Result<f64> {
    let rules = rules(db).await?;
    let mut studied = study_entries::Entity::find()
        .filter(study_entries::Column::PersonId.eq(person_id))
        .filter(study_entries::Column::Credited.eq(true));
    if let Some((from, to)) = days {
        studied = studied.filter(study_entries::Column::Day.between(from, to));
    }
    let studied: Vec<(i32, String, i64)> = studied
        .select_only()
        .column(study_entries::Column::Year)
        .column(study_entries::Column::Day)
        .column_as(sum_wall(), "ms")
        .group_by(study_entries::Column::Year)
        .group_by(study_entries::Column::Day)
        .into_tuple()
        .all(db)
        .await?;
    let mut passed = passes_by_day(db, person_id, None).await?;
    if let Some((from, to)) = days {
        passed.retain(|(_, day, _)| (from..=to).contains(&day.as_str()));
    }
    let days: Vec<DayTotal> = merge_days(studied, passed).into_iter().map(|(_, d)| d).collect();
    Ok(rules.summarize(&days, standing).hours)
}

pub async fn hours(db: &DatabaseConnection, actor: &Actor, person_id: Option<i64>, year: i32) -> Result<StudyHours> {
    let person = subject(db, actor, person_id).await?;
    let rules = rules(db).await?;
    let credited = || {
        study_entries::Entity::find()
            .filter(study_entries::Column::PersonId.eq(person.id))
            .filter(study_entries::Column::Year.eq(year))
            .filter(study_entries::Column::Credited.eq(true))
    };
    let days: Vec<(String, i64)> = credited()
        .select_only()
        .column(study_entries::Column::Day)
        .column_as(sum_wall(), "ms")
        .group_by(study_entries::Column::Day)
        .order_by_asc(study_entries::Column::Day)
        .into_tuple()
        .all(db)
        .await?;
    let passed = passes_by_day(db, person.id, Some(year)).await?;
    let days = days.into_iter().map(|(day, ms)| (year, day, ms)).collect();
    let days: Vec<DayTotal> = merge_days(days, passed).into_iter().map(|(_, d)| d).collect();
    let total = rules.summarize(&days, standing_of(&person));

    let per_lesson: Vec<(i64, i64, i64)> = credited()
        .select_only()
        .column(study_entries::Column::LessonId)
        .column(study_entries::Column::CourseId)
        .column_as(sum_wall(), "ms")
        .group_by(study_entries::Column::LessonId)
        .group_by(study_entries::Column::CourseId)
        .into_tuple()
        .all(db)
        .await?;
    // Quiz lessons passed this year: no study time, the passed-exam 学时.
    let passes: Vec<(i64, i64)> = exam_credits::Entity::find()
        .filter(exam_credits::Column::PersonId.eq(person.id))
        .filter(exam_credits::Column::Year.eq(year))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.lesson_id?, c.course_id?)))
        .collect();
    let lesson_ids: Vec<i64> = per_lesson.iter().map(|r| r.0).chain(passes.iter().map(|p| p.0)).collect();
    let course_ids: Vec<i64> = per_lesson.iter().map(|r| r.1).chain(passes.iter().map(|p| p.1)).collect();
    let titles = titles(db, &lesson_ids, &course_ids).await?;
    let completed: HashMap<i64, bool> = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::PersonId.eq(person.id))
        .filter(lesson_progress::Column::LessonId.is_in(lesson_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.lesson_id, p.completed_at_ms.is_some()))
        .collect();
    let mut courses: Vec<CourseHours> = Vec::new();
    let mut passed_in: HashMap<i64, u64> = HashMap::new();
    let studied = per_lesson.into_iter().map(|(lesson, course, ms)| (lesson, course, ms.max(0) as u64, false));
    let quizzes = passes.into_iter().map(|(lesson, course)| (lesson, course, 0, true));
    for (lesson_id, course_id, ms, quiz) in studied.chain(quizzes) {
        if quiz {
            *passed_in.entry(course_id).or_default() += 1;
        }
        let lesson = LessonHours {
            lesson_id,
            title: titles.lessons.get(&lesson_id).cloned().unwrap_or_default(),
            credited_seconds: ms as f64 / 1000.0,
            hours: if quiz { rules.hours(rules.exam_ms(1)) } else { rules.hours(ms) },
            completed: quiz || completed.get(&lesson_id).copied().unwrap_or(false),
        };
        match courses.iter_mut().find(|c| c.course_id == course_id) {
            Some(c) => {
                c.credited_seconds += lesson.credited_seconds;
                c.lessons.push(lesson);
            }
            None => courses.push(CourseHours {
                course_id,
                title: titles.courses.get(&course_id).cloned().unwrap_or_default(),
                credited_seconds: lesson.credited_seconds,
                hours: 0.0,
                lessons: vec![lesson],
            }),
        }
    }
    for c in &mut courses {
        let quizzes = rules.exam_ms(passed_in.get(&c.course_id).copied().unwrap_or(0));
        c.hours = rules.hours((c.credited_seconds * 1000.0).round() as u64 + quizzes);
        c.lessons.sort_by_key(|l| l.lesson_id);
    }
    courses.sort_by_key(|c| c.course_id);
    Ok(StudyHours { person_id: person.id, year, rules, total, courses })
}

struct Titles {
    lessons: HashMap<i64, String>,
    courses: HashMap<i64, String>,
}

async fn titles(db: &impl ConnectionTrait, lesson_ids: &[i64], course_ids: &[i64]) -> Result<Titles> {
    let lessons = lessons::Entity::find()
        .filter(lessons::Column::Id.is_in(lesson_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.title))
        .collect();
    let courses = course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(course_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    Ok(Titles { lessons, courses })
}

/// Which receipt lines to read.
#[derive(Debug, Clone, Default)]
pub struct ReceiptQuery {
    pub person_id: Option<i64>,
    pub year: i32,
    pub course_id: Option<i64>,
    pub after: Option<i64>,
    pub limit: Option<u64>,
}

/// A page of the receipt, oldest first.
pub async fn receipt(db: &DatabaseConnection, actor: &Actor, q: ReceiptQuery, lang: Lang) -> Result<Receipt> {
    let person = subject(db, actor, q.person_id).await?;
    let limit = q.limit.unwrap_or(500).clamp(1, RECEIPT_PAGE_MAX);
    let mut query = study_entries::Entity::find()
        .filter(study_entries::Column::PersonId.eq(person.id))
        .filter(study_entries::Column::Year.eq(q.year))
        .filter(study_entries::Column::Id.gt(q.after.unwrap_or(0)))
        .order_by_asc(study_entries::Column::Id)
        .limit(limit + 1);
    if let Some(course) = q.course_id {
        query = query.filter(study_entries::Column::CourseId.eq(course));
    }
    let mut rows = query.all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let lesson_ids: Vec<i64> = rows.iter().map(|r| r.lesson_id).collect();
    let course_ids: Vec<i64> = rows.iter().map(|r| r.course_id).collect();
    let titles = titles(db, &lesson_ids, &course_ids).await?;
    let lines: Vec<ReceiptLine> = rows
        .iter()
        .map(|r| {
            let reason = r.reason.as_deref().and_then(DiscardReason::parse);
            ReceiptLine {
                id: r.id,
                at: r.at_ms,
                day: r.day.clone(),
                course_id: r.course_id,
                course_title: titles.courses.get(&r.course_id).cloned().unwrap_or_default(),
                lesson_id: r.lesson_id,
                lesson_title: titles.lessons.get(&r.lesson_id).cloned().unwrap_or_default(),
                media: r.media_start_ms.zip(r.media_end_ms).map(|(a, b)| [a as f64 / 1000.0, b as f64 / 1000.0]),
                slide: r.slide.map(|s| s.max(0) as u32),
                seconds: r.wall_ms as f64 / 1000.0,
                credited: r.credited,
                reason,
                reason_text: reason.map(|x| x.localize(lang)),
            }
        })
        .collect();
    let next_after = if more { lines.last().map(|l| l.id) } else { None };
    Ok(Receipt { person_id: person.id, year: q.year, lines, next_after })
}
