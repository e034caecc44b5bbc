//! The server's side of the UI port: implements `frontend::backend::Backend`
//! with the same services the REST handlers call, so pages and the API
//! share every rule. Each call resolves the caller's session, checks the
//! CSRF token on changes, and renders errors in the caller's language.

use courses::assignment::{AssignmentQuery, AssignmentSummary, AssignmentView, DueUpdate, NewAssignment};
use courses::course::{
    ChapterIn, ChapterView, CourseOrder, CourseQuery, CourseSettings, CourseView, LessonEdit, LessonStudy, LessonView,
    MyLearning, NewCourse, NewLesson,
};
use courses::directory::{
    CreatedPerson, ErrorBody, Me, NewOrg, NewPerson, OrgNode, OrgPatch, PersonPatch, PersonSummary,
};
use courses::media::{MediaSummary, UploadStatus};
use courses::meeting::{AttendanceUpdate, MakeupTask, MeetingQuery, MeetingSummary, MeetingView, NewMeeting};
use courses::notify::{
    MarkRead, NotificationList, NotificationQuery, RemindOutcome, ReminderLogEntry, SubjectKind, UnreadCount,
};
use courses::progress::api::Receipt;
use courses::report::{ReportData, ReportQuery, SnapshotSummary};
use courses::{OrgId, PersonId};
use frontend::backend::{Backend, Caller};

use crate::error::{Error, Result};
use crate::http::session::Csrf;
use crate::services::auth::{self, Session};
use crate::services::{
    assignments, catalog, media as media_service, meetings, orgs as org_service, people as people_service, reports,
    study, uploads as upload_service,
};
use crate::services::{notifications, reminders};
use crate::state::AppState;

/// Lines of the receipt per page of "my learning".
const RECEIPT_PAGE: u64 = 100;

pub struct UiBackend {
    pub state: AppState,
}

impl UiBackend {
    async fn session(&self, caller: &Caller) -> Result<Option<Session>> {
        match &caller.session {
            Some(token) => auth::resolve(&self.state.db, token, self.state.settings.session_hours).await,
            None => Ok(None),
        }
    }

    /// A session allowed to manage things: logged in, initial password changed.
    async fn user(&self, caller: &Caller) -> Result<Session> {
        let session = self.session(caller).await?.ok_or(Error::Unauthenticated)?;
        if session.person.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        Ok(session)
    }

    async fn changing_user(&self, caller: &Caller, csrf: &str) -> Result<Session> {
        let session = self.user(caller).await?;
        Csrf(session.csrf_token.clone()).verify(Some(csrf))?;
        Ok(session)
    }
}

fn render<T>(caller: &Caller, result: Result<T>) -> std::result::Result<T, ErrorBody> {
    result.map_err(|e| {
        e.log();
        e.body(caller.lang)
    })
}

#[async_trait::async_trait]
impl Backend for UiBackend {
    async fn me(&self, caller: &Caller) -> std::result::Result<Option<Me>, ErrorBody> {
        let result = async {
            match self.session(caller).await? {
                Some(s) => Ok(Some(crate::http::auth::me_of(&self.state, &s).await?)),
                None => Ok(None),
            }
        }
        .await;
        render(caller, result)
    }

    async fn org_tree(&self, caller: &Caller) -> std::result::Result<Vec<OrgNode>, ErrorBody> {
        let result = async { org_service::tree(&self.state.db, &self.user(caller).await?.actor).await }.await;
        render(caller, result)
    }

    async fn org_people(&self, caller: &Caller, org: OrgId) -> std::result::Result<Vec<PersonSummary>, ErrorBody> {
        let result =
            async { people_service::list_in_org(&self.state.db, &self.user(caller).await?.actor, org).await }.await;
        render(caller, result)
    }

    async fn create_org(&self, caller: &Caller, csrf: &str, new: NewOrg) -> std::result::Result<OrgNode, ErrorBody> {
        let result =
            async { org_service::create(&self.state.db, &self.changing_user(caller, csrf).await?.actor, new).await }
                .await;
        render(caller, result)
    }

    async fn rename_org(
        &self,
        caller: &Caller,
        csrf: &str,
        id: OrgId,
        patch: OrgPatch,
    ) -> std::result::Result<OrgNode, ErrorBody> {
        let result = async {
            org_service::rename(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, patch).await
        }
        .await;
        render(caller, result)
    }

