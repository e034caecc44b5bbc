//! Certificates (结业证书) of party classes (issue 25): issued at
//! graduation with serials numbered per issuing org and year and a random
//! part; the PDF for the holder and the class's managers only; revocation
//! and reissue under the same serial; public verification that shows a
//! masked name and nothing else, limited per client address across app
//! servers; the student's own view of a class and the branch report.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::ok;
use crate::helpers::{expect_error, Client, Db, TestApp, BRANCH_1};
use crate::on_both_databases;

/// A class of branch 1 with nothing required, so every student may
/// graduate at once with full marks; answers its id.
async fn open_class(app: &TestApp, o: &Client, name: &str) -> i64 {
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "name": name, "term_from": "2026-09-01",
        "term_to": "2026-12-31", "teachers": [app.person_id("organizer").await], "required_hours": 0,
        "weights": { "exam": 70, "essays": 20, "attendance": 10 }, "thresholds": { "excellent": 90, "pass": 60 } });
    let r = o.post("/api/v1/classes", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Names member2 (张红) a candidate, so a class may enrol her.
async fn make_candidate(app: &TestApp, o: &Client) {
    let member2 = app.person_id("member2").await;
    let r = o
        .post(&format!("/api/v1/people/{member2}/milestones"), json!({ "standing": "candidate", "on": "2026-01-05" }))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// The activist (赵进步) and member2 (张红, a candidate by now) graduate
/// from a new class; answers the class id.
async fn graduated_class(app: &TestApp, o: &Client, name: &str) -> i64 {
    let class = open_class(app, o, name).await;
    let (activist, member2) = (app.person_id("activist").await, app.person_id("member2").await);
    ok(o.post(&format!("/api/v1/classes/{class}/students"), json!({ "people": [activist, member2] })).await).await;
    ok(o.post(&format!("/api/v1/classes/{class}/graduates"), json!({ "people": [activist, member2] })).await).await;
    class
}

fn serial_parts(serial: &str) -> (String, String, String, String) {
    let parts: Vec<&str> = serial.split('-').collect();
    assert_eq!(parts.len(), 4, "{serial}");
    (parts[0].into(), parts[1].into(), parts[2].into(), parts[3].into())
}

on_both_databases! {
    async fn graduates_get_certificates_numbered_per_issuer_and_year_each_with_a_random_part(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        make_candidate(&app, &o).await;
        let class = graduated_class(&app, &o, "2026年第二期入党积极分子培训班").await;
        let list = ok(o.get(&format!("/api/v1/classes/{class}/certificates")).await).await;
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 2, "{list:?}");
        let branch = app.org_id(BRANCH_1).await;
        let year = chrono::Utc::now().format("%Y").to_string();
        let mut randoms = Vec::new();
        for (i, c) in list.iter().enumerate() {
            let (prefix, issuer, number, random) = serial_parts(c["serial"].as_str().unwrap());
            assert_eq!((prefix, issuer, number), (format!("DX{year}"), branch.to_string(), format!("{:04}", i + 1)));
            assert_eq!(random.len(), 10);
            randoms.push(random);
            assert_eq!(c["edition"], 1);
            assert_eq!(c["issuer_name"], "第一党支部");
        }
        assert_ne!(randoms[0], randoms[1]);
        // Confirming again changes nothing: same serials, same edition.
        let activist = app.person_id("activist").await;
        ok(o.post(&format!("/api/v1/classes/{class}/graduates"), json!({ "people": [activist] })).await).await;
        let again = ok(o.get(&format!("/api/v1/classes/{class}/certificates")).await).await;
        assert_eq!(again.as_array().unwrap(), &list);
        // The same issuer's next class in the year goes on counting.
        let second = graduated_class(&app, &o, "2026年第三期入党积极分子培训班").await;
        let next = ok(o.get(&format!("/api/v1/classes/{second}/certificates")).await).await;
        let numbers: Vec<String> = next.as_array().unwrap().iter().map(|c| serial_parts(c["serial"].as_str().unwrap()).2).collect();
        assert_eq!(numbers, ["0003", "0004"]);

        // The holder downloads theirs: a small PDF with their name and serial.
        let a = app.login("activist").await;
        let mine = ok(a.get("/api/v1/me/certificates").await).await;
        let mine = mine.as_array().unwrap();
        assert_eq!(mine.len(), 2);
        let cert = mine.iter().find(|c| c["class_id"] == class).unwrap().clone();
        assert_eq!(cert["name"], "赵进步");
        let r = a.get(cert["pdf_url"].as_str().unwrap()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let pdf = r.bytes().await.unwrap();
        assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.pdf"), &pdf).unwrap();
        let out = std::process::Command::new("pdftotext").arg(dir.path().join("c.pdf")).arg("-").output().expect("pdftotext");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("赵进步") && text.contains(cert["serial"].as_str().unwrap()), "{text}");

        // Nobody else: another student, a member, an organizer elsewhere.
        let other = list.iter().find(|c| c["person_id"] != activist).unwrap();
        let url = other["pdf_url"].as_str().unwrap();
        expect_error(a.get(url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("member").await.get(url).await, StatusCode::NOT_FOUND, "not_found").await;
        let o2 = app.login("organizer2").await;
        expect_error(o2.get(url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o2.get(&format!("/api/v1/classes/{class}/certificates")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(a.get(&format!("/api/v1/classes/{class}/certificates")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get(url).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        // The organizer of the class may download any of them.
        assert_eq!(o.get(url).await.status(), StatusCode::OK);
    }

    async fn a_revoked_certificate_is_shown_revoked_and_reissuing_keeps_its_serial(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        make_candidate(&app, &o).await;
        let class = graduated_class(&app, &o, "2026年第二期入党积极分子培训班").await;
        let activist = app.person_id("activist").await;
        let list = ok(o.get(&format!("/api/v1/classes/{class}/certificates")).await).await;
        let cert = list.as_array().unwrap().iter().find(|c| c["person_id"] == activist).unwrap().clone();
        let (id, serial) = (cert["id"].as_i64().unwrap(), cert["serial"].as_str().unwrap().to_owned());

        // Anyone, without logging in, learns exactly this much.
        let public = app.anonymous().await;
        let v = ok(public.get(&format!("/api/v1/verify/{}", serial.to_lowercase())).await).await;
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["class_name", "issued_on", "issuer_name", "masked_name", "revoked_on", "serial", "state", "term_from", "term_to"]);
        assert_eq!((v["state"].as_str(), v["masked_name"].as_str()), (Some("valid"), Some("赵*步")));
        assert_eq!(v["class_name"], "2026年第二期入党积极分子培训班");

        // Revoking needs a reason, and the class's organizers.
        let revoke = format!("/api/v1/certificates/{id}/revoke");
        expect_error(o.post(&revoke, json!({ "reason": "  " })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(app.login("organizer2").await.post(&revoke, json!({ "reason": "x" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("activist").await.post(&revoke, json!({ "reason": "x" })).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.login("member").await.post(&revoke, json!({ "reason": "x" })).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.number("SELECT COUNT(*) FROM certificates WHERE revoked_at_ms IS NOT NULL").await, 0);
        let revoked = ok(o.post(&revoke, json!({ "reason": "学时记录有误" })).await).await;
        assert_eq!(revoked["revoked"]["reason"], "学时记录有误");
        expect_error(o.post(&revoke, json!({ "reason": "again" })).await, StatusCode::CONFLICT, "conflict").await;
        let v = ok(public.get(&format!("/api/v1/verify/{serial}")).await).await;
        assert_eq!(v["state"], "revoked");
        assert!(v["revoked_on"].is_string());
        assert!(!v.to_string().contains("学时记录有误"), "the reason is not public: {v}");
        expect_error(app.login("activist").await.get(cert["pdf_url"].as_str().unwrap()).await, StatusCode::CONFLICT, "conflict").await;
        // The 学习档案 lists it, revoked.
        let archive = ok(o.get(&format!("/api/v1/reports?kind=person&person_id={activist}")).await).await;
        let listed = &archive["report"]["classes"][0]["certificate"];
        assert_eq!((listed["serial"].as_str(), listed["revoked"].as_bool()), (Some(serial.as_str()), Some(true)), "{archive}");
        let csv = o.get(&format!("/api/v1/reports?kind=person&person_id={activist}&format=csv")).await.text().await.unwrap();
        assert!(csv.contains(&format!("{serial}（已撤销）")), "{csv}");

        // Issued again: the same serial, a new edition, valid again.
        let reissue = format!("/api/v1/certificates/{id}/reissue");
        expect_error(app.login("organizer2").await.post(&reissue, json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
        let again = ok(o.post(&reissue, json!({})).await).await;
        assert_eq!((again["serial"].as_str(), again["edition"].as_i64()), (Some(serial.as_str()), Some(2)));
        assert!(again["revoked"].is_null());
        assert_eq!(ok(public.get(&format!("/api/v1/verify/{serial}")).await).await["state"], "valid");
        assert_eq!(app.count("certificates").await, 2);
    }

    async fn a_student_sees_their_own_standing_in_a_class_and_a_branch_sees_its_students(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let class = open_class(&app, &o, "2026年第二期入党积极分子培训班").await;
        let activist = app.person_id("activist").await;
        ok(o.post(&format!("/api/v1/classes/{class}/students"), json!({ "people": [activist] })).await).await;
        let a = app.login("activist").await;
        let mine = ok(a.get(&format!("/api/v1/me/classes/{class}")).await).await;
        assert_eq!(mine["class"]["name"], "2026年第二期入党积极分子培训班");
        assert_eq!(mine["report"]["students"].as_array().unwrap().len(), 1);
        assert_eq!(mine["report"]["students"][0]["name"], "赵进步");
        assert!(mine["certificate"].is_null());
        expect_error(app.login("member").await.get(&format!("/api/v1/me/classes/{class}")).await, StatusCode::NOT_FOUND, "not_found").await;

        let branch = app.org_id(BRANCH_1).await;
        let url = format!("/api/v1/orgs/{branch}/class-students");
        let report = ok(o.get(&url).await).await;
        assert_eq!(report["classes"][0]["students"][0]["name"], "赵进步", "{report}");
        let csv = o.get(&format!("{url}?format=csv")).await.text().await.unwrap();
        assert!(csv.lines().any(|l| l.starts_with("2026年第二期入党积极分子培训班,赵进步")), "{csv}");
        expect_error(app.login("organizer2").await.get(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(a.get(&url).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get(&url).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
}

/// Guessing serials from one address stops after a few misses, on every app
/// server alike; another address is not held up. Behind a load balancer the
/// address comes from its `X-Forwarded-For`.
async fn enumeration_is_rate_limited(kind: Db) {
    let app = TestApp::spawn_with(kind, |s| {
        s.client_ip_source = axum_client_ip::ClientIpSource::RightmostXForwardedFor;
    })
    .await;
    let o = app.login("organizer").await;
    make_candidate(&app, &o).await;
    let class = graduated_class(&app, &o, "2026年第二期入党积极分子培训班").await;
    let list = ok(o.get(&format!("/api/v1/classes/{class}/certificates")).await).await;
    let serial = list[0]["serial"].as_str().unwrap().to_owned();
    let peer = app.anonymous().await.on(&app.spawn_peer().await);
    let public = app.anonymous().await;
    let from =
        |c: &Client, ip: &str, path: &str| c.request(reqwest::Method::GET, path).header("x-forwarded-for", ip).send();
    let (prefix, issuer, _, random) = serial_parts(&serial);
    for n in 0..10 {
        let guess = format!("/api/v1/verify/{prefix}-{issuer}-{:04}-{random}", 100 + n);
        let client = if n % 2 == 0 { &public } else { &peer };
        assert_eq!(from(client, "203.0.113.7", &guess).await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    let r = from(&public, "203.0.113.7", &format!("/api/v1/verify/{serial}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    let r = from(&peer, "203.0.113.7", &format!("/api/v1/verify/{serial}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = from(&public, "203.0.113.8", &format!("/api/v1/verify/{serial}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Hostile serials are misses like any other, never errors.
    for bad in ["..%2F..%2Fetc%2Fpasswd", "%00", &"Z".repeat(300), "%E5%BC%A0%E4%B8%89"] {
        let r = from(&public, "198.51.100.1", &format!("/api/v1/verify/{bad}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn enumeration_is_rate_limited_sqlite() {
    enumeration_is_rate_limited(Db::Sqlite).await;
}

#[tokio::test]
async fn enumeration_is_rate_limited_postgres() {
    enumeration_is_rate_limited(Db::Postgres).await;
}
