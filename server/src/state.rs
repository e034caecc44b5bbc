//! The state every handler receives: passed, never global.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::services::classes::certificate_pdf::CertificateFont;
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
    /// The certificates' font, read on first use (it is some 20 MB).
    pub certificate_font: Arc<tokio::sync::OnceCell<CertificateFont>>,
}

impl AppState {
    /// The font certificates are set in; a missing file is a clear 503.
    pub async fn certificate_font(&self) -> crate::error::Result<&CertificateFont> {
        let path = self.settings.certificate_font.clone();
        let index = self.settings.certificate_font_index;
        self.certificate_font
            .get_or_try_init(|| async move {
                match tokio::fs::read(&path).await {
                    Ok(data) => Ok(CertificateFont { data: Arc::new(data), index }),
                    Err(e) => {
                        tracing::error!(path = %path.display(), error = %e, "cannot read the certificate font");
                        Err(crate::error::Error::Unavailable(format!(
                            "证书字体 {} 无法读取（{e}），请安装 fonts-noto-cjk 或设置 certificate_font。",
                            path.display()
                        )))
                    }
                }
            })
            .await
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
