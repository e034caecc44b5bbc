//! The server's side of the UI port: implements `frontend::backend::Backend`
//! with the same services the REST handlers call, so pages and the API
//! share every rule. The session middleware resolved the caller's session
//! before Leptos ran; each call here only asks [`auth::admit`] whether it
//! may read ([`user`]) or change ([`changer`], with the CSRF token), and
//! renders errors in the caller's language.

use courses::assignment::{AssignmentQuery, AssignmentSummary, AssignmentView, DueUpdate, NewAssignment};
use courses::certificate::{CertificateView, RevokeIn, Verification};
use courses::class::{ClassDraft, ClassView, Enrolment, MyClass};
use courses::class_report::{ClassDesk, ClassReport, MyClassStatus};
use courses::course::{
    ChapterIn, ChapterView, CourseOrder, CourseQuery, CourseSettings, CourseView, LessonEdit, LessonStudy, LessonView,
    MyLearning, NewCourse, NewLesson,
};
use courses::directory::{
    CreatedPerson, ErrorBody, Me, NewOrg, NewPerson, OrgNode, OrgPatch, PersonPatch, PersonSummary,
};
use courses::essay::{EssayIn, EssayReview, EssayTaskView, NewEssayTask};
use courses::media::{MediaSummary, UploadStatus};
use courses::meeting::{AttendanceUpdate, MakeupTask, MeetingQuery, MeetingSummary, MeetingView, NewMeeting};
use courses::notice::{Decision, NoticeDraft, NoticeSummary, NoticeView, ReadReport, Withdrawal};
use courses::notify::{
    MarkRead, NotificationList, NotificationQuery, RemindOutcome, ReminderLogEntry, SubjectKind, UnreadCount,
};
use courses::progress::api::Receipt;
use courses::report::{ReportData, ReportQuery, SnapshotSummary};
use courses::{OrgId, PersonId};
use frontend::backend::{Backend, Caller};

use crate::db;
use crate::error::{Error, Result};
use crate::http::session::MaybeSession;
use crate::services::auth::{self, Need, Session};
use crate::services::{
    assignments, catalog, classes, media as media_service, meetings, notices, orgs as org_service,
    people as people_service, reports, study, uploads as upload_service,
};
use crate::services::{notifications, reminders};
use crate::state::AppState;

/// Lines of the receipt per page of "my learning".
const RECEIPT_PAGE: u64 = 100;

/// What every call answers: its value, or an error in the caller's language.
type Reply<T> = std::result::Result<T, ErrorBody>;

pub struct UiBackend {
    pub state: AppState,
}

/// The caller's session, if the rules admit it for `need`.
fn admitted<'c>(caller: &'c Caller, need: Need<'_>) -> Reply<&'c Session> {
    let session = caller.resolved::<MaybeSession>().and_then(|s| s.0.as_ref());
    render(caller, auth::admit(session, db::now(), need))
}

/// A session allowed to read: logged in, initial password changed.
fn user(caller: &Caller) -> Reply<&Session> {
    admitted(caller, Need::Act)
}

/// A session allowed to change things: as [`user`], echoing its CSRF token.
fn changer<'c>(caller: &'c Caller, csrf: &str) -> Reply<&'c Session> {
    admitted(caller, Need::Change { csrf: Some(csrf) })
}

fn render<T>(caller: &Caller, result: Result<T>) -> Reply<T> {
    result.map_err(|e| {
        e.log();
        e.body(caller.lang)
    })
}

impl UiBackend {
    fn today(&self, caller: &Caller) -> Reply<courses::meeting::Date> {
        render(caller, meetings::today(&self.state.settings))
    }
}

#[async_trait::async_trait]
impl Backend for UiBackend {
    async fn me(&self, caller: &Caller) -> Reply<Option<Me>> {
        match admitted(caller, Need::Login) {
            Ok(s) => render(caller, crate::http::auth::me_of(&self.state, s).await.map(Some)),
            Err(_) => Ok(None),
        }
    }

    async fn org_tree(&self, caller: &Caller) -> Reply<Vec<OrgNode>> {
        render(caller, org_service::tree(&self.state.db, &user(caller)?.actor).await)
    }

