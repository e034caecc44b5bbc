//! Who an assignment is for: nodes of the chosen node's subtree (each with
//! its own subtree), roles (none ticked: every role) and named people,
//! picked one node at a time.

use courses::course::Audience;
use courses::directory::{OrgNode, PersonSummary};
use courses::{Lang, OrgId, Role};
use leptos::prelude::*;

use crate::api::{org_people, AppError};
use crate::i18n::assignments::AssignmentText as T;
use crate::i18n::role_title;
use crate::pages::orgs::tree::tree_order;

/// The target being edited, and the names of the people in it.
#[derive(Clone, Copy)]
pub(super) struct TargetState {
    orgs: RwSignal<Vec<i64>>,
    roles: RwSignal<Vec<Role>>,
    people: RwSignal<Vec<i64>>,
    names: RwSignal<Vec<(i64, String)>>,
}

impl TargetState {
    /// Everyone of `node`'s subtree.
    pub fn of(node: i64) -> Self {
        TargetState {
            orgs: RwSignal::new(vec![node]),
            roles: RwSignal::new(Vec::new()),
            people: RwSignal::new(Vec::new()),
            names: RwSignal::new(Vec::new()),
        }
    }

    /// Starts again from everyone of `node`'s subtree (after the node
    /// changed, so nothing outside it stays chosen).
    pub fn reset(self, node: i64) {
        self.orgs.set(vec![node]);
        self.people.set(Vec::new());
    }

    pub fn get(self) -> Audience {
        Audience {
            orgs: self.orgs.get_untracked(),
            roles: self.roles.get_untracked(),
            people: self.people.get_untracked(),
        }
    }
}

/// Adds or removes `item`.
fn toggle<T: PartialEq + Send + Sync + 'static>(list: RwSignal<Vec<T>>, item: T, on: bool) {
    list.update(|l| {
        l.retain(|x| *x != item);
        if on {
            l.push(item);
        }
    });
}

#[component]
pub(super) fn TargetFields(
    target: TargetState,
    tree: Resource<Result<Vec<OrgNode>, AppError>>,
    /// The node the assignment is made for.
    #[prop(into)]
    node: Signal<i64>,
    lang: Lang,
) -> impl IntoView {
    let TargetState { orgs, roles, people, names } = target;
    let picker = RwSignal::new(Vec::<PersonSummary>::new());
    let pick_org = move |ev: leptos::ev::Event| {
        let Ok(node) = event_target_value(&ev).parse::<i64>() else { return picker.set(Vec::new()) };
        leptos::task::spawn_local(async move {
            picker.try_set(org_people(OrgId(node)).await.unwrap_or_default());
        });
    };

    let nodes = move || {
        let top_id = node.get();
        Suspend::new(async move {
            let all = tree.await.unwrap_or_default();
            // Only the assignment's node and what lies below it can be chosen.
            let top = all.iter().find(|n| n.id.0 == top_id).map(|n| n.path.clone());
            let within: Vec<OrgNode> =
                all.into_iter().filter(|n| top.as_ref().is_none_or(|t| t.contains(&n.path))).collect();
            let ordered = tree_order(&within);
            let boxes = ordered
                .iter()
                .map(|(depth, n)| {
                    let id = n.id.0;
                    view! {
                        <label class="check" style=format!("--depth: {depth}")>
                            <input
                                type="checkbox"
                                name="target-org"
                                value=id
                                checked=orgs.with_untracked(|o| o.contains(&id))
                                prop:checked=move || orgs.with(|o| o.contains(&id))
                                on:change=move |ev| toggle(orgs, id, event_target_checked(&ev))
                            />
                            {n.name.to_string()}
                        </label>
                    }
                })
                .collect_view();
            let options = ordered
                .iter()
                .map(|(depth, n)| {
                    view! { <option value=n.id.0>{format!("{}{}", "\u{3000}".repeat(*depth), n.name)}</option> }
                })
                .collect_view();
            view! {
                <div class="audience-orgs" id="target-orgs">{boxes}</div>
                <h3>{T::TargetRoles.get(lang)}</h3>
                <div class="audience-roles">{role_boxes(roles, lang)}</div>
                <h3>{T::TargetPeople.get(lang)}</h3>
                <select id="target-people-org" aria-label=T::PickNode.get(lang) on:change=pick_org>
                    <option value="">{T::PickNode.get(lang)}</option>
                    {options}
                </select>
            }
        })
    };

    let chips = move || {
        people
            .get()
            .into_iter()
            .map(|id| {
                let name = names.with(|n| n.iter().find(|(i, _)| *i == id).map(|(_, s)| s.clone()));
                let name = name.unwrap_or_else(|| format!("#{id}"));
                let label = format!("{} {name}", T::RemovePerson.get(lang));
                view! {
                    <li class="chip" data-person-id=id>
                        {name}
                        <button type="button" aria-label=label on:click=move |_| toggle(people, id, false)>
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let pickable = move || {
        picker
            .get()
            .into_iter()
            .map(|p| {
                let id = p.id.0;
                let name = p.name.to_string();
                let on_change = {
                    let name = name.clone();
                    move |ev| {
                        let on = event_target_checked(&ev);
                        if on && !names.with_untracked(|n| n.iter().any(|(i, _)| *i == id)) {
                            names.update(|n| n.push((id, name.clone())));
                        }
                        toggle(people, id, on);
                    }
                };
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            name="target-person"
                            value=id
                            prop:checked=move || people.with(|l| l.contains(&id))
                            on:change=on_change
                        />
                        {format!("{name}（{}）", role_title(p.role, lang))}
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <fieldset class="audience" id="target">
            <legend>{T::Target.get(lang)}</legend>
            <p class="muted small">{T::TargetHelp.get(lang)}</p>
            <h3>{T::TargetNodes.get(lang)}</h3>
            <Transition fallback=|| ()>{nodes}</Transition>
            <p class="muted small" hidden=move || people.with(|p| !p.is_empty())>
                {T::NoPeopleChosen.get(lang)}
            </p>
            <ul class="chips" id="target-people">{chips}</ul>
            <div class="people-picker" id="target-picker">{pickable}</div>
        </fieldset>
    }
}

/// Member, activist, organizer: ticked ones narrow the org nodes.
fn role_boxes(roles: RwSignal<Vec<Role>>, lang: Lang) -> impl IntoView {
    [Role::Member, Role::Activist, Role::Organizer]
        .into_iter()
        .map(|role| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name="target-role"
                        value=role.as_str()
                        prop:checked=move || roles.with(|r| r.contains(&role))
                        on:change=move |ev| toggle(roles, role, event_target_checked(&ev))
                    />
                    {role_title(role, lang)}
                </label>
            }
        })
        .collect_view()
}
