//! `/orgs`: organizers and admins manage the org nodes and people in their
//! scope. The selected node lives in the URL (`?org=<id>`), every change is a
//! server function behind an `ActionForm` (so forms post even without
//! JavaScript), and the roster import talks to the REST endpoint.
//! Members and activists see a "no permission" message; the server refuses
//! them anyway.

mod import;
mod panel;
mod people;
pub mod tree;

use courses::directory::{Me, OrgNode, PersonSummary};
use courses::{OrgId, OrgKind, Role};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::api::{
    org_people, org_tree, AppError, CreateOrg, CreatePerson, DeleteOrg, DeletePerson, RecordMilestone, RenameOrg,
    UpdatePerson,
};
use crate::components::notice::{saved_text, ActionStatus, ErrorNotice};
use crate::i18n::{org_kind_title, Text};
use crate::lang::use_lang;
use crate::loaded::{loaded, seeded_island, Loaded};
use crate::session::require_me;

use self::import::ImportSection;
use self::panel::OrgPanel;
use self::tree::OrgTree;

/// What the parts of the page share: the data, the selection and the
/// actions that change them. Every finished action reloads the data.
#[derive(Clone, Copy)]
struct OrgsState {
    tree: Loaded<Vec<OrgNode>>,
    /// `Ok(None)` while no node is selected.
    people: Loaded<Option<Vec<PersonSummary>>>,
    selected: Memo<Option<OrgId>>,
    create_org: ServerAction<CreateOrg>,
    rename_org: ServerAction<RenameOrg>,
    delete_org: ServerAction<DeleteOrg>,
    create_person: ServerAction<CreatePerson>,
    update_person: ServerAction<UpdatePerson>,
    delete_person: ServerAction<DeletePerson>,
    record_milestone: ServerAction<RecordMilestone>,
}

/// The people of `org`, if a node is selected.
async fn people_of(org: Option<OrgId>) -> Result<Option<Vec<PersonSummary>>, AppError> {
    match org {
        Some(org) => org_people(org).await.map(Some),
        None => Ok(None),
    }
}

/// What the page shows first, loaded on the server and handed to the
/// island in its props (see [`crate::loaded`]).
#[derive(Clone, Serialize, Deserialize)]
struct OrgsSeed {
    tree: Result<Vec<OrgNode>, AppError>,
    people: Result<Option<Vec<PersonSummary>>, AppError>,
}

impl OrgsSeed {
    async fn load(selected: Option<i64>) -> Self {
        let (tree, people) = futures::join!(org_tree(), people_of(selected.map(OrgId)));
        OrgsSeed { tree, people }
    }
}

impl OrgsState {
    /// The page's state, with the node the URL selects, starting from what
    /// the page loaded.
    fn new(selected: Option<i64>, seed: OrgsSeed) -> Self {
        let selected = Memo::new(move |_| selected.map(OrgId));
        let create_org = ServerAction::<CreateOrg>::new();
        let rename_org = ServerAction::<RenameOrg>::new();
        let delete_org = ServerAction::<DeleteOrg>::new();
        let create_person = ServerAction::<CreatePerson>::new();
        let update_person = ServerAction::<UpdatePerson>::new();
        let delete_person = ServerAction::<DeletePerson>::new();
        let record_milestone = ServerAction::<RecordMilestone>::new();
        let changes = Memo::new(move |_| {
            create_org.version().get()
                + rename_org.version().get()
                + delete_org.version().get()
                + create_person.version().get()
                + update_person.version().get()
                + record_milestone.version().get()
                + delete_person.version().get()
        });
        let tree = loaded(seed.tree, move || changes.get(), |_| org_tree());
        let people = loaded(seed.people, move || (selected.get(), changes.get()), |(org, _)| people_of(org));
        Self {
            tree,
            people,
            selected,
            create_org,
            rename_org,
            delete_org,
            create_person,
            update_person,
            delete_person,
            record_milestone,
        }
    }
}

