//! The organization tree as an indented list of links; following one selects
//! that node (`/orgs?org=<id>`), which works with or without JavaScript.

use std::collections::{HashMap, HashSet};

use courses::directory::OrgNode;
use courses::OrgId;
use leptos::prelude::*;

use crate::i18n::{direct_people_count, org_kind_title, people_count, Text};
use crate::lang::use_lang;

/// Puts nodes in tree order (each parent before its children, siblings by
/// name) with their depth below the top of what the caller sees. Nodes whose
/// parent is not in the list (an organizer's own node) count as tops.
pub fn tree_order(nodes: &[OrgNode]) -> Vec<(usize, &OrgNode)> {
    let ids: HashSet<OrgId> = nodes.iter().map(|n| n.id).collect();
    let mut children: HashMap<Option<OrgId>, Vec<&OrgNode>> = HashMap::new();
    for node in nodes {
        let parent = node.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(node);
    }
    for siblings in children.values_mut() {
        siblings.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()).then(a.id.cmp(&b.id)));
    }

    let mut out = Vec::with_capacity(nodes.len());
    // Depth-first, with a stack of (depth, node) pushed in reverse order so
    // the first sibling comes out first.
    let mut stack: Vec<(usize, &OrgNode)> = children.get(&None).into_iter().flatten().rev().map(|n| (0, *n)).collect();
    while let Some((depth, node)) = stack.pop() {
        out.push((depth, node));
        if let Some(kids) = children.get(&Some(node.id)) {
            stack.extend(kids.iter().rev().map(|k| (depth + 1, *k)));
        }
    }
    out
}

/// The list of org nodes, the `selected` one highlighted.
#[component]
pub fn OrgTree(nodes: Vec<OrgNode>, #[prop(into)] selected: Signal<Option<OrgId>>) -> impl IntoView {
    let lang = use_lang();
    if nodes.is_empty() {
        return view! { <p class="muted" id="org-tree">{Text::EmptyTree.get(lang)}</p> }.into_any();
    }
    let items = tree_order(&nodes)
        .into_iter()
        .map(|(depth, node)| {
            let id = node.id;
            view! {
                <li style=format!("--depth: {depth}") data-org-id=id.0>
                    <a
                        href=format!("/orgs?org={id}")
                        class:selected=move || selected.get() == Some(id)
                        aria-current=move || (selected.get() == Some(id)).then_some("true")
                    >
                        <span class="org-name">{node.name.to_string()}</span>
                    </a>
                    <span class="org-kind">{org_kind_title(node.kind, lang)}</span>
                    // Everyone below counts: a 党总支 whose members sit in its
                    // branches has people, not "0 人". Direct members beside it
                    // (in the same span, so they wrap as one) when some sit below.
                    <span class="org-count">
                        {people_count(node.subtree_people_count, lang)}
                        {(node.subtree_people_count != node.people_count)
                            .then(|| direct_people_count(node.people_count, lang))}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="org-tree" id="org-tree">{items}</ul> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::{OrgKind, OrgName, OrgPath};

    fn node(id: i64, parent: Option<i64>, name: &str) -> OrgNode {
        OrgNode {
            id: OrgId(id),
            parent_id: parent.map(OrgId),
            name: OrgName::parse(name).expect("test names are valid"),
            kind: OrgKind::Branch,
            path: OrgPath::root(OrgId(id)),
            name_path: name.to_owned(),
            people_count: 0,
            subtree_people_count: 0,
        }
    }

    #[test]
    fn parents_come_before_children_and_siblings_sort_by_name() {
        let nodes =
            vec![node(3, Some(1), "乙支部"), node(2, Some(1), "B"), node(1, None, "委员会"), node(4, Some(2), "组")];
        let order: Vec<(usize, i64)> = tree_order(&nodes).into_iter().map(|(d, n)| (d, n.id.0)).collect();
        assert_eq!(order, vec![(0, 1), (1, 2), (2, 4), (1, 3)]);
    }

    #[test]
    fn a_node_whose_parent_is_out_of_scope_is_a_top() {
        let nodes = vec![node(9, Some(1), "第一党支部"), node(10, Some(9), "第一党小组")];
        let order: Vec<(usize, i64)> = tree_order(&nodes).into_iter().map(|(d, n)| (d, n.id.0)).collect();
        assert_eq!(order, vec![(0, 9), (1, 10)]);
    }
}
