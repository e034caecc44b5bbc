//! Who a course is for: org nodes (each with its subtree), optionally
//! narrowed to some roles and some party standings (all 发展对象 of this
//! 党委), plus named people. Every entry lies inside the
//! subtree of the node that owns the course, so "owned by an ancestor of my
//! node" stays a necessary condition the catalog can query on.

use serde::{Deserialize, Serialize};

use crate::org::OrgPath;
use crate::people::{PersonId, Role};
use crate::standing::Standing;

/// Most entries in each list of an audience.
pub const MAX_AUDIENCE_ENTRIES: usize = 500;

/// A course's audience.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Audience {
    /// Org node ids; everyone in each node's subtree, if their role is in
    /// `roles`.
    pub orgs: Vec<i64>,
    /// Roles that count within `orgs`; empty means every role.
    pub roles: Vec<Role>,
    /// Party standings that count within `orgs`; empty means every one.
    pub standings: Vec<Standing>,
    /// Person ids who are in the audience whatever their node or role.
    pub people: Vec<i64>,
}

/// An audience that cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AudienceError {
    #[error("an audience needs at least one org node or one named person")]
    Empty,
    #[error("an audience may list at most 500 org nodes, roles or people")]
    TooLarge,
}

impl Audience {
    /// Everyone in the subtree of `org`: a new course's audience.
    pub fn subtree_of(org: i64) -> Self {
        Audience { orgs: vec![org], roles: Vec::new(), standings: Vec::new(), people: Vec::new() }
    }

    /// Sorted, without duplicates, and not empty. Whether the nodes and
    /// people exist and lie inside the course's subtree is the server's to
    /// check.
    pub fn normalized(mut self) -> Result<Self, AudienceError> {
        for list in [&mut self.orgs, &mut self.people] {
            list.sort_unstable();
            list.dedup();
        }
        self.roles.sort_unstable();
        self.roles.dedup();
        self.standings.sort_unstable();
        self.standings.dedup();
        if self.orgs.is_empty() && self.people.is_empty() {
            return Err(AudienceError::Empty);
        }
        let lengths = [self.orgs.len(), self.roles.len(), self.standings.len(), self.people.len()];
        if lengths.into_iter().any(|n| n > MAX_AUDIENCE_ENTRIES) {
            return Err(AudienceError::TooLarge);
        }
        Ok(self)
    }

    /// Whether the person with `id`, `role` and `standing` at node `org`
    /// is in the audience.
    pub fn admits(&self, id: PersonId, role: Role, standing: Standing, org: &OrgPath) -> bool {
        if self.people.contains(&id.0) {
            return true;
        }
        let in_nodes = org.ids().any(|node| self.orgs.contains(&node.0));
        in_nodes
            && (self.roles.is_empty() || self.roles.contains(&role))
            && (self.standings.is_empty() || self.standings.contains(&standing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgId;

    fn path(ids: &[i64]) -> OrgPath {
        let mut p = OrgPath::root(OrgId(ids[0]));
        for id in &ids[1..] {
            p = p.child(OrgId(*id));
        }
        p
    }

    const FULL: Standing = Standing::Full;

    #[test]
    fn a_node_admits_its_subtree_only() {
        let a = Audience::subtree_of(2);
        assert!(a.admits(PersonId(9), Role::Member, FULL, &path(&[1, 2])));
        assert!(a.admits(PersonId(9), Role::Member, Standing::Activist, &path(&[1, 2, 3])));
        assert!(!a.admits(PersonId(9), Role::Member, FULL, &path(&[1])));
        assert!(!a.admits(PersonId(9), Role::Member, FULL, &path(&[1, 5])));
        // Ids match whole path segments, never digits of longer ids.
        assert!(!a.admits(PersonId(9), Role::Member, FULL, &path(&[1, 22])));
    }

    #[test]
    fn roles_and_standings_narrow_the_nodes_but_not_named_people() {
        let a =
            Audience { orgs: vec![2], standings: vec![Standing::Candidate], people: vec![7], ..Audience::default() };
        assert!(a.admits(PersonId(9), Role::Member, Standing::Candidate, &path(&[1, 2, 3])));
        assert!(!a.admits(PersonId(9), Role::Member, FULL, &path(&[1, 2, 3])));
        assert!(a.admits(PersonId(7), Role::Member, FULL, &path(&[1, 5])));
        let organizers = Audience { orgs: vec![2], roles: vec![Role::Organizer], ..Audience::default() };
        assert!(organizers.admits(PersonId(9), Role::Organizer, FULL, &path(&[1, 2])));
        assert!(!organizers.admits(PersonId(9), Role::Member, FULL, &path(&[1, 2])));
    }

    #[test]
    fn normalizing_sorts_dedups_and_refuses_empty_or_huge() {
        let a = Audience {
            orgs: vec![3, 2, 3],
            roles: vec![Role::Member, Role::Member],
            standings: vec![FULL, Standing::Activist, FULL],
            people: vec![],
        };
        let expected = Audience {
            orgs: vec![2, 3],
            roles: vec![Role::Member],
            standings: vec![Standing::Activist, FULL],
            people: vec![],
        };
        assert_eq!(a.normalized().unwrap(), expected);
        assert_eq!(Audience::default().normalized(), Err(AudienceError::Empty));
        let big = Audience { people: (0..501).collect(), ..Audience::default() };
        assert_eq!(big.normalized(), Err(AudienceError::TooLarge));
    }
}
