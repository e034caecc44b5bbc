//! Articles: the scrolled position, to resume reading where it stopped.

/// How far down the page the reader has scrolled, 0–1.
pub(super) fn scrolled_fraction() -> f64 {
    let Some(window) = web_sys::window() else { return 0.0 };
    let total = window.document().and_then(|d| d.document_element()).map_or(0.0, |e| f64::from(e.scroll_height()));
    let view = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let y = window.scroll_y().unwrap_or(0.0);
    if total <= view {
        1.0
    } else {
        (y / (total - view)).clamp(0.0, 1.0)
    }
}

/// Scrolls to where an earlier reading stopped (`fraction` of the page).
pub(super) fn scroll_to_fraction(fraction: f64) {
    let Some(window) = web_sys::window() else { return };
    let total = window.document().and_then(|d| d.document_element()).map_or(0.0, |e| f64::from(e.scroll_height()));
    let view = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    if fraction > 0.0 && total > view {
        window.scroll_to_with_x_and_y(0.0, fraction.clamp(0.0, 1.0) * (total - view));
    }
}
