//! Media processing for dangxiao, kept apart from the database and HTTP so
//! that it can be tested (and benchmarked) on its own.
//!
//! - [`sniff`] decides what a file is from its content, never its name.
//! - [`video`] probes audio/video files and transcodes them in process with
//!   ffmpeg-next into an HLS ladder (or an audio-only rendition), with a
//!   poster and a thumbnail strip.
//! - [`slides`] turns PPT/PPTX/ODP/PDF decks into one image per slide plus
//!   each slide's text, through LibreOffice and poppler.
//!
//! Every entry point writes only into the output directory it is given and
//! reports progress and honours cancellation through a [`Control`]. Bad input
//! ends in [`MediaError::Rejected`] with a [`courses::media::Problem`] an
//! organizer can act on.

pub mod control;
pub mod error;
pub mod slides;
pub mod sniff;
pub mod video;

pub use control::Control;
pub use error::MediaError;
