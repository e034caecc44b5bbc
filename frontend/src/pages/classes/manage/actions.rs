//! The 班主任's actions on a class page, each a small island: enrol,
//! set written work, review an essay, confirm graduation, revoke or reissue
//! a certificate. After a change the page loads again, so the report shows
//! its effect.

use courses::certificate::{CertificateView, RevokeIn};
use courses::class::{ClassPerson, Enrolment};
use courses::essay::{EssayKind, EssayReview, EssayState, EssayView, NewEssayTask};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::api::AppError;
use crate::components::live::use_live;
use crate::components::notice::ErrorNotice;
use crate::i18n::classes::ClassText as T;
use crate::lang::use_lang;
use crate::pages::classes::api::{
    confirm_graduates, enrol_students, reissue_certificate, review_essay, revoke_certificate, set_essay_task,
};

/// Reloads the page, which shows what the action changed.
fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// Runs `act`; on success the page loads again, on failure `error` says why.
fn run<T: 'static, F>(busy: RwSignal<bool>, error: RwSignal<Option<AppError>>, act: F)
where
    F: std::future::Future<Output = Result<T, AppError>> + 'static,
{
    busy.set(true);
    leptos::task::spawn_local(async move {
        match act.await {
            Ok(_) => reload(),
            Err(e) => {
                error.set(Some(e));
                busy.set(false);
            }
        }
    });
}

/// Ticks people in a list of checkboxes.
fn toggle(chosen: RwSignal<Vec<i64>>, id: i64, on: bool) {
    chosen.update(|v| {
        v.retain(|x| *x != id);
        if on {
            v.push(id);
        }
    });
}

#[island(lazy)]
pub fn EnrolForm(class: i64, eligible: Vec<ClassPerson>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let chosen = RwSignal::new(Vec::<i64>::new());
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let who = Enrolment { people: chosen.get_untracked() };
        run(busy, error, enrol_students(csrf.get_value(), class, who));
    };
    let empty = eligible.is_empty();
    let file_input = NodeRef::<html::Input>::new();
    let import_error = RwSignal::new(None::<String>);
    let import = move |ev: SubmitEvent| {
        ev.prevent_default();
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|files| files.get(0));
        let Some(file) = file else {
            import_error.set(Some(T::ChooseTable.get(lang).to_owned()));
            return;
        };
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/classes/{class}/students/import");
            let sent = crate::pages::media::transport::post_file::<courses::class::ClassView>(
                &url,
                &file,
                &csrf.get_value(),
                lang,
            )
            .await;
            match sent {
                Ok(_) => reload(),
                Err(message) => {
                    import_error.set(Some(message));
                    busy.set(false);
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = file;
    };
    view! {
        <section class="card" id="enrol-section">
        <form class="form" id="enrol" on:submit=submit>
            <h2>{T::Enrol.get(lang)}</h2>
            {empty.then(|| view! { <p class="muted">{T::NobodyToEnrol.get(lang)}</p> })}
            {eligible.into_iter().map(|p| {
                let id = p.id;
                view! {
                    <label class="check">
                        <input type="checkbox" class="enrol-person" data-person=id
                            on:change=move |ev| toggle(chosen, id, event_target_checked(&ev)) />
                        {p.name.clone()} <span class="muted small">" " {p.org_name.clone()} " · " {p.standing.name(lang)}</span>
                    </label>
                }
            }).collect_view()}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            {(!empty).then(|| view! {
                <button type="submit" id="enrol-submit" disabled=move || { busy.get() || !live.get() || chosen.read().is_empty() }>
                    {T::Enrol.get(lang)}
                </button>
            })}
        </form>
        <form class="form" id="enrol-import" on:submit=import>
            <h3>{T::ImportLogins.get(lang)}</h3>
            <p class="muted small">{T::ImportHelp.get(lang)}</p>
            <input type="file" id="enrol-file" accept=".csv,.xlsx" node_ref=file_input />
            <button type="submit" class="secondary" id="enrol-import-submit" disabled=move || busy.get() || !live.get()>
                {T::ImportLogins.get(lang)}
            </button>
            {move || import_error.get().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
        </form>
        </section>
    }
}

#[island(lazy)]
pub fn EssayTaskForm(class: i64, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(EssayKind::Reflection);
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new = NewEssayTask { title: title.get_untracked(), kind: kind.get_untracked(), min_chars: None };
        run(busy, error, set_essay_task(csrf.get_value(), class, new));
    };
    view! {
        <form class="form" id="new-essay-task" on:submit=submit>
            <h3>{T::NewEssayTask.get(lang)}</h3>
            <label class="field">
                <span>{T::Title.get(lang)}</span>
                <input type="text" id="essay-task-title" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{T::Kind.get(lang)}</span>
                <select id="essay-task-kind" on:change=move |ev| {
                    kind.set(EssayKind::parse(&event_target_value(&ev)).unwrap_or(EssayKind::Reflection))
                }>
                    <option value="reflection">{T::Reflection.get(lang)}</option>
                    <option value="thought_report">{T::ThoughtReport.get(lang)}</option>
                </select>
            </label>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            <button type="submit" id="essay-task-submit" disabled=move || busy.get() || !live.get()>{T::SetTask.get(lang)}</button>
        </form>
    }
}

