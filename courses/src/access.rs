//! Who may see and change what in the organization tree.
//!
//! These rules are the single source of truth: the server checks them on
//! every request (and narrows every query to [`Actor::scope`]); the frontend
//! uses them only to hide buttons a person could not use anyway.

use serde::{Deserialize, Serialize};

use crate::course::Audience;
use crate::org::OrgPath;
use crate::people::{PersonId, Role};
use crate::standing::Standing;

/// The person making a request, as the server resolved it from the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: PersonId,
    pub role: Role,
    /// Where the person is in the party; audiences may narrow by it.
    pub standing: Standing,
    /// Path of the org node the person belongs to.
    pub org: OrgPath,
}

/// The part of the tree an actor manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Admins: the whole forest.
    Everything,
    /// Organizers: their node and everything under it.
    Subtree(OrgPath),
    /// Members and activists manage nothing.
    Nothing,
}

impl Scope {
    pub fn contains(&self, path: &OrgPath) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Subtree(root) => root.contains(path),
            Scope::Nothing => false,
        }
    }
}

/// Why an action was refused. Both mean "403"; the distinction helps tests
/// and logs, never the response (which must not reveal what exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The actor's role cannot do this anywhere.
    Role,
    /// The target lies outside the actor's subtree.
    OutOfScope,
}

