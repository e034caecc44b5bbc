//! The organization tree: listing what an actor manages, creating,
//! renaming and deleting nodes, and finding a node by its name path.

use std::collections::HashMap;

use courses::access::Scope;
use courses::collation::compare_labels;
use courses::directory::{NewOrg, OrgNode, OrgPatch};
use courses::{Actor, OrgId, OrgKind, OrgName, OrgNamePath, OrgPath};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::db::{self, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::services::conflict_on_unique;

/// Condition selecting a node and everything under it: one range scan on
/// the unique index `orgs_path`.
pub fn subtree(path: &OrgPath) -> Condition {
    let (low, high) = path.subtree_range();
    Condition::all().add(orgs::Column::Path.gte(low)).add(orgs::Column::Path.lt(high))
}

/// Condition for the orgs inside a scope (`None` for an empty scope).
pub fn in_scope(scope: &Scope) -> Option<Condition> {
    match scope {
        Scope::Everything => Some(Condition::all()),
        Scope::Subtree(root) => Some(subtree(root)),
        Scope::Nothing => None,
    }
}

/// Parses a stored path; a bad one is a bug, not user error.
pub fn path_of(org: &orgs::Model) -> Result<OrgPath> {
    parse_path(org.id, org.path.clone())
}

/// Parses the stored `path` of org `org_id`.
pub fn parse_path(org_id: i64, path: String) -> Result<OrgPath> {
    OrgPath::try_from(path).map_err(|e| Error::Internal(anyhow::anyhow!("org {org_id}: {e}")))
}

/// `/`-joined names from the root to each given org, loading any ancestors
/// not in `orgs` with one query.
pub async fn name_paths(db: &impl ConnectionTrait, orgs_: &[orgs::Model]) -> Result<HashMap<i64, String>> {
    let mut names: HashMap<i64, String> = orgs_.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut missing: Vec<i64> = Vec::new();
    for o in orgs_ {
        for id in path_of(o)?.ids() {
            if !names.contains_key(&id.0) {
                missing.push(id.0);
            }
        }
    }
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        for o in orgs::Entity::find().filter(orgs::Column::Id.is_in(missing)).all(db).await? {
            names.insert(o.id, o.name);
        }
    }
    orgs_
        .iter()
        .map(|o| {
            let parts: Vec<&str> =
                path_of(o)?.ids().map(|id| names.get(&id.0).map(String::as_str).unwrap_or("?")).collect();
            Ok((o.id, parts.join("/")))
        })
        .collect()
}

fn node(org: &orgs::Model, name_path: String, counts: Counted) -> Result<OrgNode> {
    let bad = |what: &str| Error::Internal(anyhow::anyhow!("org {} has unreadable {what}", org.id));
    Ok(OrgNode {
        id: OrgId(org.id),
        parent_id: org.parent_id.map(OrgId),
        name: OrgName::parse(&org.name).map_err(|_| bad("name"))?,
        kind: OrgKind::parse(&org.kind).map_err(|_| bad("kind"))?,
        path: path_of(org)?,
        name_path,
        people_count: counts.direct,
        subtree_people_count: counts.subtree,
    })
}

/// People of one node: directly in it, and in its whole subtree.
#[derive(Debug, Clone, Copy, Default)]
struct Counted {
    direct: u64,
    subtree: u64,
}

/// People counts of each node in `list`: one grouped query over the
/// subtrees of the list's top nodes (a node whose ancestors are not
/// listed), each node's people then added to every listed ancestor.
async fn people_counts(db: &impl ConnectionTrait, list: &[orgs::Model]) -> Result<HashMap<i64, Counted>> {
    let mut out: HashMap<i64, Counted> = list.iter().map(|o| (o.id, Counted::default())).collect();
    let paths = list.iter().map(path_of).collect::<Result<Vec<_>>>()?;
    let tops: Vec<&OrgPath> = paths.iter().filter(|p| !paths.iter().any(|q| q != *p && q.contains(p))).collect();
    for chunk in tops.chunks(200) {
        let within = chunk.iter().fold(Condition::any(), |c, p| c.add(subtree(p)));
        let rows: Vec<(i64, String, i64)> = people::Entity::find()
            .select_only()
            .column(people::Column::OrgId)
            .column(orgs::Column::Path)
            .column_as(Expr::expr(Func::count(Expr::col((people::Entity, people::Column::Id)))), "n")
            .inner_join(orgs::Entity)
            .filter(within)
            .group_by(people::Column::OrgId)
            .group_by(orgs::Column::Path)
            .into_tuple()
            .all(db)
            .await?;
        for (org_id, path, n) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            if let Some(c) = out.get_mut(&org_id) {
                c.direct += n;
            }
            for id in parse_path(org_id, path)?.ids() {
                if let Some(c) = out.get_mut(&id.0) {
                    c.subtree += n;
                }
            }
        }
    }
    Ok(out)
}

