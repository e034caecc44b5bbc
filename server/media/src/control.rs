//! The line between a running conversion and whoever started it: progress
//! goes out, cancellation comes in. Cheap to clone; all clones share state.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use crate::MediaError;

#[derive(Debug, Clone, Default)]
pub struct Control {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Progress in parts per 10,000, so that small steps still show.
    progress: AtomicU32,
    cancelled: AtomicBool,
}

impl Control {
    pub fn new() -> Control {
        Control::default()
    }

    /// Records progress as a fraction of the whole (clamped to 0..=1).
    /// Progress never goes backwards.
    pub fn set_progress(&self, fraction: f64) {
        let value = (fraction.clamp(0.0, 1.0) * 10_000.0).round() as u32;
        self.inner.progress.fetch_max(value, Ordering::Relaxed);
    }

    /// Progress as a whole percent, 0–100.
    pub fn percent(&self) -> u8 {
        (self.inner.progress.load(Ordering::Relaxed) / 100).min(100) as u8
    }

    /// Asks the conversion to stop as soon as it can.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(MediaError::Cancelled)` once cancelled: call it in every loop.
    pub fn check(&self) -> Result<(), MediaError> {
        if self.is_cancelled() {
            Err(MediaError::Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_clamped_monotonic_and_shared_between_clones() {
        let c = Control::new();
        let other = c.clone();
        c.set_progress(0.424);
        assert_eq!(other.percent(), 42);
        c.set_progress(0.1);
        assert_eq!(other.percent(), 42);
        c.set_progress(7.0);
        assert_eq!(other.percent(), 100);
    }

    #[test]
    fn cancellation_is_seen_by_every_clone() {
        let c = Control::new();
        let other = c.clone();
        assert!(other.check().is_ok());
        c.cancel();
        assert!(matches!(other.check(), Err(MediaError::Cancelled)));
    }
}