impl Actor {
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Admin => Scope::Everything,
            Role::Organizer => Scope::Subtree(self.org.clone()),
            Role::Member => Scope::Nothing,
        }
    }

    fn require_manager(&self) -> Result<Scope, Denied> {
        match self.scope() {
            Scope::Nothing => Err(Denied::Role),
            scope => Ok(scope),
        }
    }

    /// May see (and list people of) the org node at `target`.
    pub fn can_view_org(&self, target: &OrgPath) -> Result<(), Denied> {
        let scope = self.require_manager()?;
        scope.contains(target).then_some(()).ok_or(Denied::OutOfScope)
    }

    /// May upload, process and delete teaching material of the node at
    /// `target` (organizers: their own node and below; admins: everywhere).
    pub fn can_manage_material(&self, target: &OrgPath) -> Result<(), Denied> {
        self.can_view_org(target)
    }

    /// May create, edit and publish courses owned by the node at `target`.
    pub fn can_manage_course(&self, target: &OrgPath) -> Result<(), Denied> {
        self.can_view_org(target)
    }

    /// May record meetings (三会一课) of the node at `target`, change their
    /// attendance and deadline, delete them, and see their make-up progress:
    /// organizers for their node and below, admins everywhere.
    pub fn can_manage_meetings(&self, target: &OrgPath) -> Result<(), Denied> {
        self.can_view_org(target)
    }

    /// May assign courses to people of the node at `target` (and below),
    /// see those assignments' progress, change their due day and delete
    /// them: organizers for their node and below, admins everywhere.
    pub fn can_manage_assignments(&self, target: &OrgPath) -> Result<(), Denied> {
        self.can_view_org(target)
    }

    /// May read completion reports, exports and snapshots of the node at
    /// `target` and everything below it: organizers for their node and
    /// below, admins everywhere. Members and activists read only their own
    /// record (`can_view_record_of`).
    pub fn can_view_reports(&self, target: &OrgPath) -> Result<(), Denied> {
        self.can_view_org(target)
    }

    /// May study a course owned by the node at `course_org`: a published
    /// course is open to its audience; those who manage the course may also
    /// open it (to preview it) whether or not it is published.
    pub fn can_study(&self, course_org: &OrgPath, published: bool, audience: &Audience) -> Result<(), Denied> {
        if published && audience.admits(self.id, self.role, self.standing, &self.org) {
            return Ok(());
        }
        self.can_manage_course(course_org)
    }

    /// May read the study record (hours, receipt, xAPI) of `person`, who
    /// belongs to the node at `org`: their own, or anyone in scope.
    pub fn can_view_record_of(&self, person: PersonId, org: &OrgPath) -> Result<(), Denied> {
        if person == self.id {
            return Ok(());
        }
        self.can_view_org(org)
    }

    /// May change the 学时 conversion rules. Only admins.
    pub fn can_edit_study_rules(&self) -> Result<(), Denied> {
        self.can_create_root_org()
    }

    /// May see and change the sensitive-word list comments are checked
    /// against. Only admins.
    pub fn can_edit_word_list(&self) -> Result<(), Denied> {
        self.can_create_root_org()
    }

    /// May look up who sent an anonymous suggestion, for abuse handling.
    /// Only admins (each lookup is logged).
    pub fn can_unmask_sender(&self) -> Result<(), Denied> {
        self.can_create_root_org()
    }

    /// May create a child under `parent`.
    pub fn can_create_org_under(&self, parent: &OrgPath) -> Result<(), Denied> {
        self.can_view_org(parent)
    }

    /// May create a root org (a new tree). Only admins.
    pub fn can_create_root_org(&self) -> Result<(), Denied> {
        match self.role {
            Role::Admin => Ok(()),
            _ => Err(Denied::Role),
        }
    }

    /// May rename, move or delete the node at `target`. An organizer's own
    /// node belongs to the level above, so only strict descendants qualify.
    pub fn can_change_org(&self, target: &OrgPath) -> Result<(), Denied> {
        match self.require_manager()? {
            Scope::Everything => Ok(()),
            Scope::Subtree(root) if root.contains(target) && root != *target => Ok(()),
            _ => Err(Denied::OutOfScope),
        }
    }

    /// May give someone `role`. Only admins make admins.
    pub fn can_grant(&self, role: Role) -> Result<(), Denied> {
        self.require_manager()?;
        if role == Role::Admin && self.role != Role::Admin {
            return Err(Denied::Role);
        }
        Ok(())
    }

    /// May create, change or remove a person who is (or will be) at `org`
    /// with `role`. Nobody changes their own role or removes themselves here.
    pub fn can_manage_person(&self, person: Option<PersonId>, org: &OrgPath, role: Role) -> Result<(), Denied> {
        self.can_view_org(org)?;
        self.can_grant(role)?;
        if person == Some(self.id) {
            return Err(Denied::Role);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgId;

    fn path(ids: &[i64]) -> OrgPath {
        ids[1..].iter().fold(OrgPath::root(OrgId(ids[0])), |p, id| p.child(OrgId(*id)))
    }

    fn actor(role: Role, org: &[i64]) -> Actor {
        Actor { id: PersonId(7), role, standing: Standing::Full, org: path(org) }
    }

    #[test]
    fn an_organizer_manages_only_their_subtree() {
        let a = actor(Role::Organizer, &[1, 2]);
        assert_eq!(a.can_view_org(&path(&[1, 2, 5])), Ok(()));
        assert_eq!(a.can_view_org(&path(&[1, 2])), Ok(()));
        assert_eq!(a.can_view_org(&path(&[1, 3])), Err(Denied::OutOfScope));
        assert_eq!(a.can_view_org(&path(&[1])), Err(Denied::OutOfScope));
        assert_eq!(a.can_view_org(&path(&[1, 20])), Err(Denied::OutOfScope));
    }

    #[test]
    fn an_organizer_cannot_rename_their_own_node_but_can_add_children() {
        let a = actor(Role::Organizer, &[1, 2]);
        assert_eq!(a.can_change_org(&path(&[1, 2])), Err(Denied::OutOfScope));
        assert_eq!(a.can_change_org(&path(&[1, 2, 9])), Ok(()));
        assert_eq!(a.can_create_org_under(&path(&[1, 2])), Ok(()));
        assert_eq!(a.can_create_root_org(), Err(Denied::Role));
    }

    #[test]
    fn members_and_activists_manage_nothing() {
        for standing in [Standing::Full, Standing::Activist] {
            let a = Actor { standing, ..actor(Role::Member, &[1, 2]) };
            assert_eq!(a.can_view_org(&path(&[1, 2])), Err(Denied::Role));
            assert_eq!(a.can_manage_person(None, &path(&[1, 2]), Role::Member), Err(Denied::Role));
        }
    }

    #[test]
    fn only_admins_grant_admin_and_nobody_edits_themselves() {
        let org = actor(Role::Organizer, &[1]);
        assert_eq!(org.can_manage_person(None, &path(&[1, 4]), Role::Admin), Err(Denied::Role));
        assert_eq!(org.can_manage_person(None, &path(&[1, 4]), Role::Organizer), Ok(()));
        assert_eq!(org.can_manage_person(Some(PersonId(7)), &path(&[1]), Role::Member), Err(Denied::Role));
        let admin = actor(Role::Admin, &[1]);
        assert_eq!(admin.can_manage_person(None, &path(&[9]), Role::Admin), Ok(()));
    }

    #[test]
    fn members_study_published_courses_of_their_audience_only() {
        let m = actor(Role::Member, &[1, 2, 3]);
        let of = |ids: &[i64]| Audience::subtree_of(*ids.last().unwrap());
        assert_eq!(m.can_study(&path(&[1, 2]), true, &of(&[1, 2])), Ok(()));
        assert_eq!(m.can_study(&path(&[1, 2, 3]), true, &of(&[1, 2, 3])), Ok(()));
        assert_eq!(m.can_study(&path(&[1, 2]), false, &of(&[1, 2])), Err(Denied::Role));
        assert_eq!(m.can_study(&path(&[1, 2, 3, 4]), true, &of(&[1, 2, 3, 4])), Err(Denied::Role));
        assert_eq!(m.can_study(&path(&[1, 5]), true, &of(&[1, 5])), Err(Denied::Role));
        // A course of the member's branch aimed at activists only, or at a sibling node.
        let activists = Audience { standings: vec![Standing::Activist], ..of(&[1, 2]) };
        assert_eq!(m.can_study(&path(&[1, 2]), true, &activists), Err(Denied::Role));
        assert_eq!(m.can_study(&path(&[1]), true, &of(&[1, 4])), Err(Denied::Role));
        let named = Audience { orgs: vec![], people: vec![7], ..Audience::default() };
        assert_eq!(m.can_study(&path(&[1]), true, &named), Ok(()));
        let o = actor(Role::Organizer, &[1, 5]);
        assert_eq!(o.can_study(&path(&[1, 5, 6]), false, &of(&[1, 5, 6])), Ok(()));
        assert_eq!(o.can_study(&path(&[1, 2]), false, &of(&[1, 2])), Err(Denied::OutOfScope));
    }

    #[test]
    fn meetings_are_managed_within_the_subtree_by_organizers_and_admins_only() {
        let o = actor(Role::Organizer, &[1, 2]);
        assert_eq!(o.can_manage_meetings(&path(&[1, 2])), Ok(()));
        assert_eq!(o.can_manage_meetings(&path(&[1, 2, 3])), Ok(()));
        assert_eq!(o.can_manage_meetings(&path(&[1, 5])), Err(Denied::OutOfScope));
        assert_eq!(actor(Role::Member, &[1, 2]).can_manage_meetings(&path(&[1, 2])), Err(Denied::Role));
        assert_eq!(actor(Role::Admin, &[1]).can_manage_meetings(&path(&[9])), Ok(()));
    }

    #[test]
    fn records_are_visible_to_their_owner_and_managers_in_scope() {
        let m = actor(Role::Member, &[1, 2]);
        assert_eq!(m.can_view_record_of(PersonId(7), &path(&[1, 2])), Ok(()));
        assert_eq!(m.can_view_record_of(PersonId(8), &path(&[1, 2])), Err(Denied::Role));
        let o = actor(Role::Organizer, &[1, 2]);
        assert_eq!(o.can_view_record_of(PersonId(8), &path(&[1, 2, 3])), Ok(()));
        assert_eq!(o.can_view_record_of(PersonId(8), &path(&[1, 3])), Err(Denied::OutOfScope));
        assert_eq!(o.can_edit_study_rules(), Err(Denied::Role));
        assert_eq!(actor(Role::Admin, &[1]).can_edit_study_rules(), Ok(()));
    }
}
