//! Summing per-node counts into a node's children: each count belongs to
//! the child whose subtree holds its node, or to the node itself.

use std::collections::HashMap;

use super::views::{Counts, NodeRef, NodeRow};
use crate::collation::compare_labels;
use crate::org::OrgPath;

/// One node of the subtree with what was counted directly on it.
#[derive(Debug, Clone)]
pub struct NodeCounts {
    pub path: OrgPath,
    pub name: String,
    /// `OrgKind` code.
    pub kind: String,
    /// People whose node it is.
    pub people: u32,
    pub counts: Counts,
}

/// Rolls `nodes` (a node's whole subtree, in any order, the node itself
/// included) up into `(total, children, own)`: the subtree, each child
/// with its subtree by name, and the node's own people (none when it has
/// none). Nodes outside `top`'s subtree are ignored.
pub fn roll_up(top: &OrgPath, nodes: &[NodeCounts]) -> Option<(NodeRow, Vec<NodeRow>, Option<NodeRow>)> {
    let depth = top.depth();
    let this = nodes.iter().find(|n| &n.path == top)?;
    let row = |n: &NodeCounts| NodeRow {
        org: NodeRef { id: n.path.id().0, name: n.name.clone() },
        kind: n.kind.clone(),
        people: 0,
        counts: Counts::default(),
        has_children: false,
    };
    let mut total = row(this);
    let mut own = row(this);
    let mut children: HashMap<i64, NodeRow> = HashMap::new();
    for n in nodes.iter().filter(|n| top.contains(&n.path) && n.path.depth() == depth + 1) {
        children.insert(n.path.id().0, row(n));
    }
    for n in nodes.iter().filter(|n| top.contains(&n.path)) {
        total.people += n.people;
        total.counts.add(&n.counts);
        if n.path == *top {
            own.people += n.people;
            own.counts.add(&n.counts);
            continue;
        }
        // The child of `top` on the way down to `n`.
        let Some(child) = n.path.ids().nth(depth) else { continue };
        if let Some(c) = children.get_mut(&child.0) {
            c.people += n.people;
            c.counts.add(&n.counts);
            if n.path.depth() > depth + 1 {
                c.has_children = true;
            }
        }
    }
    total.has_children = !children.is_empty();
    let mut children: Vec<NodeRow> = children.into_values().collect();
    children.sort_by(|a, b| compare_labels(&a.org.name, &b.org.name).then(a.org.id.cmp(&b.org.id)));
    let own = (own.people > 0 || own.counts != Counts::default()).then_some(own);
    Some((total, children, own))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgId;

    fn node(path: &OrgPath, name: &str, people: u32, assigned: u32, done: u32) -> NodeCounts {
        NodeCounts {
            path: path.clone(),
            name: name.into(),
            kind: "branch".into(),
            people,
            counts: Counts { assigned, assigned_done: done, ..Counts::default() },
        }
    }

    #[test]
    fn counts_land_in_the_child_that_holds_them_and_in_the_total() {
        let root = OrgPath::root(OrgId(1));
        let a = root.child(OrgId(2));
        let a1 = a.child(OrgId(4));
        let b = root.child(OrgId(3));
        let other = OrgPath::root(OrgId(9));
        let nodes = vec![
            node(&root, "党委", 1, 1, 0),
            node(&a, "一支部", 2, 2, 1),
            node(&a1, "一小组", 3, 3, 3),
            node(&b, "二支部", 4, 4, 0),
            node(&other, "别处", 50, 50, 50),
        ];
        let (total, children, own) = roll_up(&root, &nodes).expect("top is present");
        assert_eq!((total.people, total.counts.assigned, total.counts.assigned_done), (10, 10, 4));
        assert_eq!(children.len(), 2);
        let one = &children[0];
        assert_eq!(
            (one.org.name.as_str(), one.people, one.counts.assigned_done, one.has_children),
            ("一支部", 5, 4, true)
        );
        let two = &children[1];
        assert_eq!((two.org.name.as_str(), two.people, two.has_children), ("二支部", 4, false));
        let own = own.expect("the root has its own person");
        assert_eq!((own.people, own.counts.assigned), (1, 1));
    }

    #[test]
    fn a_leaf_has_no_children_and_a_missing_top_gives_nothing() {
        let root = OrgPath::root(OrgId(1));
        let leaf = root.child(OrgId(2));
        let nodes = vec![node(&root, "党委", 0, 0, 0), node(&leaf, "支部", 3, 3, 1)];
        let (total, children, own) = roll_up(&leaf, &nodes).expect("leaf present");
        assert!(children.is_empty() && !total.has_children);
        assert_eq!(own.map(|o| o.people), Some(3));
        assert!(roll_up(&OrgPath::root(OrgId(7)), &nodes).is_none());
    }
}
