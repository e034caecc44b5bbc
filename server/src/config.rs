//! Settings in layers: built-in defaults, then an optional TOML file
//! (`--config`), then `DANGXIAO_*` environment variables (`DANGXIAO_LISTEN`
//! sets `listen`). An invalid value stops start-up with one message that
//! names the key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use crate::storage::S3Config;

/// Where objects (uploads, media) live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    /// A directory on this machine (the embedded default).
    Local,
    /// Any S3-compatible object store.
    S3,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Every setting, with its default. See README for the list.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the embedded database and local object store live.
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; default: a SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Largest number of pooled database connections.
    pub database_max_connections: u32,
    pub storage: StorageKind,
    /// Local object store directory; default `data_dir/objects`.
    pub storage_dir: Option<PathBuf>,
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_bucket: Option<String>,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    pub s3_path_style: bool,
    /// Built site (wasm, css, assets) from `cargo leptos build`.
    pub site_root: PathBuf,
    /// Mark cookies `Secure`; turn on whenever dangxiao is served over TLS.
    pub secure_cookies: bool,
    /// How long a login lasts without activity, in hours.
    pub session_hours: u32,
    /// Largest member-import file accepted, in bytes.
    pub import_max_bytes: u64,
    /// Largest upload (video, recording, deck) accepted, in bytes.
    pub upload_max_bytes: u64,
    /// Size of each upload part, in bytes (S3 needs at least 5 MiB).
    pub upload_part_bytes: u64,
    /// An upload not completed within this many hours is deleted.
    pub upload_expire_hours: u32,
    /// Content types (sniffed, never taken from the name) that processing
    /// accepts; an entry ending in `/` accepts a whole family (`video/`).
    pub upload_accepted_types: Vec<String>,
    /// Let browsers send parts straight to S3 with presigned URLs (the
    /// bucket needs a CORS rule allowing PUT from the site's origin).
    pub upload_direct: bool,
    /// S3 only: answer a lesson's HLS media playlists with each segment as
    /// a presigned URL, so segments go straight from the bucket (or a CDN
    /// in front of it) to the member; the bucket needs a CORS rule allowing
    /// GET from the site's origin.
    pub media_direct: bool,
    /// How long those segment URLs work, in seconds: long enough to watch
    /// the longest lesson with pauses, since a player loads a lesson's
    /// playlist once.
    pub media_url_seconds: u32,
    /// S3 only: at start, set the bucket's CORS rule so that browsers on
    /// `public_url` may GET media and PUT upload parts straight from and to
    /// the bucket (`media_direct`, `upload_direct`). Needs a key allowed to
    /// change the bucket's settings; leave off when the bucket's owner sets
    /// the rule.
    pub s3_set_cors: bool,
    /// Longest video or recording accepted, in minutes.
    pub video_max_minutes: u32,
    /// Longest a single processing job may run, in minutes.
    pub job_timeout_minutes: u32,
    /// Longest a LibreOffice conversion may run, in seconds.
    pub slides_timeout_seconds: u32,
    /// Jobs `dangxiao serve` runs at once (0: leave them to `dangxiao worker`).
    pub workers: u32,
    /// Run the periodic upkeep (course records, the study-hour roll-up,
    /// deadline snapshots, reminder sweeps, abandoned uploads, expired
    /// sessions). Off, something else must call each step: tests do, so
    /// that no loop races what they check.
    pub background_loops: bool,
    /// The site's address as members reach it (`https://dangxiao.example.org`);
    /// names lessons and people in xAPI exports. Default: `http://{listen}`.
    pub public_url: Option<String>,
    /// Offset of the platform's time zone from UTC in hours: where study
    /// days begin for the daily 学时 cap (China: 8).
    pub utc_offset_hours: i32,
    /// Most heartbeats committed in one transaction.
    pub heartbeat_batch_max: u32,
    /// Heartbeat transactions in flight at once on PostgreSQL (SQLite: 1).
    pub heartbeat_committers: u32,
    /// A heartbeat committer that finds fewer heartbeats waiting than this
    /// while another committer is busy waits a little for more (see
    /// `heartbeat_gather_ms`): a batch has a fixed cost, and a few
    /// heartbeats would carry it alone.
    pub heartbeat_batch_min: u32,
    /// How long, at most, a committer waits for `heartbeat_batch_min`
    /// heartbeats (0: never waits).
    pub heartbeat_gather_ms: u64,
    /// SQLite: once its WAL file is longer than this many MiB, the heartbeat
    /// committer lets it start over between two batches (under a steady
    /// load it would otherwise grow without bound).
    pub sqlite_wal_restart_mib: u32,
    /// `serve --demo` also creates the demo course (its media are processed
    /// by the worker on first start).
    pub demo_course: bool,
    /// Automatic reminders go out this many days before a make-up or
    /// assignment deadline (and once more when it has passed).
    pub reminder_due_soon_days: u32,
    /// Seconds between two looks for reminders due.
    pub reminder_interval_secs: u64,
    /// Minutes before an organizer may remind the same meeting or
    /// assignment by hand again.
    pub reminder_manual_cooldown_minutes: u32,
    /// SMTP server for reminder e-mail, e.g. `smtp://mail.example.org:587?tls=required`
    /// or `smtps://user:password@mail.example.org`; none: in-app notifications only.
    pub smtp_url: Option<String>,
    /// Sender of reminder e-mail, e.g. `党校 <noreply@example.org>`; required with `smtp_url`.
    pub smtp_from: Option<String>,
    pub log_format: LogFormat,
    /// Where a request's client address comes from, for rate limits:
    /// `ConnectInfo` (the TCP peer; default), or the header the load
    /// balancer in front sets, e.g. `RightmostXForwardedFor` or `XRealIp`.
    /// Use a header only behind a proxy that sets it: a client can write it
    /// itself.
    pub client_ip_source: axum_client_ip::ClientIpSource,
    /// The CJK font certificates are set in (a `.ttc` collection or a
    /// `.ttf`/`.otf`), and the face in it; Debian's fonts-noto-cjk by default.
    pub certificate_font: PathBuf,
    pub certificate_font_index: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 10,
            storage: StorageKind::Local,
            storage_dir: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_bucket: None,
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_path_style: true,
            site_root: PathBuf::from("target/site"),
            secure_cookies: false,
            session_hours: 12,
            import_max_bytes: 5 * 1024 * 1024,
            upload_max_bytes: 8 << 30,
            upload_part_bytes: 16 << 20,
            upload_expire_hours: 24,
            upload_accepted_types: [
                "video/",
                "audio/",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/vnd.ms-powerpoint",
                "application/vnd.oasis.opendocument.presentation",
                "application/pdf",
            ]
            .map(String::from)
            .to_vec(),
            upload_direct: false,
            media_direct: false,
            media_url_seconds: 6 * 3600,
            s3_set_cors: false,
            video_max_minutes: 240,
            job_timeout_minutes: 180,
            slides_timeout_seconds: 300,
            workers: 1,
            background_loops: true,
            public_url: None,
            utc_offset_hours: 8,
            heartbeat_batch_max: 512,
            heartbeat_committers: 2,
            heartbeat_batch_min: 16,
            heartbeat_gather_ms: 1,
            sqlite_wal_restart_mib: 256,
            demo_course: true,
            reminder_due_soon_days: 3,
            reminder_interval_secs: 900,
            reminder_manual_cooldown_minutes: 60,
            smtp_url: None,
            smtp_from: None,
            log_format: LogFormat::Text,
            client_ip_source: axum_client_ip::ClientIpSource::ConnectInfo,
            certificate_font: PathBuf::from("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
            // Face 2 of the Noto CJK collections is Simplified Chinese.
            certificate_font_index: 2,
        }
    }
}

