//! Party standing (政治面貌 within the party's development path), apart
//! from what a person may do in dangxiao (their [`Role`](crate::Role)): an
//! organizer is also, say, a 正式党员. Each change of standing is a dated
//! milestone with who recorded it.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};
use crate::meeting::Date;

/// Where a person is on the path into the party, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// 入党申请人: has applied.
    Applicant,
    /// 入党积极分子.
    Activist,
    /// 发展对象.
    Candidate,
    /// 预备党员.
    Probationary,
    /// 正式党员.
    Full,
}

impl Standing {
    pub const ALL: [Standing; 5] = [Self::Applicant, Self::Activist, Self::Candidate, Self::Probationary, Self::Full];

    /// The stable code stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Activist => "activist",
            Self::Candidate => "candidate",
            Self::Probationary => "probationary",
            Self::Full => "full",
        }
    }

    /// The code, or the Chinese name as rosters write it.
    pub fn parse(s: &str) -> Option<Standing> {
        let s = s.trim().to_lowercase();
        let standing = match s.as_str() {
            "applicant" | "入党申请人" | "申请人" => Self::Applicant,
            "activist" | "入党积极分子" | "积极分子" => Self::Activist,
            "candidate" | "发展对象" => Self::Candidate,
            "probationary" | "预备党员" => Self::Probationary,
            "full" | "正式党员" | "党员" | "中共党员" => Self::Full,
            _ => return None,
        };
        Some(standing)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Applicant => ("入党申请人", "Applicant"),
            Self::Activist => ("入党积极分子", "Activist"),
            Self::Candidate => ("发展对象", "Candidate for membership"),
            Self::Probationary => ("预备党员", "Probationary member"),
            Self::Full => ("正式党员", "Full member"),
        };
        lang.pick(zh, en)
    }

    /// The milestone that brings a person to this standing.
    pub fn milestone(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Applicant => ("递交入党申请书", "Application submitted"),
            Self::Activist => ("确定为入党积极分子", "Named an activist"),
            Self::Candidate => ("列为发展对象", "Named a candidate"),
            Self::Probationary => ("接收为预备党员", "Accepted as a probationary member"),
            Self::Full => ("转为正式党员", "Full membership"),
        };
        lang.pick(zh, en)
    }

    /// Not yet a party member: the yearly 学时 target of activists applies.
    pub fn before_membership(self) -> bool {
        self < Self::Probationary
    }
}

/// A milestone to record: the standing reached and the day it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMilestone {
    pub standing: Standing,
    /// `YYYY-MM-DD`; not in the future.
    pub on: String,
}

/// A milestone as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MilestoneView {
    pub id: i64,
    pub standing: Standing,
    /// `YYYY-MM-DD`.
    pub on: String,
    /// Who recorded it; None once that account is gone.
    pub recorded_by: Option<String>,
    /// Unix milliseconds.
    pub recorded_at_ms: i64,
}

/// A person's standing and its milestones, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandingView {
    pub person_id: i64,
    pub standing: Standing,
    pub milestones: Vec<MilestoneView>,
}

/// Why a milestone cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MilestoneError {
    #[error("the day must be written YYYY-MM-DD")]
    BadDate,
    #[error("a milestone cannot be dated in the future")]
    InFuture,
    #[error("a milestone cannot be dated before the previous one ({previous})")]
    BeforePrevious { previous: String },
    #[error("the person already has this standing")]
    Unchanged,
}

impl MilestoneError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadDate => "milestone_bad_date",
            Self::InFuture => "milestone_in_future",
            Self::BeforePrevious { .. } => "milestone_before_previous",
            Self::Unchanged => "milestone_unchanged",
        }
    }
}

impl Localize for MilestoneError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::BadDate, Lang::Zh) => "日期须写作 YYYY-MM-DD，例如 2026-07-01。".into(),
            (Self::BadDate, Lang::En) => "The day must be written YYYY-MM-DD, for example 2026-07-01.".into(),
            (Self::InFuture, Lang::Zh) => "身份变更的日期不能晚于今天。".into(),
            (Self::InFuture, Lang::En) => "A change of standing cannot be dated in the future.".into(),
            (Self::BeforePrevious { previous }, Lang::Zh) => format!("日期不能早于上一次身份变更（{previous}）。"),
            (Self::BeforePrevious { previous }, Lang::En) => {
                format!("The day cannot be before the previous change of standing ({previous}).")
            }
            (Self::Unchanged, Lang::Zh) => "此人已是该身份。".into(),
            (Self::Unchanged, Lang::En) => "The person already has this standing.".into(),
        }
    }
}

/// Checks a milestone against today and the person's last one.
pub fn check_milestone(
    new: &NewMilestone,
    current: Standing,
    last_day: Option<&str>,
    today: Date,
) -> Result<Date, MilestoneError> {
    let on = Date::parse(&new.on).map_err(|_| MilestoneError::BadDate)?;
    if on > today {
        return Err(MilestoneError::InFuture);
    }
    if let Some(previous) = last_day {
        if new.on.as_str() < previous {
            return Err(MilestoneError::BeforePrevious { previous: previous.to_owned() });
        }
    }
    if new.standing == current {
        return Err(MilestoneError::Unchanged);
    }
    Ok(on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn standings_read_their_codes_and_chinese_names_in_order() {
        for s in Standing::ALL {
            assert_eq!(Standing::parse(s.as_str()), Some(s));
            assert_eq!(Standing::parse(s.name(Lang::Zh)), Some(s));
        }
        assert_eq!(Standing::parse("积极分子"), Some(Standing::Activist));
        assert_eq!(Standing::parse("群众"), None);
        assert!(Standing::Candidate.before_membership() && !Standing::Probationary.before_membership());
    }

    #[test]
    fn milestones_are_not_in_the_future_nor_before_the_last_one() {
        let today = day("2026-12-07");
        let m = |standing, on: &str| NewMilestone { standing, on: on.into() };
        assert!(check_milestone(&m(Standing::Candidate, "2026-12-07"), Standing::Activist, Some("2025-06-01"), today)
            .is_ok());
        assert_eq!(
            check_milestone(&m(Standing::Candidate, "2026-12-08"), Standing::Activist, None, today),
            Err(MilestoneError::InFuture)
        );
        assert!(matches!(
            check_milestone(&m(Standing::Candidate, "2025-01-01"), Standing::Activist, Some("2025-06-01"), today),
            Err(MilestoneError::BeforePrevious { .. })
        ));
        assert_eq!(
            check_milestone(&m(Standing::Activist, "2026-01-01"), Standing::Activist, None, today),
            Err(MilestoneError::Unchanged)
        );
        assert_eq!(
            check_milestone(&m(Standing::Full, "2026-02-30"), Standing::Activist, None, today),
            Err(MilestoneError::BadDate)
        );
    }
}
