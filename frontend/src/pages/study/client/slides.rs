//! Slides: how long each page was on screen.

use courses::progress::{BeatEvent, SlideTime};
use leptos::prelude::*;

use super::{beat, now_ms, Shared, State};

pub(super) fn watch_slides(state: &Shared) {
    let ui = state.borrow().ui;
    let s = state.clone();
    Effect::new(move |previous: Option<usize>| {
        let slide = ui.slide.get();
        if previous.is_some_and(|p| p != slide) {
            {
                let mut st = s.borrow_mut();
                note_slide(&mut st);
                st.shown_slide = slide;
            }
            beat(&s, BeatEvent::SlideChange);
        }
        slide
    });
}

/// Adds the time the current slide has been on screen since last noted.
pub(super) fn note_slide(s: &mut State) {
    let now = now_ms();
    let seconds = ((now - s.slide_since) / 1000.0).max(0.0);
    s.slide_since = now;
    if seconds > 0.0 {
        match s.slides.iter_mut().find(|t| t.slide as usize == s.shown_slide) {
            Some(t) => t.seconds += seconds,
            None => s.slides.push(SlideTime { slide: s.shown_slide as u32, seconds }),
        }
    }
}
