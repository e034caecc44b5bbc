//! Every piece of UI text, in Simplified Chinese and English.
//!
//! Components never hold UI string literals: they name a [`Text`] key or call
//! one of the formatting functions here. Error messages come from the domain
//! catalog (`courses::i18n`), so the UI and the API say the same thing.
//!
//! Which language a page load uses is decided in [`crate::lang`].

pub mod assignments;
pub mod classes;
pub mod discussion;
pub mod exam_admin;
pub mod exams;
pub mod manage;
pub mod media;
pub mod meetings;
pub mod notices;
pub mod notifications;
pub mod reports;
pub mod study;
pub mod suggestions;

use courses::directory::ImportOutcome;
use courses::i18n::{ErrorCode, Localize};
use courses::media::{MediaKind, MediaState};
use courses::{Lang, OrgKind, Role};

/// A fixed piece of UI text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    SiteName,
    LangZh,
    LangEn,
    Logout,
    // Header: the phone menu and tab bar.
    Menu,
    MainNav,
    TabBar,
    NavHome,
    NavOrgs,
    Loading,
    Saving,
    NotFound,
    BackHome,
    // Login page.
    LoginTitle,
    LoginLabel,
    PasswordLabel,
    LoginSubmit,
    LoginHint,
    // Home page.
    HomeTitle,
    YourOrg,
    YourRole,
    YourStanding,
    StudyHeading,
    StudyPlaceholder,
    MustChangePassword,
    ChangePasswordLink,
    PasswordChanged,
    ManageOrgsLink,
    // Password page.
    PasswordTitle,
    CurrentPassword,
    NewPassword,
    WrongCurrentPassword,
    PasswordPolicy,
    Save,
    // Organization management.
    OrgsTitle,
    NoPermission,
    TreeHeading,
    EmptyTree,
    ChooseOrg,
    AddChildOrg,
    AddRootOrg,
    OrgName,
    OrgKind,
    Add,
    Rename,
    DeleteOrg,
    Saved,
    Deleted,
    PeopleHeading,
    NoPeople,
    ColLogin,
    ColName,
    ColRole,
    ColStanding,
    MilestoneHelp,
    MilestoneDay,
    RecordMilestone,
    ColOrg,
    ColActions,
    Edit,
    Remove,
    AddPerson,
    LoginFieldHint,
    ColEmail,
    EmailFieldHint,
    Unchanged,
    // Import.
    ImportHeading,
    ImportHelp,
    ImportFile,
    DryRun,
    ImportSubmit,
    ImportRunning,
    ChooseFileFirst,
    ColLine,
    ColOutcome,
    ColMessage,
    ColInitialPassword,
    InitialPasswordWarning,
    // Teaching material.
    MediaTitle,
    MediaNoPermission,
    UploadHeading,
    UploadHelp,
    UploadOrg,
    UploadFile,
    UploadStart,
    UploadPause,
    UploadContinue,
    UploadCancel,
    UploadPreparing,
    UploadCompleting,
    UploadPaused,
    UploadCancelled,
    UploadDone,
    UploadWillResume,
    Discard,
    MediaListHeading,
    NoMedia,
    ColFile,
    ColKind,
    ColSize,
    ColState,
    KindUnknown,
    StopProcessing,
    Retry,
    Delete,
    Preview,
}

impl Text {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::SiteName => ("党校", "dangxiao"),
            Self::LangZh => ("中文", "中文"),
            Self::LangEn => ("English", "English"),
            Self::Logout => ("退出登录", "Log out"),
            Self::Menu => ("菜单", "Menu"),
            Self::MainNav => ("主导航", "Main"),
            Self::TabBar => ("常用", "Shortcuts"),
            Self::NavHome => ("首页", "Home"),
            Self::NavOrgs => ("组织", "Org"),
            Self::Loading => ("加载中…", "Loading…"),
            Self::Saving => ("提交中…", "Saving…"),
            Self::NotFound => ("页面不存在。", "This page does not exist."),
            Self::BackHome => ("返回首页", "Back to the home page"),

            Self::LoginTitle => ("登录", "Log in"),
            Self::LoginLabel => ("登录名", "Login"),
            Self::PasswordLabel => ("密码", "Password"),
            Self::LoginSubmit => ("登录", "Log in"),
            Self::LoginHint => (
                "登录名通常是您的手机号。忘记密码请联系本支部组织员。",
                "Your login is usually your mobile number. If you forgot your password, ask your branch organizer.",
            ),

