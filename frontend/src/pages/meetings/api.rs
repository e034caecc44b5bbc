//! Server functions of the meeting pages. A meeting travels as one
//! structured value (lessons, everyone's attendance), so they take JSON.

use courses::directory::PersonSummary;
use courses::meeting::{MeetingSummary, MeetingView, NewMeeting};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

/// Meetings of the nodes the caller manages, newest first.
#[server(name = ListMeetings, input = Json, prefix = "/api/fn", endpoint = "meetings")]
pub async fn list_meetings() -> Result<Vec<MeetingSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.meetings(&caller, Default::default()).await.map_err(AppError::from_backend)
}

/// One meeting with its roster, counts and who still has to make it up.
#[server(name = GetMeeting, input = Json, prefix = "/api/fn", endpoint = "meeting")]
pub async fn get_meeting(id: i64) -> Result<MeetingView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.meeting(&caller, id).await.map_err(AppError::from_backend)
}

/// Records a meeting held.
#[server(name = RecordMeeting, input = Json, prefix = "/api/fn", endpoint = "record_meeting")]
pub async fn record_meeting(csrf: String, new: NewMeeting) -> Result<MeetingView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.record_meeting(&caller, &csrf, new).await.map_err(AppError::from_backend)
}

/// Sets one person's attendance (`present`, `absent` or `leave`) and
/// answers with the meeting as it now is.
#[server(name = SetAttendance, input = Json, prefix = "/api/fn", endpoint = "set_attendance")]
pub async fn set_attendance(csrf: String, meeting: i64, person: i64, status: String) -> Result<MeetingView, AppError> {
    use courses::meeting::{AttendanceIn, AttendanceUpdate};
    let (backend, caller) = crate::api::ssr::context().await?;
    let update = AttendanceUpdate { attendance: vec![AttendanceIn { person_id: person, status }] };
    backend.set_attendance(&caller, &csrf, meeting, update).await.map_err(AppError::from_backend)
}

/// Everyone on the roster of node `org` (0: the caller's own node): its
/// people and those of every node below it, as the server requires a
/// meeting's attendance to list them. (`org_people` answers one node's own
/// people only.)
#[server(name = MeetingRoster, input = Json, prefix = "/api/fn", endpoint = "meeting_roster")]
pub async fn meeting_roster(org: i64) -> Result<Vec<PersonSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    let org = match org {
        0 => backend.me(&caller).await.map_err(AppError::from_backend)?.map(|me| me.org_id.0).unwrap_or_default(),
        id => id,
    };
    let tree = backend.org_tree(&caller).await.map_err(AppError::from_backend)?;
    let Some(top) = tree.iter().find(|n| n.id.0 == org).map(|n| n.path.clone()) else {
        return Ok(Vec::new());
    };
    let mut people = Vec::new();
    for node in tree.iter().filter(|n| top.contains(&n.path)) {
        people.extend(backend.org_people(&caller, node.id).await.map_err(AppError::from_backend)?);
    }
    // By pinyin, as every other list of people (the collation data is linked
    // into the server only: this body is not compiled into the browser).
    courses::collation::sort_by_name(&mut people, |p| p.name.as_str(), |p| p.id.0);
    Ok(people)
}
