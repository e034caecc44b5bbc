//! Messages for progress errors and discard reasons, in Chinese and English.

use crate::i18n::{Lang, Localize};

use super::assess::DiscardReason;
use super::beat::BeatError;
use super::hours::HourRulesError;
use super::rules::RulesError;

impl Localize for DiscardReason {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::PageHidden => ("页面不在前台，不计学时", "the page was hidden"),
            Self::Idle => ("长时间无操作，不计学时", "no interaction for too long"),
            Self::AlreadyWatched => ("已学过的部分，不重复计时", "already watched"),
            Self::SecondSession => ("已在其他设备或窗口继续学习", "another device or tab took over"),
            Self::BeyondDuration => ("超出课程内容时长", "beyond the lesson's length"),
            Self::ImplausibleJump => ("进度跳跃超出实际经过的时间", "more time than had passed"),
            Self::SkippedAhead => ("首次学习时不能跳过未学内容", "skipped ahead on first viewing"),
            Self::OutOfOrder => ("心跳顺序错乱，未计时", "arrived out of order"),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl Localize for BeatError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::BadSessionId, Lang::Zh) => "学习会话编号无效，请重新打开课程。".into(),
            (Self::BadSeq, Lang::Zh) => "心跳序号须从 1 开始。".into(),
            (Self::NotANumber { field }, Lang::Zh) => format!("{field} 必须是有效数字。"),
            (Self::Negative { field }, Lang::Zh) => format!("{field} 不能为负数。"),
            (Self::TooLarge { field }, Lang::Zh) => format!("{field} 超出了任何课程的长度。"),
            (Self::Reversed { index }, Lang::Zh) => format!("第 {} 个播放区间的结束早于开始。", index + 1),
            (Self::TooManyEntries, Lang::Zh) => "一次心跳最多包含 64 个区间或幻灯片记录。".into(),
            (Self::RateOutOfRange { rate }, Lang::Zh) => format!("播放速度 {rate} 超出允许范围（0.5–2 倍）。"),
            (e, Lang::En) => {
                let mut s = e.to_string();
                s.push('.');
                s
            }
        }
    }
}

impl Localize for RulesError {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("规则 {} 须在 {} 到 {} 之间。", self.field, self.min, self.max),
            Lang::En => format!("{}.", self),
        }
    }
}

impl Localize for HourRulesError {
    fn localize(&self, lang: Lang) -> String {
        let steps = self.field == "passed_exam_hours";
        match (lang, steps) {
            (Lang::Zh, false) => format!("学时规则 {} 须在 {} 到 {} 之间。", self.field, self.min, self.max),
            (Lang::Zh, true) => {
                format!("学时规则 {} 须在 {} 到 {} 之间，以 0.05 为单位。", self.field, self.min, self.max)
            }
            (Lang::En, false) => format!("{}.", self),
            (Lang::En, true) => format!("{} in steps of 0.05.", self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_discard_reason_reads_in_both_languages_and_round_trips() {
        for r in DiscardReason::ALL {
            assert!(!r.localize(Lang::Zh).is_empty());
            assert_ne!(r.localize(Lang::Zh), r.localize(Lang::En));
            assert_eq!(DiscardReason::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }
}
