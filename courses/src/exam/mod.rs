//! Question banks and exams: questions and their keys, grading, papers
//! drawn from a bank, scoring an attempt, and an exam's settings.
//!
//! Plain rules with no I/O: the server stores banks, papers and attempts
//! and keeps the clock; the browser gets only [`QuestionForTaker`], never
//! a key.

pub mod api;
pub mod bank;
mod check;
pub mod draft;
pub mod grade;
pub mod import;
pub mod paper;
pub mod parts;
pub mod points;
pub mod problem;
pub mod question;
pub mod report;
pub mod score;
pub mod settings;
pub mod text;

pub use draft::QuestionDraft;
pub use grade::{grade, Answer, AnswerError, Correctness, Grade, MultipleScoring};
pub use paper::{DrawRule, FixedItem, Paper, PaperError, PaperItem, PaperSpec, QuestionId, Shuffle};
pub use points::Points;
pub use problem::{Problems, QuestionProblem};
pub use question::{
    Blank, Category, Choice, Difficulty, Key, OptionId, Question, QuestionData, QuestionForTaker, QuestionKind,
};
pub use score::{counted, score_attempt, AttemptScore, Counting, Outcome, PassMark};
pub use settings::{ExamSettings, Prerequisites, ReviewPolicy, SettingsError, StartRefusal, TakerRecord, Window};
