//! The state every handler receives: passed, never global.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::services::heartbeats::group_commit::HeartbeatLog;
use crate::storage::Store;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    pub leptos: LeptosOptions,
    /// Where heartbeats go to be committed in groups.
    pub heartbeats: HeartbeatLog,
    /// Hash of the built site's files: the prefix pages link them under
    /// (`http::assets`).
    pub site_version: Arc<str>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
