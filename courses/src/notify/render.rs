//! A notification's text in Chinese and English, and the e-mail made of it.

use super::{NotificationKind, Payload, Subject};
use crate::i18n::Lang;

/// A notification as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// A few words: what happened.
    pub title: String,
    /// One or two sentences: what to do, by when.
    pub body: String,
    /// Where to do it (a path on the site).
    pub link: String,
}

/// A reminder e-mail: a Chinese subject, the Chinese text with the English
/// below it (people have no stored language; the platform's is Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

fn title(kind: NotificationKind, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        NotificationKind::MakeupDueSoon => ("补学即将到期", "Make-up study due soon"),
        NotificationKind::MakeupOverdue => ("补学已逾期", "Make-up study overdue"),
        NotificationKind::AssignmentDueSoon => ("学习任务即将到期", "Assigned course due soon"),
        NotificationKind::AssignmentOverdue => ("学习任务已逾期", "Assigned course overdue"),
        NotificationKind::OrganizerReminder => ("组织提醒", "Reminder from your organizer"),
        NotificationKind::MakeupNew => ("新的补学任务", "New make-up study"),
        NotificationKind::AssignmentNew => ("新的学习任务", "New assigned course"),
        NotificationKind::NoticeNew => ("新通知", "New notice"),
    };
    lang.pick(zh, en)
}

/// The sentence about the subject: due soon, or past its deadline (also
/// what an organizer's reminder says, since it goes to those overdue).
fn sentence(subject: &Subject, overdue: bool, lang: Lang) -> String {
    match (subject, lang) {
        (Subject::Makeup { meeting_kind, topic, held_on, deadline, .. }, Lang::Zh) => {
            let what = format!("您未参加的{}“{topic}”（{held_on}）", meeting_kind.name(lang));
            if overdue {
                format!("{what}补学截止日期 {deadline} 已过，请尽快完成补学。")
            } else {
                format!("{what}须在 {deadline} 前完成补学。")
            }
        }
        (Subject::Makeup { meeting_kind, topic, held_on, deadline, .. }, Lang::En) => {
            let what = format!("the {} “{topic}” ({held_on}) you missed", meeting_kind.name(lang));
            if overdue {
                format!("The make-up deadline {deadline} for {what} has passed; please make it up soon.")
            } else {
                format!("Please make up {what} by {deadline}.")
            }
        }
        (Subject::Assignment { course_title, due_on, .. }, Lang::Zh) => {
            if overdue {
                format!("课程《{course_title}》的完成期限 {due_on} 已过，请尽快学完。")
            } else {
                format!("课程《{course_title}》须在 {due_on} 前学完。")
            }
        }
        (Subject::Assignment { course_title, due_on, .. }, Lang::En) => {
            if overdue {
                format!("The course “{course_title}” was due on {due_on}; please complete it soon.")
            } else {
                format!("Please complete the course “{course_title}” by {due_on}.")
            }
        }
        (Subject::Notice { title, must_read, read_by, .. }, Lang::Zh) => match (must_read, read_by) {
            (true, Some(by)) => format!("必读通知《{title}》，请在 {by} 前阅读。"),
            (true, None) => format!("必读通知《{title}》，请及时阅读。"),
            (false, _) => format!("通知《{title}》。"),
        },
        (Subject::Notice { title, must_read, read_by, .. }, Lang::En) => match (must_read, read_by) {
            (true, Some(by)) => format!("Please read the notice “{title}” by {by}."),
            (true, None) => format!("Please read the notice “{title}”."),
            (false, _) => format!("A notice: “{title}”."),
        },
    }
}

/// The notification in `lang`.
pub fn render(kind: NotificationKind, payload: &Payload, lang: Lang) -> Message {
    let overdue = !matches!(
        kind,
        NotificationKind::MakeupDueSoon
            | NotificationKind::AssignmentDueSoon
            | NotificationKind::MakeupNew
            | NotificationKind::AssignmentNew
            | NotificationKind::NoticeNew
    );
    let mut body = sentence(&payload.subject, overdue, lang);
    if kind == NotificationKind::OrganizerReminder {
        let from = payload.from.as_deref().filter(|f| !f.trim().is_empty());
        body = match (from, lang) {
            (Some(from), Lang::Zh) => format!("{from}提醒您：{body}"),
            (Some(from), Lang::En) => format!("{from} reminds you: {body}"),
            (None, _) => body,
        };
    }
    Message { title: title(kind, lang).to_owned(), body, link: payload.subject.link() }
}

