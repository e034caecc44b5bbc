//! Boots the real application on port 0 against a fresh database (a SQLite
//! file or a new PostgreSQL database) and a fresh local object store, seeded
//! with the demo tree, and gives tests HTTP clients that log in as people.

use std::sync::Arc;

use dangxiao_server::config::Settings;
use dangxiao_server::services::demo;
use dangxiao_server::startup::Application;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = demo::DEMO_PASSWORD;

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    pub store: Arc<dyn dangxiao_server::storage::Store>,
    pub state: dangxiao_server::state::AppState,
    pub kind: Db,
    /// What the app was started with.
    settings: Settings,
    /// The PostgreSQL database this app owns, dropped with it.
    postgres_database: Option<String>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    /// Drops the test's PostgreSQL database, so a whole test run does not
    /// leave some three hundred databases (gigabytes) behind. Drop cannot
    /// await, and the test's own runtime is busy running this very drop, so
    /// a short-lived thread with its own runtime does it; failures are
    /// ignored (the database is only garbage by now).
    fn drop(&mut self) {
        let Some(name) = self.postgres_database.take() else { return };
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&postgres_admin_url()).await.ok()?;
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()
            })
        })
        .join();
    }
}

/// The server URL of the PostgreSQL that the test script started.
fn postgres_admin_url() -> String {
    std::env::var("DANGXIAO_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "DANGXIAO_TEST_DATABASE_URL is not set. The PostgreSQL half of the tests needs a real server: \
             run them with `scripts/test`, which installs and starts one."
        )
    })
}

/// Creates a new database and returns its name and URL. `FILE_COPY` copies
/// the template's files instead of writing them all into the WAL.
async fn fresh_postgres_database() -> (String, String) {
    let admin_url = postgres_admin_url();
    let admin = Database::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
    let name = format!("dx_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} STRATEGY FILE_COPY"))
        .await
        .expect("create test database");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin_url);
    let url = format!("{base}/{name}");
    (name, url)
}

impl TestApp {
    pub async fn spawn(kind: Db) -> TestApp {
        Self::spawn_with(kind, |_| {}).await
    }

