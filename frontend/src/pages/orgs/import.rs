//! Roster import: uploads a CSV or XLSX file to the REST endpoint
//! `POST /api/v1/people/import?dry_run=…` (multipart field `file`, header
//! `X-CSRF-Token`) and shows the returned `ImportReport` as a table.
//!
//! Files do not fit server functions' form encoding, hence `fetch`. Without
//! JavaScript the form still posts the file (with a `csrf_token` field) and
//! the browser shows the JSON answer.

use courses::directory::{ImportOutcome, ImportReport};
use courses::Lang;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::i18n::{import_summary, outcome_title, Text};
use crate::lang::use_lang;

/// The REST endpoint that imports rosters.
const IMPORT_URL: &str = "/api/v1/people/import";

/// The import form and, after an upload, its report.
#[component]
pub(super) fn ImportSection(csrf: String) -> impl IntoView {
    let lang = use_lang();
    let file_input = NodeRef::<html::Input>::new();
    let dry_run_input = NodeRef::<html::Input>::new();
    let pending = RwSignal::new(false);
    // The report, or the message explaining why there is none.
    let result = RwSignal::new(None::<Result<ImportReport, String>>);

    let token = csrf.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let dry_run = dry_run_input.get_untracked().map(|i| i.checked()).unwrap_or(false);
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|files| files.get(0));
        let Some(file) = file else {
            result.set(Some(Err(Text::ChooseFileFirst.get(lang).to_owned())));
            return;
        };
        pending.set(true);
        let token = token.clone();
        leptos::task::spawn_local(async move {
            let outcome = upload(file, dry_run, &token, lang).await;
            result.set(Some(outcome));
            pending.set(false);
        });
    };

    view! {
        <section class="card import-card" id="import-section">
            <h2>{Text::ImportHeading.get(lang)}</h2>
            <p class="muted small">{Text::ImportHelp.get(lang)}</p>
            <form
                id="import-form"
                method="post"
                action=IMPORT_URL
                enctype="multipart/form-data"
                on:submit=on_submit
            >
                <input type="hidden" name="csrf_token" value=csrf />
                <label>
                    {Text::ImportFile.get(lang)}
                    <input
                        type="file"
                        name="file"
                        id="import-file"
                        required
                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        node_ref=file_input
                    />
                </label>
                <label class="check">
                    <input type="checkbox" name="dry_run" id="import-dry-run" value="true" node_ref=dry_run_input />
                    {Text::DryRun.get(lang)}
                </label>
                <button type="submit" id="import-submit" disabled=move || pending.get()>
                    {move || if pending.get() { Text::ImportRunning.get(lang) } else { Text::ImportSubmit.get(lang) }}
                </button>
            </form>
            {move || {
                result
                    .get()
                    .map(|result| {
                        view! {
                            <div id="import-report" aria-live="polite">
                                {match result {
                                    Ok(report) => Either::Left(view! { <ReportTable report /> }),
                                    Err(message) => {
                                        Either::Right(view! { <p class="notice error" role="alert">{message}</p> })
                                    }
                                }}
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// The totals and one row per line of the file.
#[component]
fn ReportTable(report: ImportReport) -> impl IntoView {
    let lang = use_lang();
    let shows_passwords = report.rows.iter().any(|r| r.initial_password.is_some());
    let summary =
        import_summary(report.dry_run, report.created, report.updated, report.unchanged, report.rejected, lang);
    let rows = report
        .rows
        .into_iter()
        .map(|row| {
            view! {
                <tr class=outcome_class(row.outcome) data-outcome=outcome_code(row.outcome)>
                    <td class="num">{row.line}</td>
                    <td class="login">{row.login.unwrap_or_default()}</td>
                    <td>{outcome_title(row.outcome, lang)}</td>
                    <td>{row.message.unwrap_or_default()}</td>
                    <td>
                        <code class="secret">{row.initial_password.unwrap_or_default()}</code>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="notice" class:success=report.rejected == 0 role="status">{summary}</p>
        {shows_passwords.then(|| view! { <p class="notice warning small">{Text::InitialPasswordWarning.get(lang)}</p> })}
        <div class="table-scroll">
            <table class="report">
                <thead>
                    <tr>
                        <th>{Text::ColLine.get(lang)}</th>
                        <th>{Text::ColLogin.get(lang)}</th>
                        <th>{Text::ColOutcome.get(lang)}</th>
                        <th>{Text::ColMessage.get(lang)}</th>
                        <th>{Text::ColInitialPassword.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn outcome_code(outcome: ImportOutcome) -> &'static str {
    match outcome {
        ImportOutcome::Created => "created",
        ImportOutcome::Updated => "updated",
        ImportOutcome::Unchanged => "unchanged",
        ImportOutcome::Rejected => "rejected",
    }
}

fn outcome_class(outcome: ImportOutcome) -> &'static str {
    match outcome {
        ImportOutcome::Rejected => "rejected",
        _ => "",
    }
}

/// Sends the file; the answer is the report or a message to show.
#[cfg(feature = "hydrate")]
async fn upload(file: web_sys::File, dry_run: bool, csrf: &str, lang: Lang) -> Result<ImportReport, String> {
    crate::pages::media::transport::post_file(&format!("{IMPORT_URL}?dry_run={dry_run}"), &file, csrf, lang).await
}

/// Submitting only happens in the browser.
#[cfg(not(feature = "hydrate"))]
async fn upload(_file: web_sys::File, _dry_run: bool, _csrf: &str, lang: Lang) -> Result<ImportReport, String> {
    use courses::i18n::{ErrorCode, Localize};
    Err(ErrorCode::Unavailable.localize(lang))
}
