//! What a piece of media is ([`MediaKind`]) and where it is in its life
//! ([`MediaState`]), with the transitions between states: the one media
//! state machine, which the server's processing job and the organizer's
//! actions both follow.

use serde::{Deserialize, Serialize};

use super::Problem;
use crate::i18n::{Lang, Localize};

/// What an upload turned out to be, decided by sniffing its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Video,
    Audio,
    Slides,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Slides => "slides",
        }
    }
}

/// Where the renditions above a video's lowest stand. The lesson is
/// published, and plays, as soon as the lowest is ready; the others join
/// its master playlist together once made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ladder {
    /// Being made; the lesson plays in its lowest rendition meanwhile.
    Pending,
    Complete,
    /// Given up after retries; the lesson keeps its lowest rendition.
    Failed,
}

impl Ladder {
    pub fn as_str(self) -> &'static str {
        match self {
            Ladder::Pending => "pending",
            Ladder::Complete => "complete",
            Ladder::Failed => "failed",
        }
    }
}

impl Localize for MediaKind {
    fn localize(&self, lang: Lang) -> String {
        match self {
            MediaKind::Video => lang.pick("视频", "Video"),
            MediaKind::Audio => lang.pick("音频", "Audio"),
            MediaKind::Slides => lang.pick("演示文稿", "Slide deck"),
        }
        .to_owned()
    }
}

/// Where a piece of media is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaState {
    /// Waiting for a worker.
    Queued,
    /// A worker is transcoding or converting it; see `percent`.
    Processing,
    /// Outputs are published and can be studied.
    Ready,
    /// Refused or broken; see `problem`.
    Failed,
    /// An organizer stopped the processing.
    Cancelled,
}

impl MediaState {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaState::Queued => "queued",
            MediaState::Processing => "processing",
            MediaState::Ready => "ready",
            MediaState::Failed => "failed",
            MediaState::Cancelled => "cancelled",
        }
    }

    /// Whether an organizer may stop its processing.
    pub fn can_cancel(self) -> bool {
        matches!(self, MediaState::Queued | MediaState::Processing)
    }

    /// Whether an organizer may queue it again.
    pub fn can_retry(self) -> bool {
        matches!(self, MediaState::Failed | MediaState::Cancelled)
    }
}

impl Localize for MediaState {
    fn localize(&self, lang: Lang) -> String {
        match self {
            MediaState::Queued => lang.pick("排队中", "Queued"),
            MediaState::Processing => lang.pick("处理中", "Processing"),
            MediaState::Ready => lang.pick("已就绪", "Ready"),
            MediaState::Failed => lang.pick("失败", "Failed"),
            MediaState::Cancelled => lang.pick("已取消", "Cancelled"),
        }
        .to_owned()
    }
}

/// What happens to a piece of media; each event leads to one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaEvent {
    /// Stored and waiting for its first processing.
    Registered,
    /// A worker started on it.
    Started,
    /// Its outputs were published.
    Published,
    /// Refused, or failed for good.
    Failed(Problem),
    /// Its processing was stopped: by an organizer while queued, or by the
    /// worker that saw the request.
    Cancelled,
    /// Processing went wrong and will be tried again later.
    Retrying,
    /// An organizer asked for it to be processed again.
    Retried,
}

impl MediaEvent {
    /// The state the media is in after this event.
    pub fn state(&self) -> MediaState {
        match self {
            MediaEvent::Registered | MediaEvent::Retrying | MediaEvent::Retried => MediaState::Queued,
            MediaEvent::Started => MediaState::Processing,
            MediaEvent::Published => MediaState::Ready,
            MediaEvent::Failed(_) => MediaState::Failed,
            MediaEvent::Cancelled => MediaState::Cancelled,
        }
    }

    /// The problem to store with the new state: `Some(None)` clears the
    /// stored one, `None` leaves it as it is (a worker starting on a queued
    /// item, whose problem was cleared when it was queued).
    pub fn problem(&self) -> Option<Option<&Problem>> {
        match self {
            MediaEvent::Started => None,
            MediaEvent::Failed(problem) => Some(Some(problem)),
            _ => Some(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unfinished_media_can_be_cancelled_and_only_ended_media_retried() {
        let all =
            [MediaState::Queued, MediaState::Processing, MediaState::Ready, MediaState::Failed, MediaState::Cancelled];
        for state in all {
            assert!(!(state.can_cancel() && state.can_retry()), "{state:?}");
        }
        assert!(MediaState::Processing.can_cancel());
        assert!(MediaState::Failed.can_retry());
        assert!(!MediaState::Ready.can_cancel() && !MediaState::Ready.can_retry());
    }

    #[test]
    fn a_failure_keeps_its_problem_and_a_retry_clears_it() {
        assert_eq!(MediaEvent::Failed(Problem::Damaged).problem(), Some(Some(&Problem::Damaged)));
        assert_eq!(MediaEvent::Retried.problem(), Some(None));
        assert_eq!(MediaEvent::Retried.state(), MediaState::Queued);
        assert_eq!(MediaEvent::Started.problem(), None);
    }
}
