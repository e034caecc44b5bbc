//! The suggestion pages' calls to the REST API
//! (`server/src/http/suggestions.rs`), made from the islands.

use courses::suggestion::{
    Addressee, SenderLookup, SuggestionDraft, SuggestionReply, SuggestionState, SuggestionStats, SuggestionView,
};

use crate::api::AppError;
use crate::rest::{self, Method};

/// Where the caller may send a suggestion: their own node first.
pub async fn addressees() -> Result<Vec<Addressee>, AppError> {
    rest::get("/api/v1/me/suggestion-addressees").await
}

/// The caller's own suggestions, newest first.
pub async fn mine() -> Result<Vec<SuggestionView>, AppError> {
    rest::get("/api/v1/me/suggestions").await
}

pub async fn send(csrf: &str, draft: &SuggestionDraft) -> Result<SuggestionView, AppError> {
    rest::call(Method::Post, "/api/v1/suggestions", csrf, Some(draft)).await
}

/// The inbox's address: suggestions to `org`'s subtree (default: all the
/// caller manages), in `state` (default: any).
pub fn inbox_url(org: Option<i64>, state: Option<SuggestionState>) -> String {
    let mut query = Vec::new();
    if let Some(org) = org {
        query.push(format!("org={org}"));
    }
    if let Some(state) = state {
        query.push(format!("state={}", state.as_str()));
    }
    if query.is_empty() {
        "/api/v1/suggestions".to_owned()
    } else {
        format!("/api/v1/suggestions?{}", query.join("&"))
    }
}

pub async fn inbox(org: Option<i64>, state: Option<SuggestionState>) -> Result<Vec<SuggestionView>, AppError> {
    rest::get(&inbox_url(org, state)).await
}

pub async fn reply(csrf: &str, id: i64, text: String) -> Result<SuggestionView, AppError> {
    let url = format!("/api/v1/suggestions/{id}/reply");
    rest::call(Method::Post, &url, csrf, Some(&SuggestionReply { text })).await
}

/// Closes a suggestion (办结): its sender or its readers.
pub async fn close(csrf: &str, id: i64) -> Result<SuggestionView, AppError> {
    rest::call(Method::Post, &format!("/api/v1/suggestions/{id}/close"), csrf, None::<&()>).await
}

/// Who sent it (admins only; the server logs each lookup).
pub async fn sender(id: i64) -> Result<SenderLookup, AppError> {
    rest::get(&format!("/api/v1/suggestions/{id}/sender")).await
}

pub async fn stats(org: i64) -> Result<SuggestionStats, AppError> {
    rest::get(&format!("/api/v1/orgs/{org}/suggestion-stats")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inbox_asks_only_for_the_filters_given() {
        assert_eq!(inbox_url(None, None), "/api/v1/suggestions");
        assert_eq!(inbox_url(Some(4), None), "/api/v1/suggestions?org=4");
        assert_eq!(inbox_url(Some(4), Some(SuggestionState::Replied)), "/api/v1/suggestions?org=4&state=replied");
        assert_eq!(inbox_url(None, Some(SuggestionState::Closed)), "/api/v1/suggestions?state=closed");
    }
}
