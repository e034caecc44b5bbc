//! `/exams/{id}`: an exam as its taker sees it. The server renders the
//! rules and the person's attempts; the [`Taker`] island opens the attempt
//! and shows the result.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::exam_standing;
use super::taker::Taker;
use crate::components::notice::ErrorNotice;
use crate::loaded::page_data;
use crate::session::require_me;

#[component]
pub fn ExamPage() -> impl IntoView {
    let id = crate::pages::route_id();
    let standing = page_data(move || id.get(), exam_standing);
    view! {
        {require_me(move |me| {
            let csrf = me.csrf_token.clone();
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let csrf = csrf.clone();
                        Suspend::new(async move {
                            match standing.await {
                                Ok(standing) => Either::Left(view! {
                                    <Title text=standing.title.clone() />
                                    <h1 id="exam-title">{standing.title.clone()}</h1>
                                    <Taker standing csrf />
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
