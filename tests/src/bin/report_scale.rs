//! The report scale benchmark: generates an organization of 2,000 branches
//! and 100,000 members with 50 courses assigned to everyone (5 million
//! member-course records) in the database of a running dangxiao, then
//! times the report API against it.
//!
//! The data goes in as set-based SQL (`INSERT … SELECT` over the generated
//! people and courses), the way a migration from another system would load
//! it: records, assignment members and the per-node counts the roll-up
//! reads, consistent with each other as the server's own refresh would make
//! them. Study progress itself (`lesson_progress`) is not generated: the
//! reports read the records, not the ledger.
//!
//! Then, over HTTP as the demo admin, each report `--runs` times: one
//! course rolled up over the whole organization (`report_course`), the
//! whole organization over all courses (`report_org`), one 党总支's subtree
//! and one branch's members. Prints `key=value` lines: medians and maxima
//! in ms, and the row counts.

use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::seed::{exec, insert_values, organization, OrgShape};
use dangxiao_tests::timing::median_and_max;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    base_url: String,
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value = "admin")]
    admin: String,
    #[arg(long, default_value = "dangxiao-demo")]
    password: String,
    /// 党总支 under the root; each gets `--branches-per-general` branches.
    #[arg(long, default_value_t = 20)]
    generals: i64,
    #[arg(long, default_value_t = 100)]
    branches_per_general: i64,
    #[arg(long, default_value_t = 50)]
    members_per_branch: i64,
    #[arg(long, default_value_t = 50)]
    courses: i64,
    #[arg(long, default_value_t = 15)]
    runs: usize,
}

/// First id of every generated row, far above what the demo created.
const BASE_ID: i64 = 1_000_000;
/// The year of the generated study hours (asked for by the hours reports).
const STUDY_YEAR: i32 = 2026;

