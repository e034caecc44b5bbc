//! Pieces shared by several pages.

pub mod audience_picker;
pub mod header;
pub mod live;
pub mod notice;
