//! Study hours (学时): converting credited study time under rules an admin
//! edits. The rules are applied when hours are read, so changing them (say
//! 45 to 40 minutes per 学时) restates every total consistently.

use serde::{Deserialize, Serialize};

use crate::standing::Standing;

/// How credited time becomes 学时, and the yearly targets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct StudyHourRules {
    /// Minutes of credited study that make one 学时.
    pub minutes_per_hour: u32,
    /// Most minutes credited per calendar day; 0 means no cap.
    pub daily_cap_minutes: u32,
    /// Yearly target in 学时 for party members (预备 and 正式).
    pub member_target_hours: u32,
    /// Yearly target in 学时 for those not yet members: applicants,
    /// activists and candidates.
    pub activist_target_hours: u32,
    /// 学时 a passed exam earns (0–10, in steps of 0.05), outside the
    /// daily cap. The common rule: a passed test is worth 0.5 学时.
    pub passed_exam_hours: f64,
}

impl Default for StudyHourRules {
    fn default() -> Self {
        StudyHourRules {
            minutes_per_hour: 45,
            daily_cap_minutes: 240,
            member_target_hours: 32,
            activist_target_hours: 32,
            passed_exam_hours: 0.5,
        }
    }
}

/// A rule outside what makes sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be between {min} and {max}")]
pub struct HourRulesError {
    pub field: &'static str,
    pub min: u32,
    pub max: u32,
}

/// Credited study time of one calendar day, and the exams passed that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayTotal {
    /// `YYYY-MM-DD` in the platform's time zone.
    pub day: String,
    pub credited_ms: u64,
    pub exams_passed: u32,
}

impl DayTotal {
    /// A day of study time only.
    pub fn studied(day: String, credited_ms: u64) -> DayTotal {
        DayTotal { day, credited_ms, exams_passed: 0 }
    }
}

/// A period's hours after the daily cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursSummary {
    /// Credited ms before the cap, with the passed exams' worth.
    pub credited_ms: u64,
    /// Ms over the daily cap, not counted.
    pub over_cap_ms: u64,
    /// Counted 学时, to two decimals.
    pub hours: f64,
    pub target_hours: u32,
    /// Share of the target reached, 0–100.
    pub percent_of_target: u8,
    /// Days that hit the cap.
    pub capped_days: Vec<String>,
}

