//! Bar charts drawn as SVG on the server: no script, readable on a phone,
//! and the numbers are also in the table beside each chart.

use leptos::prelude::*;

/// One bar: its label and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// What the bar's end says (e.g. "62.5%").
    pub text: String,
}

/// Where the axis ends: the largest value or `floor`, whichever is more,
/// rounded up to 1, 2, 2.5 or 5 times a power of ten. The floor keeps a
/// tiny largest value (0.04 h) from being drawn as a full bar.
pub fn axis_max(largest: f64, floor: f64) -> f64 {
    let top = if largest.is_finite() { largest.max(floor) } else { floor };
    if top.is_nan() || top <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(top.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|step| step * power)
        // A hair of tolerance: 0.3 / 0.1 is 2.9999999999999996.
        .find(|nice| *nice >= top * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// A bar's length as a share (0 to 1) of an axis ending at `max`.
pub fn share(value: f64, max: f64) -> f64 {
    if max > 0.0 && value.is_finite() {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The axis end as written under the bars ("2.5", "100").
fn axis_text(max: f64) -> String {
    let text = format!("{max:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Horizontal bars, one per row, on an axis from 0 to `max` (fixed, e.g.
/// 100 for percentages) or to [`axis_max`] of the largest value and
/// `floor`; the axis end is written beneath the bars, followed by `unit`.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    #[prop(optional)] max: Option<f64>,
    #[prop(optional)] floor: Option<f64>,
    #[prop(optional, into)] unit: String,
    id: &'static str,
    title: String,
) -> impl IntoView {
    let largest = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let top = max.unwrap_or_else(|| axis_max(largest, floor.unwrap_or(0.0)));
    let row = 28.0;
    let axis_y = row * bars.len().max(1) as f64 + 4.0;
    let height = axis_y + 22.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = 4.0 + row * i as f64;
            // Labels take the left 35 %, bars the next 50 %, the figure the rest.
            let width = share(b.value, top) * 50.0;
            let label = b.label.clone();
            view! {
                <g class="bar" data-label=label data-value=b.value.to_string() data-share=format!("{:.4}", width / 50.0)>
                    <text x="0" y=y + 18.0 class="bar-label">{b.label}</text>
                    <rect x="35%" y=y + 4.0 width=format!("{width:.2}%") height=row - 10.0 rx="3" />
                    <text x=format!("{:.2}%", 36.0 + width) y=y + 18.0 class="bar-figure">{b.text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id data-axis-max=top.to_string()>
            <figcaption>{title.clone()}</figcaption>
            <svg role="img" aria-label=title width="100%" height=height>
                {rows}
                <g class="axis" aria-hidden="true">
                    <line x1="35%" x2="85%" y1=axis_y y2=axis_y />
                    <text x="35%" y=axis_y + 16.0 class="axis-label" text-anchor="middle">"0"</text>
                    <text x="85%" y=axis_y + 16.0 class="axis-label" text-anchor="middle">
                        {format!("{}{unit}", axis_text(top))}
                    </text>
                </g>
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_largest_value_is_drawn_against_the_floor_not_as_a_full_bar() {
        let max = axis_max(0.04, 1.0);
        assert_eq!(max, 1.0);
        assert!((share(0.04, max) - 0.04).abs() < 1e-12);
    }

    #[test]
    fn the_axis_ends_at_a_nice_number_at_or_above_the_largest_value() {
        assert_eq!(axis_max(1.3, 1.0), 2.0);
        assert_eq!(axis_max(2.2, 1.0), 2.5);
        assert_eq!(axis_max(3.0, 1.0), 5.0);
        assert_eq!(axis_max(7.5, 1.0), 10.0);
        assert_eq!(axis_max(10.0, 1.0), 10.0);
        assert_eq!(axis_max(12.0, 1.0), 20.0);
        assert_eq!(axis_max(0.3, 0.1), 0.5);
        assert!((axis_max(0.3, 0.0) - 0.5).abs() < 1e-12);
        assert_eq!(axis_max(100.0, 0.0), 100.0);
    }

    #[test]
    fn nothing_to_draw_still_has_an_axis() {
        assert_eq!(axis_max(0.0, 0.0), 1.0);
        assert_eq!(axis_max(f64::NAN, 0.0), 1.0);
        assert_eq!(axis_max(f64::INFINITY, 1.0), 1.0);
        assert_eq!(axis_max(-3.0, 0.0), 1.0);
    }

    #[test]
    fn shares_are_proportional_and_kept_inside_the_axis() {
        assert_eq!(share(1.0, 2.0), 0.5);
        assert_eq!(share(3.0, 2.0), 1.0);
        assert_eq!(share(-1.0, 2.0), 0.0);
        assert_eq!(share(1.0, 0.0), 0.0);
        assert_eq!(share(f64::NAN, 2.0), 0.0);
    }

    #[test]
    fn the_axis_end_is_written_without_trailing_zeros() {
        assert_eq!(axis_text(2.5), "2.5");
        assert_eq!(axis_text(100.0), "100");
        assert_eq!(axis_text(0.5), "0.5");
    }
}
