//! Calendar dates as meetings use them: the day a meeting was held and the
//! last day of its make-up study. Written `YYYY-MM-DD`; arithmetic in whole
//! days (chrono's `NaiveDate`), with no time zone (the server decides what
//! "today" is in the platform's zone).

use std::fmt;

use chrono::{Datelike, Days, NaiveDate};

/// A calendar date between the years 1900 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

/// A string that is not a date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a date must be written YYYY-MM-DD")]
pub struct BadDate;

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;

fn in_range(d: NaiveDate) -> Option<Date> {
    (MIN_YEAR..=MAX_YEAR).contains(&d.year()).then_some(Date(d))
}

impl Date {
    /// The date, if it exists and lies within the supported years.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).and_then(in_range)
    }

    /// Parses `YYYY-MM-DD` (surrounding spaces ignored); nothing else: four,
    /// two and two ASCII digits (chrono alone would also take `2026-3-15`).
    pub fn parse(raw: &str) -> Result<Date, BadDate> {
        let s = raw.trim();
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
        if !shaped {
            return Err(BadDate);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(in_range).ok_or(BadDate)
    }

    /// The date `days` later (earlier when negative), if within range.
    pub fn plus_days(self, days: i64) -> Option<Date> {
        let step = Days::new(days.unsigned_abs());
        let moved = if days >= 0 { self.0.checked_add_days(step) } else { self.0.checked_sub_days(step) };
        moved.and_then(in_range)
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(Date::parse(" 2026-03-15 ").unwrap().to_string(), "2026-03-15");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-03-15",
            "2026/03/15",
            "2026-3-15",
            "",
            "１９２６-03-15",
            "+026-03-15",
            "1899-12-31",
            "2026-03-15T00",
        ] {
            assert_eq!(Date::parse(bad), Err(BadDate), "{bad}");
        }
    }

    #[test]
    fn days_count_across_months_years_and_leap_days() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("2026-03-15").plus_days(14), Some(d("2026-03-29")));
        assert_eq!(d("2026-12-25").plus_days(14), Some(d("2027-01-08")));
        assert_eq!(d("2024-02-20").plus_days(10), Some(d("2024-03-01")));
        assert_eq!(d("2100-02-28").plus_days(1), Some(d("2100-03-01")));
        assert_eq!(d("2026-03-01").plus_days(-1), Some(d("2026-02-28")));
        assert_eq!(d("2026-01-01").days_until(d("2025-12-31")), -1);
        assert_eq!(d("9999-12-31").plus_days(1), None);
        assert!(d("2026-01-31") < d("2026-02-01"));
    }
}
