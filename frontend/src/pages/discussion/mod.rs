//! The discussion under lessons and courses, and its moderation.
//!
//! - `thread.rs`: the [`Discussion`] island under a lesson or a course
//!   (the lesson and course pages place it): the comments, newest first,
//!   replies one level down, "load older".
//! - `comment.rs`: one comment with what the caller may do to it.
//! - `compose.rs`: the form that writes a comment or a reply.
//! - `moderation.rs`: the organizers' buttons (approve, hide, restore,
//!   delete, keep), shared by the discussion and the queue.
//! - `queue.rs`: `/manage/discussion`, the moderation queue.
//! - `words.rs`: the admins' sensitive-word list on that page.
//! - `api.rs`: the REST calls.
//!
//! The pages' server functions know nothing of comments, so the islands
//! call the REST API from the browser ([`crate::rest`]): the server renders
//! the frame and the form, and the comments arrive once the island is live.

pub mod api;
mod comment;
mod compose;
mod moderation;
mod queue;
mod thread;
mod words;

pub use queue::ManageDiscussionPage;
pub use thread::Discussion;

use serde::{Deserialize, Serialize};

/// What is discussed: a lesson, or a course itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    Lesson(i64),
    Course(i64),
}

impl Place {
    /// Where its comments are read and posted.
    pub fn comments_url(self) -> String {
        match self {
            Place::Lesson(id) => format!("/api/v1/lessons/{id}/comments"),
            Place::Course(id) => format!("/api/v1/courses/{id}/comments"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Place;

    #[test]
    fn lessons_and_courses_have_their_own_comments() {
        assert_eq!(Place::Lesson(7).comments_url(), "/api/v1/lessons/7/comments");
        assert_eq!(Place::Course(3).comments_url(), "/api/v1/courses/3/comments");
    }
}
