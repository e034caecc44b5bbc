//! The figures organizers read (issue 22, "Organizer views"): the 年度学时
//! report has a row for a node's own people, in JSON and CSV; what 应学人次
//! counts; one assignment per course and target; a member told of a new
//! make-up task or assignment at once; names in pinyin order in every list
//! of people; and /orgs counting a node's whole subtree.
//!
//! The demo tree: 第一党支部 has organizer (王书记), member2 (张红), activist
//! (赵进步) and, in its 第一党小组, member (李学习); 第二党支部 has organizer2
//! (陈书记) and member3 (刘青); 机关党总支 has nobody of its own.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::courses::{article_lesson, new_course, ok, publish};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1};
use crate::on_both_databases;
use crate::reports::{day, report};

const GENERAL: &str = "示范市委党校党委/机关党总支";

/// A published course of `org` with one article lesson; (course, lesson).
async fn course(app: &TestApp, c: &Client, org: &str, title: &str, more: Value) -> (i64, i64) {
    let course = new_course(app, c, org, title, more).await;
    let lesson = article_lesson(c, course, "第一讲", "## 学习党章\n\n认真学习。").await;
    publish(c, course).await;
    (course, lesson)
}

fn assignment(org: i64, course: i64, target: Value, due_on: &str) -> Value {
    json!({ "org_id": org, "course_id": course, "target": target, "due_on": due_on })
}

async fn notifications(c: &Client) -> Vec<Value> {
    ok(c.get("/api/v1/me/notifications").await).await["items"].as_array().expect("items").clone()
}

fn of_kind<'a>(list: &'a [Value], kind: &str) -> Vec<&'a Value> {
    list.iter().filter(|n| n["kind"] == kind).collect()
}

/// A party lecture of branch 1 held yesterday, made up within `days`, with
/// `absent` absent and everyone else present.
async fn lecture(app: &TestApp, o: &Client, lesson: i64, days: u32, absent: &[&str]) -> Value {
    let mut attendance = Vec::new();
    for login in ["organizer", "member", "member2", "activist"] {
        let status = if absent.contains(&login) { "absent" } else { "present" };
        attendance.push(json!({ "person_id": app.person_id(login).await, "status": status }));
    }
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "kind": "party_lecture", "held_on": day(-1),
                       "topic": "学习新党章", "lesson_ids": [lesson], "makeup_days": days, "attendance": attendance });
    ok(o.post("/api/v1/meetings", body).await).await
}

/// The names in a list, in the order given.
fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|p| p[field].as_str().expect("a name").to_owned()).collect()
}

const PINYIN: [&str; 5] = ["阿明", "陈六", "李四", "王五", "张三"];