impl StudyHourRules {
    pub fn validate(&self) -> Result<(), HourRulesError> {
        let check = |field, value: u32, min, max| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(HourRulesError { field, min, max })
            }
        };
        check("minutes_per_hour", self.minutes_per_hour, 1, 240)?;
        check("daily_cap_minutes", self.daily_cap_minutes, 0, 1440)?;
        check("member_target_hours", self.member_target_hours, 0, 2000)?;
        check("activist_target_hours", self.activist_target_hours, 0, 2000)?;
        let steps = self.passed_exam_hours * 20.0;
        if !(0.0..=10.0).contains(&self.passed_exam_hours) || (steps - steps.round()).abs() > 1e-6 {
            return Err(HourRulesError { field: "passed_exam_hours", min: 0, max: 10 });
        }
        Ok(())
    }

    /// Credited ms that `passed` exams are worth: their 学时 at the
    /// minutes a 学时 takes, so totals convert back exactly.
    pub fn exam_ms(&self, passed: u64) -> u64 {
        let per_exam = self.passed_exam_hours * f64::from(self.minutes_per_hour.max(1)) * 60_000.0;
        passed * per_exam.round() as u64
    }

    pub fn target_for(&self, standing: Standing) -> u32 {
        if standing.before_membership() {
            self.activist_target_hours
        } else {
            self.member_target_hours
        }
    }

    /// 学时 for credited ms, to two decimals (no cap applied).
    pub fn hours(&self, ms: u64) -> f64 {
        let per_hour = u64::from(self.minutes_per_hour.max(1)) * 60_000;
        ((ms as f64 / per_hour as f64) * 100.0).floor() / 100.0
    }

    /// Applies the daily cap to each day and converts the total.
    pub fn summarize(&self, days: &[DayTotal], standing: Standing) -> HoursSummary {
        let cap = u64::from(self.daily_cap_minutes) * 60_000;
        let mut counted = 0u64;
        let mut credited = 0u64;
        let mut capped_days = Vec::new();
        for d in days {
            credited += d.credited_ms;
            if cap > 0 && d.credited_ms > cap {
                counted += cap;
                capped_days.push(d.day.clone());
            } else {
                counted += d.credited_ms;
            }
            // The cap is on time spent studying; a passed exam is not that.
            let exams = self.exam_ms(u64::from(d.exams_passed));
            credited += exams;
            counted += exams;
        }
        let hours = self.hours(counted);
        let target = self.target_for(standing);
        let percent = if target == 0 { 100 } else { ((hours / f64::from(target)) * 100.0).min(100.0) as u8 };
        HoursSummary {
            credited_ms: credited,
            over_cap_ms: credited - counted,
            hours,
            target_hours: target,
            percent_of_target: percent,
            capped_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str, minutes: u64) -> DayTotal {
        DayTotal::studied(d.into(), minutes * 60_000)
    }

    #[test]
    fn forty_five_minutes_make_one_hour_by_default() {
        let r = StudyHourRules::default();
        assert_eq!(r.hours(45 * 60_000), 1.0);
        assert_eq!(r.hours(90 * 60_000 - 1), 1.99);
    }

    #[test]
    fn the_daily_cap_limits_each_day_separately() {
        let r = StudyHourRules { daily_cap_minutes: 90, ..Default::default() };
        let s = r.summarize(&[day("2026-11-01", 120), day("2026-11-02", 45)], Standing::Full);
        assert_eq!(s.hours, 3.0);
        assert_eq!(s.over_cap_ms, 30 * 60_000);
        assert_eq!(s.capped_days, vec!["2026-11-01".to_string()]);
        assert_eq!(s.percent_of_target, 9);
    }

    #[test]
    fn no_cap_when_zero_and_activists_have_their_own_target() {
        let r = StudyHourRules { daily_cap_minutes: 0, activist_target_hours: 10, ..Default::default() };
        let s = r.summarize(&[day("2026-11-01", 900)], Standing::Activist);
        assert_eq!(s.hours, 20.0);
        assert_eq!(s.percent_of_target, 100);
        assert_eq!(s.target_hours, 10);
    }

    #[test]
    fn a_passed_exam_adds_its_hours_outside_the_daily_cap() {
        let r = StudyHourRules { daily_cap_minutes: 90, ..Default::default() };
        let mut d = day("2026-11-01", 120);
        d.exams_passed = 2;
        let s = r.summarize(&[d], Standing::Full);
        assert_eq!(s.hours, 3.0, "90 capped minutes are 2 学时, and two passes 0.5 each");
        assert_eq!(s.over_cap_ms, 30 * 60_000);
        let forty = StudyHourRules { minutes_per_hour: 40, ..r };
        assert_eq!(forty.hours(forty.exam_ms(1)), 0.5, "the rule restates with the minutes per 学时");
    }

    #[test]
    fn the_passed_exam_rule_is_checked() {
        for bad in [-0.5, 10.5, 0.33, f64::NAN] {
            let r = StudyHourRules { passed_exam_hours: bad, ..Default::default() };
            assert_eq!(r.validate().unwrap_err().field, "passed_exam_hours", "{bad}");
        }
        let ok = StudyHourRules { passed_exam_hours: 1.25, ..Default::default() };
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn bad_rules_name_the_field() {
        let r = StudyHourRules { minutes_per_hour: 0, ..Default::default() };
        assert_eq!(r.validate().unwrap_err().field, "minutes_per_hour");
    }
}
