//! What the API and the UI exchange about orgs and people: views and the
//! requests that change them. Field types are the domain's own, so a request
//! that deserializes is already well formed.

use serde::{Deserialize, Serialize};

use crate::org::{OrgId, OrgKind, OrgName, OrgPath};
use crate::people::{Email, Login, PersonId, PersonName, Role};
use crate::standing::Standing;

/// One node of the organization tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgNode {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub name: OrgName,
    pub kind: OrgKind,
    pub path: OrgPath,
    /// Names from the root down to this node, joined by `/`.
    pub name_path: String,
    /// People who belong directly to this node.
    pub people_count: u64,
    /// People in this node and every node below it: what "how many people
    /// does this node have" means to an organizer (a 党总支 whose members
    /// all sit in its branches has 0 direct people but not 0 people).
    #[serde(default)]
    pub subtree_people_count: u64,
}

/// A person as organizers see them in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSummary {
    pub id: PersonId,
    pub login: Login,
    pub name: PersonName,
    pub role: Role,
    pub standing: Standing,
    pub org_id: OrgId,
    pub org_name_path: String,
    /// Where e-mail reminders go; absent when none is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
}

/// The signed-in person, as the UI needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: PersonId,
    pub login: Login,
    pub name: PersonName,
    pub role: Role,
    pub standing: Standing,
    pub org_id: OrgId,
    pub org_name_path: String,
    pub must_change_password: bool,
    /// Echo this in `X-CSRF-Token` (or a `csrf_token` form field) on every
    /// state-changing request.
    pub csrf_token: String,
}

/// Create an org node under `parent_id` (or a new root, admins only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOrg {
    pub parent_id: Option<OrgId>,
    pub name: OrgName,
    pub kind: OrgKind,
}

/// Rename an org node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgPatch {
    pub name: OrgName,
}

/// Create a person. Without a password one is generated and returned once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPerson {
    pub login: Login,
    pub name: PersonName,
    pub role: Role,
    /// Where the person is in the party now (正式党员 when absent). Later
    /// changes are milestones (`POST /api/v1/people/{id}/milestones`).
    #[serde(default = "full_member")]
    pub standing: Standing,
    pub org_id: OrgId,
    /// Where e-mail reminders go (optional).
    #[serde(default)]
    pub email: Option<Email>,
}

/// Change a person; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonPatch {
    pub name: Option<PersonName>,
    pub role: Option<Role>,
    pub org_id: Option<OrgId>,
    /// Absent: unchanged; `null`: removed; an address: set.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<Email>>,
}

fn full_member() -> Standing {
    Standing::Full
}

/// A field that is present, even as `null`, is `Some` (with `default`, an
/// absent one is `None`): tells "remove" from "leave as it is".
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A person just created, with the initial password to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedPerson {
    pub person: PersonSummary,
    /// Shown once; the person must change it at first login.
    pub initial_password: String,
}

/// One row of an import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowReport {
    /// Line in the file as a spreadsheet numbers it (the header is line 1).
    pub line: usize,
    pub login: Option<String>,
    pub outcome: ImportOutcome,
    /// Why a row was rejected, in the requested language.
    pub message: Option<String>,
    /// For created people only: their initial password, shown once.
    pub initial_password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// The result of importing a roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub rows: Vec<ImportRowReport>,
}

/// The error body of every API response that fails: a stable code and a
/// message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Names of the cookies the server sets.
pub mod cookies {
    /// HttpOnly session cookie.
    pub const SESSION: &str = "dx_session";
    /// Readable by scripts; holds the CSRF token for the double-submit check.
    pub const CSRF: &str = "dx_csrf";
    /// Remembered UI language.
    pub const LANG: &str = crate::i18n::Lang::COOKIE;
}

/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_tells_a_removed_email_from_an_untouched_one() {
        let parse = |v: serde_json::Value| serde_json::from_value::<PersonPatch>(v);
        assert_eq!(parse(serde_json::json!({})).unwrap().email, None);
        assert_eq!(parse(serde_json::json!({ "email": null })).unwrap().email, Some(None));
        let set = parse(serde_json::json!({ "email": "li@example.org" })).unwrap().email;
        assert_eq!(set, Some(Some(Email::parse("li@example.org").unwrap())));
        assert!(parse(serde_json::json!({ "email": "not an address" })).is_err());
    }
}
