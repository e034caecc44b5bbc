//! What organizers send to shape a course: its settings, chapters, the
//! order of chapters and lessons, and lesson edits.

use serde::{Deserialize, Serialize};

use super::audience::Audience;
use super::CourseError;

/// Most 学时 a course may be worth.
pub const MAX_CREDIT_HOURS: f64 = 200.0;

/// `PUT /api/v1/courses/{id}`: everything the course form edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CourseSettings {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// 必修 (true) or 选修 (false).
    #[serde(default)]
    pub required: bool,
    /// 学时 credited for completing the course, 0–200 in steps of 0.5.
    #[serde(default)]
    pub credit_hours: f64,
    /// Date by which a required course should be completed, `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: Option<String>,
    pub audience: Audience,
}

/// Checks credit hours: finite, 0–200, a multiple of 0.5.
pub fn check_credit_hours(hours: f64) -> Result<f64, CourseError> {
    if !hours.is_finite() || !(0.0..=MAX_CREDIT_HOURS).contains(&hours) || (hours * 2.0).fract() != 0.0 {
        return Err(CourseError::BadCreditHours);
    }
    Ok(hours)
}

/// `POST /api/v1/courses/{id}/chapters`, `PUT /api/v1/chapters/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChapterIn {
    pub title: String,
}

/// A chapter of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChapterView {
    pub id: i64,
    pub position: i32,
    pub title: String,
}

/// Where one lesson goes: its chapter (none: before the first chapter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LessonPlace {
    pub id: i64,
    #[serde(default)]
    pub chapter_id: Option<i64>,
}

/// `PUT /api/v1/courses/{id}/order`: every chapter and every lesson of the
/// course, in their new order. Lessons are numbered in the order given, so
/// list them chapter by chapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CourseOrder {
    pub chapters: Vec<i64>,
    pub lessons: Vec<LessonPlace>,
}

impl CourseOrder {
    /// Checks the order against the course's current chapters and lessons:
    /// each listed exactly once, every lesson in one of the listed chapters.
    pub fn check(&self, chapters: &[i64], lessons: &[i64]) -> Result<(), CourseError> {
        let same = |given: &mut Vec<i64>, have: &[i64]| {
            given.sort_unstable();
            let mut have = have.to_vec();
            have.sort_unstable();
            *given == have
        };
        let mut given_chapters = self.chapters.clone();
        let mut given_lessons: Vec<i64> = self.lessons.iter().map(|l| l.id).collect();
        if !same(&mut given_chapters, chapters) || !same(&mut given_lessons, lessons) {
            return Err(CourseError::OrderMismatch);
        }
        if self.lessons.iter().filter_map(|l| l.chapter_id).any(|c| !chapters.contains(&c)) {
            return Err(CourseError::OrderMismatch);
        }
        Ok(())
    }
}

/// `PUT /api/v1/lessons/{id}`: a lesson's title, and an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LessonEdit {
    pub title: String,
    /// Markdown; only for article lessons.
    #[serde(default)]
    pub article: Option<String>,
}

/// A file attached to a lesson, to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_hours_are_half_steps_within_range() {
        assert_eq!(check_credit_hours(0.0), Ok(0.0));
        assert_eq!(check_credit_hours(2.5), Ok(2.5));
        assert_eq!(check_credit_hours(200.0), Ok(200.0));
        for bad in [-0.5, 200.5, 1.25, f64::NAN, f64::INFINITY] {
            assert_eq!(check_credit_hours(bad), Err(CourseError::BadCreditHours), "{bad}");
        }
    }

    #[test]
    fn an_order_lists_everything_exactly_once() {
        let place = |id, chapter_id| LessonPlace { id, chapter_id };
        let ok = CourseOrder { chapters: vec![2, 1], lessons: vec![place(11, None), place(10, Some(2))] };
        assert_eq!(ok.check(&[1, 2], &[10, 11]), Ok(()));
        let missing = CourseOrder { chapters: vec![1, 2], lessons: vec![place(10, None)] };
        assert_eq!(missing.check(&[1, 2], &[10, 11]), Err(CourseError::OrderMismatch));
        let twice = CourseOrder { chapters: vec![1, 2], lessons: vec![place(10, None), place(10, None)] };
        assert_eq!(twice.check(&[1, 2], &[10, 11]), Err(CourseError::OrderMismatch));
        let foreign = CourseOrder { chapters: vec![1, 2], lessons: vec![place(10, Some(3)), place(11, None)] };
        assert_eq!(foreign.check(&[1, 2], &[10, 11]), Err(CourseError::OrderMismatch));
    }
}
