//! Whether an island is live (hydrated). Until then a tap on a form's
//! button would submit the bare HTML form and reload the page, losing what
//! was typed: such buttons stay disabled and say the page is loading.
//!
//! What someone types into a field before then stays in the field: fields
//! whose text matters are not bound to a signal's value (hydrating such a
//! binding would write the empty signal over the typing); the signal
//! follows the field instead, starting from what it holds when the island
//! goes live.

use leptos::html::{Input, Textarea};
use leptos::prelude::*;

/// `false` on the server and until the island hydrates, then `true`.
pub fn use_live() -> RwSignal<bool> {
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    live
}

/// Once the island is live, `text` takes what `field` already holds.
pub fn keep_typed(field: NodeRef<Textarea>, text: RwSignal<String>) {
    Effect::new(move |_| {
        if let Some(typed) = field.get().map(|f| f.value()).filter(|t| !t.is_empty()) {
            text.set(typed);
        }
    });
}

/// [`keep_typed`] for a one-line field.
pub fn keep_typed_line(field: NodeRef<Input>, text: RwSignal<String>) {
    Effect::new(move |_| {
        if let Some(typed) = field.get().map(|f| f.value()).filter(|t| !t.is_empty()) {
            text.set(typed);
        }
    });
}

/// [`keep_typed`] for a checkbox ticked early.
pub fn keep_ticked(field: NodeRef<Input>, on: RwSignal<bool>) {
    Effect::new(move |_| {
        if field.get().is_some_and(|f| f.checked()) {
            on.set(true);
        }
    });
}

/// Empties a field after what it held was sent.
pub fn clear(field: NodeRef<Textarea>) {
    if let Some(f) = field.get_untracked() {
        f.set_value("");
    }
}

/// [`clear`] for a one-line field.
pub fn clear_line(field: NodeRef<Input>) {
    if let Some(f) = field.get_untracked() {
        f.set_value("");
    }
}
