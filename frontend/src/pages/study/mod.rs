//! Studying: `/courses` lists the courses a member may study, `/courses/{id}`
//! shows one with its lessons, `/lessons/{id}` is the lesson page (HLS
//! player, slide viewer, both side by side, or article), `/learning` is
//! "my learning".
//!
//! Pages render complete on the server from server functions. What only a
//! browser can do runs in [`client`] after hydration: opening the playback
//! session, HLS through hls.js ([`hls`]), tracking what was played or shown,
//! heartbeats, the seek rule and the "still studying?" prompt.

mod article;
mod catalog;
#[cfg(feature = "hydrate")]
mod client;
mod course;
mod early;
#[cfg(feature = "hydrate")]
mod hls;
mod learning;
mod lesson;
mod receipt;
mod slides;

pub use catalog::CatalogPage;
pub use course::CoursePage;
pub use learning::LearningPage;
pub use lesson::LessonPage;

use courses::course::{ChapterView, LessonView};

/// Lessons grouped under their chapters, in course order: first those
/// before any chapter (`None`), then each chapter with its lessons.
fn by_chapter(chapters: &[ChapterView], lessons: &[LessonView]) -> Vec<(Option<ChapterView>, Vec<LessonView>)> {
    let of = |id: Option<i64>| lessons.iter().filter(|l| l.chapter_id == id).cloned().collect::<Vec<_>>();
    let mut groups = Vec::with_capacity(chapters.len() + 1);
    let loose = of(None);
    if !loose.is_empty() {
        groups.push((None, loose));
    }
    groups.extend(chapters.iter().map(|c| (Some(c.clone()), of(Some(c.id)))));
    groups
}
