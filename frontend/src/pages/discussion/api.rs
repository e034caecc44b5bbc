//! The discussion's calls to the REST API (`server/src/http/discussion.rs`):
//! the islands load and change comments from the browser.

use courses::discussion::{
    CommentDraft, CommentReport, CommentView, Discussion, DiscussionSettings, Moderation, QueueItem, SensitiveWords,
};

use super::Place;
use crate::api::AppError;
use crate::rest::{self, Method};

/// One page of a discussion: the newest, or those older than `before`.
pub async fn page(place: Place, before: Option<i64>) -> Result<Discussion, AppError> {
    let url = match before {
        Some(b) => format!("{}?before={b}", place.comments_url()),
        None => place.comments_url(),
    };
    rest::get(&url).await
}

pub async fn post(place: Place, csrf: &str, draft: &CommentDraft) -> Result<CommentView, AppError> {
    rest::call(Method::Post, &place.comments_url(), csrf, Some(draft)).await
}

/// Its writer deletes a comment.
pub async fn delete(csrf: &str, id: i64) -> Result<(), AppError> {
    rest::call_empty(Method::Delete, &format!("/api/v1/comments/{id}"), csrf, None::<&()>).await
}

pub async fn report(csrf: &str, id: i64, reason: String) -> Result<(), AppError> {
    let url = format!("/api/v1/comments/{id}/report");
    rest::call_empty(Method::Post, &url, csrf, Some(&CommentReport { reason })).await
}

pub async fn moderate(csrf: &str, id: i64, step: &Moderation) -> Result<CommentView, AppError> {
    rest::call(Method::Post, &format!("/api/v1/comments/{id}/moderation"), csrf, Some(step)).await
}

/// What waits for the caller's moderation, oldest first.
pub async fn queue() -> Result<Vec<QueueItem>, AppError> {
    rest::get("/api/v1/comment-queue").await
}

pub async fn settings(course: i64) -> Result<DiscussionSettings, AppError> {
    rest::get(&format!("/api/v1/courses/{course}/discussion")).await
}

pub async fn set_settings(csrf: &str, course: i64, new: &DiscussionSettings) -> Result<DiscussionSettings, AppError> {
    rest::call(Method::Put, &format!("/api/v1/courses/{course}/discussion"), csrf, Some(new)).await
}

pub async fn words() -> Result<SensitiveWords, AppError> {
    rest::get("/api/v1/sensitive-words").await
}

pub async fn set_words(csrf: &str, words: &SensitiveWords) -> Result<SensitiveWords, AppError> {
    rest::call(Method::Put, "/api/v1/sensitive-words", csrf, Some(words)).await
}
