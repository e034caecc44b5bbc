//! The `dangxiao` binary: settings errors, migrations and admin commands.

use std::process::{Command, Output};

fn dangxiao(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dangxiao"));
    cmd.args(args).current_dir(dir).env("DANGXIAO_DATA_DIR", dir.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run dangxiao")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn an_invalid_listen_address_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = dangxiao(dir.path(), &["serve"], &[("DANGXIAO_LISTEN", "port eighty")]);
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(msg.contains("`listen`") && msg.contains("DANGXIAO_LISTEN"), "{msg}");
    assert_eq!(msg.lines().filter(|l| l.starts_with("error")).count(), 1, "{msg}");
}

#[test]
fn s3_storage_without_credentials_names_the_missing_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = dangxiao(dir.path(), &["migrate"], &[("DANGXIAO_STORAGE", "s3"), ("DANGXIAO_S3_BUCKET", "b")]);
    assert!(!out.status.success());
    assert!(text(&out).contains("DANGXIAO_S3_ACCESS_KEY_ID"), "{}", text(&out));
    let out = dangxiao(dir.path(), &["migrate"], &[("DANGXIAO_STORAGE", "ftp")]);
    assert!(text(&out).contains("`storage`"), "{}", text(&out));
}

#[test]
fn a_missing_config_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dangxiao(dir.path(), &["--config", "nope.toml", "migrate"], &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("nope.toml"), "{}", text(&out));
}

#[test]
fn migrate_then_admin_commands_set_up_an_organization() {
    let dir = tempfile::tempdir().unwrap();
    let out = dangxiao(dir.path(), &["migrate"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.path().join("data/dangxiao.db").exists());

    let out = dangxiao(
        dir.path(),
        &["admin", "create-user", "--login", "boss", "--name", "管理员", "--org-path", "某党委", "--role", "admin"],
        &[],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("dangxiao admin create-org"), "{}", text(&out));

    let out = dangxiao(dir.path(), &["admin", "create-org", "某党委/第一党支部", "--kind", "branch"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let out = dangxiao(
        dir.path(),
        &["admin", "create-user", "--login", "boss", "--name", "管理员", "--org-path", "某党委", "--role", "admin"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("initial password"), "{}", text(&out));

    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "姓名,登录名,组织路径,身份\n甲,13500000001,某党委/第一党支部,党员\n乙,13500000002,某党委/不存在,党员\n",
    )
    .unwrap();
    let out = dangxiao(dir.path(), &["admin", "import-members", roster.to_str().unwrap(), "--lang", "en"], &[]);
    let msg = text(&out);
    assert_eq!(out.status.code(), Some(2), "rejected rows give exit code 2: {msg}");
    assert!(
        msg.contains("created 1") && msg.contains("rejected 1") && msg.contains("There is no organization"),
        "{msg}"
    );
    let out = dangxiao(dir.path(), &["admin", "import-members", roster.to_str().unwrap()], &[]);
    assert!(text(&out).contains("unchanged 1"), "{}", text(&out));
}

#[test]
fn migrations_apply_to_postgres_too() {
    let Ok(admin_url) = std::env::var("DANGXIAO_TEST_DATABASE_URL") else {
        panic!("DANGXIAO_TEST_DATABASE_URL is not set; run the tests with scripts/test");
    };
    let db = format!("dx_cli_{}", uuid::Uuid::new_v4().simple());
    let psql = Command::new("psql")
        .args([admin_url.as_str(), "-qc", &format!("CREATE DATABASE {db}")])
        .output()
        .expect("psql");
    assert!(psql.status.success(), "{}", text(&psql));
    let url = format!("{}/{db}", admin_url.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let out = dangxiao(dir.path(), &["migrate"], &[("DANGXIAO_DATABASE_URL", url.as_str())]);
    assert!(out.status.success(), "{}", text(&out));
    // Twice is a no-op.
    let out = dangxiao(dir.path(), &["migrate"], &[("DANGXIAO_DATABASE_URL", url.as_str())]);
    assert!(out.status.success(), "{}", text(&out));
}
