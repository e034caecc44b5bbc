//! UI text of the discussion under lessons and courses, its moderation
//! (the queue, the course's 先审后发 switch) and the sensitive-word list.

use courses::discussion::{CommentAuthor, HeldFor};
use courses::Lang;

/// A fixed piece of discussion text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscussionText {
    Heading,
    CourseHeading,
    BodyLabel,
    Placeholder,
    SurnameOnly,
    SurnameHelp,
    Post,
    Posting,
    ReviewFirstNote,
    NoComments,
    LoadOlder,
    Reply,
    ReplyLabel,
    PostReply,
    Cancel,
    Report,
    Reported,
    ReportReason,
    SendReport,
    Delete,
    ConfirmDelete,
    Pending,
    Hidden,
    HiddenBecause,
    Deleted,
    TooLong,
    // Moderation.
    State,
    Matched,
    Approve,
    Hide,
    Restore,
    Remove,
    Keep,
    ModReason,
    Reason,
    Confirm,
    // The queue page.
    QueueTitle,
    Nav,
    NoPermission,
    QueueHeading,
    QueueHelp,
    QueueEmpty,
    RealName,
    ShownAs,
    WhyPending,
    WhyReported,
    Done,
    // The course editor's switch.
    SettingsHeading,
    ReviewFirst,
    ReviewFirstHelp,
    QueueLink,
    // The sensitive-word list.
    WordsHeading,
    WordsLabel,
    WordsHelp,
    WordsSave,
}

impl DiscussionText {
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Heading => ("学习讨论", "Discussion"),
            Self::CourseHeading => ("课程讨论", "Course discussion"),
            Self::BodyLabel => ("发表评论", "Your comment"),
            Self::Placeholder => ("写下您的学习体会…", "Share what you learned…"),
            Self::SurnameOnly => ("只显示支部和姓氏", "Show only my branch and surname"),
            Self::SurnameHelp => (
                "其他学员将看到“张同志”这样的称呼；课程组织员审核时仍可看到实名。",
                "Others see “Comrade Zhang”; the course's organizers still see your name when moderating.",
            ),
            Self::Post => ("发表", "Post"),
            Self::Posting => ("正在发表…", "Posting…"),
            Self::ReviewFirstNote => (
                "本课程评论先审后发：发表后经组织员审核才对其他学员显示。",
                "This course approves comments first: others see yours once an organizer has approved it.",
            ),
            Self::NoComments => ("还没有评论，来说说您的学习体会吧。", "No comments yet. Be the first to share."),
            Self::LoadOlder => ("加载更早的评论", "Load older comments"),
            Self::Reply => ("回复", "Reply"),
            Self::ReplyLabel => ("回复内容", "Your reply"),
            Self::PostReply => ("发表回复", "Post reply"),
            Self::Cancel => ("取消", "Cancel"),
            Self::Report => ("举报", "Report"),
            Self::Reported => ("已举报", "Reported"),
            Self::ReportReason => ("举报理由", "Why are you reporting it?"),
            Self::SendReport => ("提交举报", "Send report"),
            Self::Delete => ("删除", "Delete"),
            Self::ConfirmDelete => ("确定删除这条评论吗？删除后无法恢复。", "Delete this comment? This cannot be undone."),
            Self::Pending => ("待审核", "Awaiting approval"),
            Self::Hidden => ("已隐藏", "Hidden"),
            Self::HiddenBecause => ("已被组织员隐藏，只有您能看到。原因：", "Hidden by an organizer; only you see it. Reason: "),
            Self::Deleted => ("（该评论已删除）", "(deleted)"),
            Self::TooLong => ("超出字数限制", "Too long"),
            Self::State => ("状态", "State"),
            Self::Matched => ("命中敏感词", "Listed words"),
            Self::Approve => ("通过", "Approve"),
            Self::Hide => ("隐藏", "Hide"),
            Self::Restore => ("恢复", "Restore"),
            Self::Remove => ("删除", "Delete"),
            Self::Keep => ("保留", "Keep"),
            Self::ModReason => ("原因（记入审核记录，写评论者可见）", "Reason (logged; its writer sees it)"),
            Self::Reason => ("原因", "Reason"),
            Self::Confirm => ("确定", "Confirm"),
            Self::QueueTitle => ("评论审核", "Comment moderation"),
            Self::Nav => ("评论审核", "Moderation"),
            Self::NoPermission => (
                "只有组织员和管理员可以审核评论。",
                "Only organizers and administrators moderate comments.",
            ),
            Self::QueueHeading => ("待处理的评论", "Waiting for you"),
            Self::QueueHelp => (
                "这里是您管理的课程中待审核或被举报的评论，最早的在前。是否先审后发在课程编辑页设置。",
                "Comments waiting for approval or reported, in the courses you manage, oldest first. Whether a course approves comments first is set on its editor page.",
            ),
            Self::QueueEmpty => ("没有待处理的评论。", "Nothing waits for moderation."),
            Self::RealName => ("实名", "Real name"),
            Self::ShownAs => ("显示为", "Shown as"),
            Self::WhyPending => ("待审核", "Waiting for approval"),
            Self::WhyReported => ("被举报", "Reported"),
            Self::Done => ("已处理", "Done"),
            Self::SettingsHeading => ("课程讨论", "Discussion"),
            Self::ReviewFirst => ("先审后发", "Approve comments before publishing them"),
            Self::ReviewFirstHelp => (
                "开启后，学员的评论经组织员审核通过才对其他学员显示；关闭不会自动发布已在等待的评论。",
                "When on, members' comments show to others only once an organizer approves them; turning it off publishes nothing already waiting.",
            ),
            Self::QueueLink => ("评论审核队列", "Moderation queue"),
            Self::WordsHeading => ("敏感词表", "Sensitive words"),
            Self::WordsLabel => ("每行一个词", "One word per line"),
            Self::WordsHelp => (
                "匹配时忽略空格和标点、全角与半角、繁体与简体的差别。含敏感词的评论进入审核队列，不会自动删除；已发表的评论不会重新检查。",
                "Matching ignores spaces, punctuation, full-width forms and traditional/simplified differences. A comment with a listed word waits in the moderation queue; nothing is deleted by itself, and comments already posted are not checked again.",
            ),
            Self::WordsSave => ("保存词表", "Save the list"),
        };
        lang.pick(zh, en)
    }
}

