//! Finding courses in the catalog: search words and filters, and how far
//! the member has got with each course.

use serde::{Deserialize, Serialize};

/// Most search words considered.
pub const MAX_TERMS: usize = 8;
/// Longest search word, in characters.
pub const MAX_TERM_CHARS: usize = 40;

/// Where a member stands with a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StudyStatus {
    NotStarted,
    InProgress,
    Completed,
}

impl StudyStatus {
    pub const ALL: [StudyStatus; 3] = [Self::NotStarted, Self::InProgress, Self::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// From the number of lessons, completed lessons and lessons started.
    pub fn of(lessons: u32, completed: u32, started: u32) -> Self {
        if lessons > 0 && completed >= lessons {
            Self::Completed
        } else if started > 0 || completed > 0 {
            Self::InProgress
        } else {
            Self::NotStarted
        }
    }
}

/// The member's progress through one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseProgress {
    pub status: StudyStatus,
    pub lessons_completed: u32,
    pub lessons_total: u32,
    /// Credited study time in this course, seconds.
    pub studied_seconds: f64,
}

/// `GET /api/v1/courses` query: search words and filters, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default, deny_unknown_fields)]
pub struct CourseQuery {
    /// Words to find in titles, summaries, lesson titles, articles and
    /// slide text; every word must occur.
    pub q: Option<String>,
    /// `required` (必修) or `elective` (选修).
    pub kind: Option<String>,
    /// `not_started`, `in_progress` or `completed`.
    pub status: Option<String>,
}

/// A bad filter value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("kind must be required or elective")]
    BadKind,
    #[error("status must be not_started, in_progress or completed")]
    BadStatus,
}

/// A parsed [`CourseQuery`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseFilter {
    pub terms: Vec<String>,
    pub required: Option<bool>,
    pub status: Option<StudyStatus>,
}

impl CourseQuery {
    pub fn parse(&self) -> Result<CourseFilter, QueryError> {
        let required = match self.kind.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("required") => Some(true),
            Some("elective") => Some(false),
            Some(_) => return Err(QueryError::BadKind),
        };
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(StudyStatus::parse(s).ok_or(QueryError::BadStatus)?),
        };
        Ok(CourseFilter { terms: search_terms(self.q.as_deref().unwrap_or("")), required, status })
    }
}

/// Splits a search into words: on whitespace and sentence punctuation
/// (ASCII and full-width; `%`, `_`, `-`, `.` and the like stay inside a word,
/// and match only themselves), lower-cased, each cut to 40 characters, at
/// most 8, without repeats. Chinese needs no word breaks: each word is matched as a
/// substring (trigram index in SQLite and PostgreSQL).
pub fn search_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let words = q.split(|c: char| c.is_whitespace() || is_separator(c)).filter(|w| !w.is_empty());
    for word in words {
        let word: String = word.chars().flat_map(char::to_lowercase).take(MAX_TERM_CHARS).collect();
        if !terms.contains(&word) {
            terms.push(word);
        }
        if terms.len() == MAX_TERMS {
            break;
        }
    }
    terms
}

fn is_separator(c: char) -> bool {
    c.is_control() || ",;:!?\"'()[]{}<>，。、；：？！“”‘’（）《》【】…—·".contains(c)
}

/// The text a course is found by: its title, summary and lesson titles, its
/// articles' text and its slides' text, lower-cased so one case-sensitive
/// substring match serves every database.
pub fn search_document<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut doc = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !doc.is_empty() {
            doc.push('\n');
        }
        doc.extend(part.chars().flat_map(char::to_lowercase));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_on_space_and_chinese_punctuation() {
        assert_eq!(search_terms("  党章，学习  Party "), vec!["党章", "学习", "party"]);
        assert_eq!(search_terms("“100%” file_name"), vec!["100%", "file_name"]);
        assert_eq!(search_terms("党史 党史"), vec!["党史"]);
        assert!(search_terms(" ，。 ").is_empty());
        assert_eq!(search_terms(&"党".repeat(100))[0].chars().count(), MAX_TERM_CHARS);
        assert_eq!(search_terms("a b c d e f g h i j").len(), MAX_TERMS);
    }

    #[test]
    fn filters_parse_or_explain() {
        let q = CourseQuery { q: None, kind: Some("required".into()), status: Some("in_progress".into()) };
        let f = q.parse().unwrap();
        assert_eq!((f.required, f.status), (Some(true), Some(StudyStatus::InProgress)));
        assert_eq!(CourseQuery { kind: Some("x".into()), ..Default::default() }.parse(), Err(QueryError::BadKind));
        assert_eq!(
            CourseQuery { status: Some("done".into()), ..Default::default() }.parse(),
            Err(QueryError::BadStatus)
        );
    }

    #[test]
    fn status_follows_lessons() {
        assert_eq!(StudyStatus::of(3, 0, 0), StudyStatus::NotStarted);
        assert_eq!(StudyStatus::of(3, 1, 1), StudyStatus::InProgress);
        assert_eq!(StudyStatus::of(3, 0, 2), StudyStatus::InProgress);
        assert_eq!(StudyStatus::of(3, 3, 3), StudyStatus::Completed);
        assert_eq!(StudyStatus::of(0, 0, 0), StudyStatus::NotStarted);
    }

    #[test]
    fn the_document_is_lower_case_lines() {
        assert_eq!(search_document(["学习 PPT", "", " 第二课 "]), "学习 ppt\n第二课");
    }
}
