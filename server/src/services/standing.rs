//! Party standing and its milestones: a person's organizers record each
//! change on the day it happened (never in the future, never before the
//! last one); the person's standing is the last milestone's. A change can
//! bring the person into assignments aimed at a standing, or out of them.

use courses::standing::{check_milestone, MilestoneView, NewMilestone, StandingView};
use courses::{Actor, PersonId, Standing};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use crate::config::Settings;
use crate::db::{self, party_milestones, people};
use crate::error::{Error, Result};
use crate::services::assignments;
use crate::services::reminders::new_tasks;
use crate::services::study::hours::standing_of;
use crate::services::{meetings, people as people_service};

/// A person's standing and milestones, for their organizers and themselves.
pub async fn view(db: &impl ConnectionTrait, actor: &Actor, id: PersonId) -> Result<StandingView> {
    let person = crate::services::study::hours::subject(db, actor, Some(id.0)).await?;
    view_of(db, &person).await
}

async fn view_of(db: &impl ConnectionTrait, person: &people::Model) -> Result<StandingView> {
    let rows = party_milestones::Entity::find()
        .filter(party_milestones::Column::PersonId.eq(person.id))
        .order_by_asc(party_milestones::Column::OnDay)
        .order_by_asc(party_milestones::Column::Id)
        .all(db)
        .await?;
    let recorders: Vec<i64> = rows.iter().filter_map(|r| r.recorded_by).collect();
    let names: std::collections::HashMap<i64, String> = people::Entity::find()
        .filter(people::Column::Id.is_in(recorders))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let milestones = rows
        .into_iter()
        .map(|r| {
            let standing = Standing::parse(&r.standing)
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("milestone {} has standing {}", r.id, r.standing)))?;
            Ok(MilestoneView {
                id: r.id,
                standing,
                on: r.on_day,
                recorded_by: r.recorded_by.and_then(|id| names.get(&id).cloned()),
                recorded_at_ms: r.recorded_at_ms,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(StandingView { person_id: person.id, standing: standing_of(person), milestones })
}

/// Records a milestone (the person's organizers only) and makes it the
/// person's standing.
pub async fn record(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: PersonId,
    new: NewMilestone,
) -> Result<StandingView> {
    let today = meetings::today(settings)?;
    let (person, org) = people_service::find_managed(db, actor, id).await?;
    actor.can_manage_person(Some(id), &crate::services::orgs::path_of(&org)?, courses::Role::parse(&person.role)?)?;
    let last = party_milestones::Entity::find()
        .filter(party_milestones::Column::PersonId.eq(person.id))
        .order_by_desc(party_milestones::Column::OnDay)
        .one(db)
        .await?;
    check_milestone(&new, standing_of(&person), last.as_ref().map(|m| m.on_day.as_str()), today)
        .map_err(|e| Error::invalid(&e))?;
    let txn = db.begin().await?;
    let announced = change(&txn, &person, new.standing, &new.on, actor, today).await?;
    let view = view_of(&txn, &people::Entity::find_by_id(person.id).one(&txn).await?.ok_or(Error::NotFound)?).await?;
    txn.commit().await?;
    new_tasks::email_later(db, settings, announced);
    Ok(view)
}

/// Writes the milestone and the new standing in the caller's transaction,
/// and brings the person's assignments up to date; answers what to e-mail.
pub(crate) async fn change(
    db: &impl ConnectionTrait,
    person: &people::Model,
    standing: Standing,
    on_day: &str,
    actor: &Actor,
    today: courses::meeting::Date,
) -> Result<new_tasks::Announced> {
    party_milestones::ActiveModel {
        person_id: Set(person.id),
        standing: Set(standing.as_str().to_owned()),
        on_day: Set(on_day.to_owned()),
        recorded_by: Set((actor.id.0 > 0).then_some(actor.id.0)),
        recorded_at_ms: Set(db::now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut active = person.clone().into_active_model();
    active.standing = Set(standing.as_str().to_owned());
    active.updated_at = Set(db::now());
    active.update(db).await?;
    assignments::sync_person(db, person.id, today).await
}
