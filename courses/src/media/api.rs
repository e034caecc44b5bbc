//! What the upload and media API exchange with clients.

use serde::{Deserialize, Serialize};

use super::{FileName, Ladder, MediaKind, MediaState, Problem};
use crate::org::OrgId;

/// Start a resumable upload into `org_id`'s material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUpload {
    pub org_id: OrgId,
    pub file_name: FileName,
    /// Exact size of the file in bytes.
    pub size: u64,
}

/// An upload in progress: which parts the server already has. A client that
/// lost its connection (or was reloaded) asks for this and sends only the
/// parts missing from `received_parts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadStatus {
    pub id: String,
    pub org_id: OrgId,
    pub file_name: FileName,
    pub size: u64,
    /// Every part but the last has exactly this many bytes.
    pub part_size: u64,
    pub part_count: u32,
    /// Part numbers (1-based) already stored, ascending.
    pub received_parts: Vec<u32>,
    pub bytes_received: u64,
    /// When true, send parts straight to object storage with the URLs from
    /// `POST /api/v1/uploads/{id}/parts/{n}/url` instead of through the server.
    pub direct: bool,
    /// Unix seconds after which an unfinished upload is deleted.
    pub expires_at: i64,
    /// Set once the upload was completed.
    pub media_id: Option<i64>,
}

/// Where to `PUT` one part when uploading directly to object storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartUrl {
    pub number: u32,
    pub url: String,
    /// Unix seconds after which the URL stops working.
    pub expires_at: i64,
}

/// One uploaded file and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaSummary {
    pub id: i64,
    pub org_id: OrgId,
    pub file_name: FileName,
    pub size: u64,
    /// Unknown until a worker has looked at the content.
    pub kind: Option<MediaKind>,
    pub state: MediaState,
    /// Processing progress, 0–100.
    pub percent: u8,
    /// Set when `state` is `failed`.
    pub problem: Option<Problem>,
    /// `problem` explained in the caller's language.
    pub problem_message: Option<String>,
    pub duration_seconds: Option<f64>,
    /// Heights of the video renditions, highest first (video only).
    pub renditions: Vec<u32>,
    /// For a video published with its lowest rendition first: where the
    /// renditions above it stand. `None` when there were none to add.
    pub ladder: Option<Ladder>,
    /// Progress of the renditions above the lowest, 0–100.
    pub ladder_percent: u8,
    /// Why they failed, in the caller's language (`ladder` is `failed`).
    pub ladder_problem_message: Option<String>,
    pub slide_count: Option<u32>,
    /// URL of the HLS master playlist (video, audio) once ready.
    pub playlist_url: Option<String>,
    /// URL of the poster image once ready.
    pub poster_url: Option<String>,
    pub uploaded_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One page of a converted slide deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlideView {
    /// 1-based.
    pub number: u32,
    /// Image sized for phones (about 720 px wide).
    pub small_url: String,
    /// Image sized for PCs (about 1600 px wide).
    pub large_url: String,
    /// The slide's text, for search and screen readers.
    pub text: String,
}
