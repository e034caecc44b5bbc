//! The 班主任's class pages.
//!
//! - `list.rs`: `/manage/classes`, the classes and the new-class form.
//! - `desk.rs`: `/manage/classes/{id}`, one class's students and work.
//! - `actions.rs`: the islands that change a class.

mod actions;
mod desk;
mod list;

pub use desk::ClassDeskPage;
pub use list::ManageClassesPage;
