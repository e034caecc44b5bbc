//! `/`: the signed-in person's start page: make-up study owed first, then a
//! greeting, where the person belongs, and what they can do.

use courses::directory::Me;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{greeting, role_title, Text};
use crate::lang::use_lang;
use crate::pages::meetings::{load_makeups, MakeupTasks, MakeupsData};
use crate::session::require_me;

/// The home page; visitors without a session go to `/login`.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let makeups = load_makeups();
    view! {
        <Title text=Text::HomeTitle.get(lang) />
        {require_me(move |me| {
            let password_changed = query.read_untracked().get("password").as_deref() == Some("changed");
            view! { <Home me password_changed makeups /> }
        })}
    }
}

#[component]
fn Home(me: Me, password_changed: bool, makeups: MakeupsData) -> impl IntoView {
    let lang = use_lang();
    view! {
        // Make-up study owed comes before anything else.
        <MakeupTasks tasks=makeups />
        <section class="card">
            <h1 id="home-greeting">{greeting(me.name.as_str(), lang)}</h1>
            <dl class="facts">
                <dt>{Text::YourOrg.get(lang)}</dt>
                <dd id="home-org">{me.org_name_path.clone()}</dd>
                <dt>{Text::YourRole.get(lang)}</dt>
                <dd id="home-role">{role_title(me.role, lang)}</dd>
            </dl>
        </section>
        {password_changed
            .then(|| {
                view! {
                    <p class="notice success" role="status" id="password-changed">
                        {Text::PasswordChanged.get(lang)}
                    </p>
                }
            })}
        {me
            .must_change_password
            .then(|| {
                view! {
                    <p class="notice warning" role="alert" id="must-change-password">
                        {Text::MustChangePassword.get(lang)}
                        <a href="/password">{Text::ChangePasswordLink.get(lang)}</a>
                    </p>
                }
            })}
        <section class="card" id="study">
            <h2>{Text::StudyHeading.get(lang)}</h2>
            <p class="muted">{Text::StudyPlaceholder.get(lang)}</p>
            <a class="button" id="go-courses" href="/courses">
                {crate::i18n::study::StudyText::CatalogLink.get(lang)}
            </a>
        </section>
        <nav class="card links">
            {me
                .role
                .manages_people()
                .then(|| {
                    view! {
                        <a class="button" id="manage-orgs" href="/orgs">
                            {Text::ManageOrgsLink.get(lang)}
                        </a>
                    }
                })}
            <a class="button secondary" id="change-password" href="/password">
                {Text::ChangePasswordLink.get(lang)}
            </a>
        </nav>
    }
}
