//! The bar at the top of every page: site name, who is signed in, logout and
//! the language switch.

use crate::loaded::page_data;
use courses::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::Text;
use crate::lang::use_lang;
use crate::session::{encode_query_value, here, use_me};

/// The site header.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let me = use_me();
    // Counted on the server for each page load (the bell is an island).
    let unread = page_data(|| (), |_| crate::pages::notifications::unread_notifications());
    let location = use_location();
    // Language links come back to this very page (with its query).
    let switch_to = move |code: &str| {
        let next = here(&location.pathname.get(), &location.search.get());
        format!("/lang/{code}?next={}", encode_query_value(&next))
    };

    view! {
        <header class="site-header">
            <a class="brand" href="/">{Text::SiteName.get(lang)}</a>
            <div class="header-tools">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let unread = unread.await.map(|u| u.unread).unwrap_or(0);
                        me.await
                            .ok()
                            .flatten()
                            .map(|me| {
                                let materials = me
                                    .role
                                    .manages_people()
                                    .then(|| {
                                        view! {
                                            <a class="nav-link" id="nav-media" href="/media">
                                                {Text::MediaTitle.get(lang)}
                                            </a>
                                        }
                                    });
                                let manage = me
                                    .role
                                    .manages_people()
                                    .then(|| {
                                        view! {
                                            <a class="nav-link" id="nav-manage" href="/manage/courses">
                                                {crate::i18n::manage::ManageText::Title.get(lang)}
                                            </a>
                                        }
                                    });
                                let meetings = me
                                    .role
                                    .manages_people()
                                    .then(|| {
                                        view! {
                                            <a class="nav-link" id="nav-meetings" href="/meetings">
                                                {crate::i18n::meetings::MeetingText::Title.get(lang)}
                                            </a>
                                        }
                                    });
                                let assignments = me
                                    .role
                                    .manages_people()
                                    .then(|| {
                                        view! {
                                            <a class="nav-link" id="nav-assignments" href="/assignments">
                                                {crate::i18n::assignments::AssignmentText::Title.get(lang)}
                                            </a>
                                        }
                                    });
                                let reports = me
                                    .role
                                    .manages_people()
                                    .then(|| {
                                        view! {
                                            <a class="nav-link" id="nav-reports" href="/reports">
                                                {crate::i18n::reports::ReportText::Title.get(lang)}
                                            </a>
                                        }
                                    });
                                view! {
                                    <a class="nav-link" id="nav-courses" href="/courses">
                                        {crate::i18n::study::StudyText::CatalogLink.get(lang)}
                                    </a>
                                    <a class="nav-link" id="nav-learning" href="/learning">
                                        {crate::i18n::study::StudyText::MyLearning.get(lang)}
                                    </a>
                                    {materials}
                                    {manage}
                                    {meetings}
                                    {assignments}
                                    {reports}
                                    <crate::pages::notifications::NotificationBell unread />
                                    <span class="who" id="header-name">{me.name.to_string()}</span>
                                    <form class="logout" method="post" action="/logout">
                                        <input type="hidden" name="csrf_token" value=me.csrf_token />
                                        <button id="logout" type="submit" class="link-button">
                                            {Text::Logout.get(lang)}
                                        </button>
                                    </form>
                                }
                            })
                    })}
                </Transition>
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
            </div>
        </header>
    }
}
