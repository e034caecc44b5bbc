//! The form that assigns a course: the node it is made for, the course
//! (published ones the caller manages or may study), who must study it
//! (nodes, roles, named people; everyone of the node to begin with) and
//! the due day. On success the assignment's page opens.

use courses::assignment::NewAssignment;
use courses::course::CourseView;
use courses::directory::{Me, OrgNode};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::api::create_assignment;
use crate::api::AppError;
use crate::components::audience_picker::{AudienceFields, AudiencePicker, PickerText};
use crate::components::notice::ErrorNotice;
use crate::i18n::assignments::AssignmentText as T;
use crate::i18n::Text;
use crate::lang::use_lang;
use crate::loaded::Loaded;
use crate::pages::choices::Choices;
use crate::pages::orgs::tree::tree_order;

/// What the form loads.
#[derive(Clone, Copy)]
struct AssignState {
    pub tree: Loaded<Vec<OrgNode>>,
    pub courses: Loaded<Vec<CourseView>>,
}

/// The form that assigns a course, as an island, with the choices the page
/// loaded.
#[island(lazy)]
pub(crate) fn AssignForm(me: Me, seed: Choices) -> impl IntoView {
    let lang = use_lang();
    let (tree, courses) = seed.show();
    let form = AssignState { tree, courses };
    let csrf = StoredValue::new(me.csrf_token.clone());
    let own = me.org_id.0;
    let node = RwSignal::new(own);
    let course = RwSignal::new(0_i64);
    let due_on = RwSignal::new(String::new());
    let target = AudiencePicker::of(own);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new = NewAssignment {
            org_id: node.get_untracked(),
            course_id: course.get_untracked(),
            target: target.get(),
            due_on: due_on.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match create_assignment(csrf.get_value(), new).await {
                Ok(view) => crate::pages::go_to(&format!("/assignments/{}", view.summary.id)),
                Err(e) => error.set(Some(e)),
            }
            busy.try_set(false);
        });
    };

    // Each select is drawn once its data has loaded (a suspense boundary
    // inside a <select> would put markers where the parser drops them).
    let node_select = move || {
        Suspend::new(async move {
            let nodes = form.tree.await.unwrap_or_default();
            let options = tree_order(&nodes)
                .into_iter()
                .map(|(depth, n)| {
                    let label = format!("{}{}", "\u{3000}".repeat(depth), n.name);
                    view! { <option value=n.id.0 selected=n.id.0 == own>{label}</option> }
                })
                .collect_view();
            let on_change = move |ev| {
                let id = event_target_value(&ev).parse().unwrap_or(own);
                node.set(id);
                target.reset(id);
            };
            view! { <select id="assignment-org" on:change=on_change>{options}</select> }
        })
    };
    let course_select = move || {
        Suspend::new(async move {
            let list = match form.courses.await {
                Ok(list) => list,
                Err(error) => return view! { <ErrorNotice error /> }.into_any(),
            };
            let usable: Vec<CourseView> = list.into_iter().filter(|c| c.published).collect();
            if usable.is_empty() {
                return view! { <p class="muted">{T::NoCourses.get(lang)}</p> }.into_any();
            }
            let options = usable.into_iter().map(|c| view! { <option value=c.id>{c.title}</option> }).collect_view();
            view! {
                <select
                    id="assignment-course"
                    required
                    on:change=move |ev| course.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    <option value="">{T::PickCourse.get(lang)}</option>
                    {options}
                </select>
            }
            .into_any()
        })
    };

    view! {
        <section class="card" id="create-assignment">
            <h2>{T::CreateHeading.get(lang)}</h2>
            <form id="assignment-form" on:submit=on_submit>
                <div class="fields">
                    <label>
                        {T::Node.get(lang)}
                        <Suspense fallback=|| ()>{node_select}</Suspense>
                    </label>
                    <label>
                        {T::Course.get(lang)}
                        <Suspense fallback=|| ()>{course_select}</Suspense>
                    </label>
                    <label>
                        {T::DueOn.get(lang)}
                        <input type="date" id="assignment-due" required bind:value=due_on />
                    </label>
                </div>
                <AudienceFields picker=target tree=form.tree node text=picker_text(lang) id="target" lang />
                <button type="submit" id="assignment-submit" disabled=move || busy.get()>
                    {move || if busy.get() { Text::Saving.get(lang) } else { T::Assign.get(lang) }}
                </button>
                {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            </form>
        </section>
    }
}

/// The target picker's words.
fn picker_text(lang: courses::Lang) -> PickerText {
    PickerText {
        legend: T::Target.get(lang),
        help: T::TargetHelp.get(lang),
        nodes: T::TargetNodes.get(lang),
        roles: T::TargetRoles.get(lang),
        people: T::TargetPeople.get(lang),
        pick_node: T::PickNode.get(lang),
        remove_person: T::RemovePerson.get(lang),
        no_people: T::NoPeopleChosen.get(lang),
    }
}
