//! The organization tree: ids, materialized paths and names.
//!
//! Every org node stores its [`OrgPath`], the ids from the root down to itself
//! (`/1/4/9/`). "This node and everything under it" is then a range scan on an
//! indexed text column, `path >= "/1/4/" AND path < "/1/40"`, which both
//! SQLite and PostgreSQL (with the C collation) answer from a b-tree index.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Database id of an org node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OrgId(pub i64);

impl fmt::Display for OrgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a value could not become an org type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrgError {
    #[error("org path `{0}` is not of the form /1/2/3/")]
    BadPath(String),
    #[error("org name must be 1 to 64 characters without `/` or control characters")]
    BadName,
    #[error("org path must name at least one org, separated by `/`")]
    EmptyNamePath,
    #[error("unknown org kind `{0}`")]
    BadKind(String),
}

/// The ids from the root to a node, written `/1/4/9/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct OrgPath(String);

impl OrgPath {
    /// The path of a root node.
    pub fn root(id: OrgId) -> Self {
        Self(format!("/{id}/"))
    }

    /// The path of a child of `self`.
    pub fn child(&self, id: OrgId) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The node's own id (the last segment).
    pub fn id(&self) -> OrgId {
        self.ids().last().unwrap_or(OrgId(0))
    }

    /// Ids from the root down to this node.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = OrgId> + '_ {
        self.0.split('/').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).map(OrgId)
    }

    /// Number of nodes on the path (a root has depth 1).
    pub fn depth(&self) -> usize {
        self.ids().count()
    }

    /// The parent's path, or `None` for a root.
    pub fn parent(&self) -> Option<OrgPath> {
        let trimmed = &self.0[..self.0.len() - 1];
        let cut = trimmed.rfind('/')?;
        (cut > 0).then(|| OrgPath(self.0[..=cut].to_owned()))
    }

    /// True when `other` is this node or lies under it.
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Half-open range `[low, high)` of the paths in this subtree, for an
    /// indexed range scan. `high` replaces the trailing `/` with the next
    /// character, `0`, so it sorts after every descendant (digits follow `/`).
    pub fn subtree_range(&self) -> (String, String) {
        let mut high = self.0.clone();
        high.pop();
        high.push('0');
        (self.0.clone(), high)
    }
}

impl TryFrom<String> for OrgPath {
    type Error = OrgError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        let well_formed = s.len() >= 3
            && s.starts_with('/')
            && s.ends_with('/')
            && s[1..s.len() - 1].split('/').all(|seg| {
                !seg.is_empty() && !seg.starts_with('0') && seg.bytes().all(|b| b.is_ascii_digit()) && seg.len() <= 18
            });
        if well_formed {
            Ok(Self(s))
        } else {
            Err(OrgError::BadPath(s))
        }
    }
}

impl From<OrgPath> for String {
    fn from(p: OrgPath) -> Self {
        p.0
    }
}

impl fmt::Display for OrgPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name of an org node, e.g. `第一党支部`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(s: &str) -> Result<Self, OrgError> {
        let s = s.trim();
        let len = s.chars().count();
        if (1..=64).contains(&len) && !s.contains('/') && !s.chars().any(char::is_control) {
            Ok(Self(s.to_owned()))
        } else {
            Err(OrgError::BadName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgName {
    type Error = OrgError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgName> for String {
    fn from(n: OrgName) -> Self {
        n.0
    }
}

impl fmt::Display for OrgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A path of names from the root, as people write it in spreadsheets:
/// `市委/机关党总支/第一党支部`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgNamePath(Vec<OrgName>);

impl OrgNamePath {
    pub fn parse(s: &str) -> Result<Self, OrgError> {
        let parts: Vec<&str> = s.split(['/', '／']).map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            return Err(OrgError::EmptyNamePath);
        }
        parts.into_iter().map(OrgName::parse).collect::<Result<_, _>>().map(Self)
    }

    pub fn names(&self) -> &[OrgName] {
        &self.0
    }
}

impl fmt::Display for OrgNamePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.0.iter().map(OrgName::as_str).collect();
        f.write_str(&joined.join("/"))
    }
}

/// The level of an org node. Informational: the tree itself allows any depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 党委
    Committee,
    /// 党总支
    GeneralBranch,
    /// 党支部
    Branch,
    /// 党小组
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [Self::Committee, Self::GeneralBranch, Self::Branch, Self::Group];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Committee => "committee",
            Self::GeneralBranch => "general_branch",
            Self::Branch => "branch",
            Self::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Result<Self, OrgError> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| OrgError::BadKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn path(ids: &[i64]) -> OrgPath {
        let mut p = OrgPath::root(OrgId(ids[0]));
        for id in &ids[1..] {
            p = p.child(OrgId(*id));
        }
        p
    }

    #[test]
    fn a_path_knows_its_ids_depth_and_parent() {
        let p = path(&[1, 40, 9]);
        assert_eq!(p.as_str(), "/1/40/9/");
        assert_eq!(p.ids().collect::<Vec<_>>(), vec![OrgId(1), OrgId(40), OrgId(9)]);
        assert_eq!(p.depth(), 3);
        assert_eq!(p.id(), OrgId(9));
        assert_eq!(p.parent(), Some(path(&[1, 40])));
        assert_eq!(path(&[1]).parent(), None);
    }

    #[test]
    fn malformed_paths_are_rejected() {
        for bad in ["", "/", "1/2/", "/1/2", "//", "/1//2/", "/a/", "/01/", "/-1/"] {
            assert!(OrgPath::try_from(bad.to_owned()).is_err(), "{bad:?} accepted");
        }
        assert!(OrgPath::try_from("/1/22/".to_owned()).is_ok());
    }

    #[test]
    fn a_sibling_with_a_longer_id_is_not_inside_the_subtree() {
        let a = path(&[1, 4]);
        assert!(a.contains(&path(&[1, 4, 7])));
        assert!(a.contains(&a));
        assert!(!a.contains(&path(&[1, 40])));
        assert!(!a.contains(&path(&[1])));
    }

    #[test]
    fn names_reject_slashes_controls_and_overlong_text() {
        assert!(OrgName::parse("第一党支部").is_ok());
        assert!(OrgName::parse("  ").is_err());
        assert!(OrgName::parse("a/b").is_err());
        assert!(OrgName::parse("a\u{7}").is_err());
        assert!(OrgName::parse(&"党".repeat(65)).is_err());
    }

    #[test]
    fn name_paths_accept_full_width_slashes_and_trim_spaces() {
        let p = OrgNamePath::parse(" 市委 ／ 第一党支部 /").unwrap();
        assert_eq!(p.to_string(), "市委/第一党支部");
        assert!(OrgNamePath::parse("//").is_err());
    }

    proptest! {
        /// The range scan returns exactly the paths `contains` accepts.
        #[test]
        fn subtree_range_matches_contains(a in prop::collection::vec(1i64..200, 1..4),
                                          b in prop::collection::vec(1i64..200, 1..5)) {
            let (pa, pb) = (path(&a), path(&b));
            let (low, high) = pa.subtree_range();
            let in_range = pb.as_str() >= low.as_str() && pb.as_str() < high.as_str();
            prop_assert_eq!(in_range, pa.contains(&pb));
        }
    }
}
