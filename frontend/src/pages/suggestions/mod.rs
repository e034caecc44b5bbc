//! 书记信箱: suggestions (合理化建议) to one's own branch or a node above.
//!
//! - `mine.rs`: `/suggestions`, for everyone signed in: the form
//!   (`form.rs`) and the caller's own suggestions with replies, and 办结.
//! - `inbox.rs`: `/manage/suggestions`, for organizers and admins: the
//!   suggestions to the nodes they manage, filtered by node and state, each
//!   with its reply form and 办结.
//! - `stats.rs`: on that page, the counts and reply times of a node and of
//!   each node below it, drilling down like the notices' read rate.
//! - `item.rs`: what both lists show of one suggestion.
//! - `api.rs`: the REST calls.
//!
//! The pages' server functions know nothing of suggestions, so the islands
//! call the REST API from the browser ([`crate::rest`]).

pub mod api;
mod form;
mod inbox;
mod item;
mod mine;
mod stats;

pub use inbox::ManageSuggestionsPage;
pub use mine::SuggestionsPage;
