//! Calendar dates as meetings use them: the day a meeting was held and the
//! last day of its make-up study. Written `YYYY-MM-DD`; arithmetic in whole
//! days on the proleptic Gregorian calendar, with no time zone (the server
//! decides what "today" is in the platform's zone).

use std::fmt;

/// A calendar date between the years 1900 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order makes the derived ordering chronological.
    year: i32,
    month: u8,
    day: u8,
}

/// A string that is not a date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a date must be written YYYY-MM-DD")]
pub struct BadDate;

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The date, if it exists and lies within the supported years.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        let day = u8::try_from(day).ok()?;
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (surrounding spaces ignored); nothing else.
    pub fn parse(raw: &str) -> Result<Date, BadDate> {
        let s = raw.trim();
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(BadDate);
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| BadDate);
        let year = i32::try_from(num(0..4)?).map_err(|_| BadDate)?;
        Date::from_ymd(year, num(5..7)?, num(8..10)?).ok_or(BadDate)
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    pub fn to_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, if within the supported years.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::from_ymd(i32::try_from(year).ok()?, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
    }

    /// The date `days` later (earlier when negative), if within range.
    pub fn plus_days(self, days: i64) -> Option<Date> {
        Date::from_days(self.to_days() + days)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        assert_eq!(d("1970-01-01").to_days(), 0);
        assert_eq!(d("2026-03-15").plus_days(14), Some(d("2026-03-29")));
        assert_eq!(d("2026-12-25").plus_days(14), Some(d("2027-01-08")));
        assert_eq!(d("2024-02-20").plus_days(10), Some(d("2024-03-01")));
        assert_eq!(d("2100-02-28").plus_days(1), Some(d("2100-03-01")));
        assert_eq!(d("2026-01-01").days_until(d("2025-12-31")), -1);
        assert_eq!(d("9999-12-31").plus_days(1), None);
        assert!(d("2026-01-31") < d("2026-02-01"));
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -25_567i64..2_900_000) {
            let date = Date::from_days(days).unwrap();
            prop_assert_eq!(date.to_days(), days);
            prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
        }
    }
}
