//! A student's written work in a class: the task, their essay as it stands
//! (handed in, accepted, or returned with the 班主任's comment), and the
//! form to write it, with the length counted as the server counts it.

use courses::essay::{essay_chars, EssayIn, EssayState, EssayTaskView};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::api::hand_in_essay;
use crate::api::AppError;
use crate::components::notice::ErrorNotice;
use crate::i18n::classes::ClassText as T;
use crate::lang::use_lang;

fn state_text(state: EssayState) -> T {
    match state {
        EssayState::Submitted => T::Submitted,
        EssayState::Accepted => T::Accepted,
        EssayState::Returned => T::Returned,
    }
}

#[island]
pub fn EssayTask(task: EssayTaskView, csrf: String) -> impl IntoView {
    let lang = use_lang();
    let csrf = StoredValue::new(csrf);
    let mine = RwSignal::new(task.essays.first().cloned());
    let text = RwSignal::new(mine.get_untracked().map(|e| e.text).unwrap_or_default());
    let count = Memo::new(move |_| essay_chars(&text.read()));
    let busy = RwSignal::new(false);
    let live = crate::components::live::use_live();
    let error = RwSignal::new(None::<AppError>);
    let upload_error = RwSignal::new(None::<String>);
    let file_input = NodeRef::<html::Input>::new();
    let (id, min) = (task.id, task.min_chars);
    let upload = move |ev: SubmitEvent| {
        ev.prevent_default();
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|files| files.get(0));
        let Some(file) = file else {
            upload_error.set(Some(T::ChooseDocument.get(lang).to_owned()));
            return;
        };
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/essay-tasks/{id}/essay/file");
            let sent =
                crate::pages::media::transport::post_file::<EssayTaskView>(&url, &file, &csrf.get_value(), lang).await;
            match sent {
                Ok(view) => {
                    let essay = view.essays.into_iter().next();
                    if let Some(e) = &essay {
                        text.set(e.text.clone());
                    }
                    mine.set(essay);
                    upload_error.set(None);
                }
                Err(message) => upload_error.set(Some(message)),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, csrf);
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match hand_in_essay(csrf.get_value(), id, EssayIn { text: text.get_untracked() }).await {
                Ok(view) => {
                    mine.set(view.essays.into_iter().next());
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let accepted = move || mine.read().as_ref().is_some_and(|e| e.state == EssayState::Accepted);
    view! {
        <article class="essay-task" data-task=id>
            <h3>{task.title.clone()} <span class="tag">{task.kind.name(lang)}</span></h3>
            <p class="muted small">{T::MinChars.get(lang)} " " {min}</p>
            <p class="essay-state" data-state=move || mine.read().as_ref().map_or("none", |e| e.state.as_str())>
                {move || match mine.get() {
                    Some(e) => state_text(e.state).get(lang).to_owned(),
                    None => T::NotHandedIn.get(lang).to_owned(),
                }}
            </p>
            {move || mine.get().and_then(|e| Some((e.file_url?, e.file_name?))).map(|(url, name)| view! {
                <p class="small essay-document">{T::Document.get(lang)} "：" <a href=url download="">{name}</a></p>
            })}
            {move || mine.get().and_then(|e| e.comment).map(|c| view! {
                <p class="notice" class:warning=move || !accepted()>{T::Comment.get(lang)} "：" {c}</p>
            })}
            <Show when=move || !accepted()>
                <form class="essay-form" on:submit=submit>
                    <textarea rows="10" class="essay-text" aria-label=task.title.clone()
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                    <p class="small" class:alert=move || { count.get() < min as usize }>
                        {T::CharsNow.get(lang)} " " <span class="essay-count">{move || count.get()}</span> " / " {min}
                    </p>
                    <button type="submit" class="essay-submit" disabled=move || busy.get() || !live.get()>
                        {move || {
                            if !live.get() {
                                crate::i18n::exams::ExamText::WaitForPage.get(lang)
                            } else if mine.read().is_some() {
                                T::HandInAgain.get(lang)
                            } else {
                                T::HandIn.get(lang)
                            }
                        }}
                    </button>
                </form>
                <form class="essay-upload" on:submit=upload>
                    <label class="field">
                        <span>{T::OrUpload.get(lang)}</span>
                        <input type="file" class="essay-file" accept=".docx,.txt" node_ref=file_input />
                    </label>
                    <button type="submit" class="secondary essay-upload-submit" disabled=move || busy.get() || !live.get()>
                        {T::UploadDocument.get(lang)}
                    </button>
                </form>
                {move || upload_error.get().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
            </Show>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </article>
    }
}