            Self::HomeTitle => ("首页", "Home"),
            Self::YourOrg => ("所属组织", "Organization"),
            Self::YourRole => ("权限", "Role"),
            Self::YourStanding => ("党员身份", "Party standing"),
            Self::StudyHeading => ("我的学习", "What to study"),
            Self::StudyPlaceholder => (
                "您可以学习的课程在“课程学习”中：视频、课件，随时接着上次的位置学。",
                "Your courses are under Courses: videos and slides, resumed where you stopped.",
            ),
            Self::MustChangePassword => (
                "您正在使用初始密码，请先修改密码。",
                "You are still using your initial password; please change it.",
            ),
            Self::ChangePasswordLink => ("修改密码", "Change password"),
            Self::PasswordChanged => ("密码已修改。", "Your password has been changed."),
            Self::ManageOrgsLink => ("组织与人员管理", "Manage organizations and people"),

            Self::PasswordTitle => ("修改密码", "Change password"),
            Self::CurrentPassword => ("当前密码", "Current password"),
            Self::NewPassword => ("新密码", "New password"),
            Self::WrongCurrentPassword => ("当前密码不正确。", "The current password is wrong."),
            Self::PasswordPolicy => (
                "新密码须为 8–128 个字符，且不能全是数字。",
                "The new password must be 8 to 128 characters and not only digits.",
            ),
            Self::Save => ("保存", "Save"),

            Self::OrgsTitle => ("组织与人员管理", "Organizations and people"),
            Self::NoPermission => (
                "您没有权限管理组织和人员，此功能仅向组织员和管理员开放。",
                "You are not allowed to manage organizations and people; this is for organizers and administrators.",
            ),
            Self::TreeHeading => ("我管理的组织", "Organizations you manage"),
            Self::EmptyTree => ("暂无组织。", "No organizations yet."),
            Self::ChooseOrg => (
                "请在组织列表中选择一个组织，查看和管理其人员。",
                "Choose an organization in the list to see and manage its people.",
            ),
            Self::AddChildOrg => ("添加下级组织", "Add a sub-organization"),
            Self::AddRootOrg => ("新建顶级组织", "Add a top-level organization"),
            Self::OrgName => ("名称", "Name"),
            Self::OrgKind => ("类型", "Kind"),
            Self::Add => ("添加", "Add"),
            Self::Rename => ("重命名", "Rename"),
            Self::DeleteOrg => ("删除该组织", "Delete this organization"),
            Self::Saved => ("已保存。", "Saved."),
            Self::Deleted => ("已删除。", "Deleted."),
            Self::PeopleHeading => ("人员", "People"),
            Self::NoPeople => ("该组织下暂无人员。", "Nobody belongs to this organization yet."),
            Self::ColLogin => ("登录名", "Login"),
            Self::ColName => ("姓名", "Name"),
            Self::ColRole => ("权限", "Role"),
            Self::ColStanding => ("党员身份", "Standing"),
            Self::MilestoneHelp => (
                "身份变更（如确定为入党积极分子、列为发展对象）按实际日期记录，不能晚于今天。",
                "Record a change of standing (named an activist, a candidate, …) on the day it happened, not in the future.",
            ),
            Self::MilestoneDay => ("变更日期", "On"),
            Self::RecordMilestone => ("记录身份变更", "Record the change"),
            Self::ColOrg => ("所属组织", "Organization"),
            Self::ColActions => ("操作", "Actions"),
            Self::Edit => ("修改", "Edit"),
            Self::Remove => ("移除", "Remove"),
            Self::AddPerson => ("添加人员", "Add a person"),
            Self::LoginFieldHint => ("可使用手机号", "A mobile number works"),
            Self::ColEmail => ("电子邮箱", "E-mail"),
            Self::EmailFieldHint => ("选填，用于邮件提醒", "Optional, for e-mail reminders"),
            Self::Unchanged => ("（不变）", "(unchanged)"),

