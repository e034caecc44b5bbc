//! The exam pages of organizers.
//!
//! - `list.rs`: `/manage/exams`, the exams and banks of their nodes, and
//!   the forms that set up a new exam or bank.
//! - `exam.rs`: `/manage/exams/{id}`, results by node, how each question
//!   went, the exports and the grading queue.
//! - `bank.rs`: `/manage/banks/{id}`, a bank's import, exports and questions.
//! - `api.rs`: their server functions.

pub mod api;
mod bank;
mod exam;
mod list;

pub use bank::BankPage;
pub use exam::ManageExamPage;
pub use list::ManageExamsPage;
