//! Discussion under lessons and courses (the 党员论坛, moved to where the
//! study is).
//!
//! Members of a course's audience comment under the course or one of its
//! lessons; replies go one level deep. Real names stay on the server; a
//! writer may show only their branch and surname (后台实名、前台自愿).
//! A comment is published at once unless it matches a word of the admins'
//! list or its course reviews comments before publishing (先审后发); then
//! it waits for the course's organizers, seen only by its writer. The
//! course's organizers hide, restore or delete comments with a reason, and
//! reported comments join their queue.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;
/// Longest reason for a report or a moderation step, in characters.
pub const MAX_REASON_CHARS: usize = 200;
/// Most words on the sensitive-word list.
pub const MAX_WORDS: usize = 5000;
/// Longest listed word, in characters.
pub const MAX_WORD_CHARS: usize = 40;

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    /// Seen by the course's audience.
    Published,
    /// Waiting for a moderator's approval; seen by its writer and the
    /// course's organizers only.
    Pending,
    /// Hidden by a moderator (can be restored); seen by its writer and the
    /// course's organizers only.
    Hidden,
    /// Deleted: its text is gone for everyone.
    Deleted,
}

impl CommentState {
    pub const ALL: [CommentState; 4] = [Self::Published, Self::Pending, Self::Hidden, Self::Deleted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Pending => "pending",
            Self::Hidden => "hidden",
            Self::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<CommentState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a comment waits for approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HeldFor {
    /// It matched a word of the sensitive-word list.
    ListedWord,
    /// Its course reviews every comment before publishing (先审后发).
    ReviewFirst,
}

impl HeldFor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ListedWord => "listed_word",
            Self::ReviewFirst => "review_first",
        }
    }

    pub fn parse(s: &str) -> Option<HeldFor> {
        [Self::ListedWord, Self::ReviewFirst].into_iter().find(|k| k.as_str() == s)
    }
}

/// What a moderator does to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// Publishes a waiting comment.
    Approve,
    /// Takes a comment out of sight (its writer still sees it, with the reason).
    Hide,
    /// Publishes a hidden comment again.
    Restore,
    /// Erases its text for good.
    Delete,
    /// Keeps a reported comment as it is and closes its reports.
    Dismiss,
}

impl ModerationAction {
    pub const ALL: [ModerationAction; 5] = [Self::Approve, Self::Hide, Self::Restore, Self::Delete, Self::Dismiss];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Hide => "hide",
            Self::Restore => "restore",
            Self::Delete => "delete",
            Self::Dismiss => "dismiss",
        }
    }

    pub fn parse(s: &str) -> Option<ModerationAction> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Hiding and deleting take a reason; it is logged with the step.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Hide | Self::Delete)
    }

    /// The state it leaves a comment in, from `from`; `None`: not allowed.
    pub fn apply(self, from: CommentState) -> Option<CommentState> {
        use CommentState::*;
        match (self, from) {
            (Self::Approve, Pending) => Some(Published),
            (Self::Hide, Published | Pending) => Some(Hidden),
            (Self::Restore, Hidden) => Some(Published),
            (Self::Delete, Published | Pending | Hidden) => Some(Deleted),
            (Self::Dismiss, Published) => Some(Published),
            _ => None,
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Approve => lang.pick("通过", "Approved"),
            Self::Hide => lang.pick("隐藏", "Hidden"),
            Self::Restore => lang.pick("恢复", "Restored"),
            Self::Delete => lang.pick("删除", "Deleted"),
            Self::Dismiss => lang.pick("保留（驳回举报）", "Kept (reports dismissed)"),
        }
    }
}

/// `POST /api/v1/lessons/{id}/comments`, `POST /api/v1/courses/{id}/comments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommentDraft {
    /// Plain text (shown as written, never as HTML), 1–1000 characters.
    pub body: String,
    /// The comment this one answers; it must be a top-level comment of the
    /// same lesson (or course).
    #[serde(default)]
    pub reply_to: Option<i64>,
    /// Show only the writer's branch and surname.
    #[serde(default)]
    pub surname_only: bool,
}

/// Why a comment, a report or a moderation step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscussionError {
    #[error("a comment must be 1–1000 characters")]
    BadBody,
    #[error("a reply answers a comment, not another reply")]
    ReplyToReply,
    #[error("give a reason of 1–200 characters")]
    BadReason,
    #[error("this cannot be done to the comment as it stands")]
    WrongState,
    #[error("a listed word must be 1–40 characters, and the list holds at most 5000 words")]
    BadWord,
}

impl Localize for DiscussionError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::BadBody => ("评论须为 1–1000 个字符。", "A comment must be 1–1000 characters."),
            Self::ReplyToReply => (
                "只能回复评论，不能回复回复；请回复原评论。",
                "A reply answers a comment, not another reply: reply to the comment itself.",
            ),
            Self::BadReason => ("请写明原因（1–200 个字符）。", "Give a reason (1–200 characters)."),
            Self::WrongState => (
                "这条评论当前的状态不允许这样操作，请刷新后再试。",
                "The comment's state does not allow this; reload and try again.",
            ),
            Self::BadWord => (
                "敏感词须为 1–40 个字符，词表最多 5000 个词。",
                "A listed word must be 1–40 characters, and the list holds at most 5000 words.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

/// Text someone typed: trimmed, 1–`max` characters, no control characters
/// but line breaks and tabs.
pub fn checked_text(text: &str, max: usize) -> Option<String> {
    let t = text.trim();
    let n = t.chars().count();
    (n > 0 && n <= max && !t.chars().any(|c| c.is_control() && c != '\n' && c != '\t')).then(|| t.to_owned())
}

impl CommentDraft {
    /// The body, checked.
    pub fn checked_body(&self) -> Result<String, DiscussionError> {
        checked_text(&self.body, MAX_COMMENT_CHARS).ok_or(DiscussionError::BadBody)
    }
}

/// A reason for a report or a moderation step, checked.
pub fn checked_reason(reason: &str) -> Result<String, DiscussionError> {
    checked_text(reason, MAX_REASON_CHARS).filter(|r| !r.contains('\n')).ok_or(DiscussionError::BadReason)
}

/// Who wrote a comment, as others are shown it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentAuthor {
    /// The full name; `None` when the writer shows only their surname.
    pub name: Option<String>,
    pub surname: String,
    /// Their branch (the node they belonged to when writing).
    pub branch: String,
    /// The caller wrote it.
    pub mine: bool,
}