async fn nodes(db: &impl ConnectionTrait, list: Vec<orgs::Model>) -> Result<Vec<OrgNode>> {
    let paths = name_paths(db, &list).await?;
    let counts = people_counts(db, &list).await?;
    list.iter()
        .map(|o| node(o, paths.get(&o.id).cloned().unwrap_or_default(), counts.get(&o.id).copied().unwrap_or_default()))
        .collect()
}

/// Every org the actor manages, in tree order (parents before children).
pub async fn tree(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<OrgNode>> {
    let cond = in_scope(&actor.scope()).ok_or(Error::Forbidden)?;
    let list = orgs::Entity::find().filter(cond).order_by_asc(orgs::Column::Path).all(db).await?;
    let mut out = nodes(db, list).await?;
    // Path order groups subtrees; sort siblings by name for people.
    sort_tree(&mut out);
    Ok(out)
}

/// Orders nodes depth-first with siblings by name (pinyin, numbers by value).
fn sort_tree(nodes: &mut [OrgNode]) {
    let names: HashMap<OrgId, String> = nodes.iter().map(|n| (n.id, n.name.to_string())).collect();
    let name = |id: &OrgId| names.get(id).map(String::as_str).unwrap_or_default();
    nodes.sort_by(|a, b| {
        let steps = a.path.ids().zip(b.path.ids());
        steps
            .map(|(x, y)| compare_labels(name(&x), name(&y)).then(x.0.cmp(&y.0)))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.path.ids().count().cmp(&b.path.ids().count()))
    });
}

/// An org the actor may see, or `NotFound` (also when out of scope, so
/// existence is not revealed).
pub async fn find_visible(db: &impl ConnectionTrait, actor: &Actor, id: OrgId) -> Result<orgs::Model> {
    let org = orgs::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound)?;
    super::hide_out_of_scope(actor.can_view_org(&path_of(&org)?))?;
    Ok(org)
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: OrgId) -> Result<OrgNode> {
    let org = find_visible(db, actor, id).await?;
    Ok(nodes(db, vec![org]).await?.remove(0))
}

fn duplicate_name(name: &OrgName) -> Detail {
    Detail::text(format!("同一上级下已有名为“{name}”的组织。"), format!("A sibling named `{name}` already exists."))
}

