//! Two workers, one queue (issue 27): twenty uploads queue twenty jobs;
//! two `dangxiao worker` processes take them from the PostgreSQL queue, and
//! each job is done exactly once, each media item published once.

use dangxiao_tests::api::Api;
use dangxiao_tests::cluster::Cluster;
use dangxiao_tests::garage;
use sea_orm::{ConnectionTrait, Database, Statement};

const PASSWORD: &str = "dangxiao-demo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_do_each_of_twenty_jobs_exactly_once() {
    let cluster = Cluster::start(1, 2).expect("cluster");
    let api = Api::login(&cluster.base, "organizer", PASSWORD).await.expect("login");
    let org = api.my_org().await.expect("org");
    let clip = std::fs::read(dangxiao_tests::workspace_root().join("tests/fixtures/media/video-1s.mp4")).unwrap();
    let mut ids = Vec::new();
    for i in 0..20 {
        let m = api.upload(org, &format!("片段{i}.mp4"), &clip).await.expect("upload");
        ids.push(m["id"].as_i64().unwrap());
    }
    for id in &ids {
        api.wait_processed(*id).await.expect("processed");
    }

    let db = Database::connect(&cluster.postgres.url()).await.expect("connect");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT state, attempts, worker FROM jobs WHERE kind = 'process_media'".to_owned(),
        ))
        .await
        .expect("jobs");
    assert_eq!(rows.len(), 20);
    let mut workers = std::collections::HashSet::new();
    for r in &rows {
        assert_eq!(r.try_get::<String>("", "state").unwrap(), "succeeded");
        assert_eq!(r.try_get::<i32>("", "attempts").unwrap(), 1, "each job claimed once");
        if let Ok(Some(w)) = r.try_get::<Option<String>>("", "worker") {
            workers.insert(w);
        }
    }
    println!("jobs done by {} workers", workers.len());
    for id in &ids {
        let keys = garage::list(&cluster.s3, &format!("media/{id}/")).await.expect("list");
        let attempts: std::collections::HashSet<&str> =
            keys.iter().filter_map(|k| k.strip_prefix(&format!("media/{id}/"))?.split('/').next()).collect();
        assert_eq!(attempts.len(), 1, "media {id} published once: {attempts:?}");
    }
}
