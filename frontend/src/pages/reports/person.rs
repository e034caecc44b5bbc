//! `/reports/people/{id}`: a member's 学习档案, for whoever manages their
//! node and for the member themself.

use crate::loaded::page_data;
use courses::report::{Format, ReportKind, ReportQuery};
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_report;
use super::export_href;
use super::tables::report_view;
use crate::components::notice::ErrorNotice;
use crate::i18n::reports::ReportText as T;
use crate::lang::use_lang;
use crate::pages::not_found::NotFoundPage;
use crate::session::require_me;

#[component]
pub fn PersonReportPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let query = Memo::new(move |_| {
        let mut q = ReportQuery::of(ReportKind::Person);
        q.person_id = Some(id.get());
        q
    });
    let report = page_data(move || query.get(), get_report);
    view! {
        <Title text=T::Archive.get(lang) />
        <h1>{T::Archive.get(lang)}</h1>
        {require_me(move |_| {
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let q = query.get_untracked();
                        match report.await {
                            Ok(data) => view! {
                                <div class="report-actions">
                                    <a class="button secondary small" href=export_href(&q, Format::Xlsx) download="">
                                        {T::ExportXlsx.get(lang)}
                                    </a>
                                </div>
                                <section class="card report-body" data-kind="person">{report_view(data, None, lang)}</section>
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
