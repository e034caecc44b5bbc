//! `/reports/snapshots`: the snapshots the caller may read, newest first;
//! `/reports/snapshots/{id}`: one, shown as it was frozen, with downloads.

use crate::loaded::page_data;
use courses::report::SnapshotSummary;
use courses::Lang;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_snapshot, list_snapshots};
use super::refusal;
use super::tables::report_view;
use crate::components::notice::ErrorNotice;
use crate::i18n::reports::ReportText as T;
use crate::lang::use_lang;
use crate::pages::not_found::NotFoundPage;
use crate::session::require_me;

/// `YYYY-MM-DD HH:MM` in the platform's zone (UTC+8) of Unix ms.
fn taken_at(ms: i64) -> String {
    let zone = chrono::FixedOffset::east_opt(8 * 3600);
    match (chrono::DateTime::from_timestamp_millis(ms), zone) {
        (Some(at), Some(zone)) => at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        _ => String::new(),
    }
}

fn reason(s: &SnapshotSummary, lang: Lang) -> &'static str {
    if s.reason == "deadline" {
        T::ReasonDeadline.get(lang)
    } else {
        T::ReasonManual.get(lang)
    }
}

#[component]
pub fn SnapshotsPage() -> impl IntoView {
    let lang = use_lang();
    let list = page_data(|| (), |_| list_snapshots());
    view! {
        <Title text=T::TabSnapshots.get(lang) />
        <h1>{T::TabSnapshots.get(lang)}</h1>
        <p><a href="/reports">{T::Title.get(lang)}</a></p>
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="muted" id="no-snapshots">{T::NoSnapshots.get(lang)}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="snapshot-list" id="snapshots">
                                    {list.into_iter().map(|s| view! {
                                        <li data-snapshot=s.id data-reason=s.reason.clone()>
                                            <a href=format!("/reports/snapshots/{}", s.id)>{s.title.clone()}</a>
                                            <p class="muted">
                                                {taken_at(s.taken_at_ms)} " · " {reason(&s, lang)} " · "
                                                {s.taken_by.clone().unwrap_or_default()}
                                            </p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            }
            .into_any()
        })}
    }
}

#[component]
pub fn SnapshotPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let snapshot = page_data(move || id.get(), get_snapshot);
    view! {
        <Title text=T::SnapshotOf.get(lang) />
        <p><a href="/reports/snapshots">{T::TabSnapshots.get(lang)}</a></p>
        {require_me(move |me| {
            if !me.role.manages_people() {
                return refusal(lang);
            }
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match snapshot.await {
                            Ok((s, data)) => view! {
                                <h1 id="snapshot-title">{s.title.clone()}</h1>
                                <p class="notice" id="frozen-notice">
                                    {T::FrozenNotice.get(lang)} " " {T::TakenAt.get(lang)} ": " {taken_at(s.taken_at_ms)}
                                    " · " {reason(&s, lang)}
                                </p>
                                <div class="report-actions">
                                    <a class="button secondary small" href=format!("/api/v1/reports/snapshots/{}?format=csv", s.id) download="">
                                        {T::ExportCsv.get(lang)}
                                    </a>
                                    <a class="button secondary small" href=format!("/api/v1/reports/snapshots/{}?format=xlsx", s.id) download="">
                                        {T::ExportXlsx.get(lang)}
                                    </a>
                                </div>
                                <section class="card report-body">{report_view(data, None, lang)}</section>
                            }
                            .into_any(),
                            Err(error) if error.0.code == "not_found" => view! { <NotFoundPage /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
            .into_any()
        })}
    }
}
