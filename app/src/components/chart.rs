//! A main pool's daily consumption across the contract, drawn as SVG on the server (readable
//! without JavaScript), with today and the projected run-out day marked and said in words.

use leptos::prelude::*;

use crate::model::overview::PoolChart;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 160.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 22.0;

/// The outlook in one sentence.
pub fn outlook(chart: &PoolChart) -> String {
    let f = &chart.forecast;
    let rate = if f.burn_per_day >= 10.0 {
        format!("{:.0}", f.burn_per_day)
    } else {
        format!("{:.1}", f.burn_per_day)
    };
    match f.runs_out {
        None => format!("At the recent rate ({rate} a day) this pool does not run out."),
        Some(day) if f.before_contract_end => format!(
            "At the recent rate ({rate} a day) this pool runs out on {day}, before the contract ends on {}.",
            chart.contract_end
        ),
        Some(day) => format!(
            "At the recent rate ({rate} a day) this pool runs out on {day}, after the contract ends on {}.",
            chart.contract_end
        ),
    }
}

#[component]
pub fn UsageChart(chart: PoolChart) -> impl IntoView {
    let span = ((chart.contract_end - chart.contract_start).num_days() + 1).max(1) as f64;
    let step = WIDTH / span;
    let peak = chart.days.iter().copied().max().unwrap_or(0).max(1) as f64;
    let plot = HEIGHT - TOP - BOTTOM;
    let base = HEIGHT - BOTTOM;
    let x_of = |day: chrono::NaiveDate| (day - chart.contract_start).num_days() as f64 * step;
    let bars = chart
        .days
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let h = (*n as f64 / peak * plot).max(1.0);
            view! {
                <rect class="bar" x=format!("{:.2}", i as f64 * step) y=format!("{:.2}", base - h)
                    width=format!("{:.2}", (step - 0.3).max(0.6)) height=format!("{h:.2}") />
            }
        })
        .collect_view();
    let today_x = chart.days.len() as f64 * step;
    let run_out = chart
        .forecast
        .runs_out
        .filter(|day| *day <= chart.contract_end)
        .map(|day| {
            let x = x_of(day);
            view! {
                <line class="run-out" x1=format!("{x:.2}") x2=format!("{x:.2}") y1=TOP.to_string() y2=base.to_string() />
                <text class="run-out-label" x=format!("{:.2}", (x - 4.0).max(40.0)) y=(TOP + 10.0).to_string() text-anchor="end">
                    {format!("runs out {day}")}
                </text>
            }
        });
    let sentence = outlook(&chart);
    let title = format!("Daily consumption of {}", chart.label);
    view! {
        <figure class="chart" data-pool=chart.key.clone()>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=format!("{title}. {sentence}")
                xmlns="http://www.w3.org/2000/svg">
                <title>{title.clone()}</title>
                <line class="axis" x1="0" x2=WIDTH.to_string() y1=base.to_string() y2=base.to_string() />
                {bars}
                <line class="today" x1=format!("{today_x:.2}") x2=format!("{today_x:.2}") y1=TOP.to_string() y2=base.to_string() />
                {run_out}
                <text class="tick" x="0" y=(HEIGHT - 6.0).to_string()>{chart.contract_start.to_string()}</text>
                <text class="tick" x=WIDTH.to_string() y=(HEIGHT - 6.0).to_string() text-anchor="end">{chart.contract_end.to_string()}</text>
                <text class="tick" x="2" y=(TOP - 2.0).to_string()>{format!("peak {} a day", peak as i64)}</text>
            </svg>
            <figcaption>
                <strong>{title}</strong>". "
                <span data-field="forecast">{sentence}</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::forecast::Forecast;

    fn chart(runs_out: Option<&str>, before: bool) -> PoolChart {
        PoolChart {
            key: "user_licenses".into(),
            label: "User Licenses".into(),
            contract_start: "2026-01-01".parse().expect("date"),
            contract_end: "2026-12-31".parse().expect("date"),
            days: vec![],
            forecast: Forecast {
                burn_per_day: 2.5,
                runs_out: runs_out.map(|d| d.parse().expect("date")),
                before_contract_end: before,
            },
        }
    }

    #[test]
    fn the_outlook_says_when_and_whether_before_the_end() {
        assert_eq!(
            outlook(&chart(Some("2026-08-01"), true)),
            "At the recent rate (2.5 a day) this pool runs out on 2026-08-01, before the contract ends on 2026-12-31."
        );
        assert!(outlook(&chart(Some("2027-02-01"), false)).contains("after the contract ends"));
        assert!(outlook(&chart(None, false)).contains("does not run out"));
    }
}
