//! Who a course is for: org nodes of the course's subtree (each with its
//! own subtree), roles (none ticked: every role) and named people, picked
//! from one node at a time.

use courses::course::Audience;
use courses::directory::{OrgNode, PersonSummary};
use courses::{Lang, OrgId, Role};
use leptos::prelude::*;

use super::api::named_people;
use crate::api::{org_people, AppError};
use crate::i18n::manage::ManageText as T;
use crate::i18n::role_title;
use crate::pages::orgs::tree::tree_order;

/// The audience being edited, and the names of the people in it.
#[derive(Clone, Copy)]
pub(super) struct AudienceState {
    orgs: RwSignal<Vec<i64>>,
    roles: RwSignal<Vec<Role>>,
    people: RwSignal<Vec<i64>>,
    names: RwSignal<Vec<(i64, String)>>,
}

impl AudienceState {
    pub fn new(a: Audience) -> Self {
        AudienceState {
            orgs: RwSignal::new(a.orgs),
            roles: RwSignal::new(a.roles),
            people: RwSignal::new(a.people),
            names: RwSignal::new(Vec::new()),
        }
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
pub(super) fn AudienceFields(
    audience: AudienceState,
    tree: Resource<Result<Vec<OrgNode>, AppError>>,
    course: i64,
    org: i64,
    lang: Lang,
) -> impl IntoView {
    let AudienceState { orgs, roles, people, names } = audience;
    let picker = RwSignal::new(Vec::<PersonSummary>::new());
    // Names of the people already named, once, in the browser.
    Effect::new(move |_| {
        if people.with_untracked(|p| !p.is_empty()) {
            leptos::task::spawn_local(async move {
                if let Ok(found) = named_people(course).await {
                    names.try_update(|n| n.extend(found.into_iter().map(|p| (p.id.0, p.name.to_string()))));
                }
            });
        }
    });
    let pick_org = move |ev: leptos::ev::Event| {
        let Ok(node) = event_target_value(&ev).parse::<i64>() else { return picker.set(Vec::new()) };
        leptos::task::spawn_local(async move {
            picker.try_set(org_people(OrgId(node)).await.unwrap_or_default());
        });
    };

    let nodes = move || {
        Suspend::new(async move {
            let all = tree.await.unwrap_or_default();
            // Only the course's node and what lies below it can be chosen.
            let top = all.iter().find(|n| n.id.0 == org).map(|n| n.path.clone());
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
                                name="audience-org"
                                value=id
                                checked=orgs.with_untracked(|o| o.contains(&id))
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
                <div class="audience-orgs" id="audience-orgs">{boxes}</div>
                <h3>{T::AudienceRoles.get(lang)}</h3>
                <div class="audience-roles">{role_boxes(roles, lang)}</div>
                <h3>{T::AudiencePeople.get(lang)}</h3>
                <select id="people-org" aria-label=T::PickOrg.get(lang) on:change=pick_org>
                    <option value="">{T::PickOrg.get(lang)}</option>
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
                            name="audience-person"
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
        <fieldset class="audience" id="audience">
            <legend>{T::Audience.get(lang)}</legend>
            <p class="muted small">{T::AudienceHelp.get(lang)}</p>
            <h3>{T::AudienceOrgs.get(lang)}</h3>
            <Transition fallback=|| ()>{nodes}</Transition>
            <p class="muted small" hidden=move || people.with(|p| !p.is_empty())>
                {T::NoPeopleChosen.get(lang)}
            </p>
            <ul class="chips" id="audience-people">{chips}</ul>
            <div class="people-picker" id="people-picker">{pickable}</div>
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
                        name="audience-role"
                        value=role.as_str()
                        checked=roles.with_untracked(|r| r.contains(&role))
                        on:change=move |ev| toggle(roles, role, event_target_checked(&ev))
                    />
                    {role_title(role, lang)}
                </label>
            }
        })
        .collect_view()
}
