//! Adding a lesson: from ready material of the library (a video may take a
//! companion slide deck: the mixed lesson) or as a Markdown article,
//! optionally into a chapter. Below the upload form, the material still
//! being processed, with its progress.

use courses::course::NewLesson;
use courses::i18n::Localize;
use courses::media::{MediaKind, MediaState, MediaSummary};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::api::CourseEdit;
use super::Ed;
use crate::i18n::manage::ManageText as T;
use crate::i18n::media_state_text;
use crate::pages::media::{poll_while_busy, MediaPageState};

/// The source select's value for "an article".
const ARTICLE: &str = "article";

#[component]
pub(super) fn AddLessonCard(ed: Ed, media: MediaPageState) -> impl IntoView {
    let lang = ed.lang;
    let (title, text) = (NodeRef::<html::Input>::new(), NodeRef::<html::Textarea>::new());
    // Kept in signals: the selects are drawn again when the library reloads.
    let source = RwSignal::new(ARTICLE.to_owned());
    let slides = RwSignal::new(String::new());
    let chapter = RwSignal::new(String::new());
    let ready = Memo::new(move |_| {
        let items = media.media.get().and_then(Result::ok).unwrap_or_default();
        items
            .into_iter()
            .filter(|m| m.state == MediaState::Ready && m.kind.is_some())
            .map(|m| (m.id, m.kind, m.file_name.to_string()))
            .collect::<Vec<_>>()
    });
    let kind_of = move |value: &str| {
        let id = value.parse::<i64>().ok()?;
        ready.with(|r| r.iter().find(|m| m.0 == id).and_then(|m| m.1))
    };
    let is_video = move || kind_of(&source.get()) == Some(MediaKind::Video);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let source = source.get_untracked();
        let article = source == ARTICLE;
        let new = NewLesson {
            title: title.get_untracked().map(|i| i.value()).unwrap_or_default(),
            media_id: source.parse().ok(),
            article: article.then(|| text.get_untracked().map(|t| t.value()).unwrap_or_default()),
            slides_media_id: if is_video() { slides.get_untracked().parse().ok() } else { None },
            chapter_id: chapter.get_untracked().parse().ok(),
            exam_id: None,
        };
        leptos::task::spawn_local(async move {
            if ed.apply(CourseEdit::AddLesson(new), T::Saved).await {
                if let Some(t) = title.get_untracked() {
                    t.set_value("");
                }
                if let Some(t) = text.get_untracked() {
                    t.set_value("");
                }
            }
        });
    };

    // The library's ready items, drawn once it has loaded (on the server as
    // in the browser, so both draw the same options).
    let sources = move || {
        Suspend::new(async move {
            let _ = media.media.await;
            let items = ready.get();
            let decks = items
                .iter()
                .filter(|m| m.1 == Some(MediaKind::Slides))
                .map(|(id, _, name)| (id.to_string(), name.clone()))
                .collect();
            let all = items
                .into_iter()
                .map(|(id, kind, name)| {
                    (id.to_string(), format!("{} · {name}", kind.map(|k| k.localize(lang)).unwrap_or_default()))
                })
                .collect();
            let article = (ARTICLE.to_owned(), T::SourceArticle.get(lang).to_owned());
            view! {
                <label>
                    {T::Source.get(lang)}
                    {select("lesson-source", article, all, source)}
                </label>
                <label hidden=move || !is_video()>
                    {T::Companion.get(lang)}
                    {select("lesson-slides", (String::new(), T::NoCompanion.get(lang).to_owned()), decks, slides)}
                </label>
            }
        })
    };
    let chapter_select = move || {
        let chapters = ed.course.with(|c| c.chapters.iter().map(|ch| (ch.id.to_string(), ch.title.clone())).collect());
        select("lesson-chapter", (String::new(), T::NoChapter.get(lang).to_owned()), chapters, chapter)
    };

    view! {
        <section class="card" id="add-lesson">
            <h2>{T::AddLessonHeading.get(lang)}</h2>
            <form id="add-lesson-form" on:submit=on_submit>
                <label>
                    {T::LessonTitle.get(lang)}
                    <input type="text" id="lesson-title" required maxlength="200" node_ref=title />
                </label>
                <Transition fallback=|| ()>{sources}</Transition>
                <label hidden=move || source.with(|s| s != ARTICLE)>
                    {T::ArticleText.get(lang)}
                    <textarea id="lesson-article" rows="8" node_ref=text></textarea>
                    <span class="muted small">{T::ArticleHelp.get(lang)}</span>
                </label>
                <label>
                    {T::Chapter.get(lang)}
                    {chapter_select}
                </label>
                <button type="submit" id="add-lesson-submit" disabled=ed.waiting_or(false)>
                    {T::AddLesson.get(lang)}
                </button>
            </form>
        </section>
    }
}

/// Material queued, processing or refused, with progress; reloaded every
/// two seconds while anything is under way (as on the media page).
#[component]
pub(super) fn MaterialProgress(media: MediaPageState) -> impl IntoView {
    let lang = crate::lang::use_lang();
    poll_while_busy(media);
    let row = move |m: MediaSummary| {
        let text = media_state_text(m.state, m.kind, m.percent, m.problem_message.as_deref(), lang);
        let bar = (m.state == MediaState::Processing)
            .then(|| view! { <progress class="media-progress" max="100" value=m.percent></progress> });
        view! {
            <li data-media-id=m.id data-state=m.state.as_str()>
                <span class="media-name">{m.file_name.to_string()}</span>
                <span class="small">{text}</span>
                {bar}
            </li>
        }
    };
    let list = move || {
        Suspend::new(async move {
            let items: Vec<MediaSummary> = media
                .media
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|m| matches!(m.state, MediaState::Queued | MediaState::Processing | MediaState::Failed))
                .collect();
            (!items.is_empty()).then(|| {
                view! {
                    <section class="card" id="material-progress">
                        <h2>{T::Processing.get(lang)}</h2>
                        <ul class="plain-list">{items.into_iter().map(row).collect_view()}</ul>
                    </section>
                }
            })
        })
    };
    view! { <Transition fallback=|| ()>{list}</Transition> }
}

/// A `<select>` drawn whole (markers inside one confuse the HTML parser),
/// choosing what `held` holds and keeping it up to date.
fn select(
    id: &'static str,
    first: (String, String),
    rest: Vec<(String, String)>,
    held: RwSignal<String>,
) -> impl IntoView {
    let options = std::iter::once(first)
        .chain(rest)
        .map(|(value, label)| {
            let selected = held.with_untracked(|h| *h == value);
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! { <select id=id on:change=move |ev| held.set(event_target_value(&ev))>{options}</select> }
}
