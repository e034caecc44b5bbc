//! One set of session rules for every entry point: a REST call, a server
//! function (as the UI calls it) and a heartbeat (authenticated in its group
//! commit) each refuse a session that expired, whose person was deleted, or
//! that a password change ended. Each first succeeds with the same session,
//! so a refusal can only come from the check.

use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::helpers::*;
use crate::on_both_databases;
use crate::study::{beat, open, video_course};

#[derive(Clone, Copy)]
enum Entry {
    Rest,
    ServerFunction,
    Heartbeat,
}

/// How the member's session ends behind their client's back.
#[derive(Clone, Copy)]
enum Ending {
    Expired,
    PersonDeleted,
    PasswordChanged,
}

/// What the entry point answers the member's client; for a heartbeat, the
/// `seq`-th of an open playback session.
struct Calls<'a> {
    client: &'a Client,
    lesson: i64,
    session: &'a str,
}

impl Calls<'_> {
    async fn call(&self, entry: Entry, seq: u32) -> Response {
        match entry {
            Entry::Rest => self.client.get("/api/v1/courses").await,
            Entry::ServerFunction => self
                .client
                .http
                .post(format!("{}/api/fn/my_learning", self.client.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("")
                .send()
                .await
                .expect("request"),
            Entry::Heartbeat => {
                self.client.post("/api/v1/heartbeats", beat(self.session, self.lesson, seq, &[], 0.0)).await
            }
        }
    }
}

async fn end(app: &TestApp, ending: Ending) {
    let member = app.person_id("member").await;
    match ending {
        Ending::Expired => {
            let sql = format!("UPDATE sessions SET expires_at = 0 WHERE person_id = {member}");
            sea_orm::ConnectionTrait::execute_unprepared(&app.db, &sql).await.expect("expire");
        }
        Ending::PersonDeleted => {
            let admin = app.login("admin").await;
            let r = admin.delete(&format!("/api/v1/people/{member}")).await;
            assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text().await.unwrap_or_default());
        }
        Ending::PasswordChanged => {
            let elsewhere = app.login("member").await;
            let r = elsewhere
                .put("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "brand-new-pass"}))
                .await;
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
        }
    }
}

async fn is_refused_once(app: &TestApp, entry: Entry, ending: Ending) {
    let (_, lesson) = video_course(app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
    let member = app.login("member").await;
    let session = open(&member, lesson).await;
    let calls = Calls { client: &member, lesson, session: &session };
    let before = calls.call(entry, 1).await;
    assert_eq!(before.status(), StatusCode::OK, "{}", before.text().await.unwrap_or_default());

    end(app, ending).await;

    expect_error(calls.call(entry, 2).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

on_both_databases! {
    async fn rest_refuses_an_expired_session(app) {
        is_refused_once(&app, Entry::Rest, Ending::Expired).await;
    }

    async fn rest_refuses_the_session_of_a_deleted_person(app) {
        is_refused_once(&app, Entry::Rest, Ending::PersonDeleted).await;
    }

    async fn rest_refuses_a_session_ended_by_a_password_change(app) {
        is_refused_once(&app, Entry::Rest, Ending::PasswordChanged).await;
    }

    async fn a_server_function_refuses_an_expired_session(app) {
        is_refused_once(&app, Entry::ServerFunction, Ending::Expired).await;
    }

    async fn a_server_function_refuses_the_session_of_a_deleted_person(app) {
        is_refused_once(&app, Entry::ServerFunction, Ending::PersonDeleted).await;
    }

    async fn a_server_function_refuses_a_session_ended_by_a_password_change(app) {
        is_refused_once(&app, Entry::ServerFunction, Ending::PasswordChanged).await;
    }

    async fn a_heartbeat_refuses_an_expired_session(app) {
        is_refused_once(&app, Entry::Heartbeat, Ending::Expired).await;
    }

    async fn a_heartbeat_refuses_the_session_of_a_deleted_person(app) {
        is_refused_once(&app, Entry::Heartbeat, Ending::PersonDeleted).await;
    }

    async fn a_heartbeat_refuses_a_session_ended_by_a_password_change(app) {
        is_refused_once(&app, Entry::Heartbeat, Ending::PasswordChanged).await;
    }
}
