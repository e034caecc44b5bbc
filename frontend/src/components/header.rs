//! The bar at the top of every page: site name, the notifications bell, the
//! pages a person may open, who is signed in, logout and the language switch.
//!
//! On a phone it is one slim bar (site name, bell, menu button) with the
//! member's main pages in a tab bar at the bottom of the screen; everything
//! else is in the menu. On a PC the same links form one horizontal row.
//!
//! The menu opens with a checkbox and CSS (`:checked`), not with script:
//! the header is no island, so it works the moment the HTML arrives, and a
//! tap on a slow link is never lost while the wasm is still on its way.

use crate::loaded::page_data;
use courses::directory::Me;
use courses::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::Text;
use crate::lang::use_lang;
use crate::session::{encode_query_value, here, use_me};

/// Whether the page at `path` is (inside) the destination `href`: `/` only
/// for itself, any other link for itself and the pages under it.
fn is_current(path: &str, href: &str) -> bool {
    if href == "/" {
        return path == "/";
    }
    path == href || path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/'))
}

/// A header link with `aria-current="page"` on the page it names.
fn nav_link(path: &str, id: &'static str, href: &'static str, class: &'static str, text: &'static str) -> AnyView {
    view! {
        <a class=class id=id href=href aria-current=is_current(path, href).then_some("page")>
            {text}
        </a>
    }
    .into_any()
}

