//! UI text of the exam pages: the taker's page (rules, the attempt one
//! question at a time, the question map, the result and its review) and
//! the list of the caller's exams. Question kinds are named by the domain
//! (`QuestionKind::name`).

use courses::exam::{AttemptScore, Outcome, PassMark, Points};
use courses::Lang;

/// A fixed piece of exam text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamText {
    MyExams,
    NoExams,
    Practice,
    Questions,
    Points,
    TimeLimit,
    Untimed,
    Attempts,
    Unlimited,
    PassMark,
    Result,
    Start,
    Resume,
    Starting,
    PastAttempts,
    AttemptNo,
    Open,
    TimeLeft,
    QuestionMap,
    Answered,
    Unanswered,
    Flagged,
    Flag,
    Unflag,
    Previous,
    Next,
    Submit,
    ConfirmSubmit,
    Submitting,
    Saved,
    Saving,
    NotSaved,
    Offline,
    BackOnline,
    UnsavedBeforeSubmit,
    TakenOver,
    TimeUp,
    Closed,
    YourAnswer,
    RightAnswer,
    Explanation,
    NoKeyShown,
    True,
    False,
    Blank,
    ShortAnswerHint,
    PendingGrading,
    Feedback,
    Correct,
    Partial,
    Wrong,
    NotAnswered,
    BackToStanding,
    EnterQuiz,
    QuizLesson,
    WaitForPage,
}

impl ExamText {
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::MyExams => ("我的考试", "My exams"),
            Self::NoExams => ("目前没有可参加的考试。", "No exams are open to you now."),
            Self::Practice => ("练习", "Practice"),
            Self::Questions => ("题数", "Questions"),
            Self::Points => ("总分", "Points"),
            Self::TimeLimit => ("限时", "Time limit"),
            Self::Untimed => ("不限时", "Untimed"),
            Self::Attempts => ("作答次数", "Attempts"),
            Self::Unlimited => ("不限", "Unlimited"),
            Self::PassMark => ("及格线", "Pass mark"),
            Self::Result => ("成绩", "Result"),
            Self::Start => ("开始作答", "Start"),
            Self::Resume => ("继续作答", "Resume"),
            Self::Starting => ("正在打开试卷…", "Opening the paper…"),
            Self::PastAttempts => ("作答记录", "Your attempts"),
            Self::AttemptNo => ("第 {} 次", "Attempt {}"),
            Self::Open => ("作答中", "In progress"),
            Self::TimeLeft => ("剩余时间", "Time left"),
            Self::QuestionMap => ("答题卡", "Question map"),
            Self::Answered => ("已答", "Answered"),
            Self::Unanswered => ("未答", "Unanswered"),
            Self::Flagged => ("已标记", "Flagged"),
            Self::Flag => ("标记本题", "Flag"),
            Self::Unflag => ("取消标记", "Unflag"),
            Self::Previous => ("上一题", "Previous"),
            Self::Next => ("下一题", "Next"),
            Self::Submit => ("交卷", "Submit"),
            Self::ConfirmSubmit => ("确定交卷吗？交卷后不能再修改答案。", "Submit now? Answers cannot change afterwards."),
            Self::Submitting => ("正在交卷…", "Submitting…"),
            Self::Saved => ("已保存", "Saved"),
            Self::Saving => ("保存中…", "Saving…"),
            Self::NotSaved => ("未保存，联网后自动重发", "Not saved yet; sent again when online"),
            Self::Offline => (
                "网络已断开。答案先保存在本机，联网后自动提交到服务器。",
                "You are offline. Answers are kept on this device and sent when the network returns.",
            ),
            Self::BackOnline => ("网络已恢复，答案已全部保存。", "Back online; every answer is saved."),
            Self::UnsavedBeforeSubmit => (
                "还有答案没有保存到服务器。请等网络恢复、答案保存后再交卷。",
                "Some answers have not reached the server yet. Submit once the network is back and they are saved.",
            ),
            Self::TakenOver => (
                "本次作答已在其他页面或设备上打开，这里不再保存答案。刷新页面可在此继续。",
                "This attempt was opened on another page or device; this page no longer saves. Reload to continue here.",
            ),
            Self::TimeUp => ("时间到，试卷已由系统提交。", "Time is up; the server submitted the paper."),
            Self::Closed => ("本次作答已提交。", "This attempt is submitted."),
            Self::YourAnswer => ("你的答案", "Your answer"),
            Self::RightAnswer => ("正确答案", "Right answer"),
            Self::Explanation => ("解析", "Explanation"),
            Self::NoKeyShown => ("本考试暂不公布答案和解析。", "This exam does not show answers and explanations now."),
            Self::True => ("对", "True"),
            Self::False => ("错", "False"),
            Self::Blank => ("第 {} 空", "Blank {}"),
            Self::ShortAnswerHint => ("请在此作答，离开输入框即保存。", "Write here; it is saved when you leave the box."),
            Self::PendingGrading => ("简答题待老师评分，成绩届时生效。", "Short answers await a grader; the result is final then."),
            Self::Feedback => ("本题反馈", "Feedback"),
            Self::Correct => ("正确", "Correct"),
            Self::Partial => ("部分正确", "Partly correct"),
            Self::Wrong => ("错误", "Wrong"),
            Self::NotAnswered => ("未作答", "Not answered"),
            Self::BackToStanding => ("返回考试说明", "Back to the exam"),
            Self::EnterQuiz => ("进入测验", "Open the quiz"),
            Self::QuizLesson => (
                "本课时是一次测验，通过后即完成本课时。",
                "This lesson is a quiz; passing it completes the lesson.",
            ),
            Self::WaitForPage => ("页面加载中，请稍候…", "The page is loading…"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The text with `{}` replaced by `n`.
    pub fn with(self, n: impl std::fmt::Display, lang: Lang) -> String {
        self.get(lang).replacen("{}", &n.to_string(), 1)
    }
}

/// "通过" / "未通过" / "待评分".
pub fn outcome_name(outcome: Outcome, lang: Lang) -> &'static str {
    match (outcome, lang) {
        (Outcome::Passed, Lang::Zh) => "通过",
        (Outcome::Passed, Lang::En) => "Passed",
        (Outcome::Failed, Lang::Zh) => "未通过",
        (Outcome::Failed, Lang::En) => "Not passed",
        (Outcome::Pending, Lang::Zh) => "待评分",
        (Outcome::Pending, Lang::En) => "Awaiting grading",
    }
}

