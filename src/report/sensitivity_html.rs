//! The HTML report of a sensitivity analysis: one self-contained page (inline CSS and SVG,
//! nothing fetched) with a bar chart per metric: each parameter's first-order and total Sobol
//! index, or its Morris mu* and sigma, with the 95% bootstrap interval as a whisker (for
//! Morris, also the mu*-sigma plane, a labelled point per parameter), and the numbers in a
//! table under the charts.
//!
//! [`render`] only builds a string: no I/O.

use std::fmt::Write;

use crate::analysis::sensitivity::sobol::Pair;
use crate::analysis::sensitivity::{Analysis, Method, morris};
use crate::report::html::{PAGE_END, study_page_start};
use crate::report::svg::{self, FIG_W, Margins, PALETTE, Rect, Scale, axes, esc, ticks, truncate};
use crate::report::table::format_sig;
use crate::scenario::Scenario;
use crate::store::study::Plan;

/// Room around the plot area, with the parameter names on its left.
const MARGINS: Margins = Margins {
    left: 250.0,
    right: 24.0,
    top: 30.0,
    bottom: 46.0,
};
/// Height of one bar, and the gap after a parameter's pair of bars.
const BAR: f64 = 11.0;
const GAP: f64 = 12.0;

const EXTRA_CSS: &str = r#"
svg .whisker { stroke: #1b1f24; stroke-width: 1.2; }
svg .zero { stroke: #1b1f24; stroke-width: 1; }
svg .muted { fill: #5f6b76; }
table.indices td { text-align: right; white-space: nowrap; }
"#;

/// Renders the sensitivity report, its metrics in `order` (indices into `analyses`; those
/// left out are not drawn).
pub fn render(
    plan: &Plan,
    s: &Scenario,
    method: Method,
    resamples: usize,
    analyses: &[(String, Analysis)],
    order: &[usize],
) -> String {
    let analyses: Vec<&(String, Analysis)> =
        order.iter().filter_map(|&m| analyses.get(m)).collect();
    let (bars, explain) = match method {
        Method::Sobol => (
            ["S1 (first order)", "ST (total)"],
            "S1 is the share of the metric's variance that a parameter explains alone; ST the \
             share it takes part in, alone or with others (ST - S1 measures its interactions). \
             Computed with SALib's estimators (Saltelli 2010 for S1, Jansen 1999 for ST) on the \
             mean of the metric over each point's runs.",
        ),
        Method::Morris => (
            ["mu* (mean |effect|)", "sigma (sd of effects)"],
            "mu* is the mean absolute change of the metric when a parameter moves one Morris \
             step (in units of its range); sigma, the spread of those changes, is large when \
             the effect depends on the other parameters or is non-linear. Computed with SALib's \
             estimators on the mean of the metric over each point's runs.",
        ),
    };
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&study_page_start("sensitivity", s, plan, EXTRA_CSS, ""));
    let _ = writeln!(
        out,
        "<p class=\"note\">{explain} Whiskers are 95% bootstrap intervals ({resamples} \
         resamples).</p>\n<p><span class=\"swatch\" style=\"background:{}\"></span>{} \
         &nbsp; <span class=\"swatch\" style=\"background:{}\"></span>{}</p>\n</header>\n<main>",
        PALETTE[0], bars[0], PALETTE[1], bars[1],
    );
    for (name, a) in analyses.iter().copied() {
        out.push_str(&figure(&plan.factors, name, a));
    }
    out.push_str(&numbers(&plan.factors, &analyses));
    out.push_str(PAGE_END);
    out
}

/// The two bars of parameter `j` and their whiskers' half-widths.
fn bars(a: &Analysis, j: usize) -> [(f64, f64); 2] {
    match a {
        Analysis::Sobol(s) => [(s.s1[j], s.s1_conf[j]), (s.st[j], s.st_conf[j])],
        Analysis::Morris(m) => [(m.mu_star[j], m.mu_star_conf[j]), (m.sigma[j], 0.0)],
    }
}

fn figure(params: &[String], name: &str, a: &Analysis) -> String {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for j in 0..params.len() {
        for (v, c) in bars(a, j) {
            if v.is_finite() && c.is_finite() {
                lo = lo.min(v - c);
                hi = hi.max(v + c);
            }
        }
    }
    if let Analysis::Sobol(_) = a {
        hi = hi.max(0.1);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.03;
    let (lo, hi) = (if lo < 0.0 { lo - pad } else { lo }, hi + pad);
    let h = params.len() as f64 * (2.0 * BAR + GAP);
    let r = MARGINS.plot(0.0, 0.0, FIG_W, h);
    let sx = Scale::across(lo, hi, r);
    let sy = Scale::up(0.0, 1.0, r);
    let xlabel = match a {
        Analysis::Sobol(_) => "share of variance",
        Analysis::Morris(_) => "change of the metric per step",
    };
    let mut svg = axes(r, sx, sy, &ticks(lo, hi, false), &[], name, xlabel, "");
    let zero = sx.at(0.0);
    let _ = writeln!(
        svg,
        "<line class=\"zero\" x1=\"{zero:.1}\" y1=\"{:.1}\" x2=\"{zero:.1}\" y2=\"{:.1}\"/>",
        r.y,
        r.bottom()
    );
    for (j, p) in params.iter().enumerate() {
        let top = r.y + GAP / 2.0 + j as f64 * (2.0 * BAR + GAP);
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            r.x - 8.0,
            top + BAR + 4.0,
            esc(p),
            esc(&svg::fit(p, MARGINS.left - 12.0, svg::FONT_PX))
        );
        for (k, (v, c)) in bars(a, j).into_iter().enumerate() {
            if !v.is_finite() {
                continue;
            }
            let y = top + k as f64 * BAR;
            let (x0, x1) = (sx.at(0.0_f64.min(v)), sx.at(0.0_f64.max(v)));
            let _ = writeln!(
                svg,
                "<rect class=\"bar\" fill=\"{}\" x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" \
                 height=\"{:.1}\"><title>{}: {}{}</title></rect>",
                PALETTE[k],
                (x1 - x0).max(0.5),
                BAR - 1.0,
                esc(p),
                format_sig(v, 3),
                if c > 0.0 {
                    format!(" ± {}", format_sig(c, 2))
                } else {
                    String::new()
                }
            );
            if c > 0.0 && c.is_finite() {
                let ym = y + (BAR - 1.0) / 2.0;
                let _ = writeln!(
                    svg,
                    "<path class=\"whisker\" d=\"M{:.1} {ym:.1}H{:.1}M{:.1} {:.1}V{:.1}M{:.1} \
                     {:.1}V{:.1}\"/>",
                    sx.at(v - c),
                    sx.at(v + c),
                    sx.at(v - c),
                    ym - 3.0,
                    ym + 3.0,
                    sx.at(v + c),
                    ym - 3.0,
                    ym + 3.0,
                );
            }
        }
    }
    let open = svg::open(MARGINS.around(h), &format!("sensitivity of {name}"));
    let mut figure = svg::downloadable(&format!("{open}{svg}</svg>\n"), name, EXTRA_CSS);
    if let Analysis::Morris(effects) = a {
        figure.push_str(&svg::downloadable(
            &mu_sigma(params, name, effects),
            &format!("{name}-mu-star-sigma"),
            EXTRA_CSS,
        ));
    }
    format!("<figure class=\"metric\" id=\"metric-{name}\">\n{figure}</figure>\n")
}

/// Plot area of the Morris mu*-sigma scatter, and the height of its figure.
const SCATTER: Rect = Rect {
    x: 74.0,
    y: 30.0,
    w: 560.0,
    h: 300.0,
};
const SCATTER_FIG_H: f64 = 380.0;
/// Longest parameter name written beside a point of the scatter.
const LABEL_CHARS: usize = 40;

/// Morris's mu*-sigma plane of one metric (Campolongo, Cariboni & Saltelli 2007): a point per
/// parameter, labelled with its path (moved up or down where labels would overlap), its
/// numbers on hover, and the line sigma = mu* dashed (above it, a parameter's effect depends
/// more on where the others are, or is more non-linear, than it is large).
fn mu_sigma(params: &[String], name: &str, e: &morris::Effects) -> String {
    let r = SCATTER;
    let finite: Vec<usize> = (0..params.len())
        .filter(|&j| e.mu_star[j].is_finite() && e.sigma[j].is_finite())
        .collect();
    let top = |v: &[f64]| {
        let hi = finite.iter().map(|&j| v[j]).fold(0.0f64, f64::max);
        if hi > 0.0 { hi * 1.08 } else { 1.0 }
    };
    let (xmax, ymax) = (top(&e.mu_star), top(&e.sigma));
    let sx = Scale::across(0.0, xmax, r);
    let sy = Scale::up(0.0, ymax, r);
    let mut s = svg::open(SCATTER_FIG_H, &format!("mu* and sigma of {}", esc(name)));
    s.push_str("<g class=\"mu-sigma\">\n");
    s.push_str(&axes(
        r,
        sx,
        sy,
        &ticks(0.0, xmax, false),
        &ticks(0.0, ymax, false),
        &format!("{name}: mu* against sigma"),
        "mu* (mean |effect| per step)",
        "sigma (sd of effects)",
    ));
    let end = xmax.min(ymax);
    let _ = writeln!(
        s,
        "<line class=\"diagonal\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" \
         stroke=\"#9aa3ab\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{:.1}\" \
         class=\"muted\">sigma = mu*</text>",
        sx.at(0.0),
        sy.at(0.0),
        sx.at(end),
        sy.at(end),
        sx.at(end) + 5.0,
        sy.at(end) + 14.0,
    );
    // Labels right of their point (left near the right edge), moved off labels already placed.
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for &j in &finite {
        let (x, y) = (sx.at(e.mu_star[j]), sy.at(e.sigma[j]));
        let label = truncate(&params[j], LABEL_CHARS);
        let w = svg::text_width(&label, svg::FONT_PX, false);
        let left = x + 7.0 + w > FIG_W - 8.0;
        let x0 = if left { x - 7.0 - w } else { x + 7.0 };
        let free = |dy: f64| {
            placed
                .iter()
                .all(|&(px, py, pw)| (py - (y + dy)).abs() >= 13.0 || px + pw < x0 || x0 + w < px)
        };
        let dy = [0.0, -13.0, 13.0, -26.0, 26.0, -39.0, 39.0]
            .into_iter()
            .find(|&dy| free(dy))
            .unwrap_or(0.0);
        placed.push((x0, y + dy, w));
        let _ = writeln!(
            s,
            "<circle class=\"parameter\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\">\
             <title>{}: mu* {}, sigma {}, mu {}</title></circle><text class=\"label\" \
             x=\"{x0:.1}\" y=\"{:.1}\">{}</text>",
            PALETTE[0],
            esc(&params[j]),
            format_sig(e.mu_star[j], 3),
            format_sig(e.sigma[j], 3),
            format_sig(e.mu[j], 3),
            y + dy + 4.0,
            esc(&label)
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// Every number of the charts, as a table.
fn numbers(params: &[String], analyses: &[&(String, Analysis)]) -> String {
    let mut t = String::from(
        "<section>\n<h2>Numbers</h2>\n<div class=\"scroll\"><table class=\"summary indices\"><thead><tr><th>metric</th><th>parameter</th>",
    );
    if let Some((_, a)) = analyses.first() {
        for h in a.headers() {
            let _ = write!(t, "<th class=\"num\">{h}</th>");
        }
    }
    t.push_str("</tr></thead>\n<tbody>\n");
    for (name, a) in analyses {
        for (j, p) in params.iter().enumerate() {
            let _ = write!(
                t,
                "<tr><th>{}</th><td class=\"mono\">{}</td>",
                esc(name),
                esc(p)
            );
            for x in a.columns(j) {
                let _ = write!(t, "<td>{}</td>", format_sig(x, 3));
            }
            t.push_str("</tr>\n");
        }
    }
    t.push_str("</tbody></table></div>\n");
    let pairs: Vec<(&str, &Pair)> = analyses
        .iter()
        .filter_map(|(name, a)| match a {
            Analysis::Sobol(s) => Some(s.s2.iter().map(move |p| (name.as_str(), p))),
            Analysis::Morris(_) => None,
        })
        .flatten()
        .collect();
    if !pairs.is_empty() {
        t.push_str("<h2>Second-order indices</h2>\n<p class=\"note\">S2: the share of variance \
                    that a pair of parameters explains together beyond their first-order \
                    effects.</p>\n<div class=\"scroll\"><table class=\"summary indices\"><thead><tr>\
                    <th>metric</th><th>pair</th><th class=\"num\">S2</th><th class=\"num\">\
                    S2_conf</th></tr></thead>\n<tbody>\n");
        for (name, &Pair { j, k, s2, conf }) in pairs {
            let _ = writeln!(
                t,
                "<tr><th>{}</th><td class=\"mono\">{} &times; {}</td><td>{}</td><td>{}</td></tr>",
                esc(name),
                esc(&params[j]),
                esc(&params[k]),
                format_sig(s2, 3),
                format_sig(conf, 3)
            );
        }
        t.push_str("</tbody></table></div>\n");
    }
    t.push_str("</section>\n");
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{morris, sobol};
    use crate::report::html::checks::{assert_downloads, assert_self_contained};
    use crate::store::study::Setting;

    #[test]
    fn bars_and_whiskers_for_every_parameter_and_metric() {
        let s =
            crate::scenario::load(std::path::Path::new("scenarios/baseline.toml")).expect("loads");
        let plan = Plan::new(
            "sensitivity sobol N=2",
            &s,
            vec![
                "a.long.parameter.path.that.does.not.fit.in.the.margin".into(),
                "b".into(),
            ],
            vec![vec![Setting::Number(0.0); 2]; 8],
        );
        let sobol = Analysis::Sobol(sobol::Indices {
            s1: vec![0.6, -0.02],
            s1_conf: vec![0.1, 0.05],
            st: vec![0.9, 0.0],
            st_conf: vec![0.2, 0.0],
            s2: vec![Pair {
                j: 0,
                k: 1,
                s2: 0.05,
                conf: 0.01,
            }],
        });
        let html = render(
            &plan,
            &s,
            Method::Sobol,
            100,
            &[("capture".into(), sobol)],
            &[0],
        );
        assert_self_contained(&html);
        assert_eq!(assert_downloads(&html, EXTRA_CSS), 1);
        assert_eq!(html.matches("<rect class=\"bar\"").count(), 4);
        assert_eq!(
            html.matches("<path class=\"whisker\"").count(),
            3,
            "no whisker for 0"
        );
        assert!(html.contains("…</text>"), "a long name is cut");
        assert!(html.contains("<h2>Second-order indices</h2>"));
        let morris = Analysis::Morris(morris::Effects {
            mu: vec![f64::NAN, 0.1],
            mu_star: vec![f64::NAN, 0.2],
            sigma: vec![f64::NAN, 0.05],
            mu_star_conf: vec![f64::NAN, 0.01],
        });
        let html = render(
            &plan,
            &s,
            Method::Morris,
            100,
            &[("trust".into(), morris)],
            &[0],
        );
        assert_self_contained(&html);
        assert_eq!(
            html.matches("<rect class=\"bar\"").count(),
            2,
            "NaN draws no bar"
        );
        assert!(!html.contains("NaN\""));
        assert_eq!(assert_downloads(&html, EXTRA_CSS), 2, "bars and mu*-sigma");
        assert_eq!(html.matches("<g class=\"mu-sigma\">").count(), 1);
        assert_eq!(
            html.matches("<circle class=\"parameter\"").count(),
            1,
            "no point for NaN"
        );
        assert!(html.contains("<title>b: mu* 0.2, sigma 0.05, mu 0.1</title>"));
        assert!(html.contains("<text class=\"label\""));
        assert!(html.contains(">b</text>"));
    }

    /// Two parameters at the same place: two points, labels one above the other.
    #[test]
    fn mu_sigma_labels_do_not_overlap() {
        let params = vec!["government.*.capacity".to_string(), "ngo.*.budget".into()];
        let e = morris::Effects {
            mu: vec![0.1, 0.1],
            mu_star: vec![0.2, 0.2],
            sigma: vec![0.05, 0.05],
            mu_star_conf: vec![0.01, 0.01],
        };
        let svg = mu_sigma(&params, "capture", &e);
        let ys: Vec<f64> = svg
            .split("<text class=\"label\" x=\"")
            .skip(1)
            .map(|t| {
                let y = &t[t.find("y=\"").expect("y") + 3..];
                y[..y.find('"').expect("quote")].parse().expect("a number")
            })
            .collect();
        assert_eq!(ys.len(), 2);
        assert!((ys[0] - ys[1]).abs() >= 13.0, "{ys:?}");
    }
}
