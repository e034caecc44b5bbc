//! `dangxiao admin backup DIR` and `dangxiao admin restore DIR`: a copy of
//! the embedded default (the SQLite file and the local object store) taken
//! while the platform serves, and bringing it back into a new data dir.
//!
//! The database is copied first, with `VACUUM INTO`: one read transaction,
//! so the copy is the database as it stood at one moment, and the server
//! (in WAL mode) goes on writing meanwhile. The objects are copied after
//! it. Objects are written under fresh keys and never changed in place, so
//! every object the copied database refers to is there when its copy is
//! made, except one deleted in those seconds (a cover or an attachment
//! replaced while the backup runs), which the copy then lacks.
//!
//! PostgreSQL and S3 are backed up with their own tools (README,
//! "Backups").

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};

use crate::config::{Settings, StorageKind};

const MANIFEST: &str = "backup.json";
const DATABASE: &str = "dangxiao.db";
const OBJECTS: &str = "objects";
/// Directories of the local store that hold writes in progress, not objects.
const IN_PROGRESS: [&str; 2] = [".tmp", ".multipart"];

/// What a backup holds; written last, so a backup without it is unfinished.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: String,
    pub version: String,
    pub database_bytes: u64,
    pub objects: u64,
    pub object_bytes: u64,
}

/// The SQLite file of the settings' database, or why there is none.
fn sqlite_file(settings: &Settings) -> anyhow::Result<PathBuf> {
    let url = settings.effective_database_url();
    let Some(rest) = url.strip_prefix("sqlite://") else {
        bail!(
            "the database is PostgreSQL: back it up with pg_dump or base backups (README, \"Backups\"); \
             `admin backup` copies the embedded default"
        );
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        bail!("the database `{url}` is not a file");
    }
    Ok(PathBuf::from(path))
}

fn local_store(settings: &Settings) -> anyhow::Result<PathBuf> {
    if settings.storage != StorageKind::Local {
        bail!(
            "objects are in S3: back the bucket up with its own replication or versioning (README, \"Backups\"); \
             `admin backup` copies the embedded default"
        );
    }
    Ok(settings.storage_dir())
}

/// A directory to write into: absent (created) or empty.
fn empty_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!("{} is not empty; give a new or empty directory", dir.display());
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

/// Copies the files under `from` to `to` (skipping writes in progress at
/// the top level); answers how many files and bytes.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<(u64, u64)> {
    let (mut files, mut bytes) = (0u64, 0u64);
    if !from.exists() {
        return Ok((0, 0));
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        std::fs::create_dir_all(to.join(&rel)).with_context(|| format!("cannot create {}", to.join(&rel).display()))?;
        for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
            let entry = entry?;
            let name = entry.file_name();
            if rel.as_os_str().is_empty() && IN_PROGRESS.iter().any(|p| name == *p) {
                continue;
            }
            let rel_path = rel.join(&name);
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(rel_path);
            } else if kind.is_file() {
                match std::fs::copy(entry.path(), to.join(&rel_path)) {
                    Ok(n) => {
                        files += 1;
                        bytes += n;
                    }
                    // Deleted since it was listed: the copied database no
                    // longer needs it, or was taken before it existed.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e).with_context(|| format!("cannot copy {}", entry.path().display())),
                }
            }
        }
    }
    Ok((files, bytes))
}

/// Writes a backup of the running platform's embedded default into `dir`.
pub async fn backup(settings: &Settings, db: &DatabaseConnection, dir: &Path) -> anyhow::Result<Manifest> {
    sqlite_file(settings)?;
    let store = local_store(settings)?;
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!("the database is not SQLite");
    }
    empty_dir(dir)?;
    let target = dir.join(DATABASE);
    let path = target.to_str().context("the backup directory's path is not UTF-8")?.to_owned();
    db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [path.into()]))
        .await
        .context("copying the database failed")?;
    let database_bytes = std::fs::metadata(&target)?.len();
    let objects_dir = dir.join(OBJECTS);
    let (objects, object_bytes) =
        tokio::task::spawn_blocking(move || copy_tree(&store, &objects_dir)).await.context("copy task")??;
    let manifest = Manifest {
        format: 1,
        created_at: chrono::Utc::now().to_rfc3339(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database_bytes,
        objects,
        object_bytes,
    };
    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

/// Brings a backup back into the settings' data dir, which must not hold a
/// database or objects yet (so a running platform is never overwritten).
pub fn restore(settings: &Settings, dir: &Path) -> anyhow::Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(dir.join(MANIFEST))
            .with_context(|| format!("{} has no {MANIFEST}: not a backup, or an unfinished one", dir.display()))?,
    )
    .context("the backup's manifest cannot be read")?;
    if manifest.format != 1 {
        bail!("backup format {} is not known to this version", manifest.format);
    }
    let database = sqlite_file(settings)?;
    let store = local_store(settings)?;
    if database.exists() {
        bail!("{} already exists: restore into a new data dir (or move the database away first)", database.display());
    }
    if store.exists()
        && std::fs::read_dir(&store)?
            .any(|e| e.is_ok_and(|e| !IN_PROGRESS.iter().any(|p| e.file_name() == *p) && e.file_name() != ".meta"))
    {
        bail!("{} already holds objects: restore into a new data dir", store.display());
    }
    if let Some(parent) = database.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(dir.join(DATABASE), &database).context("copying the database back failed")?;
    copy_tree(&dir.join(OBJECTS), &store)?;
    Ok(manifest)
}