on_both_databases! {
    async fn the_hours_report_has_a_row_for_the_nodes_own_people_in_json_and_csv(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;

        let r = report(&o, "kind=hours").await;

        // 王书记, 张红 and 赵进步 sit in 第一党支部 itself, 李学习 in its 第一党小组.
        assert_eq!(r["total"]["people"], 4, "{r}");
        let children = r["children"].as_array().expect("children");
        assert_eq!((children.len(), children[0]["org"]["name"].as_str(), children[0]["people"].as_u64()),
                   (1, Some("第一党小组"), Some(1)), "{r}");
        assert_eq!((r["own"]["org"]["name"].as_str(), r["own"]["people"].as_u64()), (Some("第一党支部"), Some(3)), "{r}");
        let listed: u64 = children.iter().map(|c| c["people"].as_u64().unwrap()).sum::<u64>() + r["own"]["people"].as_u64().unwrap();
        assert_eq!(listed, 4, "every person counted in the total has a row");
        // A node without people of its own has no such row.
        let general = report(&app.login("admin").await, &format!("kind=hours&org_id={}", app.org_id(GENERAL).await)).await;
        assert!(general["own"].is_null(), "{general}");

        let csv = o.get("/api/v1/reports?kind=hours&format=csv").await;
        assert_eq!(csv.status(), StatusCode::OK);
        let csv = csv.text().await.expect("csv");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert!(lines.iter().any(|l| l.starts_with("第一党小组,1,")), "{csv}");
        assert!(lines.iter().any(|l| l.starts_with("第一党支部（本级）,3,")), "{csv}");
        assert!(lines.last().is_some_and(|l| l.starts_with("合计,4,")), "{csv}");
    }

    async fn assigned_counts_assignments_only_as_the_filter_says(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        // A 必修 course for the whole branch, not assigned yet.
        let (required, _) = course(&app, &o, BRANCH_1, "必修课", json!({ "required": true })).await;

        let before = report(&o, &format!("kind=course&course_id={required}")).await;
        assert_eq!(before["total"]["counts"]["assigned"], 0, "应学人次 counts assignments, which the label says: {before}");

        let body = assignment(app.org_id(BRANCH_1).await, required, json!({ "orgs": [app.org_id(BRANCH_1).await] }), &day(30));
        ok(o.post("/api/v1/assignments", body).await).await;
        let after = report(&o, &format!("kind=course&course_id={required}")).await;
        assert_eq!(after["total"]["counts"]["assigned"], 4, "{after}");
        assert_eq!(report(&o, "kind=org").await["total"]["counts"]["assigned"], 4);
    }

    async fn assigning_the_same_course_to_the_same_people_twice_is_refused(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, _) = course(&app, &o, BRANCH_1, "党章学习", json!({})).await;
        let branch = app.org_id(BRANCH_1).await;
        let target = json!({ "orgs": [branch], "roles": [], "standings": [], "people": [] });
        let first = ok(o.post("/api/v1/assignments", assignment(branch, course_id, target.clone(), &day(20))).await).await;
        let (assignments, members) = (app.count("assignments").await, app.count("assignment_members").await);
        let notes = app.count("notifications").await;

        // Again, with another due day and the target written differently.
        let again = json!({ "orgs": [branch, branch], "people": [] });
        let r = o.post("/api/v1/assignments", assignment(branch, course_id, again, &day(40))).await;

        let body = expect_error(r, StatusCode::CONFLICT, "conflict").await;
        let message = body["message"].as_str().unwrap();
        assert!(message.contains("已把这门课程指派给相同的学习对象") && message.contains(&day(20)) && message.contains("修改截止日期"), "{message}");
        let mut english = app.login("organizer").await;
        english.lang = Some("en");
        let r = english.post("/api/v1/assignments", assignment(branch, course_id, target.clone(), &day(40))).await;
        let body = expect_error(r, StatusCode::CONFLICT, "conflict").await;
        assert!(body["message"].as_str().unwrap().contains("already assigned this course to the same people"), "{body}");
        // Nothing was written: no assignment, member, record mark or notification.
        assert_eq!((app.count("assignments").await, app.count("assignment_members").await), (assignments, members));
        assert_eq!(app.count("notifications").await, notes);
        let list = ok(o.get("/api/v1/assignments").await).await;
        let items = list.as_array().or_else(|| list["items"].as_array()).expect("a list");
        assert_eq!(items.len(), 1, "{list}");
        assert_eq!(items[0]["id"], first["id"]);

        // Other people, or the same people by another node, are another assignment.
        let one = json!({ "people": [app.person_id("member").await] });
        ok(o.post("/api/v1/assignments", assignment(branch, course_id, one, &day(20))).await).await;
        let group = app.org_id(crate::courses::GROUP_1).await;
        ok(o.post("/api/v1/assignments", assignment(group, course_id, json!({ "orgs": [group] }), &day(20))).await).await;

        // Two requests at once: the unique index lets one in.
        let (course_2, _) = course(&app, &o, BRANCH_1, "党史学习", json!({})).await;
        let body = assignment(branch, course_2, target.clone(), &day(20));
        let (a, b) = tokio::join!(o.post("/api/v1/assignments", body.clone()), o.post("/api/v1/assignments", body.clone()));
        let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409]);
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM assignments WHERE course_id = {course_2}")).await, 1);
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM assignment_members am JOIN assignments a ON a.id = am.assignment_id WHERE a.course_id = {course_2}")).await, 4);
    }

    async fn a_member_is_told_of_a_new_make_up_task_and_assignment_at_once(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, lesson) = course(&app, &o, BRANCH_1, "组织生活", json!({})).await;
        let (member, activist) = (app.login("member").await, app.login("activist").await);

        let m = lecture(&app, &o, lesson, 14, &["member"]).await;

        let notes = of_kind(&notifications(&member).await, "makeup_new").into_iter().cloned().collect::<Vec<_>>();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0]["title"], "新的补学任务");
        assert_eq!(notes[0]["link"], format!("/lessons/{lesson}"));
        assert!(notes[0]["body"].as_str().unwrap().contains(&format!("须在 {} 前完成补学", day(13))), "{notes:?}");
        assert!(notifications(&activist).await.is_empty(), "present: no task");
        // Marked absent afterwards: told then; marked present and absent again: not twice.
        let id = m["id"].as_i64().unwrap();
        let activist_id = app.person_id("activist").await;
        let set = |status: &str| json!({ "attendance": [{ "person_id": activist_id, "status": status }] });
        ok(o.put(&format!("/api/v1/meetings/{id}/attendance"), set("absent")).await).await;
        assert_eq!(of_kind(&notifications(&activist).await, "makeup_new").len(), 1);
        ok(o.put(&format!("/api/v1/meetings/{id}/attendance"), set("present")).await).await;
        ok(o.put(&format!("/api/v1/meetings/{id}/attendance"), set("absent")).await).await;
        assert_eq!(of_kind(&notifications(&activist).await, "makeup_new").len(), 1, "one task, one notice");

        // An assignment: each person it names is told.
        let body = assignment(app.org_id(BRANCH_1).await, course_id, json!({ "people": [app.person_id("member").await, activist_id] }), &day(20));
        ok(o.post("/api/v1/assignments", body).await).await;
        let notes = notifications(&member).await;
        let assigned = of_kind(&notes, "assignment_new");
        assert_eq!(assigned.len(), 1, "{notes:?}");
        assert_eq!(assigned[0]["title"], "新的学习任务");
        assert_eq!(assigned[0]["link"], format!("/courses/{course_id}"));
        assert!(assigned[0]["body"].as_str().unwrap().contains(&format!("须在 {} 前学完", day(20))), "{assigned:?}");
        assert_eq!(of_kind(&notifications(&activist).await, "assignment_new").len(), 1);
        assert!(notifications(&app.login("member2").await).await.is_empty(), "not assigned, not absent");
        // The due-soon sweep later does not repeat the "new" notice.
        let swept = dangxiao_server::services::reminders::sweep(&app.db, &app.state.settings).await.expect("sweep");
        assert_eq!(swept.notified, 0, "nothing is due soon yet");
    }

    async fn a_person_who_joins_an_assignment_later_is_told_at_once(app) {
        let app: TestApp = app;
        let (admin, o) = (app.login("admin").await, app.login("organizer").await);
        let (course_id, _) = course(&app, &o, BRANCH_1, "党章学习", json!({})).await;
        let branch = app.org_id(BRANCH_1).await;
        ok(o.post("/api/v1/assignments", assignment(branch, course_id, json!({ "orgs": [branch] }), &day(20))).await).await;
        let told = |list: &[Value]| of_kind(list, "assignment_new").iter().filter(|n| n["link"] == format!("/courses/{course_id}")).count();

        // Created by hand inside the target: told at once, not at the due-soon sweep.
        let r = o.post("/api/v1/people", json!({ "login": "late.one", "name": "晚到", "role": "member", "org_id": branch })).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let late = r.json::<Value>().await.expect("person")["person"]["id"].as_i64().expect("id");
        let told_by_sql = |id: i64| format!("SELECT COUNT(*) AS n FROM notifications WHERE person_id = {id} AND kind = 'assignment_new' AND payload LIKE '%\"course_id\":{course_id}%'");
        assert_eq!(app.number(&told_by_sql(late)).await, 1);
        // Moved in from another branch: told.
        let member3 = app.person_id("member3").await;
        ok(admin.patch(&format!("/api/v1/people/{member3}"), json!({ "org_id": branch })).await).await;
        assert_eq!(told(&notifications(&app.login("member3").await).await), 1);
        // Moved away and back: one task, one notice.
        ok(admin.patch(&format!("/api/v1/people/{member3}"), json!({ "org_id": app.org_id(crate::helpers::BRANCH_2).await })).await).await;
        ok(admin.patch(&format!("/api/v1/people/{member3}"), json!({ "org_id": branch })).await).await;
        assert_eq!(told(&notifications(&app.login("member3").await).await), 1);
        // Imported into the target: told.
        let csv = format!("姓名,登录名,组织路径,身份\n导入者,13600000009,{BRANCH_1},党员\n");
        let report: Value = o.upload("/api/v1/people/import", "roster.csv", csv.into_bytes()).await.json().await.expect("report");
        assert_eq!(report["created"], 1, "{report}");
        let imported = app.person_id("13600000009").await;
        assert_eq!(app.number(&told_by_sql(imported)).await, 1);
        // A dry run tells nobody.
        let csv = format!("姓名,登录名,组织路径,身份\n试导入,13600000010,{BRANCH_1},党员\n");
        let notes = app.count("notifications").await;
        let r = o.upload("/api/v1/people/import?dry_run=true", "roster.csv", csv.into_bytes()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(app.count("notifications").await, notes);
    }

    async fn org_nodes_come_out_by_pinyin_and_number_in_reports_and_the_tree(app) {
        let app: TestApp = app;
        let admin = app.login("admin").await;
        let parent = {
            let r = admin.post("/api/v1/orgs", json!({ "parent_id": app.org_id(GENERAL).await, "name": "排序总支", "kind": "general_branch" })).await;
            assert!(r.status().is_success(), "{}", r.status());
            r.json::<Value>().await.expect("org")["id"].as_i64().expect("id")
        };
        // By code point: 张 李 王 阿 陈, and 第十 before 第二; pinyin alone
        // would put 第二 (èr) after 第十 (shí) too.
        let wanted = ["阿支部", "陈支部", "第二支部", "第十支部", "李支部", "王支部", "张支部"];
        for name in ["张支部", "第十支部", "李支部", "王支部", "第二支部", "阿支部", "陈支部"] {
            let r = admin.post("/api/v1/orgs", json!({ "parent_id": parent, "name": name, "kind": "branch" })).await;
            assert!(r.status().is_success(), "{}", r.status());
        }
        let child_names = |r: &Value| r["children"].as_array().expect("children").iter()
            .map(|c| c["org"]["name"].as_str().expect("name").to_owned()).collect::<Vec<_>>();
        assert_eq!(child_names(&report(&admin, &format!("kind=org&org_id={parent}")).await), wanted);
        assert_eq!(child_names(&report(&admin, &format!("kind=hours&org_id={parent}")).await), wanted);
        let tree = ok(admin.get("/api/v1/orgs").await).await;
        let in_tree: Vec<&str> = tree.as_array().expect("nodes").iter()
            .filter(|n| n["parent_id"] == parent).map(|n| n["name"].as_str().expect("name")).collect();
        assert_eq!(in_tree, wanted, "{tree}");
    }

    async fn names_come_out_in_pinyin_order_in_every_list_of_people(app) {
        let app: TestApp = app;
        let admin = app.login("admin").await;
        let r = admin.post("/api/v1/orgs", json!({ "parent_id": app.org_id(GENERAL).await, "name": "排序支部", "kind": "branch" })).await;
        assert!(r.status().is_success(), "{}", r.status());
        let node = r.json::<Value>().await.expect("org")["id"].as_i64().expect("id");
        // By code point these read 张 李 王 阿 陈 (U+5F20 U+674E U+738B U+963F U+9648).
        let mut ids = Vec::new();
        for (i, name) in ["张三", "李四", "王五", "陈六", "阿明"].into_iter().enumerate() {
            let r = admin.post("/api/v1/people", json!({ "login": format!("sort{i}"), "name": name, "role": "member", "org_id": node })).await;
            assert_eq!(r.status(), StatusCode::CREATED);
            ids.push(r.json::<Value>().await.expect("person")["person"]["id"].as_i64().expect("id"));
        }

        // People page.
        assert_eq!(names(&ok(admin.get(&format!("/api/v1/orgs/{node}/people")).await).await, "name"), PINYIN);
        // Meeting attendance.
        let (course_id, lesson) = {
            let c = new_course(&app, &admin, &format!("{GENERAL}/排序支部"), "排序课程", json!({})).await;
            let l = article_lesson(&admin, c, "第一讲", "正文").await;
            publish(&admin, c).await;
            (c, l)
        };
        let attendance: Vec<Value> = ids.iter().map(|id| json!({ "person_id": id, "status": "absent" })).collect();
        let m = ok(admin.post("/api/v1/meetings", json!({ "org_id": node, "kind": "party_lecture", "held_on": day(-1),
            "topic": "排序", "lesson_ids": [lesson], "makeup_days": 14, "attendance": attendance })).await).await;
        assert_eq!(names(&m["attendance"], "name"), PINYIN);
        assert_eq!(names(&ok(admin.get(&format!("/api/v1/meetings/{}", m["id"])).await).await["attendance"], "name"), PINYIN);
        // Assignment page.
        let a = ok(admin.post("/api/v1/assignments", assignment(node, course_id, json!({ "orgs": [node] }), &day(20))).await).await;
        assert_eq!(names(&a["members"], "name"), PINYIN);
        // Reports: members, and overdue (all equally overdue: by name).
        assert_eq!(names(&report(&admin, &format!("kind=members&org_id={node}")).await["rows"], "name"), PINYIN);
        let past = format!("UPDATE meetings SET makeup_deadline = '{}' WHERE id = {}", day(-1), m["id"]);
        app.db.execute_unprepared(&past).await.expect("deadline passed");
        assert_eq!(names(&report(&admin, &format!("kind=overdue&org_id={node}")).await["rows"], "name"), PINYIN);
    }

    async fn the_org_tree_counts_everyone_below_a_node(app) {
        let app: TestApp = app;
        let tree = ok(app.login("admin").await.get("/api/v1/orgs").await).await;
        let count = |tree: &Value, name: &str| {
            let n = tree.as_array().expect("nodes").iter().find(|n| n["name"] == name).unwrap_or_else(|| panic!("{name}: {tree}"));
            (n["subtree_people_count"].as_u64(), n["people_count"].as_u64())
        };

        assert_eq!(count(&tree, "机关党总支"), (Some(6), Some(0)), "{tree}");
        assert_eq!(count(&tree, "第一党支部"), (Some(4), Some(3)));
        assert_eq!(count(&tree, "第一党小组"), (Some(1), Some(1)));
        assert_eq!(count(&tree, "示范市委党校党委"), (Some(app.count("people").await as u64), Some(1)));
        // An organizer's tree and a single node say the same.
        let mine = ok(app.login("organizer").await.get("/api/v1/orgs").await).await;
        assert_eq!(count(&mine, "第一党支部"), (Some(4), Some(3)));
        let general = ok(app.login("admin").await.get(&format!("/api/v1/orgs/{}", app.org_id(GENERAL).await)).await).await;
        assert_eq!((general["subtree_people_count"].as_u64(), general["people_count"].as_u64()), (Some(6), Some(0)));
        // Follows a new person at once.
        let o = app.login("organizer").await;
        let r = o.post("/api/v1/people", json!({ "login": "new.one", "name": "新成员", "role": "member", "org_id": app.org_id(crate::courses::GROUP_1).await })).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let tree = ok(app.login("admin").await.get("/api/v1/orgs").await).await;
        assert_eq!(count(&tree, "机关党总支"), (Some(7), Some(0)));
        assert_eq!(count(&tree, "第一党支部"), (Some(5), Some(3)));
    }
}