    async fn org_people(&self, caller: &Caller, org: OrgId) -> Reply<Vec<PersonSummary>> {
        render(caller, people_service::list_in_org(&self.state.db, &user(caller)?.actor, org).await)
    }

    async fn create_org(&self, caller: &Caller, csrf: &str, new: NewOrg) -> Reply<OrgNode> {
        render(caller, org_service::create(&self.state.db, &changer(caller, csrf)?.actor, new).await)
    }

    async fn rename_org(&self, caller: &Caller, csrf: &str, id: OrgId, patch: OrgPatch) -> Reply<OrgNode> {
        render(caller, org_service::rename(&self.state.db, &changer(caller, csrf)?.actor, id, patch).await)
    }

    async fn delete_org(&self, caller: &Caller, csrf: &str, id: OrgId) -> Reply<()> {
        render(caller, org_service::delete(&self.state.db, &changer(caller, csrf)?.actor, id).await)
    }

    async fn create_person(&self, caller: &Caller, csrf: &str, new: NewPerson) -> Reply<CreatedPerson> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, people_service::create(&self.state.db, &self.state.settings, actor, new).await)
    }

    async fn update_person(
        &self,
        caller: &Caller,
        csrf: &str,
        id: PersonId,
        patch: PersonPatch,
    ) -> Reply<PersonSummary> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, people_service::update(&self.state.db, &self.state.settings, actor, id, patch).await)
    }

    async fn delete_person(&self, caller: &Caller, csrf: &str, id: PersonId) -> Reply<()> {
        render(caller, people_service::delete(&self.state.db, &changer(caller, csrf)?.actor, id).await)
    }

    async fn list_media(&self, caller: &Caller, org: Option<OrgId>) -> Reply<Vec<MediaSummary>> {
        render(caller, media_service::list(&self.state.db, &user(caller)?.actor, org, caller.lang).await)
    }

    async fn open_uploads(&self, caller: &Caller) -> Reply<Vec<UploadStatus>> {
        let (state, session) = (&self.state, user(caller)?);
        render(caller, upload_service::open_of(&state.db, &*state.store, &state.settings, session).await)
    }

    async fn cancel_media(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<MediaSummary> {
        render(caller, media_service::cancel(&self.state.db, &changer(caller, csrf)?.actor, id, caller.lang).await)
    }

    async fn retry_media(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<MediaSummary> {
        render(caller, media_service::retry(&self.state.db, &changer(caller, csrf)?.actor, id, caller.lang).await)
    }

    async fn delete_media(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<()> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, media_service::delete(&self.state.db, &*self.state.store, actor, id).await)
    }

    async fn courses(&self, caller: &Caller, query: CourseQuery) -> Reply<Vec<CourseView>> {
        render(caller, catalog::list(&self.state.db, &user(caller)?.actor, &query).await)
    }

    async fn course(&self, caller: &Caller, id: i64) -> Reply<CourseView> {
        render(caller, catalog::get(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn lesson(&self, caller: &Caller, id: i64) -> Reply<LessonStudy> {
        render(caller, study::material::lesson_page(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn record_milestone(
        &self,
        caller: &Caller,
        csrf: &str,
        id: PersonId,
        new: courses::standing::NewMilestone,
    ) -> Reply<courses::standing::StandingView> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, crate::services::standing::record(&self.state.db, &self.state.settings, actor, id, new).await)
    }

    async fn exam_standing(&self, caller: &Caller, id: i64) -> Reply<courses::exam::api::ExamStanding> {
        let zone = self.state.settings.time_zone();
        let actor = &user(caller)?.actor;
        render(caller, crate::services::exams::attempts::standing(&self.state.db, zone, actor, id, caller.lang).await)
    }

    async fn my_exams(&self, caller: &Caller) -> Reply<Vec<courses::exam::api::MyExam>> {
        render(caller, crate::services::exams::attempts::mine(&self.state.db, &user(caller)?.actor).await)
    }

    async fn managed_exams(&self, caller: &Caller) -> Reply<Vec<courses::exam::api::ExamView>> {
        render(caller, crate::services::exams::list(&self.state.db, &user(caller)?.actor).await)
    }

    async fn question_banks(&self, caller: &Caller) -> Reply<Vec<courses::exam::bank::BankSummary>> {
        render(caller, crate::services::question_banks::list(&self.state.db, &user(caller)?.actor).await)
    }

    async fn create_bank(
        &self,
        caller: &Caller,
        csrf: &str,
        new: courses::exam::bank::NewBank,
    ) -> Reply<courses::exam::bank::BankSummary> {
        render(
            caller,
            crate::services::question_banks::create(&self.state.db, &changer(caller, csrf)?.actor, new).await,
        )
    }

    async fn bank_questions(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Reply<(courses::exam::bank::BankSummary, Vec<courses::exam::bank::BankQuestion>)> {
        let actor = &user(caller)?.actor;
        let db = &self.state.db;
        let bank = render(caller, crate::services::question_banks::get(db, actor, id).await)?;
        let questions = render(caller, crate::services::question_banks::questions::list(db, actor, id).await)?;
        Ok((bank, questions))
    }

    async fn create_exam(
        &self,
        caller: &Caller,
        csrf: &str,
        draft: courses::exam::api::ExamDraft,
    ) -> Reply<courses::exam::api::ExamView> {
        render(caller, crate::services::exams::create(&self.state.db, &changer(caller, csrf)?.actor, draft).await)
    }

    async fn publish_exam(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        published: bool,
    ) -> Reply<courses::exam::api::ExamView> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, crate::services::exams::publish(&self.state.db, actor, id, published).await)
    }

    async fn exam_results(
        &self,
        caller: &Caller,
        id: i64,
        org: Option<i64>,
    ) -> Reply<courses::exam::report::ExamResultsReport> {
        render(caller, crate::services::exams::report::results(&self.state.db, &user(caller)?.actor, id, org).await)
    }

    async fn exam_questions(&self, caller: &Caller, id: i64) -> Reply<courses::exam::report::ExamQuestionReport> {
        render(caller, crate::services::exams::report::questions(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn grading_queue(&self, caller: &Caller, id: i64) -> Reply<Vec<courses::exam::api::PendingAnswer>> {
        render(caller, crate::services::exams::marking::queue(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn grade_answer(
        &self,
        caller: &Caller,
        csrf: &str,
        attempt: i64,
        position: i32,
        mark: courses::exam::api::MarkAnswer,
    ) -> Reply<courses::exam::AttemptScore> {
        let actor = &changer(caller, csrf)?.actor;
        let zone = self.state.settings.time_zone();
        render(
            caller,
            crate::services::exams::marking::mark(&self.state.db, zone, actor, attempt, position, mark).await,
        )
    }

    async fn my_learning(&self, caller: &Caller) -> Reply<MyLearning> {
        let year = crate::http::study_hours::this_year(&self.state);
        render(caller, catalog::my_learning(&self.state.db, &user(caller)?.actor, year).await)
    }

    async fn next_lesson(&self, caller: &Caller) -> Reply<Option<courses::course::NextLesson>> {
        render(caller, catalog::next_lesson_for(&self.state.db, &user(caller)?.actor).await)
    }

    async fn course_standing(&self, caller: &Caller, id: i64) -> Reply<courses::course::CourseStanding> {
        render(caller, catalog::course_standing(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn my_receipt(&self, caller: &Caller, after: Option<i64>) -> Reply<Receipt> {
        let query = study::hours::ReceiptQuery {
            person_id: None,
            year: crate::http::study_hours::this_year(&self.state),
            course_id: None,
            after,
            limit: Some(RECEIPT_PAGE),
        };
        render(caller, study::hours::receipt(&self.state.db, &user(caller)?.actor, query, caller.lang).await)
    }

    async fn create_course(&self, caller: &Caller, csrf: &str, new: NewCourse) -> Reply<CourseView> {
        render(caller, catalog::create(&self.state.db, &changer(caller, csrf)?.actor, new).await)
    }

    async fn update_course(&self, caller: &Caller, csrf: &str, id: i64, settings: CourseSettings) -> Reply<CourseView> {
        render(caller, catalog::update(&self.state.db, &changer(caller, csrf)?.actor, id, settings).await)
    }

    async fn publish_course(&self, caller: &Caller, csrf: &str, id: i64, published: bool) -> Reply<CourseView> {
        render(caller, catalog::set_published(&self.state.db, &changer(caller, csrf)?.actor, id, published).await)
    }

    async fn add_chapter(&self, caller: &Caller, csrf: &str, course: i64, new: ChapterIn) -> Reply<ChapterView> {
        render(caller, catalog::add_chapter(&self.state.db, &changer(caller, csrf)?.actor, course, new).await)
    }

    async fn rename_chapter(&self, caller: &Caller, csrf: &str, id: i64, new: ChapterIn) -> Reply<ChapterView> {
        render(caller, catalog::rename_chapter(&self.state.db, &changer(caller, csrf)?.actor, id, new).await)
    }

    async fn delete_chapter(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<()> {
        render(caller, catalog::delete_chapter(&self.state.db, &changer(caller, csrf)?.actor, id).await)
    }

    async fn add_lesson(&self, caller: &Caller, csrf: &str, course: i64, new: NewLesson) -> Reply<LessonView> {
        render(caller, catalog::add_lesson(&self.state.db, &changer(caller, csrf)?.actor, course, new).await)
    }

    async fn edit_lesson(&self, caller: &Caller, csrf: &str, id: i64, edit: LessonEdit) -> Reply<LessonView> {
        render(caller, catalog::edit_lesson(&self.state.db, &changer(caller, csrf)?.actor, id, edit).await)
    }

    async fn delete_lesson(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<()> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, catalog::delete_lesson(&self.state.db, &*self.state.store, actor, id).await)
    }

    async fn reorder_course(&self, caller: &Caller, csrf: &str, id: i64, order: CourseOrder) -> Reply<CourseView> {
        render(caller, catalog::reorder(&self.state.db, &changer(caller, csrf)?.actor, id, order).await)
    }

    async fn report(&self, caller: &Caller, query: ReportQuery) -> Reply<ReportData> {
        render(caller, reports::report(&self.state.db, &self.state.settings, &user(caller)?.actor, &query).await)
    }

    async fn snapshots(&self, caller: &Caller, org: Option<i64>) -> Reply<Vec<SnapshotSummary>> {
        render(caller, reports::snapshots::list(&self.state.db, &user(caller)?.actor, org).await)
    }

    async fn take_snapshot(&self, caller: &Caller, csrf: &str, query: ReportQuery) -> Reply<SnapshotSummary> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, reports::snapshots::take(&self.state.db, &self.state.settings, actor, &query).await)
    }

    async fn snapshot(&self, caller: &Caller, id: i64) -> Reply<(SnapshotSummary, ReportData)> {
        render(caller, reports::snapshots::get(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn my_makeups(&self, caller: &Caller) -> Reply<Vec<MakeupTask>> {
        render(caller, meetings::my_makeups(&self.state.db, &user(caller)?.actor, self.today(caller)?).await)
    }

    async fn meetings(&self, caller: &Caller, query: MeetingQuery) -> Reply<Vec<MeetingSummary>> {
        render(caller, meetings::list(&self.state.db, &user(caller)?.actor, &query).await)
    }

    async fn meeting(&self, caller: &Caller, id: i64) -> Reply<MeetingView> {
        render(caller, meetings::get(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn record_meeting(&self, caller: &Caller, csrf: &str, new: NewMeeting) -> Reply<MeetingView> {
        let (state, actor) = (&self.state, &changer(caller, csrf)?.actor);
        render(caller, meetings::record(&state.db, &state.settings, actor, self.today(caller)?, new).await)
    }

    async fn set_attendance(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        update: AttendanceUpdate,
    ) -> Reply<MeetingView> {
        let (state, actor) = (&self.state, &changer(caller, csrf)?.actor);
        render(caller, meetings::set_attendance(&state.db, &state.settings, actor, id, update).await)
    }

    async fn assignments(&self, caller: &Caller, query: AssignmentQuery) -> Reply<Vec<AssignmentSummary>> {
        render(caller, assignments::list(&self.state.db, &self.state.settings, &user(caller)?.actor, &query).await)
    }

    async fn assignment(&self, caller: &Caller, id: i64) -> Reply<AssignmentView> {
        render(caller, assignments::get(&self.state.db, &self.state.settings, &user(caller)?.actor, id).await)
    }

    async fn create_assignment(&self, caller: &Caller, csrf: &str, new: NewAssignment) -> Reply<AssignmentView> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, assignments::create(&self.state.db, &self.state.settings, actor, new).await)
    }

    async fn set_assignment_due(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        update: DueUpdate,
    ) -> Reply<AssignmentView> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, assignments::set_due(&self.state.db, &self.state.settings, actor, id, update).await)
    }

    async fn delete_assignment(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<()> {
        render(caller, assignments::delete(&self.state.db, &changer(caller, csrf)?.actor, id).await)
    }

    async fn notifications(&self, caller: &Caller, query: NotificationQuery) -> Reply<NotificationList> {
        let (state, actor) = (&self.state, &user(caller)?.actor);
        render(caller, notifications::list(&state.db, &state.settings, actor, caller.lang, &query).await)
    }

    async fn unread_notifications(&self, caller: &Caller) -> Reply<UnreadCount> {
        render(caller, notifications::unread(&self.state.db, &user(caller)?.actor).await)
    }

    async fn mark_notifications_read(&self, caller: &Caller, csrf: &str, which: MarkRead) -> Reply<UnreadCount> {
        render(caller, notifications::mark_read(&self.state.db, &changer(caller, csrf)?.actor, &which).await)
    }

    async fn remind(&self, caller: &Caller, csrf: &str, kind: SubjectKind, id: i64) -> Reply<RemindOutcome> {
        let s = changer(caller, csrf)?;
        let result = reminders::remind(&self.state.db, &self.state.settings, &s.actor, &s.person.name, kind, id).await;
        // The page says why it must wait, not the generic "too many attempts".
        if let Err(Error::RateLimited { retry_after }) = &result {
            let message = courses::notify::cooldown(*retry_after, caller.lang);
            return Err(ErrorBody { code: courses::i18n::ErrorCode::RateLimited.as_str().to_owned(), message });
        }
        render(caller, result)
    }

    async fn reminder_log(&self, caller: &Caller, kind: SubjectKind, id: i64) -> Reply<Vec<ReminderLogEntry>> {
        render(caller, reminders::log(&self.state.db, &self.state.settings, &user(caller)?.actor, kind, id).await)
    }

    async fn my_classes(&self, caller: &Caller) -> Reply<Vec<MyClass>> {
        render(caller, classes::mine(&self.state.db, &user(caller)?.actor).await)
    }

    async fn my_class(&self, caller: &Caller, id: i64) -> Reply<MyClassStatus> {
        render(caller, classes::report::mine(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn class_essays(&self, caller: &Caller, id: i64) -> Reply<Vec<EssayTaskView>> {
        render(caller, classes::essays::list(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn hand_in_essay(&self, caller: &Caller, csrf: &str, task: i64, essay: EssayIn) -> Reply<EssayTaskView> {
        render(caller, classes::essays::submit(&self.state.db, &changer(caller, csrf)?.actor, task, essay).await)
    }

    async fn managed_classes(&self, caller: &Caller) -> Reply<Vec<ClassView>> {
        render(caller, classes::list(&self.state.db, &user(caller)?.actor).await)
    }

    async fn create_class(&self, caller: &Caller, csrf: &str, draft: ClassDraft) -> Reply<ClassView> {
        render(caller, classes::create(&self.state.db, &changer(caller, csrf)?.actor, draft).await)
    }

    async fn class_desk(&self, caller: &Caller, id: i64) -> Reply<ClassDesk> {
        render(caller, classes::report::desk(&self.state.db, &user(caller)?.actor, id).await)
    }

    async fn enrol_students(&self, caller: &Caller, csrf: &str, id: i64, who: Enrolment) -> Reply<ClassView> {
        render(caller, classes::enrol::enrol(&self.state.db, &changer(caller, csrf)?.actor, id, who).await)
    }

    async fn set_essay_task(&self, caller: &Caller, csrf: &str, id: i64, new: NewEssayTask) -> Reply<EssayTaskView> {
        render(caller, classes::essays::create(&self.state.db, &changer(caller, csrf)?.actor, id, new).await)
    }

    async fn review_essay(
        &self,
        caller: &Caller,
        csrf: &str,
        task: i64,
        person: i64,
        review: EssayReview,
    ) -> Reply<EssayTaskView> {
        let actor = &changer(caller, csrf)?.actor;
        render(caller, classes::essays::review(&self.state.db, actor, task, person, review).await)
    }

    async fn confirm_graduates(&self, caller: &Caller, csrf: &str, id: i64, who: Enrolment) -> Reply<ClassReport> {
        let actor = &changer(caller, csrf)?.actor;
        let zone = self.state.settings.time_zone();
        render(caller, classes::graduation::confirm(&self.state.db, actor, id, who, zone).await)
    }

    async fn revoke_certificate(&self, caller: &Caller, csrf: &str, id: i64, why: RevokeIn) -> Reply<CertificateView> {
        render(caller, classes::certificates::revoke(&self.state.db, &changer(caller, csrf)?.actor, id, why).await)
    }

    async fn reissue_certificate(&self, caller: &Caller, csrf: &str, id: i64) -> Reply<CertificateView> {
        let actor = &changer(caller, csrf)?.actor;
        let zone = self.state.settings.time_zone();
        render(caller, classes::certificates::reissue(&self.state.db, actor, id, zone).await)
    }

    async fn verify_certificate(&self, caller: &Caller, serial: String) -> Reply<Verification> {
        // The address the request came from, as `http::client_addr` found it.
        let Some(crate::http::ClientAddr(ip)) = caller.resolved::<crate::http::ClientAddr>().copied() else {
            return render(caller, Err(Error::Internal(anyhow::anyhow!("no client address on the request"))));
        };
        let zone = self.state.settings.time_zone();
        render(caller, classes::certificates::verify(&self.state.db, ip, &serial, zone).await)
    }

    async fn my_notices(&self, caller: &Caller) -> Reply<Vec<NoticeSummary>> {
        render(
            caller,
            notices::reads::mine(&self.state.db, &user(caller)?.actor, self.state.settings.time_zone()).await,
        )
    }

    async fn open_notice(&self, caller: &Caller, id: i64) -> Reply<NoticeView> {
        render(
            caller,
            notices::reads::open(&self.state.db, &user(caller)?.actor, id, self.state.settings.time_zone()).await,
        )
    }

    async fn managed_notices(&self, caller: &Caller) -> Reply<Vec<NoticeSummary>> {
        render(
            caller,
            notices::reads::managed(&self.state.db, &user(caller)?.actor, self.state.settings.time_zone()).await,
        )
    }

    async fn create_notice(&self, caller: &Caller, csrf: &str, draft: NoticeDraft) -> Reply<NoticeView> {
        let s = changer(caller, csrf)?;
        render(
            caller,
            notices::write::create(&self.state.db, &s.actor, &s.person.name, draft, self.state.settings.time_zone())
                .await,
        )
    }

    async fn decide_notice(&self, caller: &Caller, csrf: &str, id: i64, decision: Decision) -> Reply<NoticeView> {
        let s = changer(caller, csrf)?;
        render(
            caller,
            notices::chain::decide(
                &self.state.db,
                &s.actor,
                &s.person.name,
                id,
                decision,
                self.state.settings.time_zone(),
            )
            .await,
        )
    }

    async fn withdraw_notice(&self, caller: &Caller, csrf: &str, id: i64, why: Withdrawal) -> Reply<NoticeView> {
        let s = changer(caller, csrf)?;
        render(
            caller,
            notices::chain::withdraw(
                &self.state.db,
                &s.actor,
                &s.person.name,
                id,
                why,
                self.state.settings.time_zone(),
            )
            .await,
        )
    }

    async fn notice_reads(&self, caller: &Caller, id: i64, org: Option<i64>) -> Reply<ReadReport> {
        render(caller, notices::reads::report(&self.state.db, &user(caller)?.actor, id, org.map(OrgId)).await)
    }
}
