//! A student's class 学时: what they earned for the class during its term,
//! the study credited on the days from its first to its last (the daily
//! cap applied, passed exams included, as everywhere) and the offline
//! sessions (集中学习) they attended, at the platform's minutes per 学时.
//! Study before the class began does not count towards it.

use std::collections::HashMap;

use courses::Standing;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::{meeting_attendance, meetings, party_classes};
use crate::error::Result;
use crate::services::study::hours::{credited_hours_between, rules};

/// The class's sessions: (meeting, minutes).
pub(crate) async fn sessions(db: &impl ConnectionTrait, class_id: i64) -> Result<Vec<(i64, u32)>> {
    Ok(meetings::Entity::find()
        .filter(meetings::Column::ClassId.eq(class_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, u32::try_from(m.minutes).unwrap_or(0)))
        .collect())
}

/// Minutes each person missed of `sessions` (absent or on leave).
pub(crate) async fn absent_minutes(db: &impl ConnectionTrait, sessions: &[(i64, u32)]) -> Result<HashMap<i64, u32>> {
    let minutes_of: HashMap<i64, u32> = sessions.iter().copied().collect();
    let mut absent: HashMap<i64, u32> = HashMap::new();
    for a in meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::MeetingId.is_in(sessions.iter().map(|s| s.0)))
        .filter(meeting_attendance::Column::Status.ne(courses::meeting::Attendance::Present.as_str()))
        .all(db)
        .await?
    {
        *absent.entry(a.person_id).or_default() += minutes_of.get(&a.meeting_id).copied().unwrap_or(0);
    }
    Ok(absent)
}

/// `person_id`'s class 学时, who was present for `present_minutes` of the
/// class's sessions.
pub(crate) async fn class_hours(
    db: &impl ConnectionTrait,
    class: &party_classes::Model,
    person_id: i64,
    standing: Standing,
    present_minutes: u32,
) -> Result<f64> {
    let term = (class.term_from.as_str(), class.term_to.as_str());
    let studied = credited_hours_between(db, person_id, standing, Some(term)).await?;
    let per_hour = f64::from(rules(db).await?.minutes_per_hour.max(1));
    let sessions = (f64::from(present_minutes) / per_hour * 100.0).floor() / 100.0;
    Ok(((studied + sessions) * 100.0).round() / 100.0)
}

/// `person_id`'s class 学时 in `class`, sessions included.
pub(crate) async fn of_student(
    db: &impl ConnectionTrait,
    class: &party_classes::Model,
    person_id: i64,
    standing: Standing,
) -> Result<f64> {
    let sessions = sessions(db, class.id).await?;
    let total: u32 = sessions.iter().map(|s| s.1).sum();
    let absent = absent_minutes(db, &sessions).await?.get(&person_id).copied().unwrap_or(0);
    class_hours(db, class, person_id, standing, total.saturating_sub(absent)).await
}