    /// Like `spawn`, with a chance to change settings first.
    pub async fn spawn_with(kind: Db, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse().expect("addr"),
            data_dir: dir.path().to_path_buf(),
            // Tests that want jobs processed turn workers on.
            workers: 0,
            // Tests run each upkeep step (refreshes, sweeps, snapshots)
            // themselves, so no loop races what they check.
            background_loops: false,
            ..Settings::default()
        };
        let mut postgres_database = None;
        settings.database_url = Some(match kind {
            Db::Sqlite => format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
            Db::Postgres => {
                let (name, url) = fresh_postgres_database().await;
                postgres_database = Some(name);
                url
            }
        });
        settings.database_max_connections = 5;
        tweak(&mut settings);
        settings.validate().expect("valid test settings");
        let app = Application::build(settings.clone()).await.expect("build app");
        let addr = app.local_addr().expect("addr");
        let state = app.state().clone();
        let db = state.db.clone();
        demo::seed(&db).await.expect("seed demo data");
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base: format!("http://{addr}"),
            db,
            store: state.store.clone(),
            state,
            kind,
            settings,
            postgres_database,
            _dir: dir,
        }
    }

    /// Starts a second app server on this app's database and files, as
    /// another machine behind the same load balancer; returns its base URL.
    /// It runs until the test ends.
    pub async fn spawn_peer(&self) -> String {
        let peer = Application::build(self.settings.clone()).await.expect("build peer app");
        let addr = peer.local_addr().expect("addr");
        tokio::spawn(peer.run_until_stopped());
        format!("http://{addr}")
    }

    /// Like `spawn_with`, storing objects in a fresh bucket of the real S3
    /// server the test script started.
    pub async fn spawn_s3(kind: Db, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let endpoint = std::env::var("DANGXIAO_TEST_S3_ENDPOINT").unwrap_or_else(|_| {
            panic!("DANGXIAO_TEST_S3_ENDPOINT is not set: run the tests with `scripts/test`, which starts an S3 server")
        });
        let bucket = format!("dx-{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
        let configure = |s: &mut Settings| {
            s.storage = dangxiao_server::config::StorageKind::S3;
            s.s3_endpoint = Some(endpoint.clone());
            s.s3_bucket = Some(bucket.clone());
            s.s3_access_key_id = std::env::var("DANGXIAO_TEST_S3_ACCESS_KEY").ok();
            s.s3_secret_access_key = std::env::var("DANGXIAO_TEST_S3_SECRET_KEY").ok();
            s.s3_path_style = true;
        };
        let mut probe = Settings::default();
        configure(&mut probe);
        let store = dangxiao_server::storage::S3Store::connect(probe.s3_config()).await.expect("S3 client");
        store.create_bucket_if_missing().await.expect("create test bucket");
        Self::spawn_with(kind, |s| {
            configure(s);
            tweak(s);
        })
        .await
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// What the app was started with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// A client with its own cookie jar and no session.
    pub async fn anonymous(&self) -> Client {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut c = Client { http, jar, base: self.base.clone(), csrf: String::new(), lang: None };
        // Any page visit hands out the anonymous CSRF cookie.
        c.get("/api/v1/me").await;
        c.csrf = c.cookie("dx_csrf").expect("server sets dx_csrf");
        c
    }

    /// A client logged in as `login` (a demo account unless created by the test).
    pub async fn login(&self, login: &str) -> Client {
        self.login_with(login, PASSWORD).await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> Client {
        let mut c = self.anonymous().await;
        let r = c.post("/api/v1/session", serde_json::json!({ "login": login, "password": password })).await;
        assert_eq!(r.status(), StatusCode::OK, "login as {login} failed: {}", r.text().await.unwrap_or_default());
        let me: Value = r.json().await.expect("me json");
        c.csrf = me["csrf_token"].as_str().expect("csrf in me").to_owned();
        c
    }

    /// Id of the org at a demo name path such as "示范市委党校党委/机关党总支/第一党支部".
    pub async fn org_id(&self, names: &str) -> i64 {
        let path = courses::OrgNamePath::parse(names).expect("name path");
        dangxiao_server::services::orgs::find_by_names(&self.db, &path).await.expect("query").expect("org exists").id
    }

    pub async fn person_id(&self, login: &str) -> i64 {
        let login = courses::Login::parse(login).expect("login");
        dangxiao_server::services::import::find_login(&self.db, &login).await.expect("query").expect("person exists").id
    }

    /// The number an SQL query answers in its column `n` (NULL: 0).
    pub async fn number(&self, sql: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(self.db.get_database_backend(), sql.to_owned()))
            .await
            .expect("query")
            .expect("a row");
        row.try_get::<Option<i64>>("", "n").expect("n").unwrap_or(0)
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.number(&format!("SELECT COUNT(*) AS n FROM {table}")).await
    }
}

pub const BRANCH_1: &str = "示范市委党校党委/机关党总支/第一党支部";
pub const BRANCH_2: &str = "示范市委党校党委/机关党总支/第二党支部";

/// An HTTP client bound to one cookie jar; adds the CSRF header to changes.
pub struct Client {
    pub http: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
    pub csrf: String,
    pub lang: Option<&'static str>,
}

impl Client {
    /// The same client (cookies, CSRF token) talking to another app server.
    pub fn on(&self, base: &str) -> Client {
        Client {
            http: self.http.clone(),
            jar: self.jar.clone(),
            base: base.to_owned(),
            csrf: self.csrf.clone(),
            lang: self.lang,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method.clone(), format!("{}{path}", self.base));
        if method != Method::GET {
            r = r.header("x-csrf-token", &self.csrf);
        }
        if let Some(lang) = self.lang {
            r = r.header("accept-language", lang);
        }
        r
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.request(Method::POST, path).json(&body).send().await.expect("request")
    }

    pub async fn patch(&self, path: &str, body: Value) -> Response {
        self.request(Method::PATCH, path).json(&body).send().await.expect("request")
    }

    pub async fn put(&self, path: &str, body: Value) -> Response {
        self.request(Method::PUT, path).json(&body).send().await.expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path).send().await.expect("request")
    }

    /// PUTs raw bytes.
    pub async fn put_bytes(&self, path: &str, bytes: Vec<u8>) -> Response {
        self.request(Method::PUT, path)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .expect("request")
    }

    /// Posts a file as multipart field `file`.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: Vec<u8>) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.request(Method::POST, path).multipart(form).send().await.expect("request")
    }
}

/// Asserts status and error code, returning the error body.
pub async fn expect_error(r: Response, status: StatusCode, code: &str) -> Value {
    let actual = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!((actual, body["code"].as_str()), (status, Some(code)), "body: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "error without message: {body}");
    body
}

/// Runs each test body once on SQLite and once on PostgreSQL:
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[tokio::test]
                async fn sqlite() {
                    let $app = $crate::helpers::TestApp::spawn($crate::helpers::Db::Sqlite).await;
                    $body
                }
                #[tokio::test]
                async fn postgres() {
                    let $app = $crate::helpers::TestApp::spawn($crate::helpers::Db::Postgres).await;
                    $body
                }
            }
        )*
    };
}
