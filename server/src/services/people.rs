//! People in the organization tree: listing, creating, changing, removing.
//! Organizers act only inside their subtree and never on themselves.

use courses::collation::sort_by_name;
use courses::directory::{CreatedPerson, NewPerson, PersonPatch, PersonSummary};
use courses::people::Email;
use courses::{Actor, Login, OrgId, Password, PersonId, PersonName, Role, Standing};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};

use crate::config::Settings;
use crate::db::{self, orgs, people};
use crate::error::{Detail, Error, Result};
use crate::services::reminders::new_tasks::{self, Announced};
use crate::services::{assignments, conflict_on_unique, course_records, meetings, orgs as org_service, passwords};

pub(crate) fn login_taken(login: &Login) -> Detail {
    Detail::text(format!("登录名“{login}”已被使用。"), format!("The login `{login}` is already taken."))
}

/// Builds the list view of people who all belong to `org`.
async fn summaries(
    db: &impl ConnectionTrait,
    org: &orgs::Model,
    list: Vec<people::Model>,
) -> Result<Vec<PersonSummary>> {
    let name_path = org_service::name_paths(db, std::slice::from_ref(org)).await?.remove(&org.id).unwrap_or_default();
    list.into_iter()
        .map(|p| {
            let bad = |what: &str| Error::Internal(anyhow::anyhow!("person {} has unreadable {what}", p.id));
            Ok(PersonSummary {
                id: PersonId(p.id),
                login: Login::parse(&p.login).map_err(|_| bad("login"))?,
                name: PersonName::parse(&p.name).map_err(|_| bad("name"))?,
                role: Role::parse(&p.role).map_err(|_| bad("role"))?,
                standing: Standing::parse(&p.standing).ok_or_else(|| bad("standing"))?,
                org_id: OrgId(p.org_id),
                org_name_path: name_path.clone(),
                // An address stored before the current rules is not shown.
                email: p.email.as_deref().and_then(|e| Email::parse(e).ok()),
            })
        })
        .collect()
}

/// People who belong directly to `org`, by name (pinyin).
pub async fn list_in_org(db: &impl ConnectionTrait, actor: &Actor, org: OrgId) -> Result<Vec<PersonSummary>> {
    let org = org_service::find_visible(db, actor, org).await?;
    let list = people::Entity::find().filter(people::Column::OrgId.eq(org.id)).all(db).await?;
    let mut out = summaries(db, &org, list).await?;
    sort_by_name(&mut out, |p| p.name.as_str(), |p| p.id.0);
    Ok(out)
}

/// A person the actor may manage, or `NotFound` when outside their subtree.
pub(crate) async fn find_managed(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: PersonId,
) -> Result<(people::Model, orgs::Model)> {
    let (person, org) =
        people::Entity::find_by_id(id.0).find_also_related(orgs::Entity).one(db).await?.ok_or(Error::NotFound)?;
    let org = org.ok_or(Error::NotFound)?;
    let path = org_service::path_of(&org)?;
    match actor.can_view_org(&path) {
        Ok(()) => Ok((person, org)),
        Err(courses::access::Denied::Role) => Err(Error::Forbidden),
        Err(courses::access::Denied::OutOfScope) => Err(Error::NotFound),
    }
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: PersonId) -> Result<PersonSummary> {
    let (person, org) = find_managed(db, actor, id).await?;
    Ok(summaries(db, &org, vec![person]).await?.remove(0))
}

/// Who a new account is for and where they sit.
pub(crate) struct NewAccount<'a> {
    pub login: &'a Login,
    pub name: &'a PersonName,
    pub role: Role,
    pub standing: Standing,
    pub org_id: i64,
}

