//! `/reports`: the report the URL's query names (completion by default, of
//! the caller's own node), tabs for the other kinds and for the unfinished
//! list, a course filter, the exports and "save a snapshot".

use crate::loaded::page_data;
use courses::directory::Me;
use courses::report::{Format, ReportData, ReportKind, ReportQuery};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{get_report, take_snapshot};
use super::tables::report_view;
use super::unfinished::unfinished_view;
use super::{export_href, page_href, refusal, unfinished_href};
use crate::api::{list_courses, AppError};
use crate::components::notice::{ActionStatus, ErrorNotice};
use crate::i18n::reports::ReportText as T;
use crate::lang::use_lang;
use crate::pages::not_found::NotFoundPage;
use crate::session::require_me;

/// The report query in the page's URL.
fn url_query() -> Memo<ReportQuery> {
    let params = use_query_map();
    Memo::new(move |_| {
        let p = params.read();
        let id = |name: &str| p.get(name).and_then(|v| v.parse::<i64>().ok()).filter(|v| *v > 0);
        let kind = p.get("kind").and_then(|k| ReportKind::parse(&k)).unwrap_or(ReportKind::Org);
        let mut q = ReportQuery::of(kind);
        q.org_id = id("org_id");
        q.course_id = id("course_id");
        q.assignment_id = id("assignment_id");
        q.year = p.get("year").and_then(|v| v.parse().ok());
        if q.kind == ReportKind::Org && q.course_id.is_some() {
            q.kind = ReportKind::Course;
        }
        q
    })
}

/// Whether the URL asks for the unfinished list (of the members report).
fn url_unfinished(query: Memo<ReportQuery>) -> Memo<bool> {
    let params = use_query_map();
    Memo::new(move |_| {
        query.read().kind == ReportKind::Members && params.read().get("only").as_deref() == Some("unfinished")
    })
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let query = url_query();
    let unfinished = url_unfinished(query);
    let report = page_data(move || query.get(), get_report);
    view! {
        <Title text=T::Title.get(lang) />
        <h1>{T::Title.get(lang)}</h1>
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <Tabs query unfinished />
                <CourseFilter query unfinished />
                <Suspense fallback=|| ()>
                    {move || {
                        let me = me.clone();
                        Suspend::new(async move {
                            let q = query.get_untracked();
                            let kind = q.kind.as_str();
                            match report.await {
                                Ok(ReportData::Members(r)) if unfinished.get_untracked() => view! {
                                    <section class="card report-body" data-kind="unfinished">
                                        {unfinished_view(r, Some(me.csrf_token.clone()), lang)}
                                    </section>
                                }
                                .into_any(),
                                Ok(data) => view! {
                                    <Actions query=q.clone() me />
                                    <section class="card report-body" data-kind=kind>
                                        {report_view(data, Some(q), lang)}
                                    </section>
                                }
                                .into_any(),
                                Err(error) if error.0.code == "not_found" => view! { <NotFoundPage /> }.into_any(),
                                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        })}
    }
}

/// One link per kind of report, keeping the node and the course; the
/// unfinished list second, beside the completion it explains.
#[component]
fn Tabs(query: Memo<ReportQuery>, unfinished: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let tab = move |kind: ReportKind, text: T, id: &'static str| {
        let href = move || {
            let mut q = query.get();
            q.kind = if kind == ReportKind::Org && q.course_id.is_some() { ReportKind::Course } else { kind };
            page_href(&q)
        };
        let current = move || {
            let k = query.get().kind;
            (k == kind && !unfinished.get())
                || (kind == ReportKind::Org && matches!(k, ReportKind::Course | ReportKind::Assignment))
        };
        view! {
            <a id=id href=href class="tab" class:current=current aria-current=move || current().then_some("page")>
                {text.get(lang)}
            </a>
        }
    };
    view! {
        <nav class="tabs" id="report-tabs">
            {tab(ReportKind::Org, T::TabCompletion, "tab-completion")}
            <a
                id="tab-unfinished"
                href=move || unfinished_href(&query.get())
                class="tab"
                class:current=move || unfinished.get()
                aria-current=move || unfinished.get().then_some("page")
            >
                {T::TabUnfinished.get(lang)}
            </a>
            {tab(ReportKind::Members, T::TabMembers, "tab-members")}
            {tab(ReportKind::Overdue, T::TabOverdue, "tab-overdue")}
            {tab(ReportKind::Hours, T::TabHours, "tab-hours")}
            <a id="tab-snapshots" class="tab" href="/reports/snapshots">{T::TabSnapshots.get(lang)}</a>
        </nav>
    }
}

/// A GET form narrowing completion and members to one course.
#[component]
fn CourseFilter(query: Memo<ReportQuery>, unfinished: Memo<bool>) -> impl IntoView {
    let lang = use_lang();
    let courses = page_data(|| (), |_| list_courses(String::new(), String::new(), String::new()));
    let shown = move || matches!(query.get().kind, ReportKind::Org | ReportKind::Course | ReportKind::Members);
    view! {
        <Show when=shown>
            <form method="get" action="/reports" class="report-filter" id="course-filter">
                <input type="hidden" name="kind" value=move || {
                    if query.get().kind == ReportKind::Members { "members" } else { "org" }
                } />
                {move || query.get().org_id.map(|id| view! { <input type="hidden" name="org_id" value=id /> })}
                {move || unfinished.get().then(|| view! { <input type="hidden" name="only" value="unfinished" /> })}
                <label>
                    {T::Course.get(lang)} " "
                    <select name="course_id" id="course-select">
                        <option value="">{T::AllCourses.get(lang)}</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let chosen = query.get_untracked().course_id;
                                courses.await.unwrap_or_default().into_iter().map(|c| {
                                    view! { <option value=c.id selected=chosen == Some(c.id)>{c.title}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </label>
                <button type="submit" class="small">{T::Show.get(lang)}</button>
            </form>
            // What 应学人次 counts, where the filter's choice is made.
            <p class="muted small" id="assigned-hint">{T::AssignedHint.get(lang)}</p>
        </Show>
    }
}

/// Exports and "save a snapshot" of the report on the page (an island).
#[island(lazy)]
fn Actions(query: ReportQuery, me: Me) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(me.csrf_token);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    let busy = RwSignal::new(false);
    let frozen = StoredValue::new(query.clone());
    let snapshot = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = take_snapshot(csrf.get_value(), frozen.get_value()).await;
            outcome.try_set(Some(result.map(|_| T::SnapshotTaken.get(lang).to_owned())));
            busy.try_set(false);
        });
    };
    view! {
        <div class="report-actions">
            <a class="button secondary small" id="export-csv" href=export_href(&query, Format::Csv) download="">
                {T::ExportCsv.get(lang)}
            </a>
            <a class="button secondary small" id="export-xlsx" href=export_href(&query, Format::Xlsx) download="">
                {T::ExportXlsx.get(lang)}
            </a>
            <button type="button" class="small" id="take-snapshot" disabled=move || busy.get() on:click=snapshot>
                {T::TakeSnapshot.get(lang)}
            </button>
            <ActionStatus outcome=outcome />
        </div>
    }
}
