//! "继续学习": the lesson a member studies next, and where they stand in
//! each lesson of a course. The rule is `courses::course::next`; this reads
//! the member's own ledger rows for it, never anyone else's.

use std::collections::HashMap;

use courses::course::learning::arrange;
use courses::course::next::{next_in_course, study_order};
use courses::course::{CourseStanding, CourseView, LessonStanding, LessonState, LessonView, NextLesson, NextReason};
use courses::progress::LessonFacts;
use courses::Actor;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::db::lesson_progress;
use crate::error::Result;
use crate::services::study::ledger_of;

/// The actor's ledger rows in `course_ids`: their standing per lesson and
/// the lesson they studied last in each course and overall.
struct Ledgers {
    standing: HashMap<i64, LessonStanding>,
    /// Course id → (last studied at, lesson id).
    last_in: HashMap<i64, (i64, i64)>,
}

impl Ledgers {
    async fn read(db: &DatabaseConnection, actor: &Actor, courses: &[CourseView]) -> Result<Ledgers> {
        let rows = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::PersonId.eq(actor.id.0))
            .filter(lesson_progress::Column::CourseId.is_in(courses.iter().map(|c| c.id)))
            .all(db)
            .await?;
        let mut standing = HashMap::new();
        let mut last_in: HashMap<i64, (i64, i64)> = HashMap::new();
        for row in rows {
            let Some(course) = courses.iter().find(|c| c.id == row.course_id) else { continue };
            let Some(lesson) = course.lessons.iter().find(|l| l.id == row.lesson_id) else { continue };
            let ledger = ledger_of(&row)?;
            let state = if ledger.completed_at.is_some() { LessonState::Completed } else { LessonState::InProgress };
            let percent = course.rules.percent(&facts(lesson), &ledger);
            standing.insert(row.lesson_id, LessonStanding { lesson_id: row.lesson_id, state, percent });
            let last = last_in.entry(row.course_id).or_insert((row.updated_at_ms, row.lesson_id));
            *last = (*last).max((row.updated_at_ms, row.lesson_id));
        }
        Ok(Ledgers { standing, last_in })
    }

    fn of(&self, lesson_id: i64) -> LessonStanding {
        self.standing.get(&lesson_id).copied().unwrap_or(LessonStanding::untouched(lesson_id))
    }

    fn last_lesson_in(&self, course_id: i64) -> Option<i64> {
        self.last_in.get(&course_id).map(|&(_, lesson)| lesson)
    }

    /// The course studied most recently.
    fn last_course(&self) -> Option<i64> {
        self.last_in.iter().max_by_key(|(_, &at)| at).map(|(&course, _)| course)
    }

    /// The lesson to study next in `course`, if it has an unfinished one.
    fn next_in(&self, course: &CourseView) -> Option<NextLesson> {
        let order = study_order(&course.chapters, &course.lessons);
        let id = next_in_course(&order, |id| self.of(id), self.last_lesson_in(course.id))?;
        let lesson = course.lessons.iter().find(|l| l.id == id)?;
        let standing = self.of(id);
        let reason = match (standing.state, self.last_in.contains_key(&course.id)) {
            (LessonState::InProgress, _) => NextReason::Resume,
            (_, true) => NextReason::NextInCourse,
            (_, false) => NextReason::Start,
        };
        let total = u32::try_from(course.lessons.len()).unwrap_or(u32::MAX);
        let completed = course.lessons.iter().filter(|l| self.of(l.id).done()).count();
        Some(NextLesson {
            course_id: course.id,
            course_title: course.title.clone(),
            lesson_id: id,
            lesson_title: lesson.title.clone(),
            kind: lesson.kind,
            state: standing.state,
            percent: standing.percent,
            reason,
            lessons_completed: u32::try_from(completed).unwrap_or(u32::MAX),
            lessons_total: total,
        })
    }
}

/// What the progress rules need of a lesson, from its view (which carries
/// the stored figures: whole milliseconds, counts).
fn facts(lesson: &LessonView) -> LessonFacts {
    LessonFacts {
        kind: lesson.kind,
        duration_ms: (lesson.duration_seconds * 1000.0).round().max(0.0) as u64,
        slide_count: lesson.slide_count,
        article_chars: lesson.article_chars,
    }
}

/// The lesson the actor studies next: the one they last studied if it is
/// unfinished, else the next unfinished one of that course, else the first
/// unfinished lesson of their most urgent course (required or assigned,
/// soonest due first, then electives in progress). `None` when every
/// course of theirs is finished or none has lessons.
pub async fn next_lesson_for(db: &DatabaseConnection, actor: &Actor) -> Result<Option<NextLesson>> {
    let courses = super::learning::studied_courses(db, actor).await?;
    let ledgers = Ledgers::read(db, actor, &courses).await?;
    if let Some(next) =
        ledgers.last_course().and_then(|id| courses.iter().find(|c| c.id == id)).and_then(|c| ledgers.next_in(c))
    {
        return Ok(Some(next));
    }
    let (required, in_progress, _) = arrange(courses);
    Ok(required.iter().chain(&in_progress).find_map(|c| ledgers.next_in(c)))
}

/// The actor's standing in every lesson of a course they may study (in
/// course order), and the lesson to study next in it.
pub async fn course_standing(db: &DatabaseConnection, actor: &Actor, course_id: i64) -> Result<CourseStanding> {
    let course = super::get(db, actor, course_id).await?;
    let ledgers = Ledgers::read(db, actor, std::slice::from_ref(&course)).await?;
    let order = study_order(&course.chapters, &course.lessons);
    let next_lesson_id = next_in_course(&order, |id| ledgers.of(id), ledgers.last_lesson_in(course.id));
    Ok(CourseStanding { course_id, lessons: order.iter().map(|&id| ledgers.of(id)).collect(), next_lesson_id })
}
