//! The exam pages: a taker's, and (in `manage/`) the organizers'.
//!
//! - `page.rs`: `/exams/{id}`, the exam's rules and the person's attempts,
//!   then the attempt itself ([`taker`]) and its result.
//! - `list.rs`: `/exams`, the exams the person may take.
//! - `taker.rs`: the island that shows the attempt one question at a time.
//! - `client.rs`: its browser side: saving, the offline queue, the clock.
//! - `api.rs`: the server functions the pages load with.

pub mod api;
#[cfg(feature = "hydrate")]
mod client;
mod list;
pub mod manage;
mod page;
mod taker;

pub use list::MyExamsPage;
pub use page::ExamPage;
