//! UI text of 书记信箱 (suggestions): the member's form and list, the
//! organizers' inbox with replies, and the counts and reply times.

use courses::Lang;

/// A fixed piece of suggestion text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionText {
    Title,
    Nav,
    Intro,
    NewHeading,
    To,
    TitleLabel,
    BodyLabel,
    Anonymous,
    AnonymousNote,
    Send,
    Sending,
    Sent,
    MineHeading,
    NoneYet,
    AnonymousTag,
    Reply,
    Close,
    Closing,
    ClosedAt,
    // The organizers' page.
    ManageTitle,
    ManageNav,
    NoPermission,
    Inbox,
    StateFilter,
    AllStates,
    OrgFilter,
    AllOrgs,
    InboxEmpty,
    From,
    ReplyLabel,
    SendReply,
    EditReply,
    Replied,
    LookUpSender,
    ConfirmLookUp,
    // Counts and reply times.
    Stats,
    StatsHelp,
    Org,
    Received,
    RepliedCount,
    ClosedCount,
    Open,
    MedianReply,
    MaxReply,
    OldestOpen,
    Total,
    Up,
}

impl SuggestionText {
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Title => ("书记信箱", "Suggestions"),
            Self::Nav => ("书记信箱", "Suggestions"),
            Self::Intro => (
                "向本支部或上级党组织提出合理化建议，组织员会答复您。",
                "Make a suggestion to your branch or a node above it; its organizers will reply.",
            ),
            Self::NewHeading => ("提建议", "New suggestion"),
            Self::To => ("提交给", "To"),
            Self::TitleLabel => ("标题", "Title"),
            Self::BodyLabel => ("内容", "Text"),
            Self::Anonymous => ("匿名（对阅读者隐去姓名）", "Anonymous (your name is hidden from its readers)"),
            Self::AnonymousNote => (
                "平台管理员仍可查看发件人，仅用于处理滥用。",
                "The platform's administrators can still see who sent it, for handling abuse only.",
            ),
            Self::Send => ("提交", "Send"),
            Self::Sending => ("正在提交…", "Sending…"),
            Self::Sent => ("已提交，答复后会在下方显示。", "Sent. The reply will show below."),
            Self::MineHeading => ("我的建议", "My suggestions"),
            Self::NoneYet => ("您还没有提过建议。", "You have not made any suggestions yet."),
            Self::AnonymousTag => ("匿名", "Anonymous"),
            Self::Reply => ("答复", "Reply"),
            Self::Close => ("办结", "Close"),
            Self::Closing => ("正在办结…", "Closing…"),
            Self::ClosedAt => ("办结于", "closed"),
            Self::ManageTitle => ("建议办理", "Suggestions received"),
            Self::ManageNav => ("建议办理", "Suggestions received"),
            Self::NoPermission => (
                "只有组织员和管理员可以办理建议。",
                "Only organizers and administrators handle suggestions.",
            ),
            Self::Inbox => ("收到的建议", "Inbox"),
            Self::StateFilter => ("状态", "State"),
            Self::AllStates => ("全部", "All"),
            Self::OrgFilter => ("组织", "Organization"),
            Self::AllOrgs => ("我管理的全部组织", "Everything I manage"),
            Self::InboxEmpty => ("没有符合条件的建议。", "No suggestions match."),
            Self::From => ("来自", "From"),
            Self::ReplyLabel => ("答复内容", "Your reply"),
            Self::SendReply => ("发送答复", "Send reply"),
            Self::EditReply => ("修改答复", "Change the reply"),
            Self::Replied => ("已答复。", "Replied."),
            Self::LookUpSender => ("查看发件人", "Who sent it"),
            Self::ConfirmLookUp => (
                "查看匿名建议的发件人仅用于处理滥用，每次查看都会被记录。继续吗？",
                "Looking up an anonymous sender is for handling abuse only, and every lookup is logged. Go on?",
            ),
            Self::Stats => ("办理情况", "Handling"),
            Self::StatsHelp => (
                "各组织收到的建议（含其下级），答复用时按小时计。点击下级组织查看其下各单位。",
                "Suggestions to each node and those below it; reply times in hours. Tap a node to see the ones below it.",
            ),
            Self::Org => ("组织", "Organization"),
            Self::Received => ("收到", "Received"),
            Self::RepliedCount => ("已答复", "Replied"),
            Self::ClosedCount => ("已办结", "Closed"),
            Self::Open => ("待答复", "Waiting"),
            Self::MedianReply => ("答复用时中位数", "Median time to reply"),
            Self::MaxReply => ("最长答复用时", "Longest time to reply"),
            Self::OldestOpen => ("最久待答复", "Longest waiting"),
            Self::Total => ("合计", "Total"),
            Self::Up => ("上一级", "Up"),
        };
        lang.pick(zh, en)
    }
}

/// A duration in hours, one decimal; "—" when there is none.
pub fn hours(h: Option<f64>, lang: Lang) -> String {
    match (h, lang) {
        (None, _) => "—".to_owned(),
        (Some(h), Lang::Zh) => format!("{h:.1} 小时"),
        (Some(h), Lang::En) => format!("{h:.1} h"),
    }
}

/// Who sent a suggestion, for its readers.
pub fn sender_line(name: &str, org: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}（{org}）"),
        Lang::En => format!("{name} ({org})"),
    }
}

/// An admin's lookup of an anonymous sender.
pub fn looked_up(name: &str, login: &str, org: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("发件人：{name}（登录名 {login}，{org}）"),
        Lang::En => format!("Sent by {name} (login {login}, {org})"),
    }
}

/// Who replied and when.
pub fn replied_by(by: Option<&str>, at: Option<&str>, lang: Lang) -> String {
    let by = by.unwrap_or_default();
    let at = at.unwrap_or_default();
    match lang {
        Lang::Zh => format!("{by} 答复于 {at}"),
        Lang::En => format!("Replied by {by} on {at}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_have_one_decimal_and_a_dash_for_none() {
        assert_eq!(hours(Some(3.25), Lang::Zh), "3.2 小时");
        assert_eq!(hours(Some(30.0), Lang::En), "30.0 h");
        assert_eq!(hours(None, Lang::Zh), "—");
    }

    #[test]
    fn senders_read_with_their_node() {
        assert_eq!(sender_line("张三", "第一支部", Lang::Zh), "张三（第一支部）");
        assert_eq!(sender_line("Zhang San", "Branch 1", Lang::En), "Zhang San (Branch 1)");
    }
}