/// The site header.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let me = use_me();
    // Counted on the server for each page load (the bell is an island).
    let unread = page_data(|| (), |_| crate::pages::notifications::unread_notifications());

    view! {
        <header class="site-header" id="site-header">
            <a class="brand" href="/">{Text::SiteName.get(lang)}</a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let unread = unread.await.map(|u| u.unread).unwrap_or(0);
                    match me.await.ok().flatten() {
                        Some(me) => signed_in(me, unread, lang).into_any(),
                        None => view! { <LangSwitch /> }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

/// Bell, menu and tab bar of a signed-in person.
fn signed_in(me: Me, unread: u64, lang: Lang) -> impl IntoView {
    use crate::i18n::{
        assignments::AssignmentText, manage::ManageText, meetings::MeetingText, reports::ReportText, study::StudyText,
    };
    let path = use_location().pathname.get_untracked();
    let manages = me.role.manages_people();
    let p = path.as_str();
    // Organizers' pages, in the order of their work: people, material,
    // courses, notices, comments and suggestions, meetings, assignments,
    // then the reports that show the result.
    let organizer_links = manages.then(|| {
        view! {
            {nav_link(p, "nav-orgs", "/orgs", "nav-link", Text::NavOrgs.get(lang))}
            {nav_link(p, "nav-media", "/media", "nav-link", Text::MediaTitle.get(lang))}
            {nav_link(p, "nav-manage", "/manage/courses", "nav-link", ManageText::Title.get(lang))}
            {nav_link(p, "nav-manage-exams", "/manage/exams", "nav-link", crate::i18n::exam_admin::AdminText::Nav.get(lang))}
            {nav_link(p, "nav-manage-classes", "/manage/classes", "nav-link", crate::i18n::classes::ClassText::Nav.get(lang))}
            {nav_link(p, "nav-manage-notices", "/manage/notices", "nav-link", crate::i18n::notices::NoticeText::Nav.get(lang))}
            {nav_link(p, "nav-manage-discussion", "/manage/discussion", "nav-link", crate::i18n::discussion::DiscussionText::Nav.get(lang))}
            {nav_link(p, "nav-manage-suggestions", "/manage/suggestions", "nav-link", crate::i18n::suggestions::SuggestionText::ManageNav.get(lang))}
            {nav_link(p, "nav-meetings", "/meetings", "nav-link", MeetingText::Title.get(lang))}
            {nav_link(p, "nav-assignments", "/assignments", "nav-link", AssignmentText::Title.get(lang))}
            {nav_link(p, "nav-reports", "/reports", "nav-link", ReportText::Title.get(lang))}
        }
    });
    let reports_tab =
        manages.then(|| nav_link(p, "tabbar-reports", "/reports", "tab-link", ReportText::Title.get(lang)));
    view! {
        <crate::pages::notifications::NotificationBell unread />
        // Visually hidden but focusable: the keyboard toggles it with Space,
        // and its label (which names it) is what a finger taps.
        <input type="checkbox" class="menu-toggle" id="menu-toggle" autocomplete="off" aria-controls="site-menu" />
        <label for="menu-toggle" class="menu-button" id="menu-button">
            <svg class="menu-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path d="M4 6h16M4 12h16M4 18h16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            </svg>
            <span>{Text::Menu.get(lang)}</span>
        </label>
        <div class="site-menu" id="site-menu">
            <nav class="menu-links" aria-label=Text::MainNav.get(lang)>
                // Also in the phone's tab bar; shown in the menu on a PC only.
                {nav_link(p, "nav-courses", "/courses", "nav-link in-tabbar", StudyText::CatalogLink.get(lang))}
                {nav_link(p, "nav-learning", "/learning", "nav-link in-tabbar", StudyText::MyLearning.get(lang))}
                {nav_link(p, "nav-exams", "/exams", "nav-link", crate::i18n::exams::ExamText::MyExams.get(lang))}
                {nav_link(p, "nav-notices", "/notices", "nav-link", crate::i18n::notices::NoticeText::Notices.get(lang))}
                {nav_link(p, "nav-suggestions", "/suggestions", "nav-link", crate::i18n::suggestions::SuggestionText::Nav.get(lang))}
                // Party classes train those not yet members.
                {me.standing.before_membership().then(|| {
                    nav_link(p, "nav-classes", "/classes", "nav-link", crate::i18n::classes::ClassText::MyClasses.get(lang))
                })}
                {organizer_links}
            </nav>
            <div class="menu-account">
                <span class="who" id="header-name">{me.name.to_string()}</span>
                {nav_link(p, "nav-password", "/password", "nav-link menu-only", Text::ChangePasswordLink.get(lang))}
                <form class="logout" method="post" action="/logout">
                    <input type="hidden" name="csrf_token" value=me.csrf_token />
                    <button id="logout" type="submit" class="link-button">
                        {Text::Logout.get(lang)}
                    </button>
                </form>
                <LangSwitch />
            </div>
        </div>
        // Tapping beside the open menu closes it.
        <label for="menu-toggle" class="menu-backdrop" aria-hidden="true"></label>
        <nav class="tabbar" id="tabbar" aria-label=Text::TabBar.get(lang)>
            {nav_link(p, "tabbar-home", "/", "tab-link", Text::NavHome.get(lang))}
            {nav_link(p, "tabbar-courses", "/courses", "tab-link", StudyText::CatalogLink.get(lang))}
            {nav_link(p, "tabbar-learning", "/learning", "tab-link", StudyText::MyLearning.get(lang))}
            {reports_tab}
        </nav>
    }
}

/// 中文 / English, coming back to this very page (with its query).
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let switch_to = move |code: &str| {
        let next = here(&location.pathname.get(), &location.search.get());
        format!("/lang/{code}?next={}", encode_query_value(&next))
    };
    view! {
        <nav class="lang-switch">
            // rel=external: the server sets the cookie and redirects, so
            // the client-side router must not handle these links.
            <a
                id="lang-zh"
                rel="external"
                hreflang=Lang::Zh.code()
                lang=Lang::Zh.code()
                href=move || switch_to(Lang::Zh.code())
                aria-current=move || (lang == Lang::Zh).then_some("true")
            >
                {Text::LangZh.get(lang)}
            </a>
            <a
                id="lang-en"
                rel="external"
                hreflang=Lang::En.code()
                lang=Lang::En.code()
                href=move || switch_to(Lang::En.code())
                aria-current=move || (lang == Lang::En).then_some("true")
            >
                {Text::LangEn.get(lang)}
            </a>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn a_link_is_current_on_its_page_and_the_pages_under_it() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/courses", "/"));
        assert!(is_current("/reports", "/reports"));
        assert!(is_current("/reports/people/7", "/reports"));
        assert!(!is_current("/reportsx", "/reports"));
        assert!(!is_current("/manage/courses", "/courses"));
        assert!(is_current("/manage/courses/3", "/manage/courses"));
    }
}
