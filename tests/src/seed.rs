//! Seeding load generators' people straight into the server's database:
//! members with live login sessions in multi-row INSERTs (argon2 logins
//! for thousands of people would take minutes), and planner statistics as
//! a platform in use has them; a generated organization for the scale
//! benchmarks. Used by `heartbeat-load`, `exam-crunch`, `report-scale` and
//! `notice-scale`.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use rand::RngCore;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait, Value};
use sha2::{Digest, Sha256};

/// Rows per INSERT: 8 columns x 500 stays far below SQLite's 32,766
/// parameters.
const ROWS_PER_INSERT: usize = 500;
/// Login sessions last this long, so the server never extends them (an
/// UPDATE per batch) during a run; the same as its default `session_hours`.
const SESSION_SECONDS: i64 = 12 * 3600;

/// A small pool on the server's database, for seeding and statistics.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(2).min_connections(1).sqlx_logging(false);
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::from_secs(30)));
    }
    Database::connect(opts).await.context("cannot connect to the database")
}

pub fn unix_seconds() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// A learner's login: the cookie value and the CSRF token.
pub struct Login {
    pub token: String,
    pub csrf: String,
}

/// Runs `INSERT INTO {into} VALUES …` for `rows` of `width` values each,
/// `ROWS_PER_INSERT` rows per statement.
async fn insert_rows(
    db: &impl ConnectionTrait,
    into: &str,
    width: usize,
    rows: impl Iterator<Item = Vec<Value>>,
) -> anyhow::Result<()> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut sql = format!("INSERT INTO {into} VALUES ");
        let mut values = Vec::with_capacity(ROWS_PER_INSERT * width);
        for (n, row) in rows.by_ref().take(ROWS_PER_INSERT).enumerate() {
            sql.push_str(if n == 0 { "(" } else { ",(" });
            for c in 0..width {
                let _ = write!(sql, "{}${}", if c == 0 { "" } else { "," }, values.len() + c + 1);
            }
            sql.push(')');
            values.extend(row);
        }
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values))
            .await
            .with_context(|| format!("INSERT INTO {into}"))?;
    }
    Ok(())
}

/// Seeds `count` members in the admin's org (the demo root), each with a
/// live login session, in one transaction; returns their logins.
pub async fn learners(db: &DatabaseConnection, admin: &str, count: usize) -> anyhow::Result<Vec<Login>> {
    let backend = db.get_database_backend();
    let admin_row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT org_id, password_hash FROM people WHERE login = $1",
            [Value::from(admin)],
        ))
        .await?
        .with_context(|| format!("no person with login {admin}"))?;
    let org_id: i64 = admin_row.try_get("", "org_id")?;
    let password_hash: String = admin_row.try_get("", "password_hash")?;
    // A tag per run, so runs against the same database do not collide.
    let prefix = format!("hl-{}-", random_hex(3));
    let now = unix_seconds();

    let txn = db.begin().await?;
    insert_rows(
        &txn,
        "people (login, name, role, org_id, password_hash, must_change_password, created_at, updated_at)",
        8,
        (0..count).map(|i| {
            vec![
                format!("{prefix}{i:05}").into(),
                format!("压测学员{i}").into(),
                "member".into(),
                org_id.into(),
                password_hash.clone().into(),
                false.into(),
                now.into(),
                now.into(),
            ]
        }),
    )
    .await?;
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM people WHERE login LIKE $1 ORDER BY login",
            [Value::from(format!("{prefix}%"))],
        ))
        .await?;
    let ids = rows.iter().map(|r| r.try_get::<i64>("", "id")).collect::<Result<Vec<_>, _>>()?;
    if ids.len() != count {
        bail!("seeded {count} learners but found {}", ids.len());
    }
    let logins = sessions(&txn, &ids).await?;
    txn.commit().await?;
    Ok(logins)
}

/// A live login session for each of `ids`; answers the logins in order.
pub async fn sessions(db: &impl ConnectionTrait, ids: &[i64]) -> anyhow::Result<Vec<Login>> {
    let now = unix_seconds();
    let logins: Vec<Login> = ids.iter().map(|_| Login { token: random_hex(32), csrf: random_hex(32) }).collect();
    insert_rows(
        db,
        "sessions (token_hash, person_id, csrf_token, created_at, expires_at)",
        5,
        ids.iter().zip(&logins).map(|(&id, l)| {
            vec![
                hex::encode(Sha256::digest(l.token.as_bytes())).into(),
                id.into(),
                l.csrf.clone().into(),
                now.into(),
                (now + SESSION_SECONDS).into(),
            ]
        }),
    )
    .await?;
    Ok(logins)
}