            Self::ImportHeading => ("批量导入人员", "Import people"),
            Self::ImportHelp => (
                "上传 CSV 或 XLSX 文件，第一行为表头：姓名、登录名、组织路径、身份，可加一列电子邮箱（留空则不变）和一列党员身份（入党申请人、入党积极分子、发展对象、预备党员、正式党员；导入改变的身份记为当天的身份变更）。组织路径从顶级组织写起，用“/”分隔。",
                "Upload a CSV or XLSX file whose first row is the header: name, login, org_path, role, and optionally email (an empty cell changes nothing) and standing (applicant, activist, candidate, probationary, full; a standing the import changes is a milestone of that day). Write org paths from the top-level organization down, separated by “/”.",
            ),
            Self::ImportFile => ("文件", "File"),
            Self::DryRun => ("试运行（只检查，不保存）", "Dry run (check only, save nothing)"),
            Self::ImportSubmit => ("开始导入", "Import"),
            Self::ImportRunning => ("正在处理…", "Working…"),
            Self::ChooseFileFirst => ("请先选择文件。", "Choose a file first."),
            Self::ColLine => ("行号", "Line"),
            Self::ColOutcome => ("结果", "Outcome"),
            Self::ColMessage => ("说明", "Message"),
            Self::ColInitialPassword => ("初始密码", "Initial password"),
            Self::InitialPasswordWarning => (
                "初始密码只显示这一次，请妥善转交本人；首次登录后须修改。",
                "Initial passwords are shown only this once: hand them over safely; they must be changed at first login.",
            ),

            Self::MediaTitle => ("教学资料", "Materials"),
            Self::MediaNoPermission => (
                "您没有权限管理教学资料，此功能仅向组织员和管理员开放。",
                "You are not allowed to manage teaching material; this is for organizers and administrators.",
            ),
            Self::UploadHeading => ("上传资料", "Upload material"),
            Self::UploadHelp => (
                "可上传讲座视频、录音和演示文稿（PPT、PPTX、ODP、PDF）。文件分段上传，网络中断后自动续传；刷新页面后重新选择同一文件即可接着上传。",
                "Upload lecture videos, recordings and slide decks (PPT, PPTX, ODP, PDF). Files go up in parts and continue by themselves after a network drop; after reloading the page, choose the same file again to go on.",
            ),
            Self::UploadOrg => ("上传到组织", "Organization"),
            Self::UploadFile => ("文件", "File"),
            Self::UploadStart => ("开始上传", "Upload"),
            Self::UploadPause => ("暂停", "Pause"),
            Self::UploadContinue => ("继续", "Continue"),
            Self::UploadCancel => ("取消上传", "Cancel upload"),
            Self::UploadPreparing => ("正在准备…", "Preparing…"),
            Self::UploadCompleting => ("正在提交…", "Finishing…"),
            Self::UploadPaused => (
                "已暂停。点击“继续”，或刷新后重新选择同一文件，即可接着上传。",
                "Paused. Press “Continue”, or choose the same file again after a reload, to go on.",
            ),
            Self::UploadCancelled => ("已取消上传。", "The upload was cancelled."),
            Self::UploadDone => ("上传完成，已加入处理队列。", "Uploaded; it is queued for processing."),
            Self::UploadWillResume => (
                "此文件有未完成的上传，将从中断处继续。",
                "This file has an unfinished upload; it will continue where it stopped.",
            ),
            Self::Discard => ("放弃", "Discard"),
            Self::MediaListHeading => ("资料列表", "Uploaded material"),
            Self::NoMedia => ("暂无资料。", "Nothing has been uploaded yet."),
            Self::ColFile => ("文件名", "File"),
            Self::ColKind => ("类型", "Kind"),
            Self::ColSize => ("大小", "Size"),
            Self::ColState => ("状态", "State"),
            Self::KindUnknown => ("待识别", "Not known yet"),
            Self::StopProcessing => ("取消", "Cancel"),
            Self::Retry => ("重试", "Retry"),
            Self::Delete => ("删除", "Delete"),
            Self::Preview => ("预览", "Preview"),
        };
        lang.pick(zh, en)
    }
}

/// The title of a role as people say it.
pub fn role_title(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Member => lang.pick("学员", "Learner"),
        Role::Organizer => lang.pick("组织员", "Organizer"),
        Role::Admin => lang.pick("管理员", "Administrator"),
    }
}

