//! The `dangxiao` command line: `serve`, `migrate` and `admin ...`.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use courses::i18n::Localize;
use courses::{Lang, Login, OrgKind, OrgNamePath, Password, PersonName, Role};

use crate::config::Settings;
use crate::services::{
    assignments, demo, demo_course, import, orgs as org_service, passwords, people as people_service, system_actor,
};
use crate::startup::{self, Application};

#[derive(Parser)]
#[command(name = "dangxiao", version, about = "党校 dangxiao: an online party school")]
pub struct Cli {
    /// TOML settings file; DANGXIAO_* environment variables override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (migrates first).
    Serve {
        /// Seed demo organizations and accounts if the database has no people, and print the logins.
        #[arg(long)]
        demo: bool,
    },
    /// Run background jobs (transcoding, slide conversion) without serving
    /// HTTP; start as many as you like on as many machines.
    Worker {
        /// Jobs to run at once in this process.
        #[arg(long, default_value_t = 1)]
        slots: u32,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Administration tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an org node by its name path, creating missing ancestors.
    CreateOrg {
        /// e.g. "市委党校党委/机关党总支/第一党支部"
        path: String,
        /// committee, general_branch, branch or group (ancestors get a kind from their depth).
        #[arg(long, default_value = "branch")]
        kind: String,
    },
    /// Create a person. Prints a generated password unless --password-stdin is given.
    CreateUser {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// Name path of an existing org, e.g. "市委党校党委/第一党支部".
        #[arg(long)]
        org_path: String,
        /// member, activist, organizer or admin.
        #[arg(long)]
        role: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Import members from a CSV or XLSX file (columns: name, login, org_path, role).
    ImportMembers {
        file: PathBuf,
        /// Check and report only.
        #[arg(long)]
        dry_run: bool,
        /// Language of the report: zh-CN or en.
        #[arg(long, default_value = "zh-CN")]
        lang: String,
    },
    /// Copy the embedded default (SQLite and the local object store) into
    /// a new or empty directory, while the platform serves.
    Backup { dir: PathBuf },
    /// Bring a backup back into the configured data dir, which must hold no
    /// database or objects yet.
    Restore { dir: PathBuf },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    crate::telemetry::init(settings.log_format);
    tracing::debug!(?settings, "settings loaded");
    match cli.command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Worker { slots } => worker(settings, slots).await,
        Command::Migrate => {
            startup::state(settings).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin(cmd) => admin(settings, cmd).await,
    }
}

async fn serve(settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    let addr = app.local_addr()?;
    if with_demo {
        let seeded = demo::seed(&app.state().db).await.context("seeding demo data failed")?;
        print_demo(addr, seeded);
        let state = app.state();
        if state.settings.demo_course {
            tokio::spawn(demo_course::seed(state.db.clone(), state.store.clone(), (*state.settings).clone()));
        }
    }
    tracing::info!(%addr, "dangxiao listening");
    app.run_until_stopped().await.context("server error")
}

/// Prints the address and demo logins. Write errors (a closed pipe, say)
/// are ignored: the banner is a courtesy and must never stop the server.
fn print_demo(addr: std::net::SocketAddr, seeded: bool) {
    use std::io::Write;
    let mut out = String::new();
    out.push_str(&format!("\n  dangxiao is running at http://{addr}/\n"));
    if seeded {
        out.push_str(&format!("  Demo data created. Logins (password for all: {}):\n", demo::DEMO_PASSWORD));
    } else {
        out.push_str(&format!(
            "  Existing data kept. Demo logins, if not changed (password: {}):\n",
            demo::DEMO_PASSWORD
        ));
    }
    for (account, path) in demo::accounts() {
        let org: Vec<&str> = path.iter().map(|(n, _)| *n).collect();
        out.push_str(&format!(
            "    {:<11} {:<10} {}  ({})\n",
            account.login,
            account.role.as_str(),
            account.name,
            org.join("/")
        ));
    }
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush());
}

async fn worker(settings: Settings, slots: u32) -> anyhow::Result<()> {
    let state = startup::state(settings).await?;
    let shutdown = tokio_util::sync::CancellationToken::new();
    let handles = startup::spawn_background(&state, slots.max(1), shutdown.clone());
    tracing::info!(slots, "dangxiao worker running");
    startup::shutdown_signal().await;
    shutdown.cancel();
    for h in handles {
        let _ = h.await;
    }
    Ok(())
}

fn kind_for_depth(depth: usize) -> OrgKind {
    match depth {
        0 => OrgKind::Committee,
        1 => OrgKind::GeneralBranch,
        2 => OrgKind::Branch,
        _ => OrgKind::Group,
    }
}

async fn admin(settings: Settings, cmd: AdminCommand) -> anyhow::Result<()> {
    // Before anything opens (and so creates) the database.
    if let AdminCommand::Restore { dir } = &cmd {
        let m = crate::backup::restore(&settings, dir)?;
        println!(
            "restored the backup of {} ({} objects, {} bytes) into {}",
            m.created_at,
            m.objects,
            m.object_bytes,
            settings.data_dir.display()
        );
        return Ok(());
    }
    if let AdminCommand::Backup { dir } = &cmd {
        let db = crate::db::connect(&settings.effective_database_url(), 2).await?;
        let m = crate::backup::backup(&settings, &db, dir).await?;
        println!(
            "backed up into {}: the database ({} bytes) and {} objects ({} bytes)",
            dir.display(),
            m.database_bytes,
            m.objects,
            m.object_bytes
        );
        return Ok(());
    }
    let state = startup::state(settings).await?;
    let db = &state.db;
    let system = system_actor();
    match cmd {
        AdminCommand::CreateOrg { path, kind } => {
            let names = OrgNamePath::parse(&path).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let leaf = OrgKind::parse(&kind).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let n = names.names().len();
            let spec: Vec<(&str, OrgKind)> = names
                .names()
                .iter()
                .enumerate()
                .map(|(i, name)| (name.as_str(), if i + 1 == n { leaf } else { kind_for_depth(i) }))
                .collect();
            let org = org_service::ensure_path(db, &system, &spec).await?;
            println!("org {} ready: {}", org.id, names);
        }
        AdminCommand::CreateUser { login, name, org_path, role, password_stdin } => {
            let login = Login::parse(&login).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let name = PersonName::parse(&name).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let names = OrgNamePath::parse(&org_path).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let Some(org) = org_service::find_by_names(db, &names).await? else {
                bail!("org path `{names}` does not exist; create it first with: dangxiao admin create-org \"{names}\"");
            };
            let (password, generated) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).context("cannot read the password from standard input")?;
                (s.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (passwords::generate(), true)
            };
            let password = Password::parse(&password).map_err(|e| anyhow::anyhow!(e.localize(Lang::En)))?;
            let person = people_service::insert(
                db,
                people_service::NewAccount {
                    login: &login,
                    name: &name,
                    role,
                    standing: courses::Standing::Full,
                    org_id: org.id,
                },
                &password,
                generated,
            )
            .await
            .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
            let today =
                crate::services::meetings::today(&state.settings).map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
            let announced = assignments::sync_person(db, person.id, today)
                .await
                .map_err(|e| anyhow::anyhow!(e.message(Lang::En)))?;
            crate::services::reminders::new_tasks::email(db, &state.settings, announced).await;
            println!("created {} ({}) as {} in {}", person.login, person.name, role.as_str(), names);
            if generated {
                println!("initial password (must be changed at first login): {}", password.expose());
            }
        }
        AdminCommand::ImportMembers { file, dry_run, lang } => {
            let lang = Lang::from_code(&lang);
            let f = std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
            let bytes = crate::services::decode::read_limited(f, state.settings.import_max_bytes)
                .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
            let rows = crate::services::decode::table(&bytes).map_err(|e| anyhow::anyhow!(e.message(lang)))?;
            let report = import::import(db, &state.settings, &system, &rows, dry_run, lang)
                .await
                .map_err(|e| anyhow::anyhow!(e.message(lang)))?;
            for row in &report.rows {
                let outcome = serde_json::to_value(row.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let login = row.login.as_deref().unwrap_or("-");
                let detail = row.message.as_deref().or(row.initial_password.as_deref().map(|_| "")).unwrap_or("");
                match &row.initial_password {
                    Some(pw) => println!("line {:>5}  {:<10} {:<20} initial password: {pw}", row.line, outcome, login),
                    None => println!("line {:>5}  {:<10} {:<20} {detail}", row.line, outcome, login),
                }
            }
            println!(
                "{}created {}, updated {}, unchanged {}, rejected {}",
                if dry_run { "(dry run) " } else { "" },
                report.created,
                report.updated,
                report.unchanged,
                report.rejected
            );
            if report.rejected > 0 {
                std::process::exit(2);
            }
        }
        AdminCommand::Backup { .. } | AdminCommand::Restore { .. } => unreachable!("handled above"),
    }
    Ok(())
}