/// A comment as the caller may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    pub id: i64,
    pub course_id: i64,
    /// `None`: under the course itself.
    pub lesson_id: Option<i64>,
    pub reply_to: Option<i64>,
    pub author: CommentAuthor,
    /// Plain text; empty once deleted.
    pub body: String,
    pub state: CommentState,
    /// Why it waits, for its writer and moderators.
    pub held_for: Option<HeldFor>,
    /// Listed words it matched (moderators only).
    pub matched: Vec<String>,
    /// The last moderation step's reason, for its writer and moderators.
    pub moderation_reason: Option<String>,
    /// Open reports (moderators only).
    pub reports: u32,
    /// The caller reported it.
    pub reported_by_me: bool,
    pub created_at_ms: i64,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub created_at: String,
    /// Replies, oldest first (top-level comments only).
    // A reply is a comment: without `no_recursion` the schema would unfold
    // itself forever.
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub replies: Vec<CommentView>,
}

/// The discussion under a lesson or a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discussion {
    /// Top-level comments, newest first, each with its replies.
    pub comments: Vec<CommentView>,
    /// The caller moderates this course's comments.
    pub moderator: bool,
    /// New comments wait for approval (先审后发).
    pub review_first: bool,
    /// Older comments follow (ask with `before` = the last one's id).
    pub more: bool,
}

/// `POST /api/v1/comments/{id}/report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommentReport {
    pub reason: String,
}

/// `POST /api/v1/comments/{id}/moderation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Moderation {
    pub action: ModerationAction,
    /// Required to hide or delete; logged with the step.
    #[serde(default)]
    pub reason: String,
}

/// A comment in the moderation queue, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub comment: CommentView,
    pub course_title: String,
    pub lesson_title: Option<String>,
    /// The reasons its reporters gave.
    pub report_reasons: Vec<String>,
    /// Its writer's real name (moderators are organizers of the course).
    pub real_name: String,
}

/// `GET/PUT /api/v1/courses/{id}/discussion`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DiscussionSettings {
    /// Every new comment waits for approval (先审后发).
    pub review_first: bool,
}

/// `GET/PUT /api/v1/sensitive-words`: the admins' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SensitiveWords {
    pub words: Vec<String>,
}

impl SensitiveWords {
    /// The words trimmed, blank ones dropped, each once, in order.
    pub fn checked(&self) -> Result<Vec<String>, DiscussionError> {
        let mut out: Vec<String> = Vec::new();
        for w in &self.words {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            if w.chars().count() > MAX_WORD_CHARS || w.chars().any(char::is_control) {
                return Err(DiscussionError::BadWord);
            }
            if !out.iter().any(|o| o == w) {
                out.push(w.to_owned());
            }
        }
        if out.len() > MAX_WORDS {
            return Err(DiscussionError::BadWord);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderation_moves_only_from_the_states_it_names() {
        use CommentState::*;
        use ModerationAction as A;
        assert_eq!(A::Approve.apply(Pending), Some(Published));
        assert_eq!(A::Approve.apply(Published), None);
        assert_eq!(A::Hide.apply(Pending), Some(Hidden));
        assert_eq!(A::Restore.apply(Hidden), Some(Published));
        assert_eq!(A::Restore.apply(Deleted), None);
        assert_eq!(A::Delete.apply(Deleted), None, "a deleted comment stays deleted");
        assert_eq!(A::Dismiss.apply(Pending), None);
        for a in A::ALL {
            assert_eq!(A::parse(a.as_str()), Some(a));
        }
        for s in CommentState::ALL {
            assert_eq!(CommentState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn texts_and_words_are_checked() {
        let d = |body: &str| CommentDraft { body: body.into(), reply_to: None, surname_only: false };
        assert_eq!(d("  学习了 \n很受启发 ").checked_body().unwrap(), "学习了 \n很受启发");
        assert_eq!(d("   ").checked_body(), Err(DiscussionError::BadBody));
        assert_eq!(d(&"字".repeat(1001)).checked_body(), Err(DiscussionError::BadBody));
        assert_eq!(d("a\u{0}b").checked_body(), Err(DiscussionError::BadBody));
        assert!(checked_reason("广告\n").is_ok());
        assert_eq!(checked_reason("一\n二"), Err(DiscussionError::BadReason));
        let words =
            SensitiveWords { words: vec![" 赌博 ".into(), "".into(), "赌博".into(), "代开发票".into()] };
        assert_eq!(words.checked().unwrap(), vec!["赌博", "代开发票"]);
        assert_eq!(SensitiveWords { words: vec!["长".repeat(41)] }.checked(), Err(DiscussionError::BadWord));
    }
}