/// "34 / 40 分" / "34 of 40 points".
pub fn score_line(score: &AttemptScore, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} / {} 分", score.total, score.max),
        Lang::En => format!("{} of {} points", score.total, score.max),
    }
}

/// "60%" or "60 分" / "60 points".
pub fn pass_mark(mark: PassMark, lang: Lang) -> String {
    match (mark, lang) {
        (PassMark::Percent(p), _) => format!("{p}%"),
        (PassMark::Points(p), Lang::Zh) => format!("{p} 分"),
        (PassMark::Points(p), Lang::En) => format!("{p} points"),
    }
}

/// "2 分" / "2 points".
pub fn points(p: Points, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{p} 分"),
        Lang::En if p == Points::whole(1) => "1 point".to_owned(),
        Lang::En => format!("{p} points"),
    }
}

/// "已答 3 / 5" / "3 of 5 answered".
pub fn answered_line(answered: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已答 {answered} / {total}"),
        Lang::En => format!("{answered} of {total} answered"),
    }
}

/// "40 分钟" / "40 min".
pub fn minutes(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 分钟"),
        Lang::En => format!("{n} min"),
    }
}

/// The time left as `mm:ss`, or `h:mm:ss` from an hour up.
pub fn clock(ms_left: i64) -> String {
    let s = (ms_left.max(0) + 999) / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_rounds_up_so_it_never_shows_zero_early() {
        assert_eq!(clock(40 * 60_000), "40:00");
        assert_eq!(clock(1), "00:01");
        assert_eq!(clock(-5), "00:00");
        assert_eq!(clock(3_600_000 + 61_000), "1:01:01");
    }
}
