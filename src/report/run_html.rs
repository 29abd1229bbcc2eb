//! The HTML report of one experiment (`run --report`): one self-contained page (inline CSS
//! and SVG, nothing fetched) with, for every metric, the histogram of its final values over
//! the runs and, when the runs recorded trajectories, how it unfolds: the median over rounds
//! with its p25-p75 and p5-p95 bands. Values show on hover. [`render`] only builds a string.

use std::fmt::Write;

use crate::analysis::bands::Bands;
use crate::report::html::{MARGINS, PAGE_END, PANEL_GAP, PLOT_H, page_start};
use crate::report::svg::{self, FIG_W, Rect, Scale, axes, esc, ticks};
use crate::report::table::format_sig;
use crate::scenario::Scenario;
use crate::store::summary::{MetricSummary, Summary};

/// The report of an experiment's `summary` and, with trajectories, its `bands`.
pub fn render(s: &Scenario, summary: &Summary, bands: Option<&Bands>) -> String {
    let mut out = page_start(&format!("netstates run: {}", s.name), "");
    let _ = writeln!(
        out,
        "<header>\n<h1>netstates run: {}</h1>\n<p class=\"muted\">{}</p>\n<p>{} runs of {} \
         rounds with seed <code>{}</code>{}.</p>\n</header>\n<main>",
        esc(&s.name),
        esc(crate::report::first_sentence(&s.description)),
        summary.runs,
        s.rounds,
        summary.seed,
        match bands {
            Some(b) => format!(
                "; trajectories recorded at {} rounds (left: final values; right: the median \
                 over the runs at each round, with its p25-p75 and p5-p95 bands)",
                b.rounds.len()
            ),
            None => "; no trajectories recorded (run with --trajectories for how each metric \
                     unfolds)"
                .to_string(),
        }
    );
    for (m, named) in summary.metrics.iter().enumerate() {
        let _ = writeln!(
            out,
            "<figure class=\"metric\" id=\"metric-{}\">\n<figcaption><h3>{}</h3>\
             <span class=\"diff\">mean {}, median {}, p5-p95 [{}, {}]</span></figcaption>",
            esc(&named.metric),
            esc(&named.metric),
            format_sig(named.summary.mean, 4),
            format_sig(named.summary.p50, 4),
            format_sig(named.summary.p5, 4),
            format_sig(named.summary.p95, 4),
        );
        let panel_w = (FIG_W - PANEL_GAP) / 2.0;
        let height = MARGINS.around(PLOT_H);
        let mut svg = svg::open(height, &format!("{} over the runs", esc(&named.metric)));
        svg.push_str(&histogram(
            &named.metric,
            &named.summary,
            MARGINS.plot(0.0, 0.0, panel_w, PLOT_H),
        ));
        if let Some(b) = bands {
            svg.push_str(&svg::bands_panel(
                MARGINS.plot(panel_w + PANEL_GAP, 0.0, panel_w, PLOT_H),
                "Over rounds: median, p25-p75, p5-p95",
                &named.metric,
                &[svg::BandSeries {
                    label: &s.name,
                    index: 0,
                    bands: b.metric(m).collect(),
                }],
            ));
        }
        svg.push_str("</svg>\n");
        out.push_str(&svg::downloadable(&svg, &named.metric, ""));
        out.push_str("</figure>\n");
    }
    out.push_str(PAGE_END);
    out
}

/// The histogram of a metric's final values, from its summary's bins; the count of each bin
/// shows on hover.
fn histogram(name: &str, s: &MetricSummary, r: Rect) -> String {
    let h = &s.histogram;
    let n = s.n.max(1) as f64;
    let bins = h.counts.len().max(1);
    let (lo, hi) = if h.lo == h.hi {
        let half = if h.lo == 0.0 { 1.0 } else { 0.1 * h.lo.abs() };
        (h.lo - half, h.hi + half)
    } else {
        (h.lo, h.hi)
    };
    let top = h.counts.iter().copied().max().unwrap_or(0) as f64 / n;
    let ymax = (top * 1.08).max(0.01);
    let sx = Scale::across(lo, hi, r);
    let sy = Scale::up(0.0, ymax, r);
    let yticks: Vec<(f64, String)> = ticks(0.0, ymax, false)
        .into_iter()
        .map(|(v, _)| (v, format!("{}%", format_sig(v * 100.0, 3))))
        .collect();
    let mut out = String::from("<g class=\"histogram\">\n");
    out.push_str(&axes(
        r,
        sx,
        sy,
        &ticks(lo, hi, false),
        &yticks,
        "Final values: histogram over the runs",
        name,
        "share of runs",
    ));
    let width = (hi - lo) / bins as f64;
    for (i, &count) in h.counts.iter().enumerate() {
        let (a, b) = if h.lo == h.hi {
            (h.lo - width / 10.0, h.lo + width / 10.0)
        } else {
            (h.lo + width * i as f64, h.lo + width * (i + 1) as f64)
        };
        if count == 0 {
            continue;
        }
        let share = count as f64 / n;
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" \
             fill-opacity=\"0.55\"><title>[{}, {}]: {count} runs ({}%)</title></rect>",
            sx.at(a),
            sy.at(share),
            (sx.at(b) - sx.at(a)).max(1.0),
            sy.at(0.0) - sy.at(share),
            svg::colour(0),
            format_sig(a, 4),
            format_sig(b, 4),
            format_sig(share * 100.0, 3),
        );
    }
    out.push_str("</g>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::checks::{assert_balanced, assert_downloads, assert_self_contained};

    #[test]
    fn a_run_report_draws_a_figure_per_metric_and_bands_with_trajectories() {
        let s =
            crate::scenario::load(std::path::Path::new("scenarios/baseline.toml")).expect("loads");
        let names = crate::model::metrics::names(&s);
        let values: Vec<f64> = (0..4 * names.len())
            .map(|i| (i % 7) as f64 / 10.0)
            .collect();
        let summary = Summary::of(&s.name, 1, &names, &values).expect("finite");
        let traj: Vec<f64> = (0..4 * 3 * names.len()).map(|i| (i % 5) as f64).collect();
        let bands = Bands::of(&[0, 20, 40], names.len(), &traj);
        let html = render(&s, &summary, Some(&bands));
        assert_self_contained(&html);
        assert_balanced(&html);
        assert_eq!(assert_downloads(&html, ""), names.len());
        assert_eq!(
            html.matches("<figure class=\"metric\"").count(),
            names.len()
        );
        assert_eq!(html.matches("<g class=\"bands\">").count(), names.len());
        let plain = render(&s, &summary, None);
        assert_eq!(plain.matches("<g class=\"bands\">").count(), 0);
        assert!(plain.contains("--trajectories"));
    }
}
