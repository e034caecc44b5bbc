//! The selected org node: rename, add a child, delete, and its people.

use courses::directory::{Me, OrgNode};
use courses::Role;
use leptos::prelude::*;

use super::people::PeopleSection;
use super::{child_kind, NewOrgForm, OrgsState};
use crate::i18n::{org_kind_title, Text};
use crate::lang::use_lang;

/// Tools for one org node.
#[component]
pub(super) fn OrgPanel(me: Me, node: OrgNode, nodes: Vec<OrgNode>, state: OrgsState) -> impl IntoView {
    let lang = use_lang();
    // An organizer's own node belongs to the level above: they may add under
    // it but not rename or delete it (the server enforces the same rule).
    let can_change = me.role == Role::Admin || node.id != me.org_id;
    let csrf = me.csrf_token.clone();
    let id = node.id;
    let current_name = node.name.to_string();

    let change_tools = can_change.then(|| {
        let (rename, delete) = (state.rename_org, state.delete_org);
        let (csrf_rename, csrf_delete) = (csrf.clone(), csrf.clone());
        view! {
            <details class="tool" id="rename-org">
                <summary>{Text::Rename.get(lang)}</summary>
                <ActionForm action=rename>
                    <input type="hidden" name="csrf" value=csrf_rename />
                    <input type="hidden" name="id" value=id.to_string() />
                    <label>
                        {Text::OrgName.get(lang)}
                        <input type="text" name="name" required maxlength="64" value=current_name />
                    </label>
                    <button type="submit" disabled=move || rename.pending().get()>{Text::Save.get(lang)}</button>
                </ActionForm>
            </details>
            <div class="tool" id="delete-org">
                <ActionForm action=delete>
                    <input type="hidden" name="csrf" value=csrf_delete />
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="danger" disabled=move || delete.pending().get()>
                        {Text::DeleteOrg.get(lang)}
                    </button>
                </ActionForm>
            </div>
        }
    });

    view! {
        <section class="card" id="org-panel" data-org-id=id.to_string()>
            <h2>
                {node.name_path.clone()}
                <small class="org-kind">{org_kind_title(node.kind, lang)}</small>
            </h2>
            <details class="tool" id="add-child-org">
                <summary>{Text::AddChildOrg.get(lang)}</summary>
                <NewOrgForm csrf parent=Some(node.id) kind=child_kind(node.kind) action=state.create_org />
            </details>
            {change_tools}
        </section>
        <PeopleSection me node nodes state />
    }
}
