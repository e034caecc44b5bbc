//! `/verify/{serial}`: anyone, without logging in, checks a certificate
//! (结业证书) by its serial or its QR code: valid or revoked, the holder's
//! name partly masked, the class, the issuer and the dates, nothing more.
//! Lookups are limited per address by the server.

use courses::certificate::{CertificateState, Verification};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::notice::ErrorNotice;
use crate::i18n::classes::ClassText as T;
use crate::lang::use_lang;
use crate::loaded::page_data;
use crate::pages::classes::api::verify_certificate;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let serial = Memo::new(move |_| params.read().get("serial").unwrap_or_default());
    let found = page_data(move || serial.get(), verify_certificate);
    view! {
        <Title text=T::VerifyTitle.get(lang) />
        <h1>{T::VerifyTitle.get(lang)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(v) => Either::Left(view! { <Verified v /> }),
                    Err(error) if error.0.code == "not_found" => Either::Right(Either::Left(view! {
                        <section class="card verify unknown" id="verify-result" data-state="unknown">
                            <p class="notice error" role="alert">{T::VerifyUnknown.get(lang)}</p>
                            <p class="muted">{T::VerifyHint.get(lang)}</p>
                        </section>
                    })),
                    Err(error) => Either::Right(Either::Right(view! { <ErrorNotice error /> })),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Verified(v: Verification) -> impl IntoView {
    let lang = use_lang();
    let valid = v.state == CertificateState::Valid;
    let state = if valid { "valid" } else { "revoked" };
    view! {
        <section class="card verify" class:revoked=!valid id="verify-result" data-state=state>
            <p class="verify-state" class:notice=true class:success=valid class:error=!valid role="status">
                {if valid { T::VerifyValid } else { T::VerifyRevoked }.get(lang)}
            </p>
            <dl class="facts">
                <dt>{T::Holder.get(lang)}</dt><dd id="verify-name">{v.masked_name.clone()}</dd>
                <dt>{T::Class.get(lang)}</dt><dd id="verify-class">{v.class_name.clone()}</dd>
                <dt>{T::Term.get(lang)}</dt><dd>{v.term_from.clone()} " – " {v.term_to.clone()}</dd>
                <dt>{T::Issuer.get(lang)}</dt><dd>{v.issuer_name.clone()}</dd>
                <dt>{T::IssuedOn.get(lang)}</dt><dd>{v.issued_on.clone()}</dd>
                {v.revoked_on.clone().map(|on| view! { <dt>{T::RevokedOn.get(lang)}</dt><dd>{on}</dd> })}
                <dt>{T::Serial.get(lang)}</dt><dd class="serial">{v.serial.clone()}</dd>
            </dl>
        </section>
    }
}
