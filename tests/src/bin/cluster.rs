//! `scripts/cluster`: the production shape on this machine (PostgreSQL,
//! three Garage nodes, two app servers, two workers, nginx), with demo
//! data, until Ctrl-C, which stops everything it started.

use dangxiao_tests::cluster::Cluster;

/// The demo accounts `serve --demo` creates (README, "Quick start").
const LOGINS: [(&str, &str); 8] = [
    ("admin", "系统管理员"),
    ("organizer", "王书记 (第一党支部)"),
    ("member", "李学习 (第一党小组)"),
    ("member2", "张红 (第一党支部)"),
    ("activist", "赵进步 (入党积极分子)"),
    ("organizer2", "陈书记 (第二党支部)"),
    ("member3", "刘青 (第二党支部)"),
    ("teacher", "周老师"),
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cluster = Cluster::start_with(2, 2, &[("DANGXIAO_DEMO_COURSE", "true")])?;
    println!("\n  dangxiao (cluster) is running at {}/", cluster.base);
    println!(
        "  nginx → 2 app servers ({}), 2 workers, PostgreSQL on port {},",
        cluster.app_list(),
        cluster.postgres.port
    );
    println!("  Garage: 3 nodes, replication factor 3, S3 through nginx at {}", cluster.s3);
    println!("  Demo logins (password for all: dangxiao-demo):");
    for (login, who) in LOGINS {
        println!("    {login:<11} {who}");
    }
    println!("  The demo course appears once the workers have processed its media. Ctrl-C stops everything.\n");
    tokio::signal::ctrl_c().await?;
    println!("stopping the cluster");
    drop(cluster);
    Ok(())
}
