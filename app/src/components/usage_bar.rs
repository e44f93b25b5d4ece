//! A pool's percent used, with the alert thresholds marked.

use leptos::prelude::*;

/// The thresholds drawn on every bar (SPEC.md's defaults).
pub const THRESHOLDS: [u32; 4] = [75, 85, 95, 100];

/// A horizontal bar; past 100% it is full and marked as overage.
#[component]
pub fn UsageBar(
    percent: f64,
    /// The percent used in words, for screen readers.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let level = match percent {
        p if p >= 100.0 => "full",
        p if p >= 95.0 => "critical",
        p if p >= 75.0 => "warning",
        _ => "ok",
    };
    let width = format!("width: {:.1}%", percent.clamp(0.0, 100.0));
    view! {
        <div class=format!("usage-bar {level}") role="img" aria-label=label>
            <div class="fill" style=width></div>
            {THRESHOLDS
                .iter()
                .map(|t| view! { <span class="mark" style=format!("left: {t}%") title=format!("{t}%")></span> })
                .collect_view()}
        </div>
    }
}