/// Inserts a person with a hashed password. No permission check: callers
/// (the API below, import, the admin CLI) have done theirs.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    account: NewAccount<'_>,
    password: &Password,
    must_change: bool,
) -> Result<people::Model> {
    let NewAccount { login, name, role, standing, org_id } = account;
    let now = db::now();
    let hash = passwords::hash(password).await?;
    let row = people::ActiveModel {
        login: Set(login.to_string()),
        name: Set(name.to_string()),
        role: Set(role.as_str().to_owned()),
        standing: Set(standing.as_str().to_owned()),
        org_id: Set(org_id),
        password_hash: Set(hash),
        must_change_password: Set(must_change),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let inserted = people::Entity::insert(row).exec(db).await.map_err(|e| conflict_on_unique(e, login_taken(login)))?;
    people::Entity::find_by_id(inserted.last_insert_id).one(db).await?.ok_or(Error::NotFound)
}

/// Creates a person with a generated initial password they must change.
/// They join the open assignments that cover their node and role, and are
/// told of each at once.
pub async fn create(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    new: NewPerson,
) -> Result<CreatedPerson> {
    let today = meetings::today(settings)?;
    let org = org_service::find_visible(db, actor, new.org_id).await?;
    actor.can_manage_person(None, &org_service::path_of(&org)?, new.role)?;
    let initial = passwords::generate();
    let password = Password::parse(&initial)?;
    let txn = db.begin().await?;
    let mut person = insert(
        &txn,
        NewAccount { login: &new.login, name: &new.name, role: new.role, standing: new.standing, org_id: org.id },
        &password,
        true,
    )
    .await?;
    if let Some(email) = &new.email {
        let mut active = person.into_active_model();
        active.email = Set(Some(email.to_string()));
        person = active.update(&txn).await?;
    }
    let announced = assignments::sync_person(&txn, person.id, today).await?;
    txn.commit().await?;
    new_tasks::email_later(db, settings, announced);
    let person = summaries(db, &org, vec![person]).await?.remove(0);
    Ok(CreatedPerson { person, initial_password: initial })
}

/// Changes name, role, org or e-mail address. Both the current and the new placement must
/// be inside the actor's subtree. A new node or role brings the person's
/// assignments up to date, and they are told of the ones they join.
pub async fn update(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: PersonId,
    patch: PersonPatch,
) -> Result<PersonSummary> {
    let today = meetings::today(settings)?;
    let (person, org) = find_managed(db, actor, id).await?;
    let current_role = Role::parse(&person.role)?;
    actor.can_manage_person(Some(id), &org_service::path_of(&org)?, current_role)?;
    let target_org = match patch.org_id {
        Some(oid) if oid.0 != org.id => org_service::find_visible(db, actor, oid).await?,
        _ => org,
    };
    let role = patch.role.unwrap_or(current_role);
    actor.can_manage_person(Some(id), &org_service::path_of(&target_org)?, role)?;
    let moved = person.org_id != target_org.id;
    let role_changed = person.role != role.as_str();
    let mut active = person.into_active_model();
    if let Some(name) = patch.name {
        active.name = Set(name.to_string());
    }
    if let Some(email) = patch.email {
        active.email = Set(email.map(|e| e.to_string()));
    }
    active.role = Set(role.as_str().to_owned());
    active.org_id = Set(target_org.id);
    active.updated_at = Set(db::now());
    let txn = db.begin().await?;
    let person = active.update(&txn).await?;
    let mut announced = Announced::default();
    if moved || role_changed {
        announced = assignments::sync_person(&txn, person.id, today).await?;
    }
    if moved {
        // 组织关系转接: the learning record moves with the member.
        course_records::mark_person(&txn, person.id).await?;
    }
    txn.commit().await?;
    new_tasks::email_later(db, settings, announced);
    Ok(summaries(db, &target_org, vec![person]).await?.remove(0))
}

/// Deletes a person with their records, sessions and study logs, in one
/// transaction.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: PersonId) -> Result<()> {
    let (person, org) = find_managed(db, actor, id).await?;
    actor.can_manage_person(Some(id), &org_service::path_of(&org)?, Role::parse(&person.role)?)?;
    let txn = db.begin().await?;
    course_records::forget_person(&txn, person.id).await?;
    people::Entity::delete_by_id(person.id).exec(&txn).await?;
    crate::services::study::forget_logs_of_person(&txn, person.id).await?;
    txn.commit().await?;
    Ok(())
}
