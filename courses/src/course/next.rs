//! What a member studies next: where they stand in each lesson of a course,
//! and the one lesson a "继续学习" button opens. The rule, in order:
//!
//! 1. the lesson they last studied, if it is not finished (resume there);
//! 2. else the next unfinished lesson of that course, in course order;
//! 3. else the first unfinished lesson of their most urgent course (required
//!    or assigned, soonest due first, then electives in progress).

use serde::{Deserialize, Serialize};

use super::{ChapterView, LessonView};
use crate::progress::LessonKind;

/// How far a member is in one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LessonState {
    NotStarted,
    InProgress,
    Completed,
}

/// A member's standing in one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonStanding {
    pub lesson_id: i64,
    pub state: LessonState,
    /// Progress towards completion, 0–100.
    pub percent: u8,
}

impl LessonStanding {
    /// A lesson without any study recorded.
    pub fn untouched(lesson_id: i64) -> Self {
        LessonStanding { lesson_id, state: LessonState::NotStarted, percent: 0 }
    }

    pub fn done(&self) -> bool {
        self.state == LessonState::Completed
    }
}

/// Why a lesson is the one to study next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NextReason {
    /// The lesson last studied, not finished yet.
    Resume,
    /// The last lesson studied is finished; this one comes after it.
    NextInCourse,
    /// Nothing started in this course yet (or the last course is finished):
    /// the first unfinished lesson of the most urgent course.
    Start,
}

/// The lesson a "继续学习" button opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextLesson {
    pub course_id: i64,
    pub course_title: String,
    pub lesson_id: i64,
    pub lesson_title: String,
    pub kind: LessonKind,
    pub state: LessonState,
    /// Progress in this lesson, 0–100.
    pub percent: u8,
    pub reason: NextReason,
    pub lessons_completed: u32,
    pub lessons_total: u32,
}

/// `GET /api/v1/me/next-lesson`: the caller's next lesson, if any course
/// of theirs has an unfinished one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContinueStudy {
    pub next: Option<NextLesson>,
}

/// `GET /api/v1/me/courses/{id}/lessons`: the caller's standing in every
/// lesson of a course (course order) and the lesson to study next in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseStanding {
    pub course_id: i64,
    pub lessons: Vec<LessonStanding>,
    pub next_lesson_id: Option<i64>,
}

impl CourseStanding {
    /// The standing of one lesson (not started when unknown).
    pub fn of(&self, lesson_id: i64) -> LessonStanding {
        self.lessons.iter().find(|s| s.lesson_id == lesson_id).copied().unwrap_or(LessonStanding::untouched(lesson_id))
    }
}

/// The lessons' ids in the order a member studies them, as the course page
/// lists them: lessons outside any chapter first, then each chapter's.
pub fn study_order(chapters: &[ChapterView], lessons: &[LessonView]) -> Vec<i64> {
    let mut order: Vec<(usize, i32, i64)> = lessons
        .iter()
        .map(|l| {
            let group = l.chapter_id.and_then(|c| chapters.iter().position(|ch| ch.id == c)).map_or(0, |i| i + 1);
            (group, l.position, l.id)
        })
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, _, id)| id).collect()
}

/// The lesson to study next in a course: the one last studied if it is
/// unfinished, else the first unfinished one after it (wrapping round to
/// the start), or the first unfinished one when nothing was studied.
/// `standing(id)` tells where the member is in each lesson; `last` is the
/// lesson of this course they studied last.
pub fn next_in_course(order: &[i64], standing: impl Fn(i64) -> LessonStanding, last: Option<i64>) -> Option<i64> {
    let at = last.and_then(|l| order.iter().position(|&id| id == l));
    if let Some(i) = at {
        if !standing(order[i]).done() {
            return Some(order[i]);
        }
    }
    let start = at.map_or(0, |i| i + 1);
    order[start..].iter().chain(&order[..start]).copied().find(|&id| !standing(id).done())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(id: i64, position: i32, chapter_id: Option<i64>) -> LessonView {
        LessonView {
            id,
            course_id: 1,
            position,
            title: format!("l{id}"),
            kind: LessonKind::Video,
            media_id: None,
            duration_seconds: 60.0,
            slide_count: 0,
            article_chars: 0,
            chapter_id,
            slides_media_id: None,
            has_captions: false,
            exam_id: None,
        }
    }

    fn chapter(id: i64, position: i32) -> ChapterView {
        ChapterView { id, position, title: format!("c{id}") }
    }

    #[test]
    fn loose_lessons_come_first_then_chapters_in_their_order() {
        let chapters = [chapter(20, 1), chapter(10, 2)];
        let lessons = [lesson(1, 1, Some(10)), lesson(2, 2, Some(20)), lesson(3, 3, None), lesson(4, 4, Some(20))];
        assert_eq!(study_order(&chapters, &lessons), [3, 2, 4, 1]);
    }

    fn states<'a>(done: &'a [i64], started: &'a [i64]) -> impl Fn(i64) -> LessonStanding + 'a {
        move |id| {
            let state = if done.contains(&id) {
                LessonState::Completed
            } else if started.contains(&id) {
                LessonState::InProgress
            } else {
                LessonState::NotStarted
            };
            LessonStanding { lesson_id: id, state, percent: 0 }
        }
    }

    #[test]
    fn an_unfinished_last_lesson_is_resumed() {
        assert_eq!(next_in_course(&[1, 2, 3], states(&[1], &[3]), Some(3)), Some(3));
    }

    #[test]
    fn after_a_finished_lesson_comes_the_next_unfinished_one() {
        assert_eq!(next_in_course(&[1, 2, 3, 4], states(&[2, 3], &[]), Some(2)), Some(4));
        // Past the end, it wraps round to what was skipped.
        assert_eq!(next_in_course(&[1, 2, 3], states(&[2, 3], &[]), Some(3)), Some(1));
    }

    #[test]
    fn nothing_studied_starts_at_the_first_unfinished_lesson_and_a_finished_course_has_none() {
        assert_eq!(next_in_course(&[1, 2, 3], states(&[1], &[]), None), Some(2));
        assert_eq!(next_in_course(&[1, 2], states(&[1, 2], &[]), Some(2)), None);
        assert_eq!(next_in_course(&[], states(&[], &[]), None), None);
        // A last lesson no longer in the course counts as nothing studied.
        assert_eq!(next_in_course(&[1, 2], states(&[], &[]), Some(9)), Some(1));
    }
}
