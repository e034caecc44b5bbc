//! A Garage object store of three nodes on loopback, replication factor 3
//! (Garage, a distributed S3-compatible store, installed by `scripts/test`
//! with `cargo install garage`). Each node has its own metadata, data,
//! RPC and S3 ports; any node answers S3 requests for the bucket.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// The access key the cluster's bucket is opened with (Garage key ids are
/// `GK` and 24 hex digits; secrets 64 hex digits).
pub const KEY_ID: &str = "GK31c2f218a2e44f485b94239e";
pub const SECRET: &str = "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835";
pub const BUCKET: &str = "dangxiao";
pub const REGION: &str = "garage";
const RPC_SECRET: &str = "4425f5c26c5e11581d3223904324dcb5b5d5dfb14e5e7f35e38c595424f5f1e6";

pub struct Node {
    pub s3_port: u16,
    rpc_port: u16,
    config: PathBuf,
    process: Option<Child>,
}

pub struct Garage {
    pub nodes: Vec<Node>,
    _dir: tempfile::TempDir,
}

fn garage() -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cargo"));
    let installed = home.join("bin/garage");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("garage")
    }
}

fn cli(config: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(garage())
        .arg("-c")
        .arg(config)
        .args(args)
        .output()
        .context("cannot run garage (scripts/test installs it with cargo install garage)")?;
    if !out.status.success() {
        bail!(
            "garage {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn wait_for_port(port: u16, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("{what} did not listen on port {port}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

impl Node {
    fn spawn(&mut self) -> anyhow::Result<()> {
        let child = Command::new(garage())
            .arg("-c")
            .arg(&self.config)
            .arg("server")
            .env("RUST_LOG", "garage=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start garage server")?;
        self.process = Some(child);
        wait_for_port(self.s3_port, "a Garage node")
    }

    fn id(&self) -> anyhow::Result<String> {
        // `garage node id -q` prints `<id>@<address>`.
        let out = cli(&self.config, &["node", "id", "-q"])?;
        Ok(out.trim().to_owned())
    }
}

impl Garage {
    /// Starts three nodes, joins them, lays them out in three zones with
    /// replication factor 3, and creates the bucket and its key.
    pub fn start() -> anyhow::Result<Garage> {
        let dir = tempfile::Builder::new().prefix("dangxiao-garage-").tempdir()?;
        let mut nodes = Vec::new();
        for i in 0..3 {
            let (s3_port, rpc_port) = (super::free_port()?, super::free_port()?);
            let base = dir.path().join(format!("node{i}"));
            std::fs::create_dir_all(&base)?;
            let config = base.join("garage.toml");
            std::fs::write(
                &config,
                format!(
                    "metadata_dir = \"{meta}\"\ndata_dir = \"{data}\"\ndb_engine = \"sqlite\"\n\
                     replication_factor = 3\nrpc_bind_addr = \"127.0.0.1:{rpc_port}\"\n\
                     rpc_public_addr = \"127.0.0.1:{rpc_port}\"\nrpc_secret = \"{RPC_SECRET}\"\n\n\
                     [s3_api]\ns3_region = \"{REGION}\"\napi_bind_addr = \"127.0.0.1:{s3_port}\"\n",
                    meta = base.join("meta").display(),
                    data = base.join("data").display(),
                ),
            )?;
            let mut node = Node { s3_port, rpc_port, config, process: None };
            node.spawn()?;
            nodes.push(node);
        }
        let first = nodes[0].config.clone();
        for n in &nodes[1..] {
            cli(&first, &["node", "connect", &n.id()?])?;
        }
        for (i, n) in nodes.iter().enumerate() {
            let id = n.id()?;
            let short = id.split('@').next().unwrap_or_default().to_owned();
            cli(&first, &["layout", "assign", "-z", &format!("dc{i}"), "-c", "1G", &short])?;
        }
        cli(&first, &["layout", "apply", "--version", "1"])?;
        cli(&first, &["bucket", "create", BUCKET])?;
        cli(&first, &["key", "import", "--yes", KEY_ID, SECRET])?;
        cli(&first, &["bucket", "allow", "--read", "--write", "--owner", BUCKET, "--key", KEY_ID])?;
        Ok(Garage { nodes, _dir: dir })
    }

    /// Stops node `i` (SIGKILL: as when its machine dies).
    pub fn stop(&mut self, i: usize) {
        if let Some(mut p) = self.nodes[i].process.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }

    /// Starts node `i` again on its data.
    pub fn restart(&mut self, i: usize) -> anyhow::Result<()> {
        self.nodes[i].spawn()
    }

    pub fn rpc_ports(&self) -> Vec<u16> {
        self.nodes.iter().map(|n| n.rpc_port).collect()
    }
}

/// The keys under `prefix` in the cluster's bucket, through `endpoint`.
pub async fn list(endpoint: &str, prefix: &str) -> anyhow::Result<Vec<String>> {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(KEY_ID, SECRET, None, None, "dangxiao-tests"))
        .endpoint_url(endpoint)
        .load()
        .await;
    let client =
        aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&shared).force_path_style(true).build());
    let mut keys = Vec::new();
    let mut pages = client.list_objects_v2().bucket(BUCKET).prefix(prefix).into_paginator().send();
    while let Some(page) = pages.next().await {
        keys.extend(page?.contents().iter().filter_map(|o| o.key().map(str::to_owned)));
    }
    Ok(keys)
}

impl Drop for Garage {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.stop(i);
        }
    }
}
