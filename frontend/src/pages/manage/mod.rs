//! The organizers' course editor: `/manage/courses` lists the courses the
//! caller manages and creates new ones; `/manage/courses/{id}` edits one
//! (settings, audience, publishing, the discussion's 先审后发 switch, cover,
//! chapters, lessons, their order, captions, attachments) and uploads new
//! material with the media page's own upload form.
//!
//! Course changes go through the server functions in [`api`]; files go
//! straight to the REST API with progress ([`files`]). Members and
//! activists get a refusal; a course outside the caller's scope is "not
//! found", as the server says.

mod add_lesson;
pub mod api;
mod discussion;
mod editor;
mod files;
mod lesson;
mod list;
mod settings;
mod structure;

pub use editor::CourseEditorPage;
pub use list::ManageCoursesPage;

use courses::course::{AttachmentView, CourseView};
use courses::i18n::ErrorCode;
use courses::Lang;
use leptos::prelude::*;

use self::api::{edit_course, CourseEdit};
use self::files::FileUpload;
use crate::api::{get_course, study_lesson, AppError};
use crate::i18n::manage::ManageText;

/// What the editor's parts share: the course as last answered by the
/// server, and one status line for the last change and the last file sent.
#[derive(Clone, Copy)]
struct Ed {
    pub course: RwSignal<CourseView>,
    pub csrf: StoredValue<String>,
    pub lang: Lang,
    /// A change is on its way; buttons wait for it.
    pub busy: RwSignal<bool>,
    pub outcome: RwSignal<Option<Result<String, AppError>>>,
    pub upload: RwSignal<Option<FileUpload>>,
    /// The lesson whose tools were opened last (kept open across re-renders).
    pub open: RwSignal<Option<i64>>,
    /// The attachments of lessons whose tools were opened, by lesson id.
    pub attachments: RwSignal<Vec<(i64, Vec<AttachmentView>)>>,
    /// The Markdown of article lessons whose tools were opened, to edit.
    pub articles: RwSignal<Vec<(i64, String)>>,
}

impl Ed {
    fn new(course: CourseView, csrf: String, lang: Lang) -> Self {
        Ed {
            course: RwSignal::new(course),
            csrf: StoredValue::new(csrf),
            lang,
            busy: RwSignal::new(false),
            outcome: RwSignal::new(None),
            upload: RwSignal::new(None),
            open: RwSignal::new(None),
            attachments: RwSignal::new(Vec::new()),
            articles: RwSignal::new(Vec::new()),
        }
    }

    /// The course's id; 0 once the page is gone (a file may finish later).
    pub fn id(self) -> i64 {
        self.course.try_with_untracked(|c| c.id).unwrap_or_default()
    }

    /// Sends `edit`; on success shows `done` and the course as it now is.
    /// Resolves to whether it succeeded.
    pub async fn apply(self, edit: CourseEdit, done: ManageText) -> bool {
        self.busy.set(true);
        let csrf = self.csrf.try_get_value().unwrap_or_default();
        let result = edit_course(csrf, self.id(), edit).await;
        self.busy.try_set(false);
        self.settle(result, done.get(self.lang))
    }

    /// [`Ed::apply`] without waiting for the outcome.
    pub fn edit(self, edit: CourseEdit, done: ManageText) {
        leptos::task::spawn_local(async move {
            self.apply(edit, done).await;
        });
    }

    /// Loads the course again (after a file changed it).
    pub fn reload(self) {
        let id = self.id();
        if id == 0 {
            return;
        }
        leptos::task::spawn_local(async move {
            match get_course(id).await {
                Ok(course) => drop(self.course.try_set(course)),
                Err(error) => drop(self.outcome.try_set(Some(Err(error)))),
            }
        });
    }

    /// Loads the attachments of lesson `id`, and an article's Markdown.
    pub fn load_attachments(self, id: i64) {
        leptos::task::spawn_local(async move {
            match study_lesson(id).await {
                Ok(study) => {
                    if let Some(source) = study.article_source {
                        self.articles.try_update(|all| {
                            all.retain(|(lesson, _)| *lesson != id);
                            all.push((id, source));
                        });
                    }
                    self.attachments.try_update(|all| {
                        all.retain(|(lesson, _)| *lesson != id);
                        all.push((id, study.attachments));
                    });
                }
                Err(error) => drop(self.outcome.try_set(Some(Err(error)))),
            }
        });
    }

    fn settle(self, result: Result<CourseView, AppError>, done: &str) -> bool {
        let ok = result.is_ok();
        let outcome = result.map(|course| {
            self.course.try_set(course);
            done.to_owned()
        });
        self.outcome.try_set(Some(outcome));
        ok
    }

    /// `disabled` for a control: while a change is on its way, or when
    /// `blocked`. One closure type for every control keeps the bundle small.
    pub fn waiting_or(self, blocked: bool) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
        move || blocked || self.busy.get()
    }

    /// Shows a message about input the page refused before sending it.
    pub fn refuse(self, message: String) {
        self.outcome.try_set(Some(Err(AppError::new(ErrorCode::InvalidInput, message))));
    }
}

/// Whether a confirm dialog was accepted; in doubt (no window), no.
fn confirmed(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// What members and activists see instead of the editor.
fn refusal(lang: Lang) -> AnyView {
    crate::components::notice::refusal(ManageText::NoPermission.get(lang))
}
