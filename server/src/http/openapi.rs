//! The OpenAPI document, generated from the handlers' annotations and served
//! at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

use crate::http::{
    assignments, auth, certificates, classes, course_files, courses, discussion, exams, media, meetings, notices,
    notifications, orgs, people, question_banks, reminders, reports, study, study_hours, suggestions, uploads,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "dangxiao API", description = "党校 online party school. Errors are `{code, message}` with stable codes; \
        state-changing requests need the CSRF token (the `dx_csrf` cookie) in `X-CSRF-Token`."),
    paths(
        auth::login, auth::logout, auth::me, auth::change_password,
        orgs::list, orgs::create, orgs::show, orgs::rename, orgs::remove, orgs::people,
        people::create, people::show, people::update, people::remove, people::import_members,
        people::milestones, people::record_milestone,
        uploads::create, uploads::list_open, uploads::show, uploads::put_part, uploads::part_url, uploads::complete,
        uploads::abort,
        media::list, media::show, media::cancel, media::retry, media::remove, media::slides, media::file,
        courses::list, courses::create, courses::show, courses::set_rules, courses::publish, courses::unpublish,
        courses::add_lesson, courses::update, courses::add_chapter, courses::rename_chapter, courses::delete_chapter,
        courses::reorder, courses::edit_lesson, courses::delete_lesson, courses::my_learning,
        courses::next_lesson, courses::course_standing,
        course_files::put_cover, course_files::cover, course_files::put_captions, course_files::delete_captions,
        course_files::captions, course_files::put_attachment, course_files::attachment, course_files::delete_attachment,
        course_files::deck_file,
        study::lesson, study::file, study::open_session, study::progress, study::heartbeat,
        study_hours::hours, study_hours::receipt, study_hours::rules, study_hours::set_rules, study_hours::statements,
        meetings::list, meetings::create, meetings::show, meetings::set_attendance, meetings::set_deadline,
        meetings::remove, meetings::my_makeups,
        assignments::list, assignments::create, assignments::show, assignments::set_due, assignments::remove,
        reports::show, reports::list_snapshots, reports::take_snapshot, reports::show_snapshot,
        notifications::list, notifications::unread, notifications::mark_read,
        reminders::remind_meeting, reminders::remind_assignment, reminders::log,
        question_banks::list, question_banks::create, question_banks::show, question_banks::update,
        question_banks::remove, question_banks::list_questions, question_banks::add_question,
        question_banks::show_question, question_banks::edit_question, question_banks::retire_question,
        question_banks::import_questions, question_banks::export_questions,
        exams::list, exams::create, exams::show, exams::replace, exams::publish, exams::standing, exams::start,
        exams::attempt, exams::save, exams::submit, exams::visibility, exams::grading_queue, exams::grade_answer,
        exams::report, exams::my_exams, exams::remove,
        classes::list, classes::create, classes::show, classes::add_students, classes::remove_student,
        classes::my_classes, classes::essay_tasks, classes::set_essay_task, classes::hand_in, classes::review_essay,
        classes::class_report, classes::confirm_graduates, classes::my_class, classes::branch_report,
        classes::hand_in_file, classes::essay_document, classes::import_students,
        certificates::of_class, certificates::mine, certificates::pdf, certificates::revoke, certificates::reissue,
        certificates::verify,
        notices::managed, notices::create, notices::open, notices::propose_again, notices::decide, notices::withdraw,
        notices::read_report, notices::remind, notices::mine, notices::put_attachment, notices::attachment,
        notices::delete_attachment,
        discussion::lesson_comments, discussion::course_comments, discussion::comment_on_lesson,
        discussion::comment_on_course, discussion::delete_own, discussion::report, discussion::moderate,
        discussion::queue, discussion::settings, discussion::set_settings, discussion::word_list,
        discussion::replace_words,
        suggestions::create, suggestions::inbox, suggestions::show, suggestions::reply, suggestions::close,
        suggestions::sender, suggestions::mine, suggestions::addressees, suggestions::org_stats,
    ),
    components(schemas(::courses::directory::ErrorBody, ::courses::i18n::ErrorCode)),
    tags((name = "session", description = "Logging in and out"),
         (name = "orgs", description = "The organization tree"),
         (name = "people", description = "People and member import"),
         (name = "exams", description = "Question banks, their import and export; exams and taking them"),
         (name = "classes", description = "Party classes (培训班) for activists and candidates"),
         (name = "uploads", description = "Resumable chunked uploads of videos, recordings and slide decks"),
         (name = "media", description = "Uploaded material, its processing (percent, failures) and published files"),
         (name = "courses", description = "Courses and lessons"),
         (name = "study", description = "Studying a lesson: playback sessions, heartbeats, resume and completion"),
         (name = "records", description = "学时 (study hours), the receipt, conversion rules and xAPI export"),
         (name = "meetings", description = "Meetings (三会一课), attendance and make-up study (补学)"),
         (name = "assignments", description = "Courses assigned to org nodes, roles or people by a due day"),
         (name = "reports", description = "Completion reports, exports (CSV, XLSX) and snapshots"),
         (name = "notifications", description = "The caller's own in-app notifications (reminders)"),
         (name = "notices", description = "Notices (通知公告) and 党务公开, their approval and read receipts"),
         (name = "discussion", description = "Comments under lessons and courses, reports and moderation"),
         (name = "suggestions", description = "Suggestions (合理化建议) to a member's branch or a node above"),
         (name = "reminders", description = "Reminding everyone overdue in one click (一键提醒), and the log of reminders"))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
