//! The slide viewer: one page at a time, sized for phones and PCs, paged
//! with the buttons, the arrow keys or a swipe. Each page's text is in the
//! document for screen readers (and search), and a dot per page shows
//! which pages have been shown long enough to count.

use courses::media::SlideView;
use leptos::prelude::*;

use crate::i18n::study::{slide_counter, StudyText};
use crate::lang::use_lang;

use super::lesson::LessonUi;

/// Swipes shorter than this many CSS pixels are taps.
const SWIPE_PX: i32 = 40;

#[component]
pub fn SlideViewer(
    slides: Vec<SlideView>,
    ui: LessonUi,
    /// Beside a video (the mixed lesson): paged freely, no per-slide progress.
    #[prop(optional)]
    companion: bool,
) -> impl IntoView {
    let lang = use_lang();
    let total = slides.len();
    let slides = StoredValue::new(slides);
    let go = move |delta: isize| {
        ui.slide.update(|s| *s = (*s as isize + delta).clamp(0, total.saturating_sub(1) as isize) as usize);
    };
    let touch_x = StoredValue::new(None::<i32>);
    let current = move || slides.with_value(|all| all.get(ui.slide.get()).cloned());
    view! {
        <div
            class="slides"
            id="slides"
            tabindex="0"
            data-slide=move || ui.slide.get()
            on:keydown=move |ev| match ev.key().as_str() {
                "ArrowRight" | "PageDown" | " " => {
                    ev.prevent_default();
                    go(1)
                }
                "ArrowLeft" | "PageUp" => {
                    ev.prevent_default();
                    go(-1)
                }
                _ => {}
            }
            on:touchstart=move |ev| {
                touch_x.set_value(ev.changed_touches().get(0).map(|t| t.client_x()));
            }
            on:touchend=move |ev| {
                let end = ev.changed_touches().get(0).map(|t| t.client_x());
                if let (Some(a), Some(b)) = (touch_x.get_value(), end) {
                    if b - a <= -SWIPE_PX {
                        go(1)
                    } else if b - a >= SWIPE_PX {
                        go(-1)
                    }
                }
            }
        >
            {move || {
                current()
                    .map(|s| {
                        let srcset = format!("{} 720w, {} 1600w", s.small_url, s.large_url);
                        view! {
                            <figure class="slide">
                                <img
                                    id="slide-image"
                                    src=s.small_url.clone()
                                    srcset=srcset
                                    sizes="(max-width: 800px) 100vw, 800px"
                                    alt=slide_counter(s.number as usize, total, lang)
                                />
                                <figcaption class="visually-hidden" id="slide-text">
                                    {StudyText::SlideText.get(lang)}
                                    ": "
                                    {s.text.clone()}
                                </figcaption>
                            </figure>
                        }
                    })
            }}
            <div class="slide-tools">
                <button id="slide-prev" type="button" on:click=move |_| go(-1) disabled=move || ui.slide.get() == 0>
                    {StudyText::PreviousSlide.get(lang)}
                </button>
                <span id="slide-counter" aria-live="polite">
                    {move || slide_counter(ui.slide.get() + 1, total, lang)}
                </span>
                <button
                    id="slide-next"
                    type="button"
                    on:click=move |_| go(1)
                    disabled=move || { ui.slide.get() + 1 >= total }
                >
                    {StudyText::NextSlide.get(lang)}
                </button>
            </div>
            <ol class="slide-dots" id="slide-dots" aria-hidden="true">
                {(0..total)
                    .map(|i| {
                        view! {
                            <li
                                class:current=move || ui.slide.get() == i
                                class:done=move || !companion && slide_done(&ui, i)
                                on:click=move |_| ui.slide.set(i)
                            ></li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}

/// Whether slide `i` has been shown long enough to count: on the server's
/// word, or on the page's own count while its heartbeat is on the way.
fn slide_done(ui: &LessonUi, i: usize) -> bool {
    let min = f64::from(ui.slide_min_seconds);
    ui.seen.with(|seen| seen.contains(&i))
        || ui.progress.with(|p| p.completed || p.slide_seconds.get(i).is_some_and(|&s| s >= min))
}
