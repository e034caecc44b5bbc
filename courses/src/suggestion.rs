//! Suggestions (合理化建议 / 书记信箱).
//!
//! A member writes to their own branch or to a node above it, openly or
//! anonymously towards its readers. The server always knows the sender;
//! only admins can look the sender of an anonymous suggestion up, for abuse
//! handling, and each lookup is logged. The organizers of the receiving
//! node (organizers above it included, as for everything in their subtree)
//! reply; the sender sees the reply and where the suggestion stands.

use serde::{Deserialize, Serialize};

use crate::discussion::checked_text;
use crate::i18n::{Lang, Localize};
use crate::OrgId;

pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_BODY_CHARS: usize = 5000;
pub const MAX_REPLY_CHARS: usize = 5000;

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SuggestionState {
    Received,
    Replied,
    Closed,
}

impl SuggestionState {
    pub const ALL: [SuggestionState; 3] = [Self::Received, Self::Replied, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Replied => "replied",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<SuggestionState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Received => lang.pick("已收到", "Received"),
            Self::Replied => lang.pick("已答复", "Replied"),
            Self::Closed => lang.pick("已办结", "Closed"),
        }
    }
}

/// `POST /api/v1/suggestions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SuggestionDraft {
    /// The sender's own node or one above it.
    pub to_org_id: OrgId,
    pub title: String,
    pub body: String,
    /// Hide the sender from the readers (admins can still look it up).
    #[serde(default)]
    pub anonymous: bool,
}

/// `POST /api/v1/suggestions/{id}/reply`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SuggestionReply {
    pub text: String,
}

/// Why a suggestion or a reply cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuggestionError {
    #[error("a title must be 1–100 characters on one line")]
    BadTitle,
    #[error("the text must be 1–5000 characters")]
    BadBody,
    #[error("a reply must be 1–5000 characters")]
    BadReply,
    #[error("a suggestion goes to your own branch or a node above it")]
    NotAbove,
    #[error("the suggestion is closed")]
    Closed,
}

impl Localize for SuggestionError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::BadTitle => ("标题须为 1–100 个字符，且只有一行。", "A title must be 1–100 characters on one line."),
            Self::BadBody => ("内容须为 1–5000 个字符。", "The text must be 1–5000 characters."),
            Self::BadReply => ("答复须为 1–5000 个字符。", "A reply must be 1–5000 characters."),
            Self::NotAbove => {
                ("建议只能提交给本人所在支部或其上级组织。", "A suggestion goes to your own branch or a node above it.")
            }
            Self::Closed => ("这条建议已办结，不能再答复。", "The suggestion is closed and takes no more replies."),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl SuggestionDraft {
    /// The title and the body, checked.
    pub fn checked(&self) -> Result<(String, String), SuggestionError> {
        let title = checked_text(&self.title, MAX_TITLE_CHARS)
            .filter(|t| !t.contains(['\n', '\t']))
            .ok_or(SuggestionError::BadTitle)?;
        let body = checked_text(&self.body, MAX_BODY_CHARS).ok_or(SuggestionError::BadBody)?;
        Ok((title, body))
    }
}

impl SuggestionReply {
    pub fn checked(&self) -> Result<String, SuggestionError> {
        checked_text(&self.text, MAX_REPLY_CHARS).ok_or(SuggestionError::BadReply)
    }
}

/// A node a member may write to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Addressee {
    pub org_id: OrgId,
    pub name: String,
}

/// Who sent a suggestion, for its readers (never set when anonymous).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sender {
    pub name: String,
    pub org_name: String,
}

/// A suggestion as its sender or its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionView {
    pub id: i64,
    pub to_org_id: OrgId,
    pub to_org_name: String,
    pub title: String,
    pub body: String,
    pub anonymous: bool,
    /// `None` when it is anonymous (or the caller sent it).
    pub sender: Option<Sender>,
    /// The caller sent it.
    pub mine: bool,
    pub state: SuggestionState,
    pub reply: Option<String>,
    pub replied_by: Option<String>,
    pub created_at_ms: i64,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub created_at: String,
    pub replied_at: Option<String>,
    pub closed_at: Option<String>,
}

/// Suggestions to one node's subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionRow {
    pub org: crate::report::views::NodeRef,
    pub received: u32,
    /// Of those, replied (closed ones with a reply included).
    pub replied: u32,
    pub closed: u32,
    /// Neither replied nor closed.
    pub open: u32,
    /// Median time from sending to the reply, in hours.
    pub median_reply_hours: Option<f64>,
    /// Longest time to a reply, in hours.
    pub max_reply_hours: Option<f64>,
    /// How long the oldest unanswered one has waited, in hours.
    pub oldest_open_hours: Option<f64>,
    pub has_children: bool,
}

/// Counts and reply times of a node's subtree and of each child's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionStats {
    pub total: SuggestionRow,
    pub children: Vec<SuggestionRow>,
}

/// `GET /api/v1/suggestions/{id}/sender` (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SenderLookup {
    pub person_id: i64,
    pub login: String,
    pub name: String,
    pub org_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SuggestionDraft {
        SuggestionDraft {
            to_org_id: OrgId(1),
            title: "建议增加夜间学习时段".into(),
            body: "轮班的同志白天难以参加。".into(),
            anonymous: true,
        }
    }

    #[test]
    fn drafts_and_replies_are_checked() {
        assert!(draft().checked().is_ok());
        assert_eq!(SuggestionDraft { title: "a\nb".into(), ..draft() }.checked(), Err(SuggestionError::BadTitle));
        assert_eq!(SuggestionDraft { title: "字".repeat(101), ..draft() }.checked(), Err(SuggestionError::BadTitle));
        assert_eq!(SuggestionDraft { body: " ".into(), ..draft() }.checked(), Err(SuggestionError::BadBody));
        assert_eq!(SuggestionReply { text: "x".repeat(5001) }.checked(), Err(SuggestionError::BadReply));
        for s in SuggestionState::ALL {
            assert_eq!(SuggestionState::parse(s.as_str()), Some(s));
        }
    }
}