#[island(lazy)]
pub fn EssayReviewForm(essay: EssayView, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let comment = RwSignal::new(String::new());
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let (task, person) = (essay.task_id, essay.person_id);
    let review = move |accept: bool| {
        let review = EssayReview { accept, comment: comment.get_untracked() };
        run(busy, error, review_essay(csrf.get_value(), task, person, review));
    };
    let state = match essay.state {
        EssayState::Submitted => T::Submitted,
        EssayState::Accepted => T::Accepted,
        EssayState::Returned => T::Returned,
    };
    let open = essay.state == EssayState::Submitted;
    view! {
        <div class="essay-review" data-person=person data-state=essay.state.as_str()>
            <p><strong>{essay.person_name.clone()}</strong> " · " {state.get(lang)} " · " {essay.chars} " " {T::CharsNow.get(lang)}</p>
            <details>
                <summary>{T::Essays.get(lang)}</summary>
                <p class="essay-body">{essay.text.clone()}</p>
            </details>
            {essay.file_url.clone().zip(essay.file_name.clone()).map(|(url, name)| view! {
                <p class="small">{T::Document.get(lang)} "：" <a href=url download="">{name}</a></p>
            })}
            {essay.comment.clone().map(|c| view! { <p class="small">{T::Comment.get(lang)} "：" {c}</p> })}
            {open.then(|| view! {
                <label class="field">
                    <span>{T::ReturnReason.get(lang)}</span>
                    <input type="text" class="review-comment" prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev)) />
                </label>
                <p class="actions">
                    <button type="button" class="accept-essay" disabled=move || busy.get() || !live.get()
                        on:click=move |_| review(true)>{T::AcceptEssay.get(lang)}</button>
                    " "
                    <button type="button" class="secondary return-essay" disabled=move || busy.get() || !live.get()
                        on:click=move |_| review(false)>{T::ReturnEssay.get(lang)}</button>
                </p>
            })}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </div>
    }
}

#[island(lazy)]
pub fn GraduationForm(class: i64, candidates: Vec<(i64, String)>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let chosen = RwSignal::new(candidates.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let who = Enrolment { people: chosen.get_untracked() };
        run(busy, error, confirm_graduates(csrf.get_value(), class, who));
    };
    let empty = candidates.is_empty();
    view! {
        <form class="card form" id="graduation" on:submit=submit>
            <h2>{T::Graduation.get(lang)}</h2>
            {empty.then(|| view! { <p class="muted">{T::NobodyReady.get(lang)}</p> })}
            {candidates.into_iter().map(|(id, name)| view! {
                <label class="check">
                    <input type="checkbox" class="graduate" data-person=id checked=true
                        on:change=move |ev| toggle(chosen, id, event_target_checked(&ev)) />
                    {name}
                </label>
            }).collect_view()}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            {(!empty).then(|| view! {
                <button type="submit" id="confirm-graduates" disabled=move || { busy.get() || !live.get() || chosen.read().is_empty() }>
                    {T::ConfirmGraduates.get(lang)}
                </button>
            })}
        </form>
    }
}

#[island(lazy)]
pub fn CertificateActions(certificate: CertificateView, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let reason = RwSignal::new(String::new());
    let (busy, error, live) = (RwSignal::new(false), RwSignal::new(None::<AppError>), use_live());
    let id = certificate.id;
    let revoked = certificate.revoked.is_some();
    view! {
        <div class="certificate-row" data-serial=certificate.serial.clone() data-revoked=revoked.to_string()>
            <p>
                <strong>{certificate.name.clone()}</strong> " · " {certificate.grade.name(lang)} " · "
                <span class="serial">{certificate.serial.clone()}</span> " · " {T::Edition.get(lang)} " " {certificate.edition}
                " · " <span class="tag" class:alert=revoked>{if revoked { T::Revoked } else { T::Valid }.get(lang)}</span>
            </p>
            {certificate.revoked.clone().map(|r| view! { <p class="small">{T::RevokeReason.get(lang)} "：" {r.reason}</p> })}
            <p class="small">
                {(!revoked).then(|| view! { <a href=certificate.pdf_url.clone() download="">{T::DownloadPdf.get(lang)}</a> " · " })}
                <a href=certificate.verify_path.clone()>{T::VerifyLink.get(lang)}</a>
            </p>
            {if revoked {
                view! {
                    <button type="button" class="secondary reissue" disabled=move || busy.get() || !live.get()
                        on:click=move |_| run(busy, error, reissue_certificate(csrf.get_value(), id))>
                        {T::Reissue.get(lang)}
                    </button>
                }.into_any()
            } else {
                view! {
                    <div class="row">
                        <label class="field">
                            <span>{T::RevokeReason.get(lang)}</span>
                            <input type="text" class="revoke-reason" prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev)) />
                        </label>
                        <button type="button" class="secondary revoke" disabled=move || busy.get() || !live.get()
                            on:click=move |_| {
                                let why = RevokeIn { reason: reason.get_untracked() };
                                run(busy, error, revoke_certificate(csrf.get_value(), id, why))
                            }>
                            {T::Revoke.get(lang)}
                        </button>
                    </div>
                }.into_any()
            }}
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </div>
    }
}
