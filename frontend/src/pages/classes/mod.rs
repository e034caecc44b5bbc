//! The party-class pages (培训班).
//!
//! - `mine.rs`: `/classes` and `/classes/{id}`, a student's classes and
//!   where they stand in one.
//! - `essay.rs`: the island in which a student writes an essay.
//! - `manage/`: the 班主任's pages.
//! - `api.rs`: the server functions they load and act with (also the
//!   public certificate check of `pages/verify.rs`).

pub mod api;
mod essay;
pub mod manage;
mod mine;

pub use mine::{MyClassPage, MyClassesPage};