impl std::fmt::Debug for Settings {
    /// Secrets are never logged: the S3 secret and any database password are masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url().map(|u| mask_password(&u)))
            .field("storage", &self.storage)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_secret_access_key", &self.s3_secret_access_key.as_ref().map(|_| "***"))
            .field("site_root", &self.site_root)
            .field("secure_cookies", &self.secure_cookies)
            .field("background_loops", &self.background_loops)
            .field("smtp_url", &self.smtp_url.as_deref().map(mask_password))
            .finish_non_exhaustive()
    }
}

/// A setting that cannot be used; the message names the key and what to do.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting `{key}` (environment variable {env}): {problem}")]
pub struct ConfigError {
    pub key: String,
    pub env: String,
    pub problem: String,
}

impl ConfigError {
    fn new(key: &str, problem: impl Into<String>) -> Self {
        Self { key: key.to_owned(), env: format!("DANGXIAO_{}", key.to_uppercase()), problem: problem.into() }
    }
}

impl Settings {
    /// Loads defaults, then `file` if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::new("config", format!("file {} does not exist", file.display())));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        // Only known keys come from the environment: other DANGXIAO_* variables
        // (test harness settings, say) are not ours to reject. Unknown keys in
        // a file are typos and are rejected by `deny_unknown_fields`.
        let known = known_keys();
        figment = figment.merge(Env::prefixed("DANGXIAO_").filter(move |k| {
            // Depending on figment's order of operations the key may still carry the prefix.
            let k = k.as_str().to_ascii_lowercase();
            let k = k.strip_prefix("dangxiao_").unwrap_or(&k);
            known.iter().any(|n| n == k)
        }));
        let settings: Settings = figment.extract().map_err(|e| {
            let key = e.path.join(".");
            let key = if key.is_empty() { "config".to_owned() } else { key };
            ConfigError::new(&key, e.kind.to_string())
        })?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what the types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database_url {
            if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError::new("database_url", "must start with sqlite:// or postgres://"));
            }
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::new("database_max_connections", "must be at least 1"));
        }
        if self.session_hours == 0 {
            return Err(ConfigError::new("session_hours", "must be at least 1"));
        }
        if !(5 << 20..=1 << 30).contains(&self.upload_part_bytes) {
            return Err(ConfigError::new("upload_part_bytes", "must be between 5 MiB (5242880) and 1 GiB"));
        }
        if self.upload_max_bytes.div_ceil(self.upload_part_bytes) > 10_000 {
            return Err(ConfigError::new(
                "upload_max_bytes",
                "needs more than 10,000 parts of upload_part_bytes: raise upload_part_bytes or lower this",
            ));
        }
        if self.upload_accepted_types.iter().all(|t| t.trim().is_empty()) {
            return Err(ConfigError::new("upload_accepted_types", "must name at least one type, e.g. [\"video/\"]"));
        }
        for (key, value) in [
            ("upload_expire_hours", self.upload_expire_hours),
            ("video_max_minutes", self.video_max_minutes),
            ("job_timeout_minutes", self.job_timeout_minutes),
            ("slides_timeout_seconds", self.slides_timeout_seconds),
        ] {
            if value == 0 {
                return Err(ConfigError::new(key, "must be at least 1"));
            }
        }
        // SigV4 presigned URLs work for at most seven days.
        if !(1..=7 * 24 * 3600).contains(&self.media_url_seconds) {
            return Err(ConfigError::new("media_url_seconds", "must be between 1 and 604800 (seven days)"));
        }
        if !(-12..=14).contains(&self.utc_offset_hours) {
            return Err(ConfigError::new("utc_offset_hours", "must be between -12 and 14"));
        }
        if !(1..=4096).contains(&self.heartbeat_batch_max) {
            return Err(ConfigError::new("heartbeat_batch_max", "must be between 1 and 4096"));
        }
        if !(1..=64).contains(&self.heartbeat_committers) {
            return Err(ConfigError::new("heartbeat_committers", "must be between 1 and 64"));
        }
        if !(1..=self.heartbeat_batch_max).contains(&self.heartbeat_batch_min) {
            return Err(ConfigError::new("heartbeat_batch_min", "must be between 1 and heartbeat_batch_max"));
        }
        if self.heartbeat_gather_ms > 100 {
            return Err(ConfigError::new("heartbeat_gather_ms", "must be at most 100"));
        }
        if !(1..=4096).contains(&self.sqlite_wal_restart_mib) {
            return Err(ConfigError::new("sqlite_wal_restart_mib", "must be between 1 and 4096"));
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::new("public_url", "must be an http:// or https:// URL"));
            }
        }
        self.validate_reminders()?;
        if self.storage == StorageKind::S3 {
            for (key, value) in [
                ("s3_bucket", &self.s3_bucket),
                ("s3_access_key_id", &self.s3_access_key_id),
                ("s3_secret_access_key", &self.s3_secret_access_key),
            ] {
                if value.as_deref().is_none_or(str::is_empty) {
                    return Err(ConfigError::new(key, "is required when storage = \"s3\""));
                }
            }
            if let Some(endpoint) = &self.s3_endpoint {
                if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                    return Err(ConfigError::new("s3_endpoint", "must be an http:// or https:// URL"));
                }
            }
        }
        Ok(())
    }

    /// Reminder and SMTP settings. The SMTP URL may hold a password, so
    /// no message repeats it.
    fn validate_reminders(&self) -> Result<(), ConfigError> {
        if self.reminder_due_soon_days > 60 {
            return Err(ConfigError::new("reminder_due_soon_days", "must be between 0 and 60"));
        }
        if !(10..=86_400).contains(&self.reminder_interval_secs) {
            return Err(ConfigError::new("reminder_interval_secs", "must be between 10 and 86400"));
        }
        if !(1..=10_080).contains(&self.reminder_manual_cooldown_minutes) {
            return Err(ConfigError::new("reminder_manual_cooldown_minutes", "must be between 1 and 10080 (a week)"));
        }
        let Some(url) = self.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(());
        };
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(ConfigError::new("smtp_url", "must start with smtp:// or smtps://"));
        }
        if lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url).is_err() {
            return Err(ConfigError::new(
                "smtp_url",
                "is not a usable SMTP URL; write it like smtp://user:password@host:587?tls=required",
            ));
        }
        match self.smtp_from.as_deref().map(str::parse::<lettre::message::Mailbox>) {
            Some(Ok(_)) => Ok(()),
            Some(Err(_)) => Err(ConfigError::new("smtp_from", "must be an address like 党校 <noreply@example.org>")),
            None => Err(ConfigError::new("smtp_from", "is required when smtp_url is set")),
        }
    }

    /// The platform's time zone (`utc_offset_hours`, checked by `validate`).
    pub fn time_zone(&self) -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(self.utc_offset_hours * 3600)
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("a zero offset is valid"))
    }

    /// The site's base URL without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Whether processing accepts content sniffed as `mime`.
    pub fn accepts_type(&self, mime: &str) -> bool {
        self.upload_accepted_types
            .iter()
            .map(|t| t.trim())
            .any(|t| !t.is_empty() && if t.ends_with('/') { mime.starts_with(t) } else { mime.eq_ignore_ascii_case(t) })
    }

    /// The database URL, defaulting to a SQLite file inside `data_dir`.
    pub fn database_url(&self) -> Option<String> {
        self.database_url.clone()
    }

    pub fn effective_database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.data_dir.join("dangxiao.db").display()))
    }

    pub fn storage_dir(&self) -> PathBuf {
        self.storage_dir.clone().unwrap_or_else(|| self.data_dir.join("objects"))
    }

    /// S3 settings; only meaningful after `validate` with `storage = "s3"`.
    pub fn s3_config(&self) -> S3Config {
        S3Config {
            endpoint: self.s3_endpoint.clone(),
            region: self.s3_region.clone(),
            bucket: self.s3_bucket.clone().unwrap_or_default(),
            access_key_id: self.s3_access_key_id.clone().unwrap_or_default(),
            secret_access_key: self.s3_secret_access_key.clone().unwrap_or_default(),
            path_style: self.s3_path_style,
        }
    }
}

