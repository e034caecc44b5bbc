//! The clock the database's timestamp columns are written with.

/// Current time as Unix milliseconds, for the study record.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Current time as Unix seconds, the unit of every timestamp column.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// `YYYY-MM-DD` and year of an instant in the platform's time zone: the
/// day study time and passed exams count on.
pub fn day_of(ms: i64, zone: chrono::FixedOffset) -> (String, i32) {
    use chrono::{Datelike, TimeZone};
    match zone.timestamp_millis_opt(ms).single() {
        Some(t) => (t.format("%Y-%m-%d").to_string(), t.year()),
        None => ("1970-01-01".into(), 1970),
    }
}
