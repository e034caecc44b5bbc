//! Server functions of the course editor. Their arguments are structured
//! (settings with an audience, a whole course order), so they travel as
//! JSON rather than form fields; the editor calls them from its handlers.
//!
//! Every change to a course goes through one function, [`edit_course`], and
//! answers with the course as it now is, so the page has one way to apply
//! a change and the browser bundle carries one client stub, not nine.

use courses::course::{CourseOrder, CourseSettings, CourseView, LessonEdit, NewCourse, NewLesson};
use courses::directory::PersonSummary;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::api::AppError;

/// One change to a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CourseEdit {
    Settings(CourseSettings),
    Publish(bool),
    AddChapter(String),
    /// Chapter id, new title.
    RenameChapter(i64, String),
    DeleteChapter(i64),
    AddLesson(NewLesson),
    /// Lesson id, new title and (articles) text.
    EditLesson(i64, LessonEdit),
    DeleteLesson(i64),
    Reorder(CourseOrder),
}

/// Creates a course for `new.org_id`; its audience is that node's subtree.
#[server(input = Json, prefix = "/api/fn", endpoint = "manage_create_course")]
pub async fn create_course(csrf: String, new: NewCourse) -> Result<CourseView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.create_course(&caller, &csrf, new).await.map_err(AppError::from_backend)
}

/// Applies `edit` to course `course` and answers with the course.
#[server(input = Json, prefix = "/api/fn", endpoint = "manage_edit_course")]
pub async fn edit_course(csrf: String, course: i64, edit: CourseEdit) -> Result<CourseView, AppError> {
    use courses::course::ChapterIn;

    let (b, caller) = crate::api::ssr::context().await?;
    let (c, csrf) = (&caller, csrf.as_str());
    let done = match edit {
        CourseEdit::Settings(s) => return b.update_course(c, csrf, course, s).await.map_err(AppError::from_backend),
        CourseEdit::Publish(p) => return b.publish_course(c, csrf, course, p).await.map_err(AppError::from_backend),
        CourseEdit::Reorder(o) => return b.reorder_course(c, csrf, course, o).await.map_err(AppError::from_backend),
        CourseEdit::AddChapter(title) => b.add_chapter(c, csrf, course, ChapterIn { title }).await.map(drop),
        CourseEdit::RenameChapter(id, title) => b.rename_chapter(c, csrf, id, ChapterIn { title }).await.map(drop),
        CourseEdit::DeleteChapter(id) => b.delete_chapter(c, csrf, id).await,
        CourseEdit::AddLesson(new) => b.add_lesson(c, csrf, course, new).await.map(drop),
        CourseEdit::EditLesson(id, e) => b.edit_lesson(c, csrf, id, e).await.map(drop),
        CourseEdit::DeleteLesson(id) => b.delete_lesson(c, csrf, id).await,
    };
    done.map_err(AppError::from_backend)?;
    // The server numbers lessons chapter by chapter after every change.
    b.course(c, course).await.map_err(AppError::from_backend)
}

/// The people named in course `course`'s audience, so the editor can show
/// their names. They all belong to the course's subtree, so only its nodes
/// are searched, and only until everyone is found.
#[server(input = Json, prefix = "/api/fn", endpoint = "manage_named_people")]
pub async fn named_people(course: i64) -> Result<Vec<PersonSummary>, AppError> {
    let (b, caller) = crate::api::ssr::context().await?;
    let view = b.course(&caller, course).await.map_err(AppError::from_backend)?;
    let ids = view.audience.map(|a| a.people).unwrap_or_default();
    let tree = b.org_tree(&caller).await.map_err(AppError::from_backend)?;
    let Some(top) = tree.iter().find(|n| n.id.0 == view.org_id).map(|n| n.path.clone()) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for node in tree.iter().filter(|n| top.contains(&n.path)) {
        if found.len() >= ids.len() {
            break;
        }
        let people = b.org_people(&caller, node.id).await.map_err(AppError::from_backend)?;
        found.extend(people.into_iter().filter(|p| ids.contains(&p.id.0)));
    }
    Ok(found)
}