/// The writer as others see them: the full name, or the surname with
/// "同志" when they chose to show only their surname.
pub fn author_label(author: &CommentAuthor, lang: Lang) -> String {
    match (&author.name, lang) {
        (Some(name), _) => name.clone(),
        (None, Lang::Zh) => format!("{}同志", author.surname),
        (None, Lang::En) => format!("Comrade {}", author.surname),
    }
}

/// Why a comment waits for approval, as its writer is told.
pub fn held_for_text(held: HeldFor, lang: Lang) -> &'static str {
    match held {
        HeldFor::ListedWord => lang.pick("含敏感词，待管理员审核", "Contains a listed word; waiting for a moderator"),
        HeldFor::ReviewFirst => lang.pick("本课程评论先审后发", "This course approves comments before publishing"),
    }
}

/// The name of a comment's state.
pub fn state_name(state: courses::discussion::CommentState, lang: Lang) -> &'static str {
    use courses::discussion::CommentState::*;
    match state {
        Published => lang.pick("已发布", "Published"),
        Pending => lang.pick("待审核", "Pending"),
        Hidden => lang.pick("已隐藏", "Hidden"),
        Deleted => lang.pick("已删除", "Deleted"),
    }
}

/// Characters typed of the most allowed: "12 / 1000".
pub fn char_count(n: usize, max: usize) -> String {
    format!("{n} / {max}")
}

/// How many open reports a comment has.
pub fn reports(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 条举报"),
        Lang::En if n == 1 => "1 report".to_owned(),
        Lang::En => format!("{n} reports"),
    }
}

/// The outcome of a moderation step, on the queue item.
pub fn moderated(action: courses::discussion::ModerationAction, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已处理：{}", action.name(lang)),
        Lang::En => format!("Done: {}", action.name(lang)),
    }
}

/// How many words the list holds.
pub fn word_count(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("共 {n} 个词"),
        Lang::En if n == 1 => "1 word".to_owned(),
        Lang::En => format!("{n} words"),
    }
}

/// What saving the word list did.
pub fn words_saved(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已保存，共 {n} 个词。"),
        Lang::En if n == 1 => "Saved: 1 word.".to_owned(),
        Lang::En => format!("Saved: {n} words."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(name: Option<&str>) -> CommentAuthor {
        CommentAuthor {
            name: name.map(str::to_owned), surname: "张".into(), branch: "第一支部".into(), mine: false
        }
    }

    #[test]
    fn a_writer_who_shows_only_the_surname_is_a_comrade() {
        assert_eq!(author_label(&author(Some("张三")), Lang::Zh), "张三");
        assert_eq!(author_label(&author(None), Lang::Zh), "张同志");
        assert_eq!(author_label(&author(None), Lang::En), "Comrade 张");
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(char_count(12, 1000), "12 / 1000");
        assert_eq!(reports(3, Lang::Zh), "3 条举报");
        assert_eq!(reports(1, Lang::En), "1 report");
        assert_eq!(words_saved(2, Lang::En), "Saved: 2 words.");
    }

    #[test]
    fn held_comments_say_why_in_the_words_of_the_brief() {
        assert_eq!(held_for_text(HeldFor::ListedWord, Lang::Zh), "含敏感词，待管理员审核");
        assert_eq!(held_for_text(HeldFor::ReviewFirst, Lang::Zh), "本课程评论先审后发");
    }
}
