//! Login throttling: how many failed attempts a login may have before it
//! must wait. Kept in the database by the server so every app server agrees.

/// Failed attempts allowed inside one window.
pub const MAX_FAILURES: u32 = 5;
/// Length of the window, and of the wait once it is exceeded.
pub const WINDOW_SECS: i64 = 15 * 60;

/// The failures recorded for one login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    /// Unix seconds of the first failure in the current window.
    pub window_start: i64,
}

/// What to do with a login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Try,
    /// Refuse without checking; the caller may try again after this many seconds.
    Wait(i64),
}

/// Decides whether a login attempt may be checked at `now`.
pub fn verdict(failures: Option<Failures>, now: i64) -> Verdict {
    match failures {
        Some(f) if f.count >= MAX_FAILURES && now < f.window_start + WINDOW_SECS => {
            Verdict::Wait(f.window_start + WINDOW_SECS - now)
        }
        _ => Verdict::Try,
    }
}

/// The failures after one more failed attempt at `now`.
pub fn record_failure(failures: Option<Failures>, now: i64) -> Failures {
    match failures {
        Some(f) if now < f.window_start + WINDOW_SECS => Failures { count: f.count + 1, ..f },
        _ => Failures { count: 1, window_start: now },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_inside_the_window_must_wait() {
        let mut f = None;
        for _ in 0..MAX_FAILURES {
            assert_eq!(verdict(f, 100), Verdict::Try);
            f = Some(record_failure(f, 100));
        }
        assert_eq!(verdict(f, 160), Verdict::Wait(WINDOW_SECS - 60));
    }

    #[test]
    fn the_window_expires_and_counting_restarts() {
        let f = Some(Failures { count: MAX_FAILURES, window_start: 0 });
        assert_eq!(verdict(f, WINDOW_SECS), Verdict::Try);
        assert_eq!(record_failure(f, WINDOW_SECS), Failures { count: 1, window_start: WINDOW_SECS });
    }
}
