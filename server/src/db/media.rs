//! `media`: one uploaded file and what became of it.
//!
//! Its kind and state are the domain's [`MediaKind`] and [`MediaState`].
//! `courses` stays free of sea-orm (it also compiles for the browser), so the
//! columns use the mirrors [`Kind`] and [`State`] below; the conversions
//! match exhaustively, so a variant added on one side and not the other
//! does not compile.

use courses::media::{Ladder, MediaKind, MediaState};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub uploaded_by: Option<i64>,
    pub uploader_name: String,
    pub file_name: String,
    pub size: i64,
    /// Object key of the original file.
    pub source_key: String,
    /// Known once a worker has looked.
    pub kind: Option<Kind>,
    /// Written only through `services::media::state`.
    pub state: State,
    pub percent: i16,
    /// A `courses::media::Problem` as JSON.
    pub problem: Option<String>,
    pub duration_seconds: Option<f64>,
    /// Heights of the video renditions, comma-separated, highest first.
    pub renditions: Option<String>,
    pub slide_count: Option<i32>,
    /// Where the published outputs live (`media/{id}/j{job id}a{attempt}/`).
    pub output_prefix: Option<String>,
    /// Paths relative to `output_prefix`.
    pub playlist: Option<String>,
    pub poster: Option<String>,
    pub thumbnails: Option<String>,
    /// The renditions above the lowest, when they came after it.
    pub ladder: Option<LadderState>,
    /// JSON [`courses::media::Problem`] of a failed ladder.
    #[sea_orm(column_type = "Text", nullable)]
    pub ladder_problem: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn state(&self) -> MediaState {
        self.state.into()
    }

    pub fn kind(&self) -> Option<MediaKind> {
        self.kind.map(Into::into)
    }

    /// Whether its outputs are published.
    pub fn is_ready(&self) -> bool {
        self.state() == MediaState::Ready
    }
}

/// The `state` column: a [`MediaState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum State {
    #[sea_orm(string_value = "queued")]
    Queued,
    #[sea_orm(string_value = "processing")]
    Processing,
    #[sea_orm(string_value = "ready")]
    Ready,
    #[sea_orm(string_value = "failed")]
    Failed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl From<State> for MediaState {
    fn from(state: State) -> MediaState {
        match state {
            State::Queued => MediaState::Queued,
            State::Processing => MediaState::Processing,
            State::Ready => MediaState::Ready,
            State::Failed => MediaState::Failed,
            State::Cancelled => MediaState::Cancelled,
        }
    }
}

impl From<MediaState> for State {
    fn from(state: MediaState) -> State {
        match state {
            MediaState::Queued => State::Queued,
            MediaState::Processing => State::Processing,
            MediaState::Ready => State::Ready,
            MediaState::Failed => State::Failed,
            MediaState::Cancelled => State::Cancelled,
        }
    }
}

/// The `ladder` column: a [`Ladder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum LadderState {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "complete")]
    Complete,
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl From<LadderState> for Ladder {
    fn from(state: LadderState) -> Ladder {
        match state {
            LadderState::Pending => Ladder::Pending,
            LadderState::Complete => Ladder::Complete,
            LadderState::Failed => Ladder::Failed,
        }
    }
}

/// The `kind` column: a [`MediaKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    #[sea_orm(string_value = "video")]
    Video,
    #[sea_orm(string_value = "audio")]
    Audio,
    #[sea_orm(string_value = "slides")]
    Slides,
}

impl From<Kind> for MediaKind {
    fn from(kind: Kind) -> MediaKind {
        match kind {
            Kind::Video => MediaKind::Video,
            Kind::Audio => MediaKind::Audio,
            Kind::Slides => MediaKind::Slides,
        }
    }
}

impl From<MediaKind> for Kind {
    fn from(kind: MediaKind) -> Kind {
        match kind {
            MediaKind::Video => Kind::Video,
            MediaKind::Audio => Kind::Audio,
            MediaKind::Slides => Kind::Slides,
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable;

    use super::*;

    /// The stored text is the domain's name for each state and kind, as the
    /// API and the rows written before these types existed spell it.
    #[test]
    fn the_columns_store_the_domain_names() {
        for state in State::iter() {
            assert_eq!(state.to_value(), MediaState::from(state).as_str());
            assert_eq!(State::from(MediaState::from(state)), state);
        }
        for kind in Kind::iter() {
            assert_eq!(kind.to_value(), MediaKind::from(kind).as_str());
            assert_eq!(Kind::from(MediaKind::from(kind)), kind);
        }
    }
}
