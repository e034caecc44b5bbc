//! An app server dies (issue 27): nginx sends its members to the other one;
//! their sessions stay valid (sessions live in the database, not in a
//! server) and their study goes on: heartbeats, the lesson page and its
//! media keep being answered.

use dangxiao_tests::api::Api;
use dangxiao_tests::cluster::Cluster;
use serde_json::json;

const PASSWORD: &str = "dangxiao-demo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_keep_studying_through_nginx_when_an_app_server_is_killed() {
    let mut cluster = Cluster::start(2, 0).expect("cluster");
    let admin = Api::login(&cluster.base, "admin", PASSWORD).await.expect("login");
    let org = admin.my_org().await.expect("org");
    let course = admin.post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习" })).await.expect("course");
    let id = course["id"].as_i64().unwrap();
    let lesson = admin
        .post(
            &format!("/api/v1/courses/{id}/lessons"),
            json!({ "title": "第一章", "article": "学习党章。".repeat(300) }),
        )
        .await
        .expect("lesson")["id"]
        .as_i64()
        .unwrap();
    admin.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await.expect("publish");

    let mut members = Vec::new();
    for login in ["member", "member2", "organizer", "member3"] {
        let api = Api::login(&cluster.base, login, PASSWORD).await.expect("login through nginx");
        let opened = api.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await.expect("open");
        members.push((api, opened["session_id"].as_str().unwrap().to_owned()));
    }
    let beat = |session: &str, seq: u32| {
        json!({ "session_id": session, "lesson_id": lesson, "seq": seq, "position": 0.1, "visible": true,
                "visible_seconds": 0.05 })
    };
    for (api, session) in &members {
        for seq in 1..=5 {
            api.post("/api/v1/heartbeats", beat(session, seq)).await.expect("heartbeat");
        }
    }

    cluster.apps[0].kill_hard();
    // Every request of every member is answered, by the server left.
    for (api, session) in &members {
        for seq in 6..=15 {
            let ack = api.post("/api/v1/heartbeats", beat(session, seq)).await.expect("heartbeat after the kill");
            assert_eq!(ack["verdict"], "accepted", "{ack}");
        }
        let page = api.get(&format!("/api/v1/lessons/{lesson}")).await.expect("the lesson page after the kill");
        assert!(page["article"]["html"].as_str().unwrap_or_default().contains("学习党章"), "{page}");
        api.get("/api/v1/me").await.expect("the session is still valid");
    }
    let progress = members[0].0.get(&format!("/api/v1/lessons/{lesson}/progress")).await.expect("progress");
    assert!(progress.is_object(), "{progress}");
}