/// The name of an org level.
pub fn org_kind_title(kind: OrgKind, lang: Lang) -> &'static str {
    match kind {
        OrgKind::Committee => lang.pick("党委", "Party committee"),
        OrgKind::GeneralBranch => lang.pick("党总支", "General branch"),
        OrgKind::Branch => lang.pick("党支部", "Party branch"),
        OrgKind::Group => lang.pick("党小组", "Party group"),
    }
}

/// What happened to one row of an import.
pub fn outcome_title(outcome: ImportOutcome, lang: Lang) -> &'static str {
    match outcome {
        ImportOutcome::Created => lang.pick("新建", "Created"),
        ImportOutcome::Updated => lang.pick("更新", "Updated"),
        ImportOutcome::Unchanged => lang.pick("无变化", "Unchanged"),
        ImportOutcome::Rejected => lang.pick("未导入", "Rejected"),
    }
}

/// The greeting on the home page.
pub fn greeting(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}同志，您好！"),
        Lang::En => format!("Hello, {name}!"),
    }
}

/// How many of a node's people belong to it directly (not to a node
/// below it): shown beside the subtree's count when the two differ.
pub fn direct_people_count(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（直属 {n} 人）"),
        Lang::En => format!("({n} directly)"),
    }
}

/// How many people an org node has (its subtree's, where the tree shows it).
pub fn people_count(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 人"),
        Lang::En if n == 1 => "1 person".to_owned(),
        Lang::En => format!("{n} people"),
    }
}

/// Shown once after creating a person, followed by the initial password.
pub fn person_created(name: &str, login: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已添加 {name}（登录名 {login}），初始密码："),
        Lang::En => format!("Added {name} (login {login}); initial password: "),
    }
}

/// The totals line of an import report.
pub fn import_summary(
    dry_run: bool,
    created: usize,
    updated: usize,
    unchanged: usize,
    rejected: usize,
    lang: Lang,
) -> String {
    match lang {
        Lang::Zh => {
            let mode = if dry_run { "试运行结果（未保存）" } else { "导入完成" };
            format!("{mode}：新建 {created}，更新 {updated}，无变化 {unchanged}，未导入 {rejected}。")
        }
        Lang::En => {
            let mode = if dry_run { "Dry run (nothing saved)" } else { "Import finished" };
            format!("{mode}: {created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected.")
        }
    }
}

/// Where a piece of media is, as its row shows it: "转码中 42%",
/// "失败：<why>".
pub fn media_state_text(
    state: MediaState,
    kind: Option<MediaKind>,
    percent: u8,
    problem: Option<&str>,
    lang: Lang,
) -> String {
    match state {
        MediaState::Processing => {
            let doing = match kind {
                Some(MediaKind::Video | MediaKind::Audio) => lang.pick("转码中", "Transcoding"),
                Some(MediaKind::Slides) => lang.pick("转换中", "Converting"),
                None => lang.pick("处理中", "Processing"),
            };
            format!("{doing} {percent}%")
        }
        MediaState::Failed => match problem.filter(|p| !p.is_empty()) {
            Some(why) => format!("{}{why}", lang.pick("失败：", "Failed: ")),
            None => state.localize(lang),
        },
        _ => state.localize(lang),
    }
}

/// A prompt for an upload a reload interrupted.
pub fn open_upload_line(file_name: &str, percent: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("未完成的上传：{file_name} {percent}%，请重新选择同一文件以继续"),
        Lang::En => format!("Unfinished upload: {file_name} {percent}%; choose the same file again to continue"),
    }
}

/// The line under the upload progress bar.
pub fn upload_progress_text(percent: u8, sent: &str, total: &str) -> String {
    format!("{percent} % · {sent} / {total}")
}

/// Shown while a failed part waits to be sent again.
pub fn upload_retrying(attempt: u32, wait_ms: u32, message: &str, lang: Lang) -> String {
    let seconds = wait_ms.div_ceil(1000);
    match lang {
        Lang::Zh => format!("{message} {seconds} 秒后第 {attempt} 次重试…"),
        Lang::En => format!("{message} Trying again in {seconds} s (attempt {attempt})…"),
    }
}

/// Shown when a reselected file continues an earlier upload.
pub fn upload_resumed(percent: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("从 {percent}% 处继续上传。"),
        Lang::En => format!("Continuing from {percent}%."),
    }
}