    async fn delete_org(&self, caller: &Caller, csrf: &str, id: OrgId) -> std::result::Result<(), ErrorBody> {
        let result =
            async { org_service::delete(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id).await }
                .await;
        render(caller, result)
    }

    async fn create_person(
        &self,
        caller: &Caller,
        csrf: &str,
        new: NewPerson,
    ) -> std::result::Result<CreatedPerson, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            people_service::create(&self.state.db, &actor, meetings::today(&self.state.settings)?, new).await
        }
        .await;
        render(caller, result)
    }

    async fn update_person(
        &self,
        caller: &Caller,
        csrf: &str,
        id: PersonId,
        patch: PersonPatch,
    ) -> std::result::Result<PersonSummary, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            people_service::update(&self.state.db, &actor, meetings::today(&self.state.settings)?, id, patch).await
        }
        .await;
        render(caller, result)
    }

    async fn delete_person(&self, caller: &Caller, csrf: &str, id: PersonId) -> std::result::Result<(), ErrorBody> {
        let result =
            async { people_service::delete(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id).await }
                .await;
        render(caller, result)
    }

    async fn list_media(
        &self,
        caller: &Caller,
        org: Option<OrgId>,
    ) -> std::result::Result<Vec<MediaSummary>, ErrorBody> {
        let result =
            async { media_service::list(&self.state.db, &self.user(caller).await?.actor, org, caller.lang).await }
                .await;
        render(caller, result)
    }

    async fn open_uploads(&self, caller: &Caller) -> std::result::Result<Vec<UploadStatus>, ErrorBody> {
        let result = async {
            let session = self.user(caller).await?;
            upload_service::open_of(&self.state.db, &*self.state.store, &self.state.settings, &session).await
        }
        .await;
        render(caller, result)
    }

    async fn cancel_media(&self, caller: &Caller, csrf: &str, id: i64) -> std::result::Result<MediaSummary, ErrorBody> {
        let result = async {
            media_service::cancel(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, caller.lang).await
        }
        .await;
        render(caller, result)
    }

    async fn retry_media(&self, caller: &Caller, csrf: &str, id: i64) -> std::result::Result<MediaSummary, ErrorBody> {
        let result = async {
            media_service::retry(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, caller.lang).await
        }
        .await;
        render(caller, result)
    }

    async fn delete_media(&self, caller: &Caller, csrf: &str, id: i64) -> std::result::Result<(), ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            media_service::delete(&self.state.db, &*self.state.store, &actor, id).await
        }
        .await;
        render(caller, result)
    }

    async fn courses(&self, caller: &Caller, query: CourseQuery) -> std::result::Result<Vec<CourseView>, ErrorBody> {
        let result = async { catalog::list(&self.state.db, &self.user(caller).await?.actor, &query).await }.await;
        render(caller, result)
    }

    async fn course(&self, caller: &Caller, id: i64) -> std::result::Result<CourseView, ErrorBody> {
        let result = async { catalog::get(&self.state.db, &self.user(caller).await?.actor, id).await }.await;
        render(caller, result)
    }

    async fn lesson(&self, caller: &Caller, id: i64) -> std::result::Result<LessonStudy, ErrorBody> {
        let result =
            async { study::material::lesson_page(&self.state.db, &self.user(caller).await?.actor, id).await }.await;
        render(caller, result)
    }

    async fn my_learning(&self, caller: &Caller) -> std::result::Result<MyLearning, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            catalog::my_learning(&self.state.db, &actor, crate::http::study_hours::this_year(&self.state)).await
        }
        .await;
        render(caller, result)
    }

    async fn next_lesson(
        &self,
        caller: &Caller,
    ) -> std::result::Result<Option<courses::course::NextLesson>, ErrorBody> {
        let result = async { catalog::next_lesson_for(&self.state.db, &self.user(caller).await?.actor).await }.await;
        render(caller, result)
    }

    async fn course_standing(
        &self,
        caller: &Caller,
        id: i64,
    ) -> std::result::Result<courses::course::CourseStanding, ErrorBody> {
        let result =
            async { catalog::course_standing(&self.state.db, &self.user(caller).await?.actor, id).await }.await;
        render(caller, result)
    }

    async fn my_receipt(&self, caller: &Caller, after: Option<i64>) -> std::result::Result<Receipt, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            let query = study::hours::ReceiptQuery {
                person_id: None,
                year: crate::http::study_hours::this_year(&self.state),
                course_id: None,
                after,
                limit: Some(RECEIPT_PAGE),
            };
            study::hours::receipt(&self.state.db, &actor, query, caller.lang).await
        }
        .await;
        render(caller, result)
    }

    async fn create_course(
        &self,
        caller: &Caller,
        csrf: &str,
        new: NewCourse,
    ) -> std::result::Result<CourseView, ErrorBody> {
        let result =
            async { catalog::create(&self.state.db, &self.changing_user(caller, csrf).await?.actor, new).await }.await;
        render(caller, result)
    }

    async fn update_course(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        settings: CourseSettings,
    ) -> std::result::Result<CourseView, ErrorBody> {
        let result = async {
            catalog::update(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, settings).await
        }
        .await;
        render(caller, result)
    }

    async fn publish_course(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        published: bool,
    ) -> std::result::Result<CourseView, ErrorBody> {
        let result = async {
            catalog::set_published(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, published).await
        }
        .await;
        render(caller, result)
    }

    async fn add_chapter(
        &self,
        caller: &Caller,
        csrf: &str,
        course: i64,
        new: ChapterIn,
    ) -> std::result::Result<ChapterView, ErrorBody> {
        let result = async {
            catalog::add_chapter(&self.state.db, &self.changing_user(caller, csrf).await?.actor, course, new).await
        }
        .await;
        render(caller, result)
    }

    async fn rename_chapter(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        new: ChapterIn,
    ) -> std::result::Result<ChapterView, ErrorBody> {
        let result = async {
            catalog::rename_chapter(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, new).await
        }
        .await;
        render(caller, result)
    }

    async fn delete_chapter(&self, caller: &Caller, csrf: &str, id: i64) -> std::result::Result<(), ErrorBody> {
        let result =
            async { catalog::delete_chapter(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id).await }
                .await;
        render(caller, result)
    }

    async fn add_lesson(
        &self,
        caller: &Caller,
        csrf: &str,
        course: i64,
        new: NewLesson,
    ) -> std::result::Result<LessonView, ErrorBody> {
        let result = async {
            catalog::add_lesson(&self.state.db, &self.changing_user(caller, csrf).await?.actor, course, new).await
        }
        .await;
        render(caller, result)
    }

    async fn edit_lesson(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        edit: LessonEdit,
    ) -> std::result::Result<LessonView, ErrorBody> {
        let result = async {
            catalog::edit_lesson(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, edit).await
        }
        .await;
        render(caller, result)
    }

    async fn delete_lesson(&self, caller: &Caller, csrf: &str, id: i64) -> std::result::Result<(), ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            catalog::delete_lesson(&self.state.db, &*self.state.store, &actor, id).await
        }
        .await;
        render(caller, result)
    }

    async fn reorder_course(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        order: CourseOrder,
    ) -> std::result::Result<CourseView, ErrorBody> {
        let result =
            async { catalog::reorder(&self.state.db, &self.changing_user(caller, csrf).await?.actor, id, order).await }
                .await;
        render(caller, result)
    }

    async fn report(&self, caller: &Caller, query: ReportQuery) -> std::result::Result<ReportData, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            reports::report(&self.state.db, &self.state.settings, &actor, &query).await
        }
        .await;
        render(caller, result)
    }

    async fn snapshots(
        &self,
        caller: &Caller,
        org: Option<i64>,
    ) -> std::result::Result<Vec<SnapshotSummary>, ErrorBody> {
        let result =
            async { reports::snapshots::list(&self.state.db, &self.user(caller).await?.actor, org).await }.await;
        render(caller, result)
    }

    async fn take_snapshot(
        &self,
        caller: &Caller,
        csrf: &str,
        query: ReportQuery,
    ) -> std::result::Result<SnapshotSummary, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            reports::snapshots::take(&self.state.db, &self.state.settings, &actor, &query).await
        }
        .await;
        render(caller, result)
    }

    async fn snapshot(
        &self,
        caller: &Caller,
        id: i64,
    ) -> std::result::Result<(SnapshotSummary, ReportData), ErrorBody> {
        let result = async { reports::snapshots::get(&self.state.db, &self.user(caller).await?.actor, id).await }.await;
        render(caller, result)
    }

    async fn my_makeups(&self, caller: &Caller) -> std::result::Result<Vec<MakeupTask>, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            meetings::my_makeups(&self.state.db, &actor, meetings::today(&self.state.settings)?).await
        }
        .await;
        render(caller, result)
    }

    async fn meetings(
        &self,
        caller: &Caller,
        query: MeetingQuery,
    ) -> std::result::Result<Vec<MeetingSummary>, ErrorBody> {
        let result = async { meetings::list(&self.state.db, &self.user(caller).await?.actor, &query).await }.await;
        render(caller, result)
    }

    async fn meeting(&self, caller: &Caller, id: i64) -> std::result::Result<MeetingView, ErrorBody> {
        let result = async { meetings::get(&self.state.db, &self.user(caller).await?.actor, id).await }.await;
        render(caller, result)
    }

    async fn record_meeting(
        &self,
        caller: &Caller,
        csrf: &str,
        new: NewMeeting,
    ) -> std::result::Result<MeetingView, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            meetings::record(&self.state.db, &self.state.settings, &actor, meetings::today(&self.state.settings)?, new)
                .await
        }
        .await;
        render(caller, result)
    }

    async fn set_attendance(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        update: AttendanceUpdate,
    ) -> std::result::Result<MeetingView, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            meetings::set_attendance(&self.state.db, &self.state.settings, &actor, id, update).await
        }
        .await;
        render(caller, result)
    }

    async fn assignments(
        &self,
        caller: &Caller,
        query: AssignmentQuery,
    ) -> std::result::Result<Vec<AssignmentSummary>, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            assignments::list(&self.state.db, &self.state.settings, &actor, &query).await
        }
        .await;
        render(caller, result)
    }

    async fn assignment(&self, caller: &Caller, id: i64) -> std::result::Result<AssignmentView, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            assignments::get(&self.state.db, &self.state.settings, &actor, id).await
        }
        .await;
        render(caller, result)
    }

    async fn create_assignment(
        &self,
        caller: &Caller,
        csrf: &str,
        new: NewAssignment,
    ) -> std::result::Result<AssignmentView, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            assignments::create(&self.state.db, &self.state.settings, &actor, new).await
        }
        .await;
        render(caller, result)
    }

    async fn set_assignment_due(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        update: DueUpdate,
    ) -> std::result::Result<AssignmentView, ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            assignments::set_due(&self.state.db, &self.state.settings, &actor, id, update).await
        }
        .await;
        render(caller, result)
    }

    async fn delete_assignment(&self, caller: &Caller, csrf: &str, id: i64) -> std::result::Result<(), ErrorBody> {
        let result = async {
            let actor = self.changing_user(caller, csrf).await?.actor;
            assignments::delete(&self.state.db, &actor, id).await
        }
        .await;
        render(caller, result)
    }

    async fn notifications(
        &self,
        caller: &Caller,
        query: NotificationQuery,
    ) -> std::result::Result<NotificationList, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            notifications::list(&self.state.db, &self.state.settings, &actor, caller.lang, &query).await
        }
        .await;
        render(caller, result)
    }

    async fn unread_notifications(&self, caller: &Caller) -> std::result::Result<UnreadCount, ErrorBody> {
        let result = async { notifications::unread(&self.state.db, &self.user(caller).await?.actor).await }.await;
        render(caller, result)
    }

    async fn mark_notifications_read(
        &self,
        caller: &Caller,
        csrf: &str,
        which: MarkRead,
    ) -> std::result::Result<UnreadCount, ErrorBody> {
        let result = async {
            notifications::mark_read(&self.state.db, &self.changing_user(caller, csrf).await?.actor, &which).await
        }
        .await;
        render(caller, result)
    }

    async fn remind(
        &self,
        caller: &Caller,
        csrf: &str,
        kind: SubjectKind,
        id: i64,
    ) -> std::result::Result<RemindOutcome, ErrorBody> {
        let result = async {
            let s = self.changing_user(caller, csrf).await?;
            reminders::remind(&self.state.db, &self.state.settings, &s.actor, &s.person.name, kind, id).await
        }
        .await;
        // The page says why it must wait, not the generic "too many attempts".
        if let Err(Error::RateLimited { retry_after }) = &result {
            let message = courses::notify::cooldown(*retry_after, caller.lang);
            return Err(ErrorBody { code: courses::i18n::ErrorCode::RateLimited.as_str().to_owned(), message });
        }
        render(caller, result)
    }

    async fn reminder_log(
        &self,
        caller: &Caller,
        kind: SubjectKind,
        id: i64,
    ) -> std::result::Result<Vec<ReminderLogEntry>, ErrorBody> {
        let result = async {
            let actor = self.user(caller).await?.actor;
            reminders::log(&self.state.db, &self.state.settings, &actor, kind, id).await
        }
        .await;
        render(caller, result)
    }
}
