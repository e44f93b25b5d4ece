//! A main pool's daily consumption across the contract, drawn as SVG on the server (readable
//! without JavaScript), with today and the projected run-out day marked and said in words.

use leptos::prelude::*;

use crate::i18n::{Locale as Ui, td_string};
use crate::locale::{decimal, fill, fixed, number, pool_label, use_locale};
use crate::model::overview::PoolChart;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 160.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 22.0;

/// An SVG coordinate, to the hundredth.
fn coordinate(v: f64) -> String {
    fixed(v, 2)
}

/// A length that is a whole number of units.
fn whole(v: f64) -> String {
    fixed(v, 0)
}

/// The outlook in one sentence.
pub fn outlook(l: Ui, chart: &PoolChart) -> String {
    let f = &chart.forecast;
    let rate = decimal(
        l,
        f.burn_per_day,
        if f.burn_per_day >= 10.0 { 0 } else { 1 },
    );
    let day = chart.dates.runs_out.as_deref().unwrap_or_default();
    let values = [
        ("rate", rate.as_str()),
        ("day", day),
        ("end", &chart.dates.end),
    ];
    let template = match f.runs_out {
        None => td_string!(l, chart.no_run_out),
        Some(_) if f.before_contract_end => td_string!(l, chart.before_end),
        Some(_) => td_string!(l, chart.after_end),
    };
    fill(template, &values)
}

#[component]
pub fn UsageChart(chart: PoolChart) -> impl IntoView {
    let l = use_locale();
    let span = ((chart.contract_end - chart.contract_start).num_days() + 1).max(1) as f64;
    let step = WIDTH / span;
    let peak = chart.days.iter().copied().max().unwrap_or(0).max(1) as f64;
    let plot = HEIGHT - TOP - BOTTOM;
    let base = HEIGHT - BOTTOM;
    let x_of = |day: chrono::NaiveDate| (day - chart.contract_start).num_days() as f64 * step;
    let bar_width = coordinate((step - 0.3).max(0.6));
    let bars = chart
        .days
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let h = (*n as f64 / peak * plot).max(1.0);
            view! {
                <rect class="bar" x=coordinate(i as f64 * step) y=coordinate(base - h)
                    width=bar_width.clone() height=coordinate(h) />
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
            let run_out_label = chart.dates.runs_out.clone().unwrap_or_default();
            view! {
                <line class="run-out" x1=coordinate(x) x2=coordinate(x) y1=whole(TOP) y2=whole(base) />
                <text class="run-out-label" x=coordinate((x - 4.0).max(40.0)) y=whole(TOP + 10.0) text-anchor="end">
                    {fill(td_string!(l, chart.runs_out), &[("day", run_out_label.as_str())])}
                </text>
            }
        });
    let sentence = outlook(l, &chart);
    let title = fill(
        td_string!(l, chart.title),
        &[("pool", &pool_label(l, &chart.key, chart.label.clone()))],
    );
    let caption_id = format!("chart-{}", chart.key);
    view! {
        <figure class="chart" data-pool=chart.key.clone()>
            <svg viewBox=format!("0 0 {} {}", whole(WIDTH), whole(HEIGHT)) role="img" aria-labelledby=caption_id.clone()
                xmlns="http://www.w3.org/2000/svg">
                <title>{title.clone()}</title>
                <line class="axis" x1="0" x2=whole(WIDTH) y1=whole(base) y2=whole(base) />
                {bars}
                <line class="today" x1=coordinate(today_x) x2=coordinate(today_x) y1=whole(TOP) y2=whole(base) />
                {run_out}
                <text class="tick" x="0" y=whole(HEIGHT - 6.0)>{chart.dates.start.clone()}</text>
                <text class="tick" x=whole(WIDTH) y=whole(HEIGHT - 6.0) text-anchor="end">{chart.dates.end.clone()}</text>
                <text class="tick" x="2" y=whole(TOP - 2.0)>{fill(td_string!(l, chart.peak), &[("n", &number(l, peak as i64))])}</text>
            </svg>
            <figcaption id=caption_id>
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
        let written = |d: &str| {
            let d: chrono::NaiveDate = d.parse().expect("date");
            d.format("%d/%m/%Y").to_string()
        };
        PoolChart {
            dates: crate::model::overview::ChartDates {
                start: written("2026-01-01"),
                end: written("2026-12-31"),
                runs_out: runs_out.map(written),
            },
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
    fn coordinates_are_written_as_two_decimal_formatting_writes_them() {
        // Whole steps of a chart's geometry, and values away from a rounding tie.
        for v in [
            0.0, 0.6, 1.0, 1.973, 12.0, 137.999, 138.0, 719.3, 720.0, -3.25,
        ] {
            assert_eq!(coordinate(v), format!("{v:.2}"), "{v}");
        }
        for v in [WIDTH, HEIGHT, TOP, HEIGHT - BOTTOM, HEIGHT - 6.0] {
            assert_eq!(whole(v), v.to_string(), "{v}");
        }
        let step = 720.0 / 365.0;
        for i in 0..365 {
            let x = f64::from(i) * step;
            assert_eq!(coordinate(x), format!("{x:.2}"), "day {i}");
        }
    }

    #[test]
    fn the_outlook_says_when_and_whether_before_the_end() {
        assert_eq!(
            outlook(Ui::en, &chart(Some("2026-08-01"), true)),
            "At the recent rate (2.5 a day) this pool runs out on 01/08/2026, before the contract ends on 31/12/2026."
        );
        assert_eq!(
            outlook(Ui::pt_BR, &chart(Some("2026-08-01"), true)),
            "No ritmo recente (2,5 por dia) este conjunto se esgota em 01/08/2026, antes do fim do contrato em 31/12/2026."
        );
        assert!(
            outlook(Ui::en, &chart(Some("2027-02-01"), false)).contains("after the contract ends")
        );
        assert!(outlook(Ui::en, &chart(None, false)).contains("does not run out"));
        assert!(outlook(Ui::pt_BR, &chart(None, false)).contains("não se esgota"));
    }
}