/// The question before deleting an item.
pub fn confirm_delete_media(file_name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("确定删除“{file_name}”及其处理结果吗？此操作无法撤销。"),
        Lang::En => format!("Delete “{file_name}” and everything made from it? This cannot be undone."),
    }
}

/// How many pages a converted deck has.
pub fn slide_count(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("共 {n} 页"),
        Lang::En if n == 1 => "1 slide".to_owned(),
        Lang::En => format!("{n} slides"),
    }
}

/// The message for an error code the server put in a `?error=` query
/// parameter; unknown codes get the generic "invalid input" text.
pub fn error_message(code: &str, lang: Lang) -> String {
    ErrorCode::parse(code).unwrap_or(ErrorCode::InvalidInput).localize(lang)
}

/// The document title: the page's own title, then the site name.
pub fn page_title(page: &str, lang: Lang) -> String {
    let site = Text::SiteName.get(lang);
    if page.is_empty() {
        site.to_owned()
    } else {
        format!("{page} - {site}")
    }
}

/// A label before its value, with the language's colon: full-width in
/// Chinese ("原因：…"), a colon and a space in English.
pub fn labelled(label: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{label}："),
        Lang::En => format!("{label}: "),
    }
}

/// An aside after some text, in the language's brackets: full-width in
/// Chinese ("未补学（已学 1/2）"), a space and ASCII in English.
pub fn aside(text: &str, aside: impl std::fmt::Display, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{text}（{aside}）"),
        Lang::En => format!("{text} ({aside})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asides_take_full_width_brackets_in_chinese_only() {
        assert_eq!(aside("未补学", "已学 1/2", Lang::Zh), "未补学（已学 1/2）");
        assert_eq!(aside("Not made up", "1/2 done", Lang::En), "Not made up (1/2 done)");
    }

    #[test]
    fn labels_take_the_languages_colon() {
        assert_eq!(labelled("原因", Lang::Zh), "原因：");
        assert_eq!(labelled("Reason", Lang::En), "Reason: ");
    }

    #[test]
    fn texts_default_to_chinese_and_switch_to_english() {
        assert_eq!(Text::SiteName.get(Lang::default()), "党校");
        assert_eq!(Text::SiteName.get(Lang::En), "dangxiao");
        assert_eq!(page_title("登录", Lang::Zh), "登录 - 党校");
        assert_eq!(page_title("", Lang::En), "dangxiao");
    }

    #[test]
    fn english_counts_agree_in_number() {
        assert_eq!(people_count(1, Lang::En), "1 person");
        assert_eq!(people_count(3, Lang::En), "3 people");
        assert_eq!(people_count(3, Lang::Zh), "3 人");
    }

    #[test]
    fn roles_have_their_chinese_titles() {
        assert_eq!(role_title(Role::Member, Lang::Zh), "学员");
        assert_eq!(role_title(Role::Organizer, Lang::Zh), "组织员");
        assert_eq!(role_title(Role::Admin, Lang::Zh), "管理员");
    }

    #[test]
    fn media_states_read_as_the_organizer_expects() {
        let video = Some(MediaKind::Video);
        assert_eq!(media_state_text(MediaState::Queued, video, 0, None, Lang::Zh), "排队中");
        assert_eq!(media_state_text(MediaState::Processing, video, 42, None, Lang::Zh), "转码中 42%");
        assert_eq!(media_state_text(MediaState::Ready, video, 100, None, Lang::Zh), "已就绪");
        assert_eq!(media_state_text(MediaState::Failed, None, 0, Some("文件已损坏。"), Lang::Zh), "失败：文件已损坏。");
        assert_eq!(media_state_text(MediaState::Processing, None, 5, None, Lang::En), "Processing 5%");
        assert_eq!(open_upload_line("讲座.mp4", 62, Lang::Zh), "未完成的上传：讲座.mp4 62%，请重新选择同一文件以继续");
    }

    #[test]
    fn error_codes_from_the_query_are_localized_and_unknown_ones_are_generic() {
        assert_eq!(error_message("bad_credentials", Lang::Zh), ErrorCode::BadCredentials.localize(Lang::Zh));
        assert_eq!(error_message("rate_limited", Lang::En), ErrorCode::RateLimited.localize(Lang::En));
        assert_eq!(error_message("<script>", Lang::En), ErrorCode::InvalidInput.localize(Lang::En));
    }
}
