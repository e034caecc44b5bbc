//! The people of the selected org node: the table with per-person edit and
//! remove forms, and the form that adds a person and shows their initial
//! password once.

use courses::directory::{Me, OrgNode, PersonSummary};
use courses::{Role, Standing};
use leptos::either::EitherOf4;
use leptos::prelude::*;

use super::{grantable_roles, OrgsState};
use crate::components::notice::{saved_text, ActionStatus, ErrorNotice};
use crate::i18n::{person_created, role_title, Text};
use crate::lang::use_lang;

/// The five standings, `selected` chosen.
fn standing_options(selected: Standing, lang: courses::Lang) -> impl IntoView {
    Standing::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=s == selected>{s.name(lang)}</option> })
        .collect_view()
}

/// People table plus "add a person".
#[component]
pub(super) fn PeopleSection(me: Me, node: OrgNode, nodes: Vec<OrgNode>, state: OrgsState) -> impl IntoView {
    let lang = use_lang();
    let OrgsState { people, create_person, update_person, delete_person, .. } = state;
    let roles = grantable_roles(&me);
    let csrf = me.csrf_token.clone();
    let table_me = me.clone();
    let table_nodes = nodes.clone();

    let role_options = roles
        .iter()
        .map(|r| view! { <option value=r.as_str() selected=*r == Role::Member>{role_title(*r, lang)}</option> })
        .collect_view();

    view! {
        <section class="card" id="people-section">
            <h2>{Text::PeopleHeading.get(lang)}</h2>
            <Transition fallback=move || view! { <p class="muted">{Text::Loading.get(lang)}</p> }>
                {move || {
                    let me = table_me.clone();
                    let nodes = table_nodes.clone();
                    Suspend::new(async move {
                        match people.await {
                            Ok(Some(list)) if list.is_empty() => {
                                EitherOf4::A(view! { <p class="muted" id="no-people">{Text::NoPeople.get(lang)}</p> })
                            }
                            Ok(Some(list)) => EitherOf4::B(view! { <PeopleTable people=list me nodes state /> }),
                            Ok(None) => EitherOf4::C(()),
                            Err(error) => EitherOf4::D(view! { <ErrorNotice error /> }),
                        }
                    })
                }}
            </Transition>
            <ActionStatus outcome=Signal::derive(move || saved_text(update_person.value().get(), lang, Text::Saved)) />
            <ActionStatus outcome=Signal::derive(move || saved_text(delete_person.value().get(), lang, Text::Deleted)) />
            <ActionStatus outcome=Signal::derive(move || saved_text(state.record_milestone.value().get(), lang, Text::Saved)) />

            <h3>{Text::AddPerson.get(lang)}</h3>
            <ActionForm action=create_person attr:id="add-person-form">
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="org_id" value=node.id.to_string() />
                <div class="fields">
                    <label>
                        {Text::ColLogin.get(lang)}
                        <input
                            type="text"
                            name="login"
                            required
                            maxlength="32"
                            autocomplete="off"
                            autocapitalize="none"
                            placeholder=Text::LoginFieldHint.get(lang)
                        />
                    </label>
                    <label>
                        {Text::ColName.get(lang)}
                        <input type="text" name="name" required maxlength="32" autocomplete="off" />
                    </label>
                    <label>
                        {Text::ColRole.get(lang)}
                        <select name="role">{role_options}</select>
                    </label>
                    <label>
                        {Text::ColStanding.get(lang)}
                        <select name="standing">{standing_options(Standing::Full, lang)}</select>
                    </label>
                    <label>
                        {Text::ColEmail.get(lang)}
                        <input type="email" name="email" maxlength="254" autocomplete="off" placeholder=Text::EmailFieldHint.get(lang) />
                    </label>
                </div>
                <button type="submit" disabled=move || create_person.pending().get()>{Text::Add.get(lang)}</button>
            </ActionForm>
            {move || {
                create_person
                    .value()
                    .get()
                    .map(|result| match result {
                        Ok(created) => {
                            view! {
                                <div class="notice success" role="status" id="created-person">
                                    <p>
                                        {person_created(created.person.name.as_str(), created.person.login.as_str(), lang)}
                                        <code class="secret" id="initial-password">{created.initial_password}</code>
                                    </p>
                                    <p class="small">{Text::InitialPasswordWarning.get(lang)}</p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    })
            }}
        </section>
    }
}

/// The people of one org node, each with edit and remove tools.
#[component]
fn PeopleTable(people: Vec<PersonSummary>, me: Me, nodes: Vec<OrgNode>, state: OrgsState) -> impl IntoView {
    let lang = use_lang();
    let roles = grantable_roles(&me);
    let rows = people
        .into_iter()
        .map(|person| {
            // Nobody edits or removes themselves here.
            let tools = (person.id != me.id)
                .then(|| view! { <PersonTools person=person.clone() csrf=me.csrf_token.clone() roles=roles.clone() nodes=nodes.clone() state /> });
            view! {
                <tr data-person-id=person.id.0>
                    <td class="login">{person.login.to_string()}</td>
                    <td>{person.name.to_string()}</td>
                    <td>{role_title(person.role, lang)}</td>
                    <td class="standing">{person.standing.name(lang)}</td>
                    <td class="email">{person.email.as_ref().map(ToString::to_string).unwrap_or_default()}</td>
                    <td class="actions">{tools}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table id="people-table">
                <thead>
                    <tr>
                        <th>{Text::ColLogin.get(lang)}</th>
                        <th>{Text::ColName.get(lang)}</th>
                        <th>{Text::ColRole.get(lang)}</th>
                        <th>{Text::ColStanding.get(lang)}</th>
                        <th>{Text::ColEmail.get(lang)}</th>
                        <th>{Text::ColActions.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Edit (name, role, org, e-mail) and remove forms for one person.
#[component]
fn PersonTools(
    person: PersonSummary,
    csrf: String,
    roles: Vec<Role>,
    nodes: Vec<OrgNode>,
    state: OrgsState,
) -> impl IntoView {
    let lang = use_lang();
    let id = person.id;
    let email = person.email.as_ref().map(ToString::to_string).unwrap_or_default();
    let csrf_update = csrf.clone();
    let csrf_milestone = csrf.clone();
    let role_options = roles
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == person.role>{role_title(r, lang)}</option> })
        .collect_view();
    let org_options = nodes
        .into_iter()
        .map(|n| {
            let selected = n.id == person.org_id;
            view! { <option value=n.id.to_string() selected=selected>{n.name_path}</option> }
        })
        .collect_view();
    let (update, delete) = (state.update_person, state.delete_person);
    view! {
        <details class="row-tools">
            <summary>{Text::Edit.get(lang)}</summary>
            <ActionForm action=update>
                <input type="hidden" name="csrf" value=csrf_update />
                <input type="hidden" name="id" value=id.to_string() />
                <label>
                    {Text::ColName.get(lang)}
                    <input type="text" name="name" required maxlength="32" value=person.name.to_string() />
                </label>
                <label>
                    {Text::ColRole.get(lang)}
                    <select name="role">{role_options}</select>
                </label>
                <label>
                    {Text::ColOrg.get(lang)}
                    <select name="org_id">{org_options}</select>
                </label>
                <label>
                    {Text::ColEmail.get(lang)}
                    <input type="email" name="email" maxlength="254" value=email />
                </label>
                <button type="submit" disabled=move || update.pending().get()>{Text::Save.get(lang)}</button>
            </ActionForm>
            <ActionForm action=state.record_milestone attr:class="milestone-form">
                <input type="hidden" name="csrf" value=csrf_milestone />
                <input type="hidden" name="id" value=id.to_string() />
                <p class="small muted">{Text::MilestoneHelp.get(lang)}</p>
                <label>
                    {Text::ColStanding.get(lang)}
                    <select name="standing">{standing_options(person.standing, lang)}</select>
                </label>
                <label>
                    {Text::MilestoneDay.get(lang)}
                    <input type="date" name="on" required />
                </label>
                <button type="submit" disabled=move || state.record_milestone.pending().get()>
                    {Text::RecordMilestone.get(lang)}
                </button>
            </ActionForm>
        </details>
        <ActionForm action=delete>
            <input type="hidden" name="csrf" value=csrf />
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="danger small" disabled=move || delete.pending().get()>
                {Text::Remove.get(lang)}
            </button>
        </ActionForm>
    }
}
