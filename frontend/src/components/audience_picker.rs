//! Picking who something is for: org nodes of one node's subtree (each with
//! its own subtree), roles (none ticked: every role) and named people,
//! picked one node at a time. The course editor's audience and an
//! assignment's target are both this (`courses::course::Audience`).

use courses::course::Audience;
use courses::directory::{OrgNode, PersonSummary};
use courses::{Lang, OrgId, Role};
use leptos::prelude::*;

use crate::api::org_people;
use crate::i18n::role_title;
use crate::loaded::Loaded;
use crate::pages::orgs::tree::tree_order;
use courses::Standing;

/// The audience being edited, and the names of the people in it.
#[derive(Clone, Copy)]
pub struct AudiencePicker {
    orgs: RwSignal<Vec<i64>>,
    roles: RwSignal<Vec<Role>>,
    standings: RwSignal<Vec<Standing>>,
    people: RwSignal<Vec<i64>>,
    names: RwSignal<Vec<(i64, String)>>,
}

impl AudiencePicker {
    pub fn new(a: Audience) -> Self {
        AudiencePicker {
            orgs: RwSignal::new(a.orgs),
            roles: RwSignal::new(a.roles),
            standings: RwSignal::new(a.standings),
            people: RwSignal::new(a.people),
            names: RwSignal::new(Vec::new()),
        }
    }

    /// Everyone of `node`'s subtree.
    pub fn of(node: i64) -> Self {
        Self::new(Audience::subtree_of(node))
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
            standings: self.standings.get_untracked(),
            people: self.people.get_untracked(),
        }
    }

    /// Whether people are named (their names may need loading).
    pub fn names_people(self) -> bool {
        self.people.with_untracked(|p| !p.is_empty())
    }

    /// Adds the names of people already named, for their chips.
    pub fn know_names(self, found: impl IntoIterator<Item = (i64, String)>) {
        self.names.try_update(|n| n.extend(found));
    }
}

/// The words around the fields, which differ between its uses.
#[derive(Clone, Copy)]
pub struct PickerText {
    pub legend: &'static str,
    pub help: &'static str,
    pub nodes: &'static str,
    pub roles: &'static str,
    pub people: &'static str,
    pub pick_node: &'static str,
    pub remove_person: &'static str,
    pub no_people: &'static str,
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

/// The fields. `id` prefixes every element id and input name (`{id}`,
/// `{id}-orgs`, `{id}-org`, `{id}-role`, `{id}-people`, `{id}-people-org`,
/// `{id}-picker`, `{id}-person`).
#[component]
pub fn AudienceFields(
    picker: AudiencePicker,
    tree: Loaded<Vec<OrgNode>>,
    /// The node whose subtree may be chosen from.
    #[prop(into)]
    node: Signal<i64>,
    text: PickerText,
    id: &'static str,
    lang: Lang,
) -> impl IntoView {
    let AudiencePicker { orgs, roles, standings, people, names } = picker;
    let found = RwSignal::new(Vec::<PersonSummary>::new());
    let pick_org = move |ev: leptos::ev::Event| {
        let Ok(node) = event_target_value(&ev).parse::<i64>() else { return found.set(Vec::new()) };
        leptos::task::spawn_local(async move {
            found.try_set(org_people(OrgId(node)).await.unwrap_or_default());
        });
    };

    let nodes = move || {
        let top_id = node.get();
        Suspend::new(async move {
            let all = tree.await.unwrap_or_default();
            // Only the node and what lies below it can be chosen.
            let top = all.iter().find(|n| n.id.0 == top_id).map(|n| n.path.clone());
            let within: Vec<OrgNode> =
                all.into_iter().filter(|n| top.as_ref().is_none_or(|t| t.contains(&n.path))).collect();
            let ordered = tree_order(&within);
            let boxes = ordered
                .iter()
                .map(|(depth, n)| {
                    let org = n.id.0;
                    view! {
                        <label class="check" style=format!("--depth: {depth}")>
                            <input
                                type="checkbox"
                                name=format!("{id}-org")
                                value=org
                                checked=orgs.with_untracked(|o| o.contains(&org))
                                prop:checked=move || orgs.with(|o| o.contains(&org))
                                on:change=move |ev| toggle(orgs, org, event_target_checked(&ev))
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
                <div class="audience-orgs" id=format!("{id}-orgs")>{boxes}</div>
                <h3>{text.roles}</h3>
                <div class="audience-roles">{standing_boxes(standings, id, lang)} {role_boxes(roles, id, lang)}</div>
                <h3>{text.people}</h3>
                <select id=format!("{id}-people-org") aria-label=text.pick_node on:change=pick_org>
                    <option value="">{text.pick_node}</option>
                    {options}
                </select>
            }
        })
    };

    let chips = move || {
        people
            .get()
            .into_iter()
            .map(|person| {
                let name = names.with(|n| n.iter().find(|(i, _)| *i == person).map(|(_, s)| s.clone()));
                let name = name.unwrap_or_else(|| format!("#{person}"));
                let label = format!("{} {name}", text.remove_person);
                view! {
                    <li class="chip" data-person-id=person>
                        {name}
                        <button type="button" aria-label=label on:click=move |_| toggle(people, person, false)>
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let pickable = move || {
        found
            .get()
            .into_iter()
            .map(|p| {
                let person = p.id.0;
                let name = p.name.to_string();
                let on_change = {
                    let name = name.clone();
                    move |ev| {
                        let on = event_target_checked(&ev);
                        if on && !names.with_untracked(|n| n.iter().any(|(i, _)| *i == person)) {
                            names.update(|n| n.push((person, name.clone())));
                        }
                        toggle(people, person, on);
                    }
                };
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            name=format!("{id}-person")
                            value=person
                            prop:checked=move || people.with(|l| l.contains(&person))
                            on:change=on_change
                        />
                        {format!("{name}（{}）", p.standing.name(lang))}
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <fieldset class="audience" id=id>
            <legend>{text.legend}</legend>
            <p class="muted small">{text.help}</p>
            <h3>{text.nodes}</h3>
            <Transition fallback=|| ()>{nodes}</Transition>
            <p class="muted small" hidden=move || people.with(|p| !p.is_empty())>
                {text.no_people}
            </p>
            <ul class="chips" id=format!("{id}-people")>{chips}</ul>
            <div class="people-picker" id=format!("{id}-picker")>{pickable}</div>
        </fieldset>
    }
}

/// The party standings: ticked ones narrow the org nodes.
fn standing_boxes(standings: RwSignal<Vec<Standing>>, id: &'static str, lang: Lang) -> impl IntoView {
    Standing::ALL
        .into_iter()
        .map(|standing| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name=format!("{id}-standing")
                        value=standing.as_str()
                        prop:checked=move || standings.with(|s| s.contains(&standing))
                        on:change=move |ev| toggle(standings, standing, event_target_checked(&ev))
                    />
                    {standing.name(lang)}
                </label>
            }
        })
        .collect_view()
}

/// Learners, organizers: ticked ones narrow the org nodes.
fn role_boxes(roles: RwSignal<Vec<Role>>, id: &'static str, lang: Lang) -> impl IntoView {
    [Role::Member, Role::Organizer]
        .into_iter()
        .map(|role| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name=format!("{id}-role")
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
