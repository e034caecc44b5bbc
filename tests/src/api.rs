//! A small client of dangxiao's REST API for end-to-end tests: logs in
//! (with the CSRF double submit), sends the token on changes.

use anyhow::{bail, Context};
use reqwest::Method;
use serde_json::{json, Value};

pub struct Api {
    pub base: String,
    http: reqwest::Client,
    csrf: String,
}

impl Api {
    pub async fn login(base: &str, login: &str, password: &str) -> anyhow::Result<Api> {
        let http = reqwest::Client::builder().cookie_store(true).build()?;
        let r = http.get(format!("{base}/api/v1/me")).send().await?;
        let csrf =
            r.cookies().find(|c| c.name() == "dx_csrf").map(|c| c.value().to_owned()).context("no dx_csrf cookie")?;
        let r = http
            .post(format!("{base}/api/v1/session"))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await?;
        if !r.status().is_success() {
            bail!("login as {login}: {}", r.text().await?);
        }
        let me: Value = r.json().await?;
        let csrf = me["csrf_token"].as_str().context("csrf_token")?.to_owned();
        Ok(Api { base: base.to_owned(), http, csrf })
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.http.request(method.clone(), format!("{}{path}", self.base));
        if method == Method::GET {
            r
        } else {
            r.header("x-csrf-token", &self.csrf)
        }
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Value> {
        let r = self.request(Method::GET, path).send().await?;
        if !r.status().is_success() {
            bail!("GET {path}: {} {}", r.status(), r.text().await?);
        }
        Ok(r.json().await?)
    }

    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let r = self.request(Method::POST, path).json(&body).send().await?;
        if !r.status().is_success() {
            bail!("POST {path}: {} {}", r.status(), r.text().await?);
        }
        Ok(r.json().await?)
    }

    pub async fn put(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let r = self.request(Method::PUT, path).json(&body).send().await?;
        if !r.status().is_success() {
            bail!("PUT {path}: {} {}", r.status(), r.text().await?);
        }
        Ok(r.json().await?)
    }

    /// Uploads `size` bytes produced part by part by `part(offset, len)`,
    /// so a test never holds the whole file. Returns the media item.
    pub async fn upload_with(
        &self,
        org_id: i64,
        name: &str,
        size: u64,
        mut part: impl FnMut(u64, usize) -> Vec<u8>,
    ) -> anyhow::Result<Value> {
        let u = self.post("/api/v1/uploads", json!({ "org_id": org_id, "file_name": name, "size": size })).await?;
        let id = u["id"].as_str().context("id")?.to_owned();
        let part_size = u["part_size"].as_u64().context("part_size")?;
        for n in 1..=u["part_count"].as_u64().context("part_count")? {
            let len = part_size.min(size - (n - 1) * part_size) as usize;
            let r = self
                .request(Method::PUT, &format!("/api/v1/uploads/{id}/parts/{n}"))
                .header("content-type", "application/octet-stream")
                .body(part((n - 1) * part_size, len))
                .send()
                .await?;
            if !r.status().is_success() {
                bail!("part {n}: {} {}", r.status(), r.text().await?);
            }
        }
        self.post(&format!("/api/v1/uploads/{id}/complete"), json!({})).await
    }

    pub async fn upload(&self, org_id: i64, name: &str, bytes: &[u8]) -> anyhow::Result<Value> {
        self.upload_with(org_id, name, bytes.len() as u64, |offset, len| {
            bytes[offset as usize..offset as usize + len].to_vec()
        })
        .await
    }

    /// Uploads a file of `tests/fixtures/` under its own name; returns the
    /// media id.
    pub async fn upload_fixture(&self, org_id: i64, path: &str) -> anyhow::Result<i64> {
        let bytes = std::fs::read(crate::workspace_root().join("tests/fixtures").join(path))?;
        let name = path.rsplit('/').next().unwrap_or(path);
        self.upload(org_id, name, &bytes).await?["id"].as_i64().context("media id")
    }

    /// Waits (up to 2.5 minutes) until the worker has processed media `id`,
    /// its whole ladder of renditions included.
    pub async fn wait_processed(&self, id: i64) -> anyhow::Result<()> {
        for _ in 0..600 {
            let m = self.get(&format!("/api/v1/media/{id}")).await?;
            match m["state"].as_str() {
                // Playable with its lowest rendition; the rest on its way.
                Some("ready") if m["ladder"] == "pending" => {
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await
                }
                Some("ready") if m["ladder"] == "failed" => bail!("media {id} lost its higher renditions: {m}"),
                Some("ready") => return Ok(()),
                Some("failed") | Some("cancelled") => bail!("media {id} was not processed: {m}"),
                _ => tokio::time::sleep(std::time::Duration::from_millis(250)).await,
            }
        }
        bail!("media {id} was not processed in time")
    }

    /// The id of the org the caller belongs to.
    pub async fn my_org(&self) -> anyhow::Result<i64> {
        self.get("/api/v1/me").await?["org_id"].as_i64().context("org_id")
    }

    /// Creates a course titled `title` in the caller's org with one lesson
    /// per processed media item in `media`, in order (第一讲, 第二讲, …),
    /// publishes it and returns the lesson ids.
    pub async fn publish_course(&self, title: &str, media: &[i64]) -> anyhow::Result<Vec<i64>> {
        const TITLES: [&str; 4] = ["第一讲", "第二讲", "第三讲", "第四讲"];
        let org = self.my_org().await?;
        let course = self.post("/api/v1/courses", json!({ "org_id": org, "title": title, "summary": "" })).await?["id"]
            .as_i64()
            .context("course id")?;
        let mut lessons = Vec::with_capacity(media.len());
        for (i, media_id) in media.iter().enumerate() {
            let title = TITLES.get(i).context("at most four lessons")?;
            let lesson = self
                .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": title, "media_id": media_id }))
                .await?;
            lessons.push(lesson["id"].as_i64().context("lesson id")?);
        }
        self.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
        Ok(lessons)
    }
}
