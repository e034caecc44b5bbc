//! `/manage/banks/{id}`: a question bank for its organizers: the import of
//! a file (with a dry run and a row-by-row report), the exports, and the
//! questions with their keys.
//!
//! The file goes to `POST /api/v1/question-banks/{id}/import?dry_run=…`
//! (multipart field `file`, header `X-CSRF-Token`) through `fetch`.

use courses::directory::Me;
use courses::exam::bank::{BankQuestion, BankSummary, QuestionImportOutcome, QuestionImportReport};
use courses::exam::import::Location;
use courses::Lang;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::bank_questions;
use crate::components::notice::ErrorNotice;
use crate::i18n::exam_admin::AdminText as T;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn BankPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id();
    let data = page_data(move || id.get(), bank_questions);
    view! {
        {require_me(move |me: Me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match data.await {
                                Ok((bank, questions)) => Either::Left(view! {
                                    <Title text=bank.name.clone() />
                                    <nav class="crumbs"><a href="/manage/exams">{T::BackToExams.get(lang)}</a></nav>
                                    <h1 id="bank-name">{bank.name.clone()}</h1>
                                    <p class="muted">{bank.org_name.clone()} " · " {T::Questions.get(lang)} " " {bank.questions}</p>
                                    <ImportForm bank=bank.id csrf />
                                    <Exports bank=bank.clone() lang />
                                    <QuestionList questions lang />
                                }),
                                Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                            }
                        })
                    }}
                </Suspense>
            }
        })}
    }
}

#[component]
fn Exports(bank: BankSummary, lang: Lang) -> impl IntoView {
    let link = move |format: &'static str, label: &'static str| {
        view! { <a href=format!("/api/v1/question-banks/{}/export?format={format}", bank.id) rel="external" download>{label}</a> }
    };
    view! {
        <p class="downloads" id="bank-exports">
            {T::Export.get(lang)} ": " {link("xlsx", "Excel")} " · " {link("csv", "CSV")} " · " {link("gift", "GIFT")} " · "
            {link("aiken", "Aiken")}
        </p>
    }
}

#[component]
fn QuestionList(questions: Vec<BankQuestion>, lang: Lang) -> impl IntoView {
    view! {
        <section class="card" id="bank-questions">
            <h2>{T::Questions.get(lang)}</h2>
            <ol class="bank-questions">
                {questions
                    .into_iter()
                    .map(|q| {
                        let cats = q.data.categories.join("、");
                        view! {
                            <li data-question=q.id>
                                <span class="tag">{q.kind.name(lang)}</span>
                                " "
                                {q.data.stem.clone()}
                                <span class="muted small">" · " {cats}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// Where a question of the file is, as a person would look for it.
fn place(location: &Location, lang: Lang) -> String {
    match (location, lang) {
        (Location::Row { row }, Lang::Zh) => format!("第 {row} 行"),
        (Location::Row { row }, Lang::En) => format!("Row {row}"),
        (Location::Question { number, line, .. }, Lang::Zh) => format!("第 {number} 题（第 {line} 行）"),
        (Location::Question { number, line, .. }, Lang::En) => format!("Question {number} (line {line})"),
    }
}

/// The import form and, after an upload, its report.
#[island]
fn ImportForm(bank: i64, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let file_input = NodeRef::<html::Input>::new();
    let dry_run_input = NodeRef::<html::Input>::new();
    let pending = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<QuestionImportReport, String>>);
    let csrf = StoredValue::new(csrf);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let dry_run = dry_run_input.get_untracked().map(|i| i.checked()).unwrap_or(false);
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|files| files.get(0));
        let Some(file) = file else {
            result.set(Some(Err(T::ChooseFile.get(lang).to_owned())));
            return;
        };
        pending.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/question-banks/{bank}/import?dry_run={dry_run}");
            let outcome = crate::pages::media::transport::post_file(&url, &file, &csrf.get_value(), lang).await;
            result.set(Some(outcome));
            pending.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, dry_run, csrf, bank);
    };
    let report = move || {
        result.get().map(|r| match r {
            Err(message) => Either::Left(view! { <p class="notice error" role="alert">{message}</p> }),
            Ok(report) => Either::Right(view! { <Report report lang /> }),
        })
    };
    view! {
        <section class="card import-card" id="bank-import">
            <h2>{T::Import.get(lang)}</h2>
            <p class="muted small">{T::ImportHelp.get(lang)}</p>
            <form id="bank-import-form" on:submit=submit>
                <input type="file" id="bank-file" name="file" accept=".csv,.xlsx,.gift,.txt" node_ref=file_input />
                <label class="check">
                    <input type="checkbox" id="bank-dry-run" checked node_ref=dry_run_input />
                    {T::DryRun.get(lang)}
                </label>
                <button type="submit" id="bank-upload" disabled=move || pending.get()>
                    {move || if pending.get() { T::Uploading } else { T::Upload }.get(lang)}
                </button>
            </form>
            {report}
        </section>
    }
}

#[component]
fn Report(report: QuestionImportReport, lang: Lang) -> impl IntoView {
    let rejected: Vec<_> =
        report.rows.iter().filter(|r| r.outcome == QuestionImportOutcome::Rejected).cloned().collect();
    view! {
        <p class="notice" id="bank-import-summary" role="status" data-dry-run=report.dry_run.to_string()>
            {T::ImportCreated.get(lang)} " " {report.created} " · " {T::ImportUnchanged.get(lang)} " " {report.unchanged}
            " · " {T::ImportRejected.get(lang)} " " {report.rejected}
        </p>
        <ul class="import-problems" id="bank-import-problems">
            {rejected
                .into_iter()
                .map(|r| view! { <li><strong>{place(&r.location, lang)}</strong> "：" {r.messages.join("；")}</li> })
                .collect_view()}
        </ul>
    }
}
