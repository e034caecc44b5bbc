//! Uploaded teaching material (lecture videos, recorded talks, slide decks)
//! and its processing: what the API and the UI exchange, the file-name rule,
//! and the catalog of reasons a file was refused, in Chinese and English.
//!
//! The server turns an upload into [`MediaKind`]-specific outputs in a
//! background job; a file that cannot be used ends with a [`Problem`] an
//! organizer can act on.

mod api;
mod file_name;
mod problem;
mod state;

pub use api::{MediaSummary, NewUpload, PartUrl, SlideView, UploadStatus};
pub use file_name::{FileName, FileNameError, MAX_FILE_NAME_BYTES};
pub use problem::Problem;
pub use state::{Ladder, MediaEvent, MediaKind, MediaState};