/// The `/orgs` page.
#[component]
pub fn OrgsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let selected = query.with_untracked(|q| q.get("org").and_then(|s| s.parse::<i64>().ok()));
    view! {
        <Title text=Text::OrgsTitle.get(lang) />
        <h1>{Text::OrgsTitle.get(lang)}</h1>
        {require_me(move |me| {
            if me.role.manages_people() {
                Either::Left(seeded_island(
                    move || OrgsSeed::load(selected),
                    move |seed| view! { <OrgAdmin me=me.clone() selected seed /> },
                ))
            } else {
                Either::Right(
                    view! {
                        <p class="notice error" id="no-permission" role="alert">
                            {Text::NoPermission.get(lang)}
                        </p>
                    },
                )
            }
        })}
    }
}

/// The management view for an organizer or admin, as an island. Choosing
/// another node is a page load (`?org=`).
#[island(lazy)]
fn OrgAdmin(me: Me, selected: Option<i64>, seed: OrgsSeed) -> impl IntoView {
    let lang = use_lang();
    let state = OrgsState::new(selected, seed);
    let OrgsState { tree, selected, create_org, rename_org, delete_org, .. } = state;
    let is_admin = me.role == Role::Admin;
    let csrf = me.csrf_token.clone();
    let panel_me = me.clone();

    view! {
        <div class="orgs-layout">
            <section class="card tree-card">
                <h2>{Text::TreeHeading.get(lang)}</h2>
                <Transition fallback=move || view! { <p class="muted">{Text::Loading.get(lang)}</p> }>
                    {move || Suspend::new(async move {
                        match tree.await {
                            Ok(nodes) => Either::Left(view! { <OrgTree nodes selected /> }),
                            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                        }
                    })}
                </Transition>
                {is_admin
                    .then(|| {
                        view! {
                            <details class="tool" id="add-root-org">
                                <summary>{Text::AddRootOrg.get(lang)}</summary>
                                <NewOrgForm csrf=csrf.clone() parent=None kind=OrgKind::Committee action=create_org />
                            </details>
                        }
                    })}
            </section>

            <div class="org-detail">
                <ActionStatus outcome=Signal::derive(move || saved_text(create_org.value().get(), lang, Text::Saved)) />
                <ActionStatus outcome=Signal::derive(move || saved_text(rename_org.value().get(), lang, Text::Saved)) />
                <ActionStatus outcome=Signal::derive(move || saved_text(delete_org.value().get(), lang, Text::Deleted)) />
                <Transition fallback=|| ()>
                    {move || {
                        let chosen = selected.get();
                        let me = panel_me.clone();
                        Suspend::new(async move {
                            let nodes = tree.await.unwrap_or_default();
                            match chosen.and_then(|id| nodes.iter().find(|n| n.id == id).cloned()) {
                                Some(node) => Either::Left(view! { <OrgPanel me node nodes state /> }),
                                None => Either::Right(view! { <p class="muted hint">{Text::ChooseOrg.get(lang)}</p> }),
                            }
                        })
                    }}
                </Transition>
            </div>

            <ImportSection csrf=me.csrf_token.clone() />
        </div>
    }
}

/// The form that adds an org node under `parent` (or a top-level one).
#[component]
fn NewOrgForm(csrf: String, parent: Option<OrgId>, kind: OrgKind, action: ServerAction<CreateOrg>) -> impl IntoView {
    let lang = use_lang();
    let options = OrgKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str() selected=k == kind>{org_kind_title(k, lang)}</option> })
        .collect_view();
    view! {
        <ActionForm action>
            <input type="hidden" name="csrf" value=csrf />
            <input type="hidden" name="parent_id" value=parent.map(|p| p.to_string()).unwrap_or_default() />
            <label>
                {Text::OrgName.get(lang)}
                <input type="text" name="name" required maxlength="64" />
            </label>
            <label>
                {Text::OrgKind.get(lang)}
                <select name="kind">{options}</select>
            </label>
            <button type="submit" disabled=move || action.pending().get()>{Text::Add.get(lang)}</button>
        </ActionForm>
    }
}

/// The level usually created under a node of `kind`.
fn child_kind(kind: OrgKind) -> OrgKind {
    match kind {
        OrgKind::Committee => OrgKind::GeneralBranch,
        OrgKind::GeneralBranch => OrgKind::Branch,
        OrgKind::Branch | OrgKind::Group => OrgKind::Group,
    }
}

/// The roles `me` may give: only admins make admins.
fn grantable_roles(me: &Me) -> Vec<Role> {
    Role::ALL.into_iter().filter(|r| *r != Role::Admin || me.role == Role::Admin).collect()
}
