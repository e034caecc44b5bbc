//! `/manage/courses`: the courses the caller manages, and the form that
//! creates one (then opens it in the editor).

use crate::loaded::page_data;
use courses::course::{CourseView, NewCourse};
use courses::directory::{Me, OrgNode};
use courses::i18n::Localize;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::create_course;
use super::refusal;
use crate::api::{list_courses, org_tree, AppError};
use crate::components::notice::ErrorNotice;
use crate::i18n::manage::{credit_hours, ManageText as T};
use crate::i18n::study::lesson_count;
use crate::lang::use_lang;
use crate::pages::orgs::tree::tree_order;
use crate::session::require_me;

#[component]
pub fn ManageCoursesPage() -> impl IntoView {
    let lang = use_lang();
    let courses = page_data(|| (), |_| list_courses(String::new(), String::new(), String::new()));
    let tree = page_data(|| (), |_| org_tree());
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            let me = me.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            let (list, nodes) = (courses.await, tree.await.unwrap_or_default());
                            view! {
                                <div class="manage-layout">
                                    <section class="card" id="managed">
                                        <h2>{T::MyCourses.get(lang)}</h2>
                                        {course_list(list, lang)}
                                    </section>
                                    <NewCourseForm me nodes />
                                </div>
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        })}
    }
}

fn course_list(list: Result<Vec<CourseView>, AppError>, lang: courses::Lang) -> impl IntoView {
    let (items, error) = match list {
        Ok(list) => (list.into_iter().filter(|c| c.can_manage).map(|c| course_card(c, lang)).collect(), None),
        Err(error) => (Vec::new(), Some(error)),
    };
    let empty = (items.is_empty() && error.is_none()).then(|| view! { <p class="muted">{T::NoCourses.get(lang)}</p> });
    view! {
        {error.map(|error| view! { <ErrorNotice error /> })}
        {empty}
        <ul class="course-list" id="managed-courses">{items}</ul>
    }
}

fn course_card(c: CourseView, lang: courses::Lang) -> impl IntoView {
    let (state, class) = if c.published { (T::Published, "tag success") } else { (T::Unpublished, "tag") };
    let kind = if c.required { T::Required } else { T::Elective };
    view! {
        <li class="card course-card" data-course-id=c.id>
            <h3>
                <a href=format!("/manage/courses/{}", c.id)>{c.title}</a>
            </h3>
            <p>
                <span class=class>{state.get(lang)}</span>
                " "
                <span class="tag">{kind.get(lang)}</span>
            </p>
            <p class="muted small">
                {lesson_count(c.lessons.len(), lang)} " · " {credit_hours(c.credit_hours, lang)}
            </p>
            <p class="links small">
                <a href=format!("/manage/courses/{}", c.id)>{T::Edit.get(lang)}</a>
                <a href=format!("/courses/{}", c.id)>{T::Preview.get(lang)}</a>
            </p>
        </li>
    }
}

/// Title, summary, 必修/选修, credit hours and the owning node; on success
/// the editor opens.
#[island(lazy)]
fn NewCourseForm(me: Me, nodes: Vec<OrgNode>) -> impl IntoView {
    let lang = use_lang();
    let (title, summary, hours) =
        (NodeRef::<html::Input>::new(), NodeRef::<html::Textarea>::new(), NodeRef::<html::Input>::new());
    let (required, org) = (NodeRef::<html::Select>::new(), NodeRef::<html::Select>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let csrf = StoredValue::new(me.csrf_token);
    let own = me.org_id;

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = |r: NodeRef<html::Input>| r.get_untracked().map(|e| e.value()).unwrap_or_default();
        let select = |r: NodeRef<html::Select>| r.get_untracked().map(|e| e.value()).unwrap_or_default();
        let hours = value(hours).trim().parse::<f64>().unwrap_or(0.0);
        if let Err(e) = courses::course::edit::check_credit_hours(hours) {
            error.set(Some(AppError::new(courses::i18n::ErrorCode::InvalidInput, e.localize(lang))));
            return;
        }
        let new = NewCourse {
            org_id: select(org).parse().unwrap_or(own.0),
            title: value(title),
            summary: summary.get_untracked().map(|e| e.value()).unwrap_or_default(),
            rules: None,
            required: select(required) == "1",
            credit_hours: hours,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_course(csrf.get_value(), new).await {
                Ok(course) => crate::pages::go_to(&format!("/manage/courses/{}", course.id)),
                Err(e) => error.set(Some(e)),
            }
            busy.try_set(false);
        });
    };
    let org_options = tree_order(&nodes)
        .into_iter()
        .map(|(depth, n)| {
            let label = format!("{}{}", "\u{3000}".repeat(depth), n.name);
            view! { <option value=n.id.0 selected=n.id == own>{label}</option> }
        })
        .collect_view();

    view! {
        <section class="card" id="new-course">
            <h2>{T::NewCourse.get(lang)}</h2>
            <form id="new-course-form" on:submit=on_submit>
                <label>
                    {T::CourseTitle.get(lang)}
                    <input type="text" id="new-course-title" required maxlength="200" node_ref=title />
                </label>
                <label>
                    {T::Summary.get(lang)}
                    <textarea id="new-course-summary" rows="3" node_ref=summary></textarea>
                </label>
                <div class="fields">
                    <label>
                        {T::Kind.get(lang)}
                        <select id="new-course-required" node_ref=required>
                            <option value="0">{T::Elective.get(lang)}</option>
                            <option value="1">{T::Required.get(lang)}</option>
                        </select>
                    </label>
                    <label>
                        {T::CreditHours.get(lang)}
                        <input
                            type="number"
                            id="new-course-hours"
                            min="0"
                            max="200"
                            step="0.5"
                            value="1"
                            inputmode="decimal"
                            node_ref=hours
                        />
                    </label>
                    <label>
                        {T::Org.get(lang)}
                        <select id="new-course-org" node_ref=org>{org_options}</select>
                    </label>
                </div>
                <button type="submit" id="create-course" disabled=move || busy.get()>
                    {T::Create.get(lang)}
                </button>
                {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            </form>
        </section>
    }
}
