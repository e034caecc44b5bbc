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

/// Horizontal bars, one per row, scaled to `max` (or the largest value).
#[component]
pub fn BarChart(bars: Vec<Bar>, #[prop(optional)] max: Option<f64>, id: &'static str, title: String) -> impl IntoView {
    let top = max.unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max)).max(f64::EPSILON);
    let row = 28.0;
    let height = row * bars.len().max(1) as f64 + 8.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = 4.0 + row * i as f64;
            // Labels take the left 35 %, bars the next 50 %, the figure the rest.
            let width = (b.value / top).clamp(0.0, 1.0) * 50.0;
            let label = b.label.clone();
            view! {
                <g class="bar" data-label=label data-value=b.value.to_string()>
                    <text x="0" y=y + 18.0 class="bar-label">{b.label}</text>
                    <rect x="35%" y=y + 4.0 width=format!("{width:.2}%") height=row - 10.0 rx="3" />
                    <text x=format!("{:.2}%", 36.0 + width) y=y + 18.0 class="bar-figure">{b.text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption>{title.clone()}</figcaption>
            <svg role="img" aria-label=title width="100%" height=height>
                {rows}
            </svg>
        </figure>
    }
}
