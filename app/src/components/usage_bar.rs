//! A pool's percent used, with the tenant's alert thresholds marked.

use leptos::prelude::*;

/// How full a bar looks: `full` from 100%, `critical` from the highest threshold below 100,
/// `warning` from the lowest, `ok` below.
pub fn level(percent: f64, thresholds: &[u32]) -> &'static str {
    let below_full = thresholds.iter().copied().filter(|t| *t < 100);
    let lowest = below_full.clone().min();
    let highest = below_full.max();
    let reached = |t: Option<u32>| t.is_some_and(|t| percent >= f64::from(t));
    if percent >= 100.0 {
        "full"
    } else if reached(highest) && highest != lowest {
        "critical"
    } else if reached(lowest) {
        "warning"
    } else {
        "ok"
    }
}

/// A horizontal bar; past 100% it is full and marked as overage.
///
/// Drawn in SVG, whose lengths are attributes: the page's Content-Security-Policy allows no
/// inline styles, so a `style="width: …"` would be dropped.
#[component]
pub fn UsageBar(
    percent: f64,
    /// The tenant's alert thresholds, in percent.
    thresholds: Vec<u32>,
    /// The percent used in words, for screen readers.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let level = level(percent, &thresholds);
    let width = format!("{}%", crate::locale::fixed(percent.clamp(0.0, 100.0), 1));
    view! {
        <svg class=format!("usage-bar {level}") role="img" aria-label=label>
            <rect class="track" y="3" width="100%" height="10" rx="5"></rect>
            <rect class="fill" y="3" width=width height="10" rx="5"></rect>
            {thresholds
                .into_iter()
                .filter(|t| *t <= 100)
                .map(|t| {
                    view! {
                        <rect class="mark" x=format!("{t}%") width="1" height="16" data-threshold=t>
                            <title>{format!("{t}%")}</title>
                        </rect>
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::level;

    #[test]
    fn the_bar_darkens_at_the_tenants_thresholds() {
        let standard = [75, 85, 95, 100];
        let cases = [
            (0.0, "ok"),
            (74.9, "ok"),
            (75.0, "warning"),
            (94.9, "warning"),
            (95.0, "critical"),
            (100.0, "full"),
            (130.0, "full"),
        ];
        for (percent, want) in cases {
            assert_eq!(level(percent, &standard), want, "{percent}");
        }
        assert_eq!(level(60.0, &[50, 90]), "warning");
        assert_eq!(level(91.0, &[50, 90]), "critical");
        assert_eq!(level(60.0, &[80]), "ok");
        assert_eq!(level(85.0, &[80]), "warning");
        assert_eq!(level(99.0, &[]), "ok");
    }
}