async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(2).min_connections(1).sqlx_logging(false);
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::from_secs(60)));
    }
    Database::connect(opts).await.context("cannot connect to the database")
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned())).await?.context("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

struct Generated {
    root: i64,
    general: i64,
    branch: i64,
    courses: Vec<i64>,
    people: i64,
    records: i64,
}

async fn generate(db: &DatabaseConnection, args: &Args, root: i64, root_path: &str) -> anyhow::Result<Generated> {
    let now = 1_790_000_000_i64;
    let shape = OrgShape {
        generals: args.generals,
        branches_per_general: args.branches_per_general,
        members_per_branch: args.members_per_branch,
    };
    organization(db, root, root_path, shape, BASE_ID, now).await?;
    let mut courses = Vec::new();
    let mut lessons = Vec::new();
    let mut assignments = Vec::new();
    let course_ids: Vec<i64> = (0..args.courses).map(|c| BASE_ID + c).collect();
    for (i, &c) in course_ids.iter().enumerate() {
        courses
            .push(format!("({c}, {root}, '规模课程{i:02}', '生成的课程', '{{}}', TRUE, {now}, {now}, TRUE, 2.0, '')"));
        for l in 0..4 {
            lessons.push(format!(
                "({}, {c}, {}, '第{}讲', 'article', 0, 0, '学习', 2, {now})",
                BASE_ID + (c - BASE_ID) * 4 + l,
                l + 1,
                l + 1
            ));
        }
        // Half the courses were due in the spring (now overdue where not
        // done), half are due at the end of the year.
        let due = if i % 2 == 0 { "2026-03-31" } else { "2026-12-31" };
        let target = format!("{{\"orgs\":[{root}],\"roles\":[],\"people\":[]}}");
        assignments.push(format!("({c}, {c}, {root}, '{target}', '{due}', {now}, {now})"));
    }
    insert_values(
        db,
        "INSERT INTO courses (id, org_id, title, summary, rules, published, created_at, updated_at, required, credit_hours, audience)",
        &courses,
    )
    .await?;
    insert_values(
        db,
        "INSERT INTO lessons (id, course_id, position, title, kind, duration_ms, slide_count, article, article_chars, created_at)",
        &lessons,
    )
    .await?;
    insert_values(
        db,
        "INSERT INTO assignments (id, course_id, org_id, target, due_on, created_at, updated_at)",
        &assignments,
    )
    .await?;
    if db.get_database_backend() == DbBackend::Postgres {
        for table in ["courses", "lessons", "assignments"] {
            exec(db, &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
                .await?;
        }
    }
    let generated_people = format!("p.id >= {BASE_ID}");
    let generated_assignments = format!("a.id >= {BASE_ID}");
    exec(
        db,
        &format!(
            "INSERT INTO assignment_members (assignment_id, person_id) SELECT a.id, p.id FROM assignments a \
             CROSS JOIN people p WHERE {generated_assignments} AND {generated_people}"
        ),
    )
    .await?;
    // Half the records completed, a fifth in progress, the rest not started,
    // spread evenly over people and courses.
    let bucket = "((p.id * 7 + a.course_id * 13) % 10)";
    exec(
        db,
        &format!(
            "INSERT INTO course_records (person_id, course_id, org_id, due_on, assigned, lessons_done, lessons_total, \
             started_at_ms, completed_at_ms, updated_at_ms) \
             SELECT p.id, a.course_id, p.org_id, a.due_on, TRUE, \
             CASE WHEN {bucket} < 5 THEN 4 WHEN {bucket} < 7 THEN 2 ELSE 0 END, 4, \
             CASE WHEN {bucket} < 7 THEN {now}000 ELSE NULL END, CASE WHEN {bucket} < 5 THEN {now}000 ELSE NULL END, \
             {now}000 FROM assignments a CROSS JOIN people p WHERE {generated_assignments} AND {generated_people}"
        ),
    )
    .await?;
    exec(
        db,
        &format!(
            "INSERT INTO report_counts (course_id, org_id, due_on, records, assigned, assigned_done, started, completed) \
             SELECT course_id, org_id, COALESCE(due_on, ''), COUNT(*), \
             SUM(CASE WHEN assigned THEN 1 ELSE 0 END), \
             SUM(CASE WHEN assigned AND completed_at_ms IS NOT NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN started_at_ms IS NOT NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN completed_at_ms IS NOT NULL THEN 1 ELSE 0 END) \
             FROM course_records WHERE course_id >= {BASE_ID} GROUP BY course_id, org_id, COALESCE(due_on, '')"
        ),
    )
    .await?;
    // A year of study for everyone: 0 to 59 学时 that count (so some reach
    // the target of 32), a little over the daily cap for some, spread over
    // the months, as the study-hour roll-up holds it.
    exec(
        db,
        &format!(
            "INSERT INTO study_years (person_id, year, credited_ms, counted_ms, \
             m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12) \
             SELECT id, {STUDY_YEAR}, c, h, c / 12, c / 12, c / 12, c / 12, c / 12, c / 12, c / 12, c / 12, c / 12, \
             c / 12, c / 12, c - 11 * (c / 12) FROM (SELECT id, ((id * 37) % 60) * 2700000 AS h, \
             ((id * 37) % 60) * 2700000 + (id % 3) * 600000 AS c FROM people WHERE id >= {BASE_ID}) AS x"
        ),
    )
    .await?;
    exec(db, "ANALYZE").await?;
    Ok(Generated {
        root,
        general: BASE_ID,
        branch: BASE_ID + 1,
        courses: course_ids,
        people: scalar(db, "SELECT COUNT(*) FROM people").await?,
        records: scalar(db, "SELECT COUNT(*) FROM course_records").await?,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = connect(&args.database_url).await?;
    let api = Api::login(&args.base_url, &args.admin, &args.password).await?;
    let root = api.my_org().await?;
    let root_path: String = {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT path FROM orgs WHERE id = {root}"),
            ))
            .await?
            .context("root org")?;
        row.try_get_by_index(0)?
    };
    let started = Instant::now();
    let g = generate(&db, &args, root, &root_path).await?;
    println!("generate_seconds={:.1}", started.elapsed().as_secs_f64());
    println!("people={}", g.people);
    println!("branches={}", args.generals * args.branches_per_general);
    println!("courses={}", g.courses.len());
    println!("course_records={}", g.records);
    let course = g.courses[g.courses.len() / 2];
    let cases = [
        ("report_course", format!("/api/v1/reports?kind=course&org_id={}&course_id={course}", g.root)),
        ("report_org", format!("/api/v1/reports?kind=org&org_id={}", g.root)),
        ("report_general", format!("/api/v1/reports?kind=org&org_id={}", g.general)),
        ("report_branch_members", format!("/api/v1/reports?kind=members&org_id={}", g.branch)),
        ("report_hours_org", format!("/api/v1/reports?kind=hours&org_id={}&year={STUDY_YEAR}", g.root)),
        ("report_hours_general", format!("/api/v1/reports?kind=hours&org_id={}&year={STUDY_YEAR}", g.general)),
    ];
    for (name, path) in cases {
        let (median, max) = median_and_max(&api, &path, args.runs, "report").await?;
        println!("{name}_ms={median:.1}");
        println!("{name}_max_ms={max:.1}");
    }
    Ok(())
}