/// Runs one statement of SQL text (generated by the scale benchmarks).
pub async fn exec(db: &impl ConnectionTrait, sql: &str) -> anyhow::Result<()> {
    db.execute_unprepared(sql).await.with_context(|| format!("running {}", &sql[..sql.len().min(120)]))?;
    Ok(())
}

/// Multi-row INSERTs of `rows`, each a parenthesized list of literals the
/// benchmark generated itself (numbers and fixed names, nothing from outside).
pub async fn insert_values(db: &impl ConnectionTrait, head: &str, rows: &[String]) -> anyhow::Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        exec(db, &format!("{head} VALUES {}", chunk.join(", "))).await?;
    }
    Ok(())
}

/// The shape of a generated organization.
#[derive(Debug, Clone, Copy)]
pub struct OrgShape {
    /// 党总支 under the root.
    pub generals: i64,
    pub branches_per_general: i64,
    /// People per branch; the first of each is its organizer.
    pub members_per_branch: i64,
}

/// A generated organization: its 党总支 and branches, in creation order.
pub struct Organization {
    pub generals: Vec<i64>,
    pub branches: Vec<i64>,
    /// Ids of the people, from `base_id` on.
    pub people: Vec<i64>,
}

/// Generates `shape` under the root node `root` (at `root_path`): nodes
/// and people with ids from `base_id`, in multi-row INSERTs. The people
/// cannot log in (no password); give them sessions with [`sessions`].
pub async fn organization(
    db: &impl ConnectionTrait,
    root: i64,
    root_path: &str,
    shape: OrgShape,
    base_id: i64,
    now: i64,
) -> anyhow::Result<Organization> {
    let mut orgs = Vec::new();
    let (mut generals, mut branches) = (Vec::new(), Vec::new());
    let mut next = base_id;
    for g in 0..shape.generals {
        let gid = next;
        next += 1;
        let gpath = format!("{root_path}{gid}/");
        orgs.push(format!("({gid}, {root}, '规模总支{g:02}', 'general', '{gpath}', {now})"));
        generals.push(gid);
        for b in 0..shape.branches_per_general {
            let bid = next;
            next += 1;
            orgs.push(format!("({bid}, {gid}, '规模支部{g:02}-{b:03}', 'branch', '{gpath}{bid}/', {now})"));
            branches.push(bid);
        }
    }
    insert_values(db, "INSERT INTO orgs (id, parent_id, name, kind, path, created_at)", &orgs).await?;
    let mut rows = Vec::new();
    let mut people = Vec::new();
    let mut pid = base_id;
    for &b in &branches {
        for m in 0..shape.members_per_branch {
            let role = if m == 0 { "organizer" } else { "member" };
            rows.push(format!(
                "({pid}, 'u{pid}', '学员{pid}', '{role}', {b}, 'not-a-password-hash', FALSE, {now}, {now})"
            ));
            people.push(pid);
            pid += 1;
        }
    }
    insert_values(
        db,
        "INSERT INTO people (id, login, name, role, org_id, password_hash, must_change_password, created_at, updated_at)",
        &rows,
    )
    .await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        for table in ["orgs", "people"] {
            exec(db, &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .await?;
        }
    }
    Ok(Organization { generals, branches, people })
}

/// Refreshes the planner statistics after seeding, as a platform in use has
/// them: PostgreSQL's autovacuum analyzes within a minute (with the
/// statistics of the near-empty tables the server started on, the planner
/// scans all 10,000 logins sequentially for each batch instead of using the
/// primary keys), and on SQLite the server's pooled connections run `PRAGMA
/// optimize` as they are retired (`db::connect`), which samples about 400
/// rows per index as the limit here does.
pub async fn analyze(db: &DatabaseConnection) -> anyhow::Result<()> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "ANALYZE",
        _ => "PRAGMA analysis_limit = 400; ANALYZE",
    };
    db.execute_unprepared(sql).await.context("ANALYZE")?;
    Ok(())
}
