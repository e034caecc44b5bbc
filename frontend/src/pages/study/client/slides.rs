//! Slides: how long each page was on screen. A page's dot fills on the page
//! the moment it has been shown long enough, and a heartbeat goes at once so
//! the server's answer confirms it (rather than at the next periodic beat,
//! up to `heartbeat_seconds` later).

use std::time::Duration;

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
        count_down(&s, slide);
        slide
    });
}

/// Marks `slide` as shown once it has been on screen for the course's
/// minimum, if it is still on screen then.
fn count_down(state: &Shared, slide: usize) {
    let (remaining, ui) = {
        let st = state.borrow();
        let ui = st.ui;
        let min = f64::from(ui.slide_min_seconds);
        let credited = ui.progress.with_untracked(|p| p.slide_seconds.get(slide).copied().unwrap_or(0.0));
        let unsent = st.slides.iter().find(|t| t.slide as usize == slide).map_or(0.0, |t| t.seconds);
        (min - credited - unsent, ui)
    };
    if remaining <= 0.0 || ui.seen.with_untracked(|seen| seen.contains(&slide)) {
        return;
    }
    let s = state.clone();
    set_timeout(
        move || {
            if ui.slide.get_untracked() != slide {
                return;
            }
            ui.seen.update(|seen| seen.push(slide));
            beat(&s, BeatEvent::Tick);
        },
        Duration::from_secs_f64(remaining + 0.2),
    );
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
