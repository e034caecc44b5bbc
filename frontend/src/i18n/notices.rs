//! UI text of the notice pages: the list, a notice, the organizers' form,
//! review and approval, the read rate, attachments.

use courses::Lang;

/// A fixed piece of notice text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeText {
    Notices,
    AllNotices,
    NoNotices,
    MustRead,
    ReadBy,
    Unread,
    ReadAt,
    Withdrawn,
    WithdrawnNotice,
    From,
    Manage,
    Nav,
    NoPermission,
    NewNotice,
    Node,
    Title,
    Body,
    BodyHelp,
    Openness,
    OpennessHelp,
    Publish,
    Propose,
    Steps,
    Decide,
    DecisionNote,
    Pass,
    SendBack,
    Withdraw,
    WithdrawReason,
    Reads,
    Recipients,
    HasRead,
    OwnPeople,
    Remind,
    Reason,
    State,
    NoManaged,
    Attachments,
    AddAttachment,
    AttachmentHelp,
    RemoveAttachment,
    AttachLater,
    TooLarge,
}

impl NoticeText {
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Notices => ("通知公告", "Notices"),
            Self::AllNotices => ("全部通知", "All notices"),
            Self::NoNotices => ("暂无通知。", "No notices."),
            Self::MustRead => ("必读", "Must read"),
            Self::ReadBy => ("阅读期限", "Read by"),
            Self::Unread => ("未读", "Unread"),
            Self::ReadAt => ("已阅", "Read"),
            Self::Withdrawn => ("已撤回", "Withdrawn"),
            Self::WithdrawnNotice => ("此通知已撤回。", "This notice has been withdrawn."),
            Self::From => ("发布单位", "From"),
            Self::Manage => ("通知管理", "Manage notices"),
            Self::Nav => ("通知管理", "Notices"),
            Self::NoPermission => ("只有组织员可以发布通知。", "Only organizers publish notices."),
            Self::NewNotice => ("发布通知", "New notice"),
            Self::Node => ("发布组织（发往其全部下级）", "From (to everyone below it)"),
            Self::Title => ("标题", "Title"),
            Self::Body => ("正文", "Text"),
            Self::BodyHelp => ("支持 Markdown：**加粗**、列表、表格。", "Markdown: **bold**, lists, tables."),
            Self::Openness => (
                "党务公开事项（经上级审核、保密审查、审批后发布）",
                "党务公开 item (reviewed, secrecy-checked and approved from above before publishing)",
            ),
            Self::OpennessHelp => {
                ("审核和审批由上级组织的两位组织员分别完成。", "Two organizers of a node above review and approve it.")
            }
            Self::Publish => ("发布", "Publish"),
            Self::Propose => ("提交审核", "Propose for review"),
            Self::Steps => ("办理过程", "Its way"),
            Self::Decide => ("审核 / 审批", "Review / approve"),
            Self::DecisionNote => (
                "意见（退回时必填；审核时可写明保密审查结论）",
                "Note (required to send back; the secrecy review's finding)",
            ),
            Self::Pass => ("通过", "Pass"),
            Self::SendBack => ("退回", "Send back"),
            Self::Withdraw => ("撤回", "Withdraw"),
            Self::WithdrawReason => ("撤回原因", "Why it is withdrawn"),
            Self::Reads => ("阅读情况", "Who read it"),
            Self::Recipients => ("应读", "To read"),
            Self::HasRead => ("已读", "Read"),
            Self::OwnPeople => ("本级人员", "Its own people"),
            Self::Remind => ("提醒未读人员", "Remind the unread"),
            Self::Reason => ("原因", "Reason"),
            Self::State => ("状态", "State"),
            Self::NoManaged => ("还没有通知。", "No notices yet."),
            Self::Attachments => ("附件", "Attachments"),
            Self::AddAttachment => ("添加附件", "Attach a file"),
            Self::AttachmentHelp => (
                "任意类型，每个不超过 50 MB，最多 20 个。党务公开事项审核后附件不能再更改。",
                "Any type, up to 50 MB each, at most 20. A 党务公开 item's files can no longer change once it is reviewed.",
            ),
            Self::RemoveAttachment => ("移除", "Remove"),
            Self::AttachLater => (
                "保存后可在通知页面添加附件（如文件、表格）。",
                "Files (documents, spreadsheets) can be attached on the notice's page after saving.",
            ),
            Self::TooLarge => ("文件超过 50 MB，不能作为附件。", "The file is larger than 50 MB and cannot be attached."),
        };
        lang.pick(zh, en)
    }
}
