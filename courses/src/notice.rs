//! Notices (通知公告) and items of 党务公开 (openness of party affairs).
//!
//! An organizer writes a notice for nodes of their subtree (each node with
//! its subtree). An ordinary notice is published when written. An openness
//! item goes through the chain the 党务公开 rules describe: the author
//! proposes it, an organizer of a node above the author's reviews it
//! (including the secrecy review, 保密审查), another approves it, and the
//! approval publishes it. At the top of the tree, where there is no node
//! above, organizers of the same node review and approve. Nobody reviews
//! or approves their own notice, and one person does not do both steps.
//! A rejection at either step sends it back to its author with the reason.
//! A published notice can be withdrawn; its readers then see that it was.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};
use crate::meeting::Date;
use crate::OrgId;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest body (Markdown), in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Longest reason for a rejection or a withdrawal, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Most target nodes of one notice.
pub const MAX_TARGETS: usize = 50;

/// Where a notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// An openness item waiting for its review.
    Proposed,
    /// Reviewed (secrecy review passed), waiting for its approval.
    Reviewed,
    /// Sent back to its author with the reason; the author may propose it again.
    Rejected,
    Published,
    Withdrawn,
}

impl NoticeState {
    pub const ALL: [NoticeState; 5] =
        [Self::Proposed, Self::Reviewed, Self::Rejected, Self::Published, Self::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Reviewed => "reviewed",
            Self::Rejected => "rejected",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Proposed => lang.pick("待审核", "Awaiting review"),
            Self::Reviewed => lang.pick("待审批", "Awaiting approval"),
            Self::Rejected => lang.pick("已退回", "Sent back"),
            Self::Published => lang.pick("已发布", "Published"),
            Self::Withdrawn => lang.pick("已撤回", "Withdrawn"),
        }
    }
}

/// One step of a notice's way, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Proposed,
    /// Reviewed, with the secrecy review (保密审查).
    Reviewed,
    Approved,
    Rejected,
    Published,
    Withdrawn,
}

impl StepKind {
    pub const ALL: [StepKind; 6] =
        [Self::Proposed, Self::Reviewed, Self::Approved, Self::Rejected, Self::Published, Self::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Reviewed => "reviewed",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Proposed => lang.pick("提出", "Proposed"),
            Self::Reviewed => lang.pick("审核（含保密审查）", "Reviewed (incl. secrecy review)"),
            Self::Approved => lang.pick("审批", "Approved"),
            Self::Rejected => lang.pick("退回", "Sent back"),
            Self::Published => lang.pick("发布", "Published"),
            Self::Withdrawn => lang.pick("撤回", "Withdrawn"),
        }
    }
}

/// A notice as its author writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoticeDraft {
    /// The node the notice is from (the author manages it).
    pub org_id: OrgId,
    /// Who it is for: nodes of the author's subtree, each with its subtree;
    /// empty: the whole of `org_id`.
    #[serde(default)]
    pub targets: Vec<OrgId>,
    pub title: String,
    /// Markdown, sanitized when shown.
    pub body: String,
    /// Everyone it is for must read it; each first reading is recorded.
    #[serde(default)]
    pub must_read: bool,
    /// `YYYY-MM-DD`: read by then (must-read notices only).
    #[serde(default)]
    pub read_by: Option<String>,
    /// An item of 党务公开: reviewed and approved before it is published.
    #[serde(default)]
    pub openness: bool,
}

/// Why a draft cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("a title must be 1–200 characters without control characters")]
    BadTitle,
    #[error("the text must be 1–20,000 characters")]
    BadBody,
    #[error("a deadline must be a date written YYYY-MM-DD, and only a must-read notice has one")]
    BadDeadline,
    #[error("a notice goes to 1–50 nodes")]
    BadTargets,
    #[error("give a reason of 1–500 characters")]
    BadReason,
}

impl Localize for NoticeError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::BadTitle => (
                "标题须为 1–200 个字符，且不能包含控制字符。",
                "A title must be 1–200 characters without control characters.",
            ),
            Self::BadBody => ("正文须为 1–20000 个字符。", "The text must be 1–20,000 characters."),
            Self::BadDeadline => (
                "阅读期限须为 YYYY-MM-DD 格式的日期，且只有“必读”通知才有期限。",
                "A deadline must be a date written YYYY-MM-DD, and only a must-read notice has one.",
            ),
            Self::BadTargets => ("通知须发往 1–50 个组织。", "A notice goes to 1–50 nodes."),
            Self::BadReason => ("请写明原因（1–500 个字符）。", "Give a reason (1–500 characters)."),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl NoticeDraft {
    /// Checks what needs no database; answers the deadline.
    pub fn check(&self) -> Result<Option<Date>, NoticeError> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
            return Err(NoticeError::BadTitle);
        }
        let body = self.body.trim();
        if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
            return Err(NoticeError::BadBody);
        }
        if self.targets.len() > MAX_TARGETS {
            return Err(NoticeError::BadTargets);
        }
        match (&self.read_by, self.must_read) {
            (None, _) => Ok(None),
            (Some(_), false) => Err(NoticeError::BadDeadline),
            (Some(d), true) => Date::parse(d).map(Some).map_err(|_| NoticeError::BadDeadline),
        }
    }
}

/// Whether `actor` may review or approve a notice from the node at `node`:
/// an organizer of a node above it (or an admin), or, for a node at the top
/// of the tree, an organizer of that node. Whether they wrote it, or took
/// the other step, the caller checks.
pub fn may_decide(actor: &crate::Actor, node: &crate::OrgPath) -> bool {
    let above = node.parent().unwrap_or_else(|| node.clone());
    match actor.scope() {
        crate::access::Scope::Everything => true,
        crate::access::Scope::Subtree(own) => own.contains(&above),
        crate::access::Scope::Nothing => false,
    }
}