/// The names of all settings, from the defaults' serialized form.
fn known_keys() -> Vec<String> {
    match serde_json::to_value(Settings::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Replaces the password of a `scheme://user:password@host` URL with `***`.
pub fn mask_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) => {
            if parsed.password().is_some() && parsed.set_password(Some("***")).is_ok() {
                parsed.to_string()
            } else {
                raw.to_owned()
            }
        }
        // Text that is not a URL may still hold a password; show none of it.
        Err(_) if raw.contains('@') => "***".to_owned(),
        Err(_) => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_types_match_whole_families_or_exact_types() {
        let mut s = Settings::default();
        assert!(s.accepts_type("video/mp4") && s.accepts_type("audio/x-wav") && s.accepts_type("application/pdf"));
        assert!(!s.accepts_type("text/plain"));
        s.upload_accepted_types = vec!["video/".into()];
        assert!(s.accepts_type("video/webm") && !s.accepts_type("application/pdf"));
        s.upload_accepted_types = vec![" ".into()];
        assert!(s.validate().is_err());
    }

    #[test]
    fn passwords_in_database_urls_are_masked() {
        assert_eq!(mask_password("postgres://dx:s3cret@db:5432/dx"), "postgres://dx:***@db:5432/dx");
        assert_eq!(mask_password("sqlite://data/dx.db"), "sqlite://data/dx.db");
    }

    #[test]
    fn smtp_needs_a_sender_and_its_password_is_never_shown() {
        let s = Settings { smtp_url: Some("smtp://dx:s3cret@mail.example.org:587".into()), ..Settings::default() };
        let err = s.validate().unwrap_err();
        assert_eq!(err.key, "smtp_from");
        let s = Settings { smtp_from: Some("党校 <noreply@example.org>".into()), ..s };
        s.validate().unwrap();
        assert!(!format!("{s:?}").contains("s3cret"), "{s:?}");
        let bad = Settings { smtp_url: Some("http://dx:s3cret@mail".into()), ..s };
        let err = bad.validate().unwrap_err();
        assert!(err.key == "smtp_url" && !err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn s3_storage_without_a_bucket_names_the_missing_key() {
        let s = Settings { storage: StorageKind::S3, ..Settings::default() };
        let err = s.validate().unwrap_err();
        assert_eq!(err.key, "s3_bucket");
        assert!(err.to_string().contains("DANGXIAO_S3_BUCKET"), "{err}");
    }

    #[test]
    fn heartbeat_batches_never_wait_for_more_than_they_may_hold() {
        Settings::default().validate().unwrap();
        let s = Settings { heartbeat_batch_max: 8, heartbeat_batch_min: 9, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().key, "heartbeat_batch_min");
        let s = Settings { heartbeat_gather_ms: 1000, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().key, "heartbeat_gather_ms");
    }

    #[test]
    fn the_wal_restart_threshold_is_a_sane_size() {
        for mib in [0, 4097] {
            let s = Settings { sqlite_wal_restart_mib: mib, ..Settings::default() };
            assert_eq!(s.validate().unwrap_err().key, "sqlite_wal_restart_mib", "{mib}");
        }
        let s = Settings { sqlite_wal_restart_mib: 1, ..Settings::default() };
        s.validate().unwrap();
    }

    #[test]
    fn a_file_layer_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dx.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:4100\"\nsession_hours = 3\n").unwrap();
        let s = Settings::load(Some(&file)).unwrap();
        assert_eq!(s.listen.port(), 4100);
        assert_eq!(s.session_hours, 3);
    }

    #[test]
    fn an_unknown_key_in_the_file_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dx.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:4100\"\n").unwrap();
        let err = Settings::load(Some(&file)).unwrap_err();
        assert!(err.to_string().contains("lisen"), "{err}");
    }

    #[test]
    fn every_setting_is_a_known_environment_key() {
        let keys = known_keys();
        for k in ["listen", "data_dir", "database_url", "storage", "s3_bucket", "s3_path_style"] {
            assert!(keys.iter().any(|x| x == k), "{k}");
        }
    }

    #[test]
    fn a_malformed_value_in_the_file_names_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dx.toml");
        std::fs::write(&file, "listen = \"not an address\"\n").unwrap();
        let err = Settings::load(Some(&file)).unwrap_err();
        assert_eq!(err.key, "listen", "{err}");
    }
}
