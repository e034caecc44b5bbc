//! The production shape on one machine (issue 27): PostgreSQL, a Garage
//! store of three nodes (replication factor 3), two `dangxiao serve` with
//! `workers = 0`, `dangxiao worker`s, and nginx in front of the app servers
//! and of the storage nodes. `scripts/cluster` starts it for a person; the
//! cluster tests start it to break it.

use crate::garage::{self, Garage};
use crate::nginx::Nginx;
use crate::postgres::Postgres;
use crate::{spawn_alongside, Running, Server};

pub struct Cluster {
    /// The settings every process runs with.
    env: Vec<(String, String)>,
    /// The site, through nginx.
    pub base: String,
    /// The object store, through nginx (what the app servers and workers use).
    pub s3: String,
    pub apps: Vec<Server>,
    pub workers: Vec<Running>,
    pub garage: Garage,
    pub nginx: Nginx,
    pub postgres: Postgres,
}

impl Cluster {
    /// The settings every app server and worker runs with.
    fn settings(postgres: &Postgres, s3: &str) -> Vec<(String, String)> {
        [
            ("DANGXIAO_DATABASE_URL", postgres.url()),
            ("DANGXIAO_STORAGE", "s3".into()),
            ("DANGXIAO_S3_ENDPOINT", s3.to_owned()),
            ("DANGXIAO_S3_REGION", garage::REGION.into()),
            ("DANGXIAO_S3_BUCKET", garage::BUCKET.into()),
            ("DANGXIAO_S3_ACCESS_KEY_ID", garage::KEY_ID.into()),
            ("DANGXIAO_S3_SECRET_ACCESS_KEY", garage::SECRET.into()),
            ("DANGXIAO_S3_PATH_STYLE", "true".into()),
            ("DANGXIAO_MEDIA_DIRECT", "true".into()),
            // Browsers on the site fetch segments from the store's origin.
            ("DANGXIAO_S3_SET_CORS", "true".into()),
            ("DANGXIAO_CLIENT_IP_SOURCE", "RightmostXForwardedFor".into()),
            ("DANGXIAO_WORKERS", "0".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Starts everything: `apps` app servers and `workers` workers.
    pub fn start(apps: usize, workers: usize) -> anyhow::Result<Cluster> {
        Self::start_with(apps, workers, &[])
    }

    /// Like `start`, with extra `DANGXIAO_*` settings for every process.
    pub fn start_with(apps: usize, workers: usize, extra: &[(&str, &str)]) -> anyhow::Result<Cluster> {
        let postgres = Postgres::start()?;
        let garage = Garage::start()?;
        let s3_ports: Vec<u16> = garage.nodes.iter().map(|n| n.s3_port).collect();
        // The ports are chosen first: nginx names the app servers, and they
        // reach the store through nginx.
        let app_ports: Vec<u16> = (0..apps).map(|_| crate::free_port()).collect::<anyhow::Result<_>>()?;
        let nginx = Nginx::start(crate::free_port()?, crate::free_port()?, &app_ports, &s3_ports)?;
        let s3 = format!("http://127.0.0.1:{}", nginx.s3_port);
        let base = format!("http://127.0.0.1:{}", nginx.port);
        let mut env = Self::settings(&postgres, &s3);
        env.push(("DANGXIAO_PUBLIC_URL".into(), base.clone()));
        env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let mut servers = Vec::new();
        for port in &app_ports {
            let listen = format!("127.0.0.1:{port}");
            let mut own: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            own.push(("DANGXIAO_LISTEN", &listen));
            servers.push(Server::start_with(&own)?);
        }
        let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut running = Vec::new();
        for _ in 0..workers {
            running.push(spawn_alongside(&servers[0], &["worker"], &env_ref)?);
        }
        Ok(Cluster { env, base, s3, apps: servers, workers: running, garage, nginx, postgres })
    }

    /// The settings every app server and worker runs with, to start more.
    pub fn env(&self) -> Vec<(&str, &str)> {
        self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    /// The app servers' addresses, for people.
    pub fn app_list(&self) -> String {
        self.apps.iter().map(|a| a.base.trim_start_matches("http://")).collect::<Vec<_>>().join(", ")
    }
}
