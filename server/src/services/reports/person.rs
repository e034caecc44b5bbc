//! One member's 学习档案: every course they were assigned or studied, with
//! dates; their 学时 year by year against the target; their make-up study.
//! Readable by the member themself and by whoever manages their node.
//! It follows the member: after a transfer it is read where they are now.

use std::collections::HashMap;

use courses::collation::compare_labels;
use courses::meeting::Date;
use courses::progress::DayTotal;
use courses::report::{ArchiveCourse, MemberArchive, NodeRef, YearHours};
use courses::PersonId;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::day_of_ms;
use crate::config::Settings;
use crate::db::{course_records as course_record_rows, courses as course_rows, orgs, people, study_entries};
use crate::error::{Error, Result};
use crate::services::auth::actor_from;
use crate::services::orgs::path_of;
use crate::services::study::hours::{self as study_hours, sum_wall};
use crate::services::{course_records, hide_out_of_scope, meetings};

pub(super) async fn archive(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &courses::Actor,
    person_id: i64,
    today: Date,
) -> Result<MemberArchive> {
    let (person, org) =
        people::Entity::find_by_id(person_id).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    let org = org.ok_or(Error::NotFound)?;
    let path = path_of(&org)?;
    hide_out_of_scope(actor.can_view_record_of(PersonId(person.id), &path))?;
    course_records::refresh(db).await?;
    let rules = study_hours::rules(db).await?;
    let standing = crate::services::study::hours::standing_of(&person);

    let credited = || {
        study_entries::Entity::find()
            .filter(study_entries::Column::PersonId.eq(person.id))
            .filter(study_entries::Column::Credited.eq(true))
    };
    let per_course: Vec<(i64, Option<i64>)> = credited()
        .select_only()
        .column(study_entries::Column::CourseId)
        .column_as(sum_wall(), "ms")
        .group_by(study_entries::Column::CourseId)
        .into_tuple()
        .all(db)
        .await?;
    let per_course: HashMap<i64, i64> = per_course.into_iter().map(|(course, ms)| (course, ms.unwrap_or(0))).collect();
    let rows =
        course_record_rows::Entity::find().filter(course_record_rows::Column::PersonId.eq(person.id)).all(db).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.course_id).collect();
    let titles: HashMap<i64, String> = course_rows::Entity::find()
        .filter(course_rows::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    let today_text = today.to_string();
    let mut courses: Vec<ArchiveCourse> = rows
        .into_iter()
        .map(|r| ArchiveCourse {
            course: NodeRef { id: r.course_id, name: titles.get(&r.course_id).cloned().unwrap_or_default() },
            assigned: r.assigned,
            overdue: r.assigned
                && r.completed_at_ms.is_none()
                && r.due_on.as_deref().is_some_and(|d| d < today_text.as_str()),
            due_on: r.due_on,
            lessons_done: u32::try_from(r.lessons_done).unwrap_or(0),
            lessons_total: u32::try_from(r.lessons_total).unwrap_or(0),
            started_on: r.started_at_ms.and_then(|ms| day_of_ms(settings, ms)),
            completed_on: r.completed_at_ms.and_then(|ms| day_of_ms(settings, ms)),
            hours: rules.hours(per_course.get(&r.course_id).copied().unwrap_or(0).max(0) as u64),
        })
        .collect();
    // Open assigned work first (soonest due), then the rest by title.
    courses.sort_by(|a, b| {
        let open = |c: &ArchiveCourse| !(c.assigned && c.completed_on.is_none());
        open(a).cmp(&open(b)).then(a.due_on.cmp(&b.due_on)).then_with(|| compare_labels(&a.course.name, &b.course.name))
    });

    let days: Vec<(i32, String, Option<i64>)> = credited()
        .select_only()
        .column(study_entries::Column::Year)
        .column(study_entries::Column::Day)
        .column_as(sum_wall(), "ms")
        .group_by(study_entries::Column::Year)
        .group_by(study_entries::Column::Day)
        .order_by_asc(study_entries::Column::Year)
        .order_by_asc(study_entries::Column::Day)
        .into_tuple()
        .all(db)
        .await?;
    let days = days.into_iter().map(|(year, day, ms)| (year, day, ms.unwrap_or(0))).collect();
    let passed = crate::services::study::hours::passes_by_day(db, person.id, None).await?;
    let mut by_year: Vec<(i32, Vec<DayTotal>)> = Vec::new();
    for (year, total) in crate::services::study::hours::merge_days(days, passed) {
        match by_year.last_mut() {
            Some((y, list)) if *y == year => list.push(total),
            _ => by_year.push((year, vec![total])),
        }
    }
    if by_year.last().is_none_or(|(y, _)| *y != today.year()) {
        by_year.push((today.year(), Vec::new()));
    }
    let years = by_year
        .into_iter()
        .rev()
        .map(|(year, list)| {
            let s = rules.summarize(&list, standing);
            YearHours { year, hours: s.hours, target_hours: s.target_hours }
        })
        .collect();

    let as_person = actor_from(person.id, &person.role, &person.standing, org.id, org.path.clone())?;
    let makeups = meetings::my_makeups(db, &as_person, today).await?;
    let exams = crate::services::exams::report::archive(db, settings, person.id).await?;
    let party = crate::services::standing::view(db, actor, PersonId(person.id)).await?;
    Ok(MemberArchive {
        person_id: person.id,
        name: person.name,
        login: person.login,
        role: person.role,
        org: NodeRef { id: org.id, name: org.name },
        as_of: today.to_string(),
        courses,
        years,
        makeups,
        exams,
        standing: Some(party.standing),
        milestones: party.milestones,
        classes: crate::services::classes::archive(db, person.id).await?,
    })
}