/// Creates a node under `new.parent_id`, or a new root (admins only).
pub async fn create(db: &DatabaseConnection, actor: &Actor, new: NewOrg) -> Result<OrgNode> {
    let parent = match new.parent_id {
        Some(pid) => {
            let parent = find_visible(db, actor, pid).await?;
            actor.can_create_org_under(&path_of(&parent)?)?;
            Some(parent)
        }
        None => {
            actor.can_create_root_org()?;
            let exists = orgs::Entity::find()
                .filter(orgs::Column::ParentId.is_null())
                .filter(orgs::Column::Name.eq(new.name.as_str()))
                .count(db)
                .await?;
            if exists > 0 {
                return Err(Error::Conflict(duplicate_name(&new.name)));
            }
            None
        }
    };
    let txn = db.begin().await?;
    let inserted = orgs::Entity::insert(orgs::ActiveModel {
        parent_id: Set(parent.as_ref().map(|p| p.id)),
        name: Set(new.name.to_string()),
        kind: Set(new.kind.as_str().to_owned()),
        // Placeholder until the id is known; unique so concurrent inserts never collide.
        path: Set(format!("~{}", uuid::Uuid::new_v4().simple())),
        created_at: Set(db::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await
    .map_err(|e| conflict_on_unique(e, duplicate_name(&new.name)))?;
    let id = OrgId(inserted.last_insert_id);
    let path = match &parent {
        Some(p) => path_of(p)?.child(id),
        None => OrgPath::root(id),
    };
    orgs::Entity::update_many()
        .col_expr(orgs::Column::Path, Expr::value(path.as_str()))
        .filter(orgs::Column::Id.eq(id.0))
        .exec(&txn)
        .await?;
    let org = orgs::Entity::find_by_id(id.0).one(&txn).await?.ok_or(Error::NotFound)?;
    let out = nodes(&txn, vec![org]).await?.remove(0);
    txn.commit().await?;
    Ok(out)
}

pub async fn rename(db: &impl ConnectionTrait, actor: &Actor, id: OrgId, patch: OrgPatch) -> Result<OrgNode> {
    let org = find_visible(db, actor, id).await?;
    actor.can_change_org(&path_of(&org)?)?;
    if org.parent_id.is_none() {
        let clash = orgs::Entity::find()
            .filter(orgs::Column::ParentId.is_null())
            .filter(orgs::Column::Name.eq(patch.name.as_str()))
            .filter(orgs::Column::Id.ne(org.id))
            .count(db)
            .await?;
        if clash > 0 {
            return Err(Error::Conflict(duplicate_name(&patch.name)));
        }
    }
    let mut active = org.into_active_model();
    active.name = Set(patch.name.to_string());
    let org = active.update(db).await.map_err(|e| conflict_on_unique(e, duplicate_name(&patch.name)))?;
    Ok(nodes(db, vec![org]).await?.remove(0))
}

/// Deletes an empty node (no children, no people).
pub async fn delete(db: &impl ConnectionTrait, actor: &Actor, id: OrgId) -> Result<()> {
    let org = find_visible(db, actor, id).await?;
    actor.can_change_org(&path_of(&org)?)?;
    let children = orgs::Entity::find().filter(orgs::Column::ParentId.eq(org.id)).count(db).await?;
    let members = people::Entity::find().filter(people::Column::OrgId.eq(org.id)).count(db).await?;
    if children > 0 || members > 0 {
        return Err(Error::OrgNotEmpty);
    }
    orgs::Entity::delete_by_id(org.id).exec(db).await?;
    Ok(())
}

/// Finds the node at a name path such as `市委/机关党总支/第一党支部`.
pub async fn find_by_names(db: &impl ConnectionTrait, names: &OrgNamePath) -> Result<Option<orgs::Model>> {
    let mut current: Option<orgs::Model> = None;
    for name in names.names() {
        let parent_cond = match &current {
            Some(p) => orgs::Column::ParentId.eq(p.id),
            None => orgs::Column::ParentId.is_null(),
        };
        let found = orgs::Entity::find()
            .filter(parent_cond)
            .filter(Expr::expr(Func::lower(Expr::col(orgs::Column::Name))).eq(name.as_str().to_lowercase()))
            .one(db)
            .await?;
        match found {
            Some(o) => current = Some(o),
            None => return Ok(None),
        }
    }
    Ok(current)
}

/// Creates every missing node along `names` (CLI and demo data only; the
/// API creates nodes one at a time with permission checks).
pub async fn ensure_path(db: &DatabaseConnection, actor: &Actor, names: &[(&str, OrgKind)]) -> Result<orgs::Model> {
    let mut parent: Option<orgs::Model> = None;
    for (name, kind) in names {
        let name = OrgName::parse(name)?;
        let cond = match &parent {
            Some(p) => orgs::Column::ParentId.eq(p.id),
            None => orgs::Column::ParentId.is_null(),
        };
        let existing = orgs::Entity::find().filter(cond).filter(orgs::Column::Name.eq(name.as_str())).one(db).await?;
        parent = Some(match existing {
            Some(o) => o,
            None => {
                let node =
                    create(db, actor, NewOrg { parent_id: parent.as_ref().map(|p| OrgId(p.id)), name, kind: *kind })
                        .await?;
                orgs::Entity::find_by_id(node.id.0).one(db).await?.ok_or(Error::NotFound)?
            }
        });
    }
    parent.ok_or_else(|| Error::Internal(anyhow::anyhow!("ensure_path called with no names")))
}