/// A reason for a rejection or withdrawal, trimmed, if it is one.
pub fn checked_reason(reason: &str) -> Result<String, NoticeError> {
    let r = reason.trim();
    let n = r.chars().count();
    if n == 0 || n > MAX_REASON_CHARS || r.chars().any(|c| c.is_control() && c != '\n') {
        return Err(NoticeError::BadReason);
    }
    Ok(r.to_owned())
}

/// A decision on a proposed or reviewed notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `true`: pass the step (review or approve); `false`: send it back.
    pub accept: bool,
    /// Required to send it back; a note on the secrecy review otherwise.
    #[serde(default)]
    pub note: String,
}

/// A withdrawal, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub reason: String,
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepView {
    pub kind: StepKind,
    pub by_name: String,
    pub at_ms: i64,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub at: String,
    pub note: Option<String>,
}

/// A notice as its readers and organizers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub title: String,
    /// Sanitized HTML of the body; empty once withdrawn.
    pub body_html: String,
    /// The Markdown, for its author and those who review it.
    pub body: Option<String>,
    pub must_read: bool,
    pub read_by: Option<String>,
    pub openness: bool,
    pub state: NoticeState,
    pub author_name: String,
    pub published_at_ms: Option<i64>,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub published_at: Option<String>,
    pub targets: Vec<String>,
    /// When the caller first read it.
    pub read_at_ms: Option<i64>,
    /// The steps so far, for organizers.
    pub steps: Vec<StepView>,
    /// Why it was withdrawn or sent back, when it was.
    pub reason: Option<String>,
    /// Files to download with it (none once withdrawn, for its readers).
    pub attachments: Vec<crate::course::AttachmentView>,
}

/// A notice in the list of someone it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeSummary {
    pub id: i64,
    pub title: String,
    pub org_name: String,
    pub must_read: bool,
    pub read_by: Option<String>,
    pub state: NoticeState,
    pub published_at_ms: Option<i64>,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub published_at: Option<String>,
    /// When the caller first read it.
    pub read_at_ms: Option<i64>,
}

/// Readers of a must-read notice in one node's subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadRow {
    pub org: crate::report::views::NodeRef,
    /// People of the subtree the notice is for.
    pub recipients: u32,
    /// Those of them who read it.
    pub read: u32,
    pub has_children: bool,
}

impl ReadRow {
    /// Share read, 0–100 (100 when nobody is to read it).
    pub fn percent(&self) -> u8 {
        if self.recipients == 0 {
            return 100;
        }
        u8::try_from(u64::from(self.read) * 100 / u64::from(self.recipients)).unwrap_or(100)
    }
}

/// Who read a notice, rolled up the tree like the completion reports: a
/// node's subtree, each of its children with theirs, and its own people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadReport {
    pub notice_id: i64,
    pub title: String,
    pub total: ReadRow,
    pub children: Vec<ReadRow>,
    pub own: Option<ReadRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> NoticeDraft {
        NoticeDraft {
            org_id: OrgId(1),
            targets: vec![],
            title: "关于开展主题党日活动的通知".into(),
            body: "各党支部：请于本月底前完成。".into(),
            must_read: true,
            read_by: Some("2026-12-31".into()),
            openness: false,
        }
    }

    #[test]
    fn a_draft_is_checked_and_its_deadline_read() {
        assert_eq!(draft().check().unwrap().map(|d| d.to_string()), Some("2026-12-31".into()));
        assert_eq!(NoticeDraft { title: " ".into(), ..draft() }.check(), Err(NoticeError::BadTitle));
        assert_eq!(NoticeDraft { title: "a\u{7}".into(), ..draft() }.check(), Err(NoticeError::BadTitle));
        assert_eq!(NoticeDraft { body: "x".repeat(20_001), ..draft() }.check(), Err(NoticeError::BadBody));
        assert_eq!(NoticeDraft { must_read: false, ..draft() }.check(), Err(NoticeError::BadDeadline));
        assert_eq!(NoticeDraft { read_by: Some("12/31".into()), ..draft() }.check(), Err(NoticeError::BadDeadline));
        assert_eq!(NoticeDraft { targets: vec![OrgId(2); 51], ..draft() }.check(), Err(NoticeError::BadTargets));
    }

    #[test]
    fn reviewers_come_from_above_or_from_the_top_node_itself() {
        use crate::{Actor, OrgPath, PersonId, Role, Standing};
        let top = OrgPath::root(OrgId(1));
        let general = top.child(OrgId(2));
        let branch = general.child(OrgId(3));
        let at = |org: &OrgPath, role| Actor { id: PersonId(9), role, standing: Standing::Full, org: org.clone() };
        assert!(may_decide(&at(&general, Role::Organizer), &branch));
        assert!(may_decide(&at(&top, Role::Organizer), &branch));
        assert!(!may_decide(&at(&branch, Role::Organizer), &branch), "not from the same node below the top");
        assert!(!may_decide(&at(&branch, Role::Organizer), &general));
        assert!(may_decide(&at(&top, Role::Organizer), &top), "the top node reviews itself");
        assert!(!may_decide(&at(&general, Role::Member), &branch));
        assert!(may_decide(&at(&branch, Role::Admin), &top));
    }

    #[test]
    fn codes_round_trip() {
        for s in NoticeState::ALL {
            assert_eq!(NoticeState::parse(s.as_str()), Some(s));
        }
        for k in StepKind::ALL {
            assert_eq!(StepKind::parse(k.as_str()), Some(k));
        }
        assert!(checked_reason("  ").is_err());
        assert_eq!(checked_reason(" 涉及内部信息 ").unwrap(), "涉及内部信息");
    }
}