/// The e-mail of a notification; `site` is the site's address without a
/// trailing slash, so the link can be followed from a mail client.
pub fn email(kind: NotificationKind, payload: &Payload, site: &str) -> Mail {
    let zh = render(kind, payload, Lang::Zh);
    let en = render(kind, payload, Lang::En);
    let name = match &payload.subject {
        Subject::Makeup { topic, .. } => topic,
        Subject::Assignment { course_title, .. } => course_title,
        Subject::Notice { title, .. } => title,
    };
    let url = format!("{site}{}", zh.link);
    Mail {
        subject: format!("【党校】{}：{name}", zh.title),
        body: format!(
            "{}\n\n{url}\n\n——\n{}: {}\n\n{url}\n\n（本邮件由党校平台自动发送，请勿直接回复。This message was sent \
             automatically; please do not reply.）\n",
            zh.body, en.title, en.body
        ),
    }
}

/// Why a one-click reminder must wait `retry_after_secs` more.
pub fn cooldown(retry_after_secs: i64, lang: Lang) -> String {
    let minutes = (retry_after_secs.max(1) + 59) / 60;
    match lang {
        Lang::Zh => format!("刚刚已经提醒过：同一会议或学习任务每隔一段时间只能提醒一次，请 {minutes} 分钟后再试。"),
        Lang::En => format!(
            "Reminded a moment ago: a meeting or an assignment can be reminded once in a while only; try again in \
             {minutes} minute(s)."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::MeetingKind;

    fn makeup() -> Payload {
        Payload {
            subject: Subject::Makeup {
                meeting_id: 3,
                meeting_kind: MeetingKind::PartyLecture,
                topic: "学习新党章".into(),
                held_on: "2026-03-01".into(),
                deadline: "2026-03-15".into(),
                lesson_id: Some(12),
            },
            from: None,
        }
    }

    fn assignment() -> Payload {
        Payload {
            subject: Subject::Assignment {
                assignment_id: 2,
                course_id: 5,
                course_title: "党章学习".into(),
                due_on: "2026-04-01".into(),
            },
            from: None,
        }
    }

    #[test]
    fn every_kind_reads_in_both_languages() {
        for kind in NotificationKind::ALL {
            for payload in [makeup(), assignment()] {
                let (zh, en) = (render(kind, &payload, Lang::Zh), render(kind, &payload, Lang::En));
                assert!(!zh.title.is_empty() && zh.title != en.title, "{kind:?}");
                assert!(!zh.body.is_empty() && zh.body != en.body, "{kind:?}");
                assert_eq!(zh.link, en.link);
            }
        }
    }

    #[test]
    fn the_text_names_the_subject_and_its_deadline() {
        let m = render(NotificationKind::MakeupDueSoon, &makeup(), Lang::Zh);
        assert_eq!(m.body, "您未参加的党课“学习新党章”（2026-03-01）须在 2026-03-15 前完成补学。");
        assert_eq!(m.link, "/lessons/12");
        let a = render(NotificationKind::AssignmentOverdue, &assignment(), Lang::En);
        assert!(a.body.contains("“党章学习” was due on 2026-04-01"), "{}", a.body);
        assert_eq!(a.link, "/courses/5");
    }

    #[test]
    fn a_new_task_says_what_it_is_and_by_when() {
        let m = render(NotificationKind::MakeupNew, &makeup(), Lang::Zh);
        assert_eq!(m.title, "新的补学任务");
        assert_eq!(m.body, "您未参加的党课“学习新党章”（2026-03-01）须在 2026-03-15 前完成补学。");
        let a = render(NotificationKind::AssignmentNew, &assignment(), Lang::En);
        assert_eq!(a.title, "New assigned course");
        assert_eq!(a.body, "Please complete the course “党章学习” by 2026-04-01.");
    }

    #[test]
    fn the_cooldown_names_the_minutes_left_rounded_up() {
        assert!(cooldown(3599, Lang::Zh).contains("请 60 分钟后再试"));
        assert!(cooldown(61, Lang::En).contains("try again in 2 minute(s)"));
    }

    #[test]
    fn an_organizers_reminder_says_who_sent_it() {
        let mut p = assignment();
        p.from = Some("王书记".into());
        let m = render(NotificationKind::OrganizerReminder, &p, Lang::Zh);
        assert!(m.body.starts_with("王书记提醒您：课程《党章学习》的完成期限 2026-04-01 已过"), "{}", m.body);
        assert!(render(NotificationKind::OrganizerReminder, &p, Lang::En).body.starts_with("王书记 reminds you:"));
    }

    #[test]
    fn the_email_has_a_chinese_subject_and_both_texts_with_a_full_link() {
        let e = email(NotificationKind::MakeupOverdue, &makeup(), "https://dx.example.org");
        assert_eq!(e.subject, "【党校】补学已逾期：学习新党章");
        assert!(e.body.contains("https://dx.example.org/lessons/12"), "{}", e.body);
        assert!(e.body.contains("补学截止日期 2026-03-15 已过") && e.body.contains("has passed"), "{}", e.body);
    }
}
