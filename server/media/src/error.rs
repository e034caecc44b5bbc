//! How media processing fails.

use courses::media::Problem;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The input cannot be used; retrying will not help. The problem tells
    /// the organizer what to do.
    #[error("rejected: {0}")]
    Rejected(Problem),
    /// [`crate::Control::cancel`] was called.
    #[error("cancelled")]
    Cancelled,
    /// Something on our side failed (a missing tool, a full disk, a bug);
    /// worth retrying. The chain goes to the log, never to the user.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl MediaError {
    pub fn rejected(problem: Problem) -> MediaError {
        MediaError::Rejected(problem)
    }
}

impl From<std::io::Error> for MediaError {
    fn from(e: std::io::Error) -> Self {
        MediaError::Failed(e.into())
    }
}
