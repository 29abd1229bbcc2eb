//! The HTML report of a scenario discovery: one self-contained page (inline CSS and SVG,
//! nothing fetched) with PRIM's trade-off (coverage against density of every box of the
//! peeling trajectory, coloured by how many inputs it restricts, values on hover), the chosen
//! box's limits against each input's full range, a scatter of the runs over the two inputs
//! the box restricts most (the box outlined, runs coloured by the condition), and the feature
//! scores. [`render`] only builds a string.

use std::fmt::Write;

use crate::analysis::discovery::{self, Cases, Condition};
use crate::analysis::prim::{Column, Limit, PrimBox};
use crate::report::html::{PAGE_END, page_start};
use crate::report::svg::{self, FIG_W, Margins, Scale, axes, colour, esc, ticks};
use crate::report::table::format_sig;

const MARGINS: Margins = Margins {
    left: 64.0,
    right: 20.0,
    top: 34.0,
    bottom: 46.0,
};
const PLOT_H: f64 = 260.0;
/// Most runs drawn in the scatter (the first ones, in run order).
const MAX_POINTS: usize = 3000;

/// The report of a discovery over the runs of `source`.
pub fn render(
    source: &str,
    condition: &Condition,
    cases: &Cases,
    trajectory: &[PrimBox],
    chosen: usize,
    scores: &[(String, Vec<f64>)],
) -> String {
    let mut out = page_start(&format!("netstates discover: {condition}"), "");
    let b = &trajectory[chosen];
    let _ = writeln!(
        out,
        "<header>\n<h1>netstates discover: <code>{}</code></h1>\n<p class=\"muted\">{} runs of \
         <code>{}</code>, {} inputs that vary; PRIM as the EMA Workbench computes it.</p>\n\
         <p><strong>Box {chosen}:</strong> {}</p>\n</header>\n<main>",
        esc(&condition.to_string()),
        cases.y.len(),
        esc(source),
        cases.inputs.len(),
        esc(&discovery::describe(condition, &cases.inputs, b)),
    );
    out.push_str(&tradeoff(trajectory, chosen));
    out.push_str(&limits(cases, b));
    out.push_str(&scatter(condition, cases, b));
    out.push_str(&feature_table(cases, scores));
    out.push_str(PAGE_END);
    out
}

/// Coverage against density of every box, coloured by restricted dimensions.
fn tradeoff(trajectory: &[PrimBox], chosen: usize) -> String {
    let w = FIG_W / 2.0 + 80.0;
    let r = MARGINS.plot(0.0, 0.0, w, PLOT_H);
    let sx = Scale::across(0.0, 1.02, r);
    let density_lo = trajectory.iter().map(|b| b.density).fold(1.0, f64::min);
    let sy = Scale::up((density_lo - 0.05).max(0.0), 1.02, r);
    let mut s = String::from(
        "<figure>\n<figcaption><h3>Trade-off: coverage and density of every box</h3></figcaption>\n",
    );
    let mut g = svg::open(MARGINS.around(PLOT_H), "coverage against density");
    g.push_str(&axes(
        r,
        sx,
        sy,
        &ticks(0.0, 1.0, false),
        &ticks(sy.lo, 1.0, false),
        "Peeling trajectory (colour: restricted inputs)",
        "coverage",
        "density",
    ));
    for (i, b) in trajectory.iter().enumerate() {
        let _ = writeln!(
            g,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{}\" stroke=\"#1b1f24\" \
             stroke-width=\"{}\"><title>box {i}: coverage {}, density {}, mass {}, {} \
             restricted</title></circle>",
            sx.at(b.coverage),
            sy.at(b.density),
            if i == chosen { 6.5 } else { 4.0 },
            colour(b.res_dim),
            if i == chosen { 2.0 } else { 0.5 },
            format_sig(b.coverage, 3),
            format_sig(b.density, 3),
            format_sig(b.mass, 3),
            b.res_dim,
        );
    }
    g.push_str("</svg>\n");
    s.push_str(&svg::downloadable(&g, "trade-off", ""));
    s.push_str("</figure>\n");
    s
}

