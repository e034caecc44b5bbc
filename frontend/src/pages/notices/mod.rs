//! The notice pages (通知公告, 党务公开).
//!
//! - `list.rs`: the caller's notices (`/notices`, and a card on the home page).
//! - `page.rs`: `/notices/{id}`, with its way, the decision, who read it,
//!   the reminder and the withdrawal for its organizers.
//! - `files.rs`: a notice's attachments, and adding and removing them.
//! - `manage.rs`: `/manage/notices`, the organizers' list and form.
//! - `api.rs`: the server functions.

pub mod api;
mod files;
mod list;
mod manage;
mod page;

pub use list::{HomeNotices, NoticesPage};
pub use manage::ManageNoticesPage;
pub use page::NoticePage;
