//! The port through which the UI's server functions reach the rest of the
//! server. The server crate implements [`Backend`] (with the same services
//! its REST handlers use) and provides it to Leptos as `Arc<dyn Backend>`
//! context; the frontend never touches the database.
//!
//! Wiring, in the server:
//! ```ignore
//! let backend: Arc<dyn Backend> = Arc::new(MyBackend::new(state.clone()));
//! let routes = leptos_axum::generate_route_list(frontend::App);
//! let app = Router::new()
//!     // Pages and every server function (`/api/fn/*`) get the backend.
//!     .leptos_routes_with_context(&leptos_options, routes, move || provide_context(backend.clone()), {
//!         let options = leptos_options.clone();
//!         move || frontend::shell(options.clone())
//!     })
//!     // Plain HTML forms and links the pages use, handled by the server:
//!     // POST /login, POST /logout, POST /password, GET /lang/{code},
//!     // POST /api/v1/people/import.
//!     .fallback(leptos_axum::file_and_error_handler(frontend::shell))
//!     .with_state(leptos_options);
//! ```

use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use axum_extra::extract::cookie::CookieJar;
use courses::assignment::{AssignmentQuery, AssignmentSummary, AssignmentView, DueUpdate, NewAssignment};
use courses::certificate::{CertificateView, RevokeIn, Verification};
use courses::class::{ClassDraft, ClassView, Enrolment, MyClass};
use courses::class_report::{ClassDesk, ClassReport, MyClassStatus};
use courses::course::{
    ChapterIn, ChapterView, CourseOrder, CourseQuery, CourseSettings, CourseView, LessonEdit, LessonStudy, LessonView,
    MyLearning, NewCourse, NewLesson,
};
use courses::directory::{
    cookies, CreatedPerson, ErrorBody, Me, NewOrg, NewPerson, OrgNode, OrgPatch, PersonPatch, PersonSummary,
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
use courses::{Lang, OrgId, PersonId};

/// Who is calling: the request's language, and what the server resolved
/// for the request before Leptos saw it (its session), as the server left it
/// in the request's extensions. Only the server can name what is there, so
/// the UI carries it without reading it, and nothing here looks a session
/// up again.
#[derive(Debug, Clone)]
pub struct Caller {
    pub lang: Lang,
    resolved: Extensions,
}

/// What the UI needs from the server. Every method checks the session and
/// permissions itself; mutating ones also check `csrf` against the session.
/// Errors carry a stable code and a message already in `caller.lang`.
#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// The signed-in person, or `None` without a valid session.
    async fn me(&self, caller: &Caller) -> Result<Option<Me>, ErrorBody>;
    /// The org nodes the caller manages (their scope).
    async fn org_tree(&self, caller: &Caller) -> Result<Vec<OrgNode>, ErrorBody>;
    /// The people who belong directly to `org`.
    async fn org_people(&self, caller: &Caller, org: OrgId) -> Result<Vec<PersonSummary>, ErrorBody>;
    async fn create_org(&self, caller: &Caller, csrf: &str, new: NewOrg) -> Result<OrgNode, ErrorBody>;
    async fn rename_org(&self, caller: &Caller, csrf: &str, id: OrgId, patch: OrgPatch) -> Result<OrgNode, ErrorBody>;
    async fn delete_org(&self, caller: &Caller, csrf: &str, id: OrgId) -> Result<(), ErrorBody>;
    async fn create_person(&self, caller: &Caller, csrf: &str, new: NewPerson) -> Result<CreatedPerson, ErrorBody>;
    async fn update_person(
        &self,
        caller: &Caller,
        csrf: &str,
        id: PersonId,
        patch: PersonPatch,
    ) -> Result<PersonSummary, ErrorBody>;
    async fn delete_person(&self, caller: &Caller, csrf: &str, id: PersonId) -> Result<(), ErrorBody>;
    /// Records a change of `id`'s party standing (their organizers only).
    async fn record_milestone(
        &self,
        caller: &Caller,
        csrf: &str,
        id: PersonId,
        new: courses::standing::NewMilestone,
    ) -> Result<courses::standing::StandingView, ErrorBody>;
    /// Uploaded material in the caller's scope (or `org`'s subtree), newest first.
    async fn list_media(&self, caller: &Caller, org: Option<OrgId>) -> Result<Vec<MediaSummary>, ErrorBody>;
    /// The caller's own unfinished uploads, so a reloaded page can offer to resume them.
    async fn open_uploads(&self, caller: &Caller) -> Result<Vec<UploadStatus>, ErrorBody>;
    /// Stops processing (queued or running).
    async fn cancel_media(&self, caller: &Caller, csrf: &str, id: i64) -> Result<MediaSummary, ErrorBody>;
    /// Queues a failed or cancelled item again.
    async fn retry_media(&self, caller: &Caller, csrf: &str, id: i64) -> Result<MediaSummary, ErrorBody>;
    /// Deletes the item and everything produced from it.
    async fn delete_media(&self, caller: &Caller, csrf: &str, id: i64) -> Result<(), ErrorBody>;
    /// The courses the caller may study (their audience) or manages, newest
    /// first, narrowed by search words and filters.
    async fn courses(&self, caller: &Caller, query: CourseQuery) -> Result<Vec<CourseView>, ErrorBody>;
    /// One course the caller may study or manages, with its lessons.
    async fn course(&self, caller: &Caller, id: i64) -> Result<CourseView, ErrorBody>;
    /// What a lesson page shows, for someone who may study the lesson.
    async fn lesson(&self, caller: &Caller, id: i64) -> Result<LessonStudy, ErrorBody>;
    /// The caller's learning: required and due, in progress, completed, and
    /// this year's 学时.
    async fn my_learning(&self, caller: &Caller) -> Result<MyLearning, ErrorBody>;
    /// "继续学习": the lesson the caller studies next, if any.
    async fn next_lesson(&self, caller: &Caller) -> Result<Option<courses::course::NextLesson>, ErrorBody>;
    /// The caller's standing in each lesson of a course they may study.
    async fn course_standing(&self, caller: &Caller, id: i64) -> Result<courses::course::CourseStanding, ErrorBody>;
    /// What the caller sees before and between attempts at an exam: its
    /// rules, their attempts and result, and why they may not start now.
    async fn exam_standing(&self, caller: &Caller, id: i64) -> Result<courses::exam::api::ExamStanding, ErrorBody>;
    /// Exams of the nodes the caller manages, newest first.
    async fn managed_exams(&self, caller: &Caller) -> Result<Vec<courses::exam::api::ExamView>, ErrorBody>;
    /// Question banks the caller manages.
    async fn question_banks(&self, caller: &Caller) -> Result<Vec<courses::exam::bank::BankSummary>, ErrorBody>;
    async fn create_bank(
        &self,
        caller: &Caller,
        csrf: &str,
        new: courses::exam::bank::NewBank,
    ) -> Result<courses::exam::bank::BankSummary, ErrorBody>;
    /// A bank with its current questions and keys (its organizers only).
    async fn bank_questions(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(courses::exam::bank::BankSummary, Vec<courses::exam::bank::BankQuestion>), ErrorBody>;
    async fn create_exam(
        &self,
        caller: &Caller,
        csrf: &str,
        draft: courses::exam::api::ExamDraft,
    ) -> Result<courses::exam::api::ExamView, ErrorBody>;
    async fn publish_exam(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        published: bool,
    ) -> Result<courses::exam::api::ExamView, ErrorBody>;
    /// An exam's results below `org` (default: the exam's node).
    async fn exam_results(
        &self,
        caller: &Caller,
        id: i64,
        org: Option<i64>,
    ) -> Result<courses::exam::report::ExamResultsReport, ErrorBody>;
    /// How each question of an exam went, hardest first.
    async fn exam_questions(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<courses::exam::report::ExamQuestionReport, ErrorBody>;
    /// Short answers waiting for a grader.
    async fn grading_queue(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<Vec<courses::exam::api::PendingAnswer>, ErrorBody>;
    async fn grade_answer(
        &self,
        caller: &Caller,
        csrf: &str,
        attempt: i64,
        position: i32,
        mark: courses::exam::api::MarkAnswer,
    ) -> Result<courses::exam::AttemptScore, ErrorBody>;
    /// The published exams the caller may take.
    async fn my_exams(&self, caller: &Caller) -> Result<Vec<courses::exam::api::MyExam>, ErrorBody>;
    /// A page of the caller's 学时 receipt for this year, oldest first, after
    /// line `after`.
    async fn my_receipt(&self, caller: &Caller, after: Option<i64>) -> Result<Receipt, ErrorBody>;

    // Course editing, for those who manage the course.
    async fn create_course(&self, caller: &Caller, csrf: &str, new: NewCourse) -> Result<CourseView, ErrorBody>;
    async fn update_course(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        settings: CourseSettings,
    ) -> Result<CourseView, ErrorBody>;
    async fn publish_course(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        published: bool,
    ) -> Result<CourseView, ErrorBody>;
    async fn add_chapter(
        &self,
        caller: &Caller,
        csrf: &str,
        course: i64,
        new: ChapterIn,
    ) -> Result<ChapterView, ErrorBody>;
    async fn rename_chapter(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        new: ChapterIn,
    ) -> Result<ChapterView, ErrorBody>;
    async fn delete_chapter(&self, caller: &Caller, csrf: &str, id: i64) -> Result<(), ErrorBody>;
    async fn add_lesson(
        &self,
        caller: &Caller,
        csrf: &str,
        course: i64,
        new: NewLesson,
    ) -> Result<LessonView, ErrorBody>;
    async fn edit_lesson(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        edit: LessonEdit,
    ) -> Result<LessonView, ErrorBody>;
    async fn delete_lesson(&self, caller: &Caller, csrf: &str, id: i64) -> Result<(), ErrorBody>;
    async fn reorder_course(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        order: CourseOrder,
    ) -> Result<CourseView, ErrorBody>;

    // Reports (completion, members, overdue, hours, 学习档案) and snapshots.
    /// A report of the caller's subtree (see `courses::report::ReportQuery`).
    async fn report(&self, caller: &Caller, query: ReportQuery) -> Result<ReportData, ErrorBody>;
    /// Snapshots the caller may read, of `org`'s subtree or all of them.
    async fn snapshots(&self, caller: &Caller, org: Option<i64>) -> Result<Vec<SnapshotSummary>, ErrorBody>;
    /// Freezes a report.
    async fn take_snapshot(
        &self,
        caller: &Caller,
        csrf: &str,
        query: ReportQuery,
    ) -> Result<SnapshotSummary, ErrorBody>;
    /// One snapshot with its frozen report.
    async fn snapshot(&self, caller: &Caller, id: i64) -> Result<(SnapshotSummary, ReportData), ErrorBody>;

    // Meetings (三会一课) and make-up study (补学).
    /// The caller's make-up tasks: open ones first, soonest deadline first.
    async fn my_makeups(&self, caller: &Caller) -> Result<Vec<MakeupTask>, ErrorBody>;
    /// Meetings of the nodes the caller manages, newest first, with counts.
    async fn meetings(&self, caller: &Caller, query: MeetingQuery) -> Result<Vec<MeetingSummary>, ErrorBody>;
    /// One meeting the caller manages, with its roster and who is missing.
    async fn meeting(&self, caller: &Caller, id: i64) -> Result<MeetingView, ErrorBody>;
    /// Records a meeting held, assigning make-up study to those absent.
    async fn record_meeting(&self, caller: &Caller, csrf: &str, new: NewMeeting) -> Result<MeetingView, ErrorBody>;
    /// Changes some people's attendance at a recorded meeting.
    async fn set_attendance(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        update: AttendanceUpdate,
    ) -> Result<MeetingView, ErrorBody>;

    // Course assignments.
    /// Assignments of the nodes the caller manages, newest first, with counts.
    async fn assignments(&self, caller: &Caller, query: AssignmentQuery) -> Result<Vec<AssignmentSummary>, ErrorBody>;
    /// One assignment the caller manages, with every member's progress.
    async fn assignment(&self, caller: &Caller, id: i64) -> Result<AssignmentView, ErrorBody>;
    /// Assigns a course to people of a node the caller manages.
    async fn create_assignment(
        &self,
        caller: &Caller,
        csrf: &str,
        new: NewAssignment,
    ) -> Result<AssignmentView, ErrorBody>;
    /// Moves an assignment's due day.
    async fn set_assignment_due(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        update: DueUpdate,
    ) -> Result<AssignmentView, ErrorBody>;
    /// Deletes an assignment (study progress stays).
    async fn delete_assignment(&self, caller: &Caller, csrf: &str, id: i64) -> Result<(), ErrorBody>;

    // Notifications (the caller's own) and reminders.
    /// The caller's notifications, newest first, in `caller.lang`, with the unread count.
    async fn notifications(&self, caller: &Caller, query: NotificationQuery) -> Result<NotificationList, ErrorBody>;
    /// How many of the caller's notifications are unread.
    async fn unread_notifications(&self, caller: &Caller) -> Result<UnreadCount, ErrorBody>;
    /// Marks some or all of the caller's notifications read.
    async fn mark_notifications_read(
        &self,
        caller: &Caller,
        csrf: &str,
        which: MarkRead,
    ) -> Result<UnreadCount, ErrorBody>;
    /// Reminds everyone overdue on a meeting or an assignment the caller manages (一键提醒).
    async fn remind(&self, caller: &Caller, csrf: &str, kind: SubjectKind, id: i64)
        -> Result<RemindOutcome, ErrorBody>;
    /// The rounds of reminders about a meeting or an assignment the caller manages.
    async fn reminder_log(
        &self,
        caller: &Caller,
        kind: SubjectKind,
        id: i64,
    ) -> Result<Vec<ReminderLogEntry>, ErrorBody>;

    // Party classes and certificates.
    /// The classes the caller studies in.
    async fn my_classes(&self, caller: &Caller) -> Result<Vec<MyClass>, ErrorBody>;
    /// The caller's own progress in one of them.
    async fn my_class(&self, caller: &Caller, id: i64) -> Result<MyClassStatus, ErrorBody>;
    /// A class's written work: the caller's own essays, or all for its managers.
    async fn class_essays(&self, caller: &Caller, id: i64) -> Result<Vec<EssayTaskView>, ErrorBody>;
    async fn hand_in_essay(
        &self,
        caller: &Caller,
        csrf: &str,
        task: i64,
        essay: EssayIn,
    ) -> Result<EssayTaskView, ErrorBody>;
    /// The classes of the nodes the caller manages.
    async fn managed_classes(&self, caller: &Caller) -> Result<Vec<ClassView>, ErrorBody>;
    async fn create_class(&self, caller: &Caller, csrf: &str, draft: ClassDraft) -> Result<ClassView, ErrorBody>;
    /// A class's page for its 班主任.
    async fn class_desk(&self, caller: &Caller, id: i64) -> Result<ClassDesk, ErrorBody>;
    async fn enrol_students(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        who: Enrolment,
    ) -> Result<ClassView, ErrorBody>;
    async fn set_essay_task(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        new: NewEssayTask,
    ) -> Result<EssayTaskView, ErrorBody>;
    async fn review_essay(
        &self,
        caller: &Caller,
        csrf: &str,
        task: i64,
        person: i64,
        review: EssayReview,
    ) -> Result<EssayTaskView, ErrorBody>;
    async fn confirm_graduates(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        who: Enrolment,
    ) -> Result<ClassReport, ErrorBody>;
    async fn revoke_certificate(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        why: RevokeIn,
    ) -> Result<CertificateView, ErrorBody>;
    async fn reissue_certificate(&self, caller: &Caller, csrf: &str, id: i64) -> Result<CertificateView, ErrorBody>;
    /// Public: what anyone may learn of a certificate, counted against the
    /// caller's address.
    async fn verify_certificate(&self, caller: &Caller, serial: String) -> Result<Verification, ErrorBody>;

    // Notices (通知公告, 党务公开).
    /// The notices for the caller, newest first.
    async fn my_notices(&self, caller: &Caller) -> Result<Vec<NoticeSummary>, ErrorBody>;
    /// Opens a notice (the caller's first opening is their read receipt).
    async fn open_notice(&self, caller: &Caller, id: i64) -> Result<NoticeView, ErrorBody>;
    /// Notices of the nodes the caller manages, in every state.
    async fn managed_notices(&self, caller: &Caller) -> Result<Vec<NoticeSummary>, ErrorBody>;
    async fn create_notice(&self, caller: &Caller, csrf: &str, draft: NoticeDraft) -> Result<NoticeView, ErrorBody>;
    async fn decide_notice(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        decision: Decision,
    ) -> Result<NoticeView, ErrorBody>;
    async fn withdraw_notice(
        &self,
        caller: &Caller,
        csrf: &str,
        id: i64,
        why: Withdrawal,
    ) -> Result<NoticeView, ErrorBody>;
    /// Who read a notice, below `org` (default: its node).
    async fn notice_reads(&self, caller: &Caller, id: i64, org: Option<i64>) -> Result<ReadReport, ErrorBody>;
}

/// The backend as the server provides it in Leptos context.
pub type SharedBackend = Arc<dyn Backend>;

impl Caller {
    /// The caller of a request: its language cookie (without one the UI is
    /// in Chinese) and what the server resolved for it.
    pub fn of_request(parts: Parts) -> Caller {
        Caller { lang: lang_from_headers(&parts.headers), resolved: parts.extensions }
    }

    /// What the server resolved for this request, by its type.
    pub fn resolved<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.resolved.get::<T>()
    }
}

/// The UI language a request asks for.
pub fn lang_from_headers(headers: &HeaderMap) -> Lang {
    lang_from_jar(&CookieJar::from_headers(headers))
}

fn lang_from_jar(jar: &CookieJar) -> Lang {
    // Simplified Chinese unless the person chose English: the audience reads
    // Chinese even on phones set to English, so `Accept-Language` is not used.
    jar.get(cookies::LANG).map(|cookie| Lang::from_code(cookie.value())).unwrap_or_default()
}

/// The CSRF cookie of a request, which the login form echoes back.
pub fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(cookies::CSRF).map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, HeaderValue, Request};

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    fn parts(pairs: &[(header::HeaderName, &'static str)]) -> Parts {
        let mut request = Request::new(());
        *request.headers_mut() = headers(pairs);
        request.into_parts().0
    }

    #[test]
    fn the_language_cookie_wins_over_accept_language() {
        let caller =
            Caller::of_request(parts(&[(header::COOKIE, "dx_lang=en"), (header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9")]));
        assert_eq!(caller.lang, Lang::En);
    }

    #[test]
    fn without_a_language_cookie_the_ui_is_chinese_whatever_the_browser_asks() {
        assert_eq!(Caller::of_request(parts(&[(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")])).lang, Lang::Zh);
        assert_eq!(Caller::of_request(parts(&[])).lang, Lang::Zh);
    }

    #[test]
    fn the_caller_carries_what_the_server_resolved_and_nothing_from_the_cookie() {
        #[derive(Clone, Debug, PartialEq)]
        struct Resolved(u8);
        let mut request = parts(&[(header::COOKIE, "dx_session=abc")]);
        assert_eq!(Caller::of_request(request.clone()).resolved::<Resolved>(), None);
        request.extensions.insert(Resolved(7));
        assert_eq!(Caller::of_request(request).resolved::<Resolved>(), Some(&Resolved(7)));
    }

    #[test]
    fn the_csrf_cookie_is_read_from_the_cookie_header() {
        let h = headers(&[(header::COOKIE, "dx_csrf=t0k3n")]);
        assert_eq!(csrf_cookie(&h).as_deref(), Some("t0k3n"));
        assert_eq!(csrf_cookie(&HeaderMap::new()), None);
    }
}