/// The chosen box's limits against each restricted input's full range.
fn limits(cases: &Cases, b: &PrimBox) -> String {
    let row = 30.0;
    let height = 30.0 + row * b.limits.len().max(1) as f64;
    let (x0, x1) = (300.0, FIG_W - 30.0);
    let mut s = String::from(
        "<figure>\n<figcaption><h3>The chosen box: each restricted input's limits (dark) in its \
         range (light)</h3></figcaption>\n",
    );
    let mut g = svg::open(height, "box limits");
    for (k, (i, limit)) in b.limits.iter().enumerate() {
        let input = &cases.inputs[*i];
        let y = 20.0 + row * k as f64;
        let _ = writeln!(
            g,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>\
             <rect x=\"{x0}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" fill=\"#d9dee3\"/>",
            x0 - 10.0,
            y + 10.0,
            esc(&input.name),
            esc(&svg::fit(&input.name, x0 - 14.0, svg::FONT_PX)),
            y,
            x1 - x0
        );
        let (a, bb, label) = match (limit, &input.column) {
            (Limit::Interval { lo, hi }, _) => {
                let (min, max) = discovery::range(input);
                let span = (max - min).max(f64::MIN_POSITIVE);
                (
                    (lo.max(min) - min) / span,
                    (hi.min(max) - min) / span,
                    format!(
                        "[{}, {}] of [{}, {}]",
                        format_sig(*lo, 3),
                        format_sig(*hi, 3),
                        format_sig(min, 3),
                        format_sig(max, 3)
                    ),
                )
            }
            (Limit::Set(kept), Column::Categorical { levels, .. }) => {
                // Levels as equal slots; the kept ones dark.
                let slot = 1.0 / levels.len() as f64;
                for (j, level) in levels.iter().enumerate() {
                    if kept.contains(level) {
                        let _ = writeln!(
                            g,
                            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"12\" fill=\"{}\"/>",
                            x0 + (x1 - x0) * slot * j as f64,
                            (x1 - x0) * slot - 2.0,
                            colour(0)
                        );
                    }
                }
                (
                    0.0,
                    0.0,
                    format!("{{{}}} of {{{}}}", kept.join(", "), levels.join(", ")),
                )
            }
            (Limit::Set(kept), _) => (0.0, 0.0, kept.join(", ")),
        };
        if bb > a {
            let _ = writeln!(
                g,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"12\" fill=\"{}\"/>",
                x0 + (x1 - x0) * a,
                ((x1 - x0) * (bb - a)).max(1.0),
                colour(0)
            );
        }
        let _ = writeln!(
            g,
            "<text x=\"{x0}\" y=\"{:.1}\" class=\"muted\">{}</text>",
            y + 24.0,
            esc(&label)
        );
    }
    g.push_str("</svg>\n");
    s.push_str(&svg::downloadable(&g, "box-limits", ""));
    s.push_str("</figure>\n");
    s
}