on_both_databases! {
    async fn the_unique_target_migration_keeps_earlier_duplicates_and_goes_down_and_up(app) {
        use migrations::{Migrator, MigratorTrait};
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, _) = course(&app, &o, BRANCH_1, "党章学习", json!({})).await;
        let branch = app.org_id(BRANCH_1).await;
        // One connection of its own for the schema changes: on SQLite a
        // pooled connection may still read the schema from before the down
        // (a snapshot of the WAL), and take the dropped column for present.
        let url = app.state.settings.effective_database_url();
        let one = sea_orm::Database::connect(sea_orm::ConnectOptions::new(url).max_connections(1).to_owned()).await.expect("connect");
        // Down to before the unique index (and any migration after it).
        let applied = Migrator::get_applied_migrations(&one).await.expect("applied");
        let names: Vec<String> = applied.iter().map(|m| m.name().to_owned()).collect();
        let at = names.iter().position(|n| n.contains("assignments_unique_target")).expect("the migration ran");
        Migrator::down(&one, Some((names.len() - at) as u32)).await.expect("down");
        // Two identical assignments, as could be made before.
        let target = json!({ "orgs": [branch], "roles": [], "standings": [], "people": [] }).to_string();
        for _ in 0..2 {
            one.execute_unprepared(&format!("INSERT INTO assignments (course_id, org_id, target, due_on, created_at, updated_at) \
                VALUES ({course_id}, {branch}, '{target}', '{}', 0, 0)", day(9))).await.expect("insert");
        }

        Migrator::up(&one, None).await.expect("up again");
        one.close().await.expect("close");

        // The oldest keeps the key, the later duplicate stays without one.
        assert_eq!(app.number("SELECT COUNT(*) AS n FROM assignments WHERE target_key IS NOT NULL").await, 1);
        assert_eq!(app.number("SELECT MIN(id) AS n FROM assignments WHERE target_key IS NOT NULL").await,
                   app.number("SELECT MIN(id) AS n FROM assignments").await);
        // And the API refuses a third, naming the existing due day.
        let r = o.post("/api/v1/assignments", json!({ "org_id": branch, "course_id": course_id,
            "target": { "orgs": [branch] }, "due_on": day(30) })).await;
        let body = expect_error(r, StatusCode::CONFLICT, "conflict").await;
        assert!(body["message"].as_str().unwrap().contains(&day(9)), "{body}");
    }
}