/// The runs over the two inputs the box restricts most, coloured by the condition, with the
/// box outlined.
fn scatter(condition: &Condition, cases: &Cases, b: &PrimBox) -> String {
    // The most restricted: the smallest share of its range (or levels) kept.
    let kept_share = |(i, limit): &(usize, Limit)| -> f64 {
        let input = &cases.inputs[*i];
        match (limit, &input.column) {
            (Limit::Interval { lo, hi }, _) => {
                let (min, max) = discovery::range(input);
                (hi.min(max) - lo.max(min)) / (max - min).max(f64::MIN_POSITIVE)
            }
            (Limit::Set(kept), Column::Categorical { levels, .. }) => {
                kept.len() as f64 / levels.len() as f64
            }
            _ => 1.0,
        }
    };
    let mut order: Vec<&(usize, Limit)> = b.limits.iter().collect();
    order.sort_by(|p, q| kept_share(p).total_cmp(&kept_share(q)));
    let mut dims: Vec<usize> = order.iter().map(|(i, _)| *i).take(2).collect();
    for i in 0..cases.inputs.len() {
        if dims.len() < 2 && !dims.contains(&i) {
            dims.push(i);
        }
    }
    if dims.len() < 2 {
        return String::new();
    }
    let (xi, yi) = (dims[0], dims[1]);
    let (xs, ys) = (
        discovery::as_numbers(&cases.inputs[xi]),
        discovery::as_numbers(&cases.inputs[yi]),
    );
    let (xmin, xmax) = discovery::range(&cases.inputs[xi]);
    let (ymin, ymax) = discovery::range(&cases.inputs[yi]);
    let pad = |lo: f64, hi: f64| (lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo));
    let (xlo, xhi) = pad(xmin, xmax);
    let (ylo, yhi) = pad(ymin, ymax);
    let w = FIG_W / 2.0 + 120.0;
    let r = MARGINS.plot(0.0, 0.0, w, PLOT_H + 60.0);
    let (sx, sy) = (Scale::across(xlo, xhi, r), Scale::up(ylo, yhi, r));
    let mut s = format!(
        "<figure>\n<figcaption><h3>Runs over <code>{}</code> and <code>{}</code>: where \
         <code>{}</code> holds (colour) and the box</h3></figcaption>\n",
        esc(&cases.inputs[xi].name),
        esc(&cases.inputs[yi].name),
        esc(&condition.to_string())
    );
    let mut g = svg::open(MARGINS.around(PLOT_H + 60.0), "runs and the box");
    g.push_str(&axes(
        r,
        sx,
        sy,
        &ticks(xlo, xhi, false),
        &ticks(ylo, yhi, false),
        &format!("{} runs (of {})", xs.len().min(MAX_POINTS), xs.len()),
        &cases.inputs[xi].name,
        &cases.inputs[yi].name,
    ));
    for k in 0..xs.len().min(MAX_POINTS) {
        let _ = write!(
            g,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2\" fill=\"{}\" fill-opacity=\"0.55\"/>",
            sx.at(xs[k]),
            sy.at(ys[k]),
            if cases.y[k] { colour(1) } else { "#9aa3ab" }
        );
    }
    g.push('\n');
    let bounds = |i: usize, min: f64, max: f64| -> (f64, f64) {
        match b.limits.iter().find(|(j, _)| *j == i).map(|(_, l)| l) {
            Some(Limit::Interval { lo, hi }) => (lo.max(min), hi.min(max)),
            _ => (min, max),
        }
    };
    let (bx0, bx1) = bounds(xi, xmin, xmax);
    let (by0, by1) = bounds(yi, ymin, ymax);
    let _ = writeln!(
        g,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" \
         stroke=\"#1b1f24\" stroke-width=\"2\"/>",
        sx.at(bx0),
        sy.at(by1),
        sx.at(bx1) - sx.at(bx0),
        sy.at(by0) - sy.at(by1)
    );
    g.push_str("</svg>\n");
    s.push_str(&svg::downloadable(&g, "runs-and-box", ""));
    s.push_str("</figure>\n");
    s
}

/// The feature scores of the condition and of every metric, inputs as columns.
fn feature_table(cases: &Cases, scores: &[(String, Vec<f64>)]) -> String {
    let mut s = String::from(
        "<section>\n<h2>Feature scores</h2>\n<p class=\"note\">Impurity-based importance of \
         each input in extremely randomized trees (100 trees, 0.6 of the inputs tried at each \
         node), per outcome; each row sums to 1.</p>\n<div class=\"scroll\"><table \
         class=\"summary\">\n<thead><tr><th>outcome</th>",
    );
    for input in &cases.inputs {
        let _ = write!(
            s,
            "<th class=\"num\"><code>{}</code></th>",
            esc(&input.name)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (outcome, x) in scores {
        let _ = write!(s, "<tr><th>{}</th>", esc(outcome));
        for v in x {
            let _ = write!(s, "<td>{}</td>", format_sig(*v, 2));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table></div>\n</section>\n");
    s
}
