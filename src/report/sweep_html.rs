//! The HTML report of a sweep: one self-contained page (inline CSS and SVG, nothing fetched)
//! with, for every metric, one panel per swept parameter: the metric's mean at each point and
//! its 90% band (p5 to p95 of the point's runs).
//!
//! A grid of two parameters draws, instead, one heatmap per metric: its mean at every cell of
//! the grid on a viridis colour scale with its legend, the value written in cells wide enough
//! and shown on hover. In other grids, points that share the values of the other parameters
//! form one series: a line through the means and a shaded band, one colour per series (up to
//! eight; more series are drawn as grey lines without bands). In a Latin hypercube every point
//! stands alone: a dot at its mean and a whisker over its band, coloured (with two or more
//! parameters) by another parameter, named under the panel with its colour bar. Ambassador
//! levels sit at evenly spaced positions.
//!
//! [`render`] only builds a string: no I/O.

use std::fmt::Write;

use crate::model::metrics;
use crate::report::html::{PAGE_END, study_page_start};
use crate::report::svg::{self, FIG_W, Margins, PALETTE, Rect, Scale, axes, esc, ticks};

use crate::report::table::format_sig;
use crate::scenario::Scenario;
use crate::store::study::{Plan, Setting};
use crate::store::summary::Summary;

/// Panels per row of a figure.
const COLUMNS: usize = 3;
const PANEL_H: f64 = 200.0;
/// Room around the plot area of a panel.
const MARGINS: Margins = Margins {
    left: 62.0,
    right: 16.0,
    top: 30.0,
    bottom: 48.0,
};
/// Most series drawn in colour with bands.
const MAX_COLOURED: usize = 8;
/// Most rows of the table of points printed in the page.
const MAX_TABLE_ROWS: usize = 400;

const EXTRA_CSS: &str = r#"
svg .band { stroke: none; fill-opacity: .16; }
svg .series { fill: none; stroke-width: 2; }
svg .series.grey { stroke: #9aa3ab; stroke-width: 1; }
svg .whisker { stroke-width: 1.2; }
svg .cell { stroke: #fff; stroke-width: .5; }
svg .value { font-size: 11px; }
table.points td { text-align: right; white-space: nowrap; }
ul.legend { list-style: none; padding: 0; margin: .2rem 1.2rem .2rem 0; font-size: .84rem; display: inline-block; vertical-align: top; }
"#;

/// Renders the sweep report, its metrics in `order` (indices into the summaries' metrics;
/// those left out are not drawn).
pub fn render(plan: &Plan, s: &Scenario, summaries: &[Summary], order: &[usize]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&study_page_start(
        "sweep",
        s,
        plan,
        EXTRA_CSS,
        " (run i of every point shares its random stream)",
    ));
    out.push_str(
        "<p class=\"note\">Each panel shows a metric's mean over the runs of each point (line or \
         dot) and its 90% band, from the 5th to the 95th percentile of the runs (shading or \
         whisker). A grid of two parameters shows each metric's mean as a heatmap \
         instead.</p>\n</header>\n<main>\n",
    );
    let integer = metrics::is_count(s);
    let grid = plan.design.ends_with("grid");
    let names: Vec<&str> = summaries
        .first()
        .map(|f| f.metrics.iter().map(|m| m.metric.as_str()).collect())
        .unwrap_or_default();
    // A panel's axis and series depend on the design alone: laid out once, drawn per metric.
    let panels: Vec<Panel> = (0..plan.factors.len())
        .map(|j| Panel::of(plan, j, grid))
        .collect();
    let heatmap = (grid && plan.factors.len() == 2).then(|| Heatmap::of(plan));
    for &m in order {
        let Some(name) = names.get(m) else { continue };
        let is_count = integer.get(m).copied().unwrap_or(false);
        out.push_str(&match &heatmap {
            Some(h) => h.figure(plan, summaries, m, name),
            None => figure(plan, &panels, summaries, m, name, is_count, grid),
        });
    }
    out.push_str(&points_table(plan, summaries, order));
    out.push_str(PAGE_END);
    out
}

/// One point's statistics of one metric.
#[derive(Clone, Copy)]
struct Stat {
    mean: f64,
    p5: f64,
    p95: f64,
}

fn stat(summary: &Summary, m: usize) -> Stat {
    let s = &summary.metrics[m].summary;
    Stat {
        mean: s.mean,
        p5: s.p5,
        p95: s.p95,
    }
}

/// Where settings of one factor sit on the x axis.
enum Axis {
    Numbers {
        lo: f64,
        hi: f64,
    },
    /// Distinct levels in the order they first appear.
    Levels(Vec<Setting>),
}

impl Axis {
    fn of(plan: &Plan, j: usize) -> Axis {
        let column = plan.points.iter().map(|p| p[j]);
        if matches!(plan.points.first().map(|p| p[j]), Some(Setting::Level(_))) {
            let mut levels = Vec::new();
            for v in column {
                if !levels.contains(&v) {
                    levels.push(v);
                }
            }
            return Axis::Levels(levels);
        }
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in column {
            if let Setting::Number(x) = v {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            (lo, hi) = (lo - pad, hi + pad);
        }
        Axis::Numbers { lo, hi }
    }

    fn position(&self, v: Setting) -> f64 {
        match (self, v) {
            (Axis::Numbers { .. }, Setting::Number(x)) => x,
            (Axis::Levels(levels), v) => levels.iter().position(|l| *l == v).unwrap_or(0) as f64,
            _ => 0.0,
        }
    }

    fn scale(&self, r: Rect) -> Scale {
        let (lo, hi) = match self {
            Axis::Numbers { lo, hi } => (*lo, *hi),
            Axis::Levels(levels) => (-0.5, levels.len() as f64 - 0.5),
        };
        Scale::across(lo, hi, r)
    }

    fn ticks(&self) -> Vec<(f64, String)> {
        match self {
            Axis::Numbers { lo, hi } => ticks(*lo, *hi, false),
            Axis::Levels(levels) => levels
                .iter()
                .enumerate()
                .map(|(i, l)| (i as f64, l.to_string()))
                .collect(),
        }
    }
}

/// The layout of the panels against factor `j`: its axis and its series.
struct Panel {
    axis: Axis,
    /// Points grouped into series, each ordered along the x axis: in a grid, the points that
    /// agree on every other factor; otherwise one series of a single point each.
    series: Vec<Vec<usize>>,
}

impl Panel {
    fn of(plan: &Plan, j: usize, grid: bool) -> Panel {
        let axis = Axis::of(plan, j);
        let mut series: Vec<Vec<usize>> = Vec::new();
        for i in 0..plan.points.len() {
            let same_others = |k: usize| {
                plan.points[k]
                    .iter()
                    .zip(&plan.points[i])
                    .enumerate()
                    .all(|(f, (a, b))| f == j || a == b)
            };
            match series.iter_mut().find(|g| grid && same_others(g[0])) {
                Some(g) => g.push(i),
                None => series.push(vec![i]),
            }
        }
        for members in &mut series {
            members.sort_by(|a, b| {
                axis.position(plan.points[*a][j])
                    .total_cmp(&axis.position(plan.points[*b][j]))
            });
        }
        Panel { axis, series }
    }
}

#[allow(clippy::too_many_arguments)]
fn figure(
    plan: &Plan,
    panels: &[Panel],
    summaries: &[Summary],
    m: usize,
    name: &str,
    integer: bool,
    grid: bool,
) -> String {
    let factors = plan.factors.len();
    let columns = factors.clamp(1, COLUMNS);
    let rows = factors.div_ceil(columns);
    let cell_w = FIG_W / columns as f64;
    // A Latin hypercube of two or more parameters colours its points by another parameter,
    // with a colour bar under each panel.
    let coloured_by = !grid && factors > 1;
    let margins = if coloured_by {
        Margins {
            bottom: MARGINS.bottom + 50.0,
            ..MARGINS
        }
    } else {
        MARGINS
    };
    let cell_h = margins.around(PANEL_H);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for s in summaries {
        let st = stat(s, m);
        lo = lo.min(st.p5).min(st.mean);
        hi = hi.max(st.p95).max(st.mean);
    }
    if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
        let pad = if lo == 0.0 || !lo.is_finite() {
            1.0
        } else {
            lo.abs() * 0.1
        };
        (lo, hi) = (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    let (lo, hi) = (lo - pad, hi + pad);
    let mut svg = String::new();
    let mut legend = String::new();
    for (j, Panel { axis, series }) in panels.iter().enumerate() {
        let r = margins.plot(
            (j % columns) as f64 * cell_w,
            (j / columns) as f64 * cell_h,
            cell_w,
            PANEL_H,
        );
        // The parameter that colours this panel's points: the first one it is not against.
        let by = coloured_by.then(|| ColourBy::of(plan, usize::from(j == 0)));
        let sx = axis.scale(r);
        let sy = Scale::up(lo, hi, r);
        svg.push_str(&axes(
            r,
            sx,
            sy,
            &axis.ticks(),
            &ticks(lo, hi, integer),
            &format!("{name} vs {}", plan.factors[j]),
            &plan.factors[j],
            name,
        ));
        let coloured = series.len() <= MAX_COLOURED;
        for (g, members) in series.iter().enumerate() {
            let colour = if coloured { svg::colour(g) } else { "#9aa3ab" };
            let at = |i: usize, y: f64| (sx.at(axis.position(plan.points[i][j])), sy.at(y));
            if members.len() > 1 {
                if coloured {
                    let mut d = String::new();
                    for (k, &i) in members.iter().enumerate() {
                        let (x, y) = at(i, stat(&summaries[i], m).p95);
                        let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
                    }
                    for &i in members.iter().rev() {
                        let (x, y) = at(i, stat(&summaries[i], m).p5);
                        let _ = write!(d, "L{x:.1} {y:.1}");
                    }
                    let _ = writeln!(svg, "<path class=\"band\" fill=\"{colour}\" d=\"{d}Z\"/>");
                }
                let mut d = String::new();
                for (k, &i) in members.iter().enumerate() {
                    let (x, y) = at(i, stat(&summaries[i], m).mean);
                    let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
                }
                let _ = writeln!(
                    svg,
                    "<path class=\"series{}\" stroke=\"{colour}\" d=\"{d}\"/>",
                    if coloured { "" } else { " grey" }
                );
            }
            for &i in members {
                let st = stat(&summaries[i], m);
                let (x, y) = at(i, st.mean);
                let (_, y5) = at(i, st.p5);
                let (_, y95) = at(i, st.p95);
                let colour = match (&by, grid) {
                    (Some(by), _) => by.colour(plan.points[i][by.factor]),
                    (None, true) => colour.to_string(),
                    (None, false) => PALETTE[0].to_string(),
                };
                let by_value = by.as_ref().map_or(String::new(), |by| {
                    format!(
                        "; {} = {}",
                        plan.factors[by.factor], plan.points[i][by.factor]
                    )
                });
                if members.len() == 1 {
                    let _ = writeln!(
                        svg,
                        "<line class=\"whisker\" stroke=\"{colour}\" x1=\"{x:.1}\" y1=\"{y5:.1}\" \
                         x2=\"{x:.1}\" y2=\"{y95:.1}\"/>"
                    );
                }
                let _ = writeln!(
                    svg,
                    "<circle class=\"point\" fill=\"{colour}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.6\">\
                     <title>point {i}: mean {}, p5 {}, p95 {}{}</title></circle>",
                    format_sig(st.mean, 4),
                    format_sig(st.p5, 4),
                    format_sig(st.p95, 4),
                    esc(&by_value)
                );
            }
        }
        if let Some(by) = &by {
            let bar = Rect {
                x: r.x,
                y: r.bottom() + 70.0,
                w: r.w,
                h: 9.0,
            };
            svg.push_str(&svg::colour_bar(
                bar,
                false,
                &by.ticks(),
                &format!("colour: {}", plan.factors[by.factor]),
            ));
        }
        if grid && factors > 1 && coloured && series.len() > 1 {
            let _ = write!(
                legend,
                "<ul class=\"legend\"><li>lines against <code>{}</code>:</li>",
                esc(&plan.factors[j])
            );
            for (g, members) in series.iter().enumerate() {
                let others: Vec<String> = plan
                    .factors
                    .iter()
                    .zip(&plan.points[members[0]])
                    .enumerate()
                    .filter(|(f, _)| *f != j)
                    .map(|(_, (f, v))| format!("{f}={v}"))
                    .collect();
                let _ = write!(
                    legend,
                    "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                    svg::colour(g),
                    esc(&others.join(", "))
                );
            }
            legend.push_str("</ul>\n");
        }
    }
    let open = svg::open(
        rows as f64 * cell_h,
        &format!("{name} against each swept parameter"),
    );
    let figure = svg::downloadable(&format!("{open}{svg}</svg>\n"), name, EXTRA_CSS);
    format!(
        "<figure class=\"metric\" id=\"metric-{name}\">\n<figcaption><h3>{name}</h3></figcaption>\n\
         {legend}{figure}</figure>\n"
    )
}

/// How the points of a Latin hypercube's panel are coloured: by the setting of `factor`, on
/// the sequential scale from its lowest to its highest value (levels evenly spaced).
struct ColourBy {
    factor: usize,
    axis: Axis,
}

impl ColourBy {
    fn of(plan: &Plan, factor: usize) -> ColourBy {
        ColourBy {
            factor,
            axis: Axis::of(plan, factor),
        }
    }

    /// Where `v` sits on the colour scale, 0 to 1.
    fn t(&self, v: Setting) -> f64 {
        match &self.axis {
            Axis::Numbers { lo, hi } => (self.axis.position(v) - lo) / (hi - lo),
            Axis::Levels(levels) if levels.len() > 1 => {
                self.axis.position(v) / (levels.len() - 1) as f64
            }
            Axis::Levels(_) => 0.5,
        }
    }

    fn colour(&self, v: Setting) -> String {
        svg::sequential(self.t(v))
    }

    /// The colour bar's ticks: round numbers, or every level.
    fn ticks(&self) -> Vec<(f64, String)> {
        match &self.axis {
            Axis::Numbers { lo, hi } => ticks(*lo, *hi, false)
                .into_iter()
                .map(|(v, text)| ((v - lo) / (hi - lo), text))
                .collect(),
            Axis::Levels(levels) => levels.iter().map(|l| (self.t(*l), l.to_string())).collect(),
        }
    }
}

/// The layout of the heatmaps of a two-factor grid: the first factor's settings across, the
/// second's up, and the point at each cell.
struct Heatmap {
    columns: Vec<Setting>,
    rows: Vec<Setting>,
    /// `cells[row][column]`: the point with those settings, if the grid has it.
    cells: Vec<Vec<Option<usize>>>,
}

/// Room around a heatmap: its y tick labels (levels) and axis label on the left, the colour
/// bar on the right.
const HEATMAP_MARGINS: Margins = Margins {
    left: 150.0,
    right: 190.0,
    top: 30.0,
    bottom: 48.0,
};

impl Heatmap {
    fn of(plan: &Plan) -> Heatmap {
        let settings = |j: usize| -> Vec<Setting> {
            let mut v: Vec<Setting> = Vec::new();
            for p in &plan.points {
                if !v.contains(&p[j]) {
                    v.push(p[j]);
                }
            }
            if let Axis::Numbers { .. } = Axis::of(plan, j) {
                v.sort_by(|a, b| match (a, b) {
                    (Setting::Number(x), Setting::Number(y)) => x.total_cmp(y),
                    _ => std::cmp::Ordering::Equal,
                });
            }
            v
        };
        let (columns, rows) = (settings(0), settings(1));
        let cells = rows
            .iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|c| plan.points.iter().position(|p| p[0] == *c && p[1] == *r))
                    .collect()
            })
            .collect();
        Heatmap {
            columns,
            rows,
            cells,
        }
    }

    /// Metric `m`'s mean at every cell, coloured on one scale from its lowest to its highest
    /// mean, the value written in cells wide enough and shown on hover with its band.
    fn figure(&self, plan: &Plan, summaries: &[Summary], m: usize, name: &str) -> String {
        let (nc, nr) = (self.columns.len().max(1), self.rows.len().max(1));
        let plot_h = (nr as f64 * 48.0).clamp(180.0, 420.0);
        let r = HEATMAP_MARGINS.plot(0.0, 0.0, FIG_W, plot_h);
        let (cw, ch) = (r.w / nc as f64, r.h / nr as f64);
        let means = summaries.iter().map(|s| stat(s, m).mean);
        let lo = means
            .clone()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let hi = means
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = match (lo.is_finite(), lo < hi) {
            (false, _) => (0.0, 1.0),
            (true, false) => (lo - 0.5, lo + 0.5),
            (true, true) => (lo, hi),
        };
        let t = |v: f64| (v - lo) / (hi - lo);
        // Every k-th tick label, so that labels stay about 70 units apart.
        let every = |n: usize, space: f64| ((70.0 / space).ceil() as usize).clamp(1, n.max(1));
        let sx = Scale::across(-0.5, nc as f64 - 0.5, r);
        let sy = Scale::up(-0.5, nr as f64 - 0.5, r);
        let label = |v: &Setting| match v {
            Setting::Number(x) => format_sig(*x, 4),
            level => level.to_string(),
        };
        let xticks: Vec<(f64, String)> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every(nc, cw) == 0)
            .map(|(i, v)| (i as f64, label(v)))
            .collect();
        let yticks: Vec<(f64, String)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every(nr, ch * 3.0) == 0)
            .map(|(i, v)| (i as f64, label(v)))
            .collect();
        let mut svg = String::from("<g class=\"heatmap\">\n");
        svg.push_str(&axes(
            r,
            sx,
            sy,
            &xticks,
            &yticks,
            &format!(
                "mean {name} over {} and {}",
                plan.factors[0], plan.factors[1]
            ),
            &plan.factors[0],
            "",
        ));
        for (i, row) in self.cells.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let Some(p) = *cell else { continue };
                let st = stat(&summaries[p], m);
                let (x, y) = (r.x + j as f64 * cw, r.bottom() - (i + 1) as f64 * ch);
                let value = format_sig(st.mean, 3);
                let _ = write!(
                    svg,
                    "<rect class=\"cell\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" \
                     height=\"{:.1}\" fill=\"{}\"><title>{} = {}, {} = {}: mean {}, p5 {}, p95 {} \
                     (point {p})</title></rect>",
                    cw + 0.2,
                    ch + 0.2,
                    svg::sequential(t(st.mean)),
                    esc(&plan.factors[0]),
                    esc(&self.columns[j].to_string()),
                    esc(&plan.factors[1]),
                    esc(&self.rows[i].to_string()),
                    format_sig(st.mean, 4),
                    format_sig(st.p5, 4),
                    format_sig(st.p95, 4),
                );
                if cw >= svg::text_width(&value, svg::FONT_PX, false) + 6.0 && ch >= 16.0 {
                    let _ = write!(
                        svg,
                        "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" \
                         style=\"fill:{}\">{value}</text>",
                        x + cw / 2.0,
                        y + ch / 2.0 + 4.0,
                        if svg::light_text_on(t(st.mean)) {
                            "#fff"
                        } else {
                            "#1b1f24"
                        }
                    );
                }
                svg.push('\n');
            }
        }
        // The y axis label sits left of the level names, which can be long.
        let (yx, yy) = (r.x - HEATMAP_MARGINS.left + 16.0, r.y + r.h / 2.0);
        svg.push_str(&svg::fitted_text(
            "",
            yx,
            yy,
            &format!(" text-anchor=\"middle\" transform=\"rotate(-90 {yx:.1} {yy:.1})\""),
            &plan.factors[1],
            r.h,
        ));
        let bar = Rect {
            x: r.right() + 30.0,
            y: r.y + 16.0,
            w: 16.0,
            h: r.h - 16.0,
        };
        let bar_ticks: Vec<(f64, String)> = ticks(lo, hi, false)
            .into_iter()
            .map(|(v, text)| (t(v), text))
            .collect();
        svg.push_str(&svg::colour_bar(
            bar,
            true,
            &bar_ticks,
            &format!("mean {name}"),
        ));
        svg.push_str("</g>\n");
        let open = svg::open(
            HEATMAP_MARGINS.around(plot_h),
            &format!(
                "mean {name} over {} and {}",
                esc(&plan.factors[0]),
                esc(&plan.factors[1])
            ),
        );
        let figure = svg::downloadable(&format!("{open}{svg}</svg>\n"), name, EXTRA_CSS);
        format!(
            "<figure class=\"metric\" id=\"metric-{name}\">\n<figcaption><h3>{name}</h3></figcaption>\n\
             {figure}</figure>\n"
        )
    }
}

/// The points and the mean of every metric, as a table (the first rows of a large design).
fn points_table(plan: &Plan, summaries: &[Summary], order: &[usize]) -> String {
    let mut t = String::from(
        "<section>\n<h2>Points</h2>\n<div class=\"scroll\"><table class=\"summary points\"><thead><tr><th>point</th>",
    );
    for f in &plan.factors {
        let _ = write!(t, "<th>{}</th>", esc(f));
    }
    if let Some(first) = summaries.first() {
        for m in order.iter().filter_map(|&m| first.metrics.get(m)) {
            let _ = write!(t, "<th class=\"num\">{}</th>", esc(&m.metric));
        }
    }
    t.push_str("</tr></thead>\n<tbody>\n");
    for (i, (point, s)) in plan
        .points
        .iter()
        .zip(summaries)
        .enumerate()
        .take(MAX_TABLE_ROWS)
    {
        let _ = write!(t, "<tr><th>{i}</th>");
        for v in point {
            let _ = write!(t, "<td>{}</td>", esc(&v.to_string()));
        }
        for m in order.iter().filter_map(|&m| s.metrics.get(m)) {
            let _ = write!(t, "<td>{}</td>", format_sig(m.summary.mean, 4));
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</tbody></table></div>\n");
    if plan.points.len() > MAX_TABLE_ROWS {
        let _ = writeln!(
            t,
            "<p class=\"note\">The first {MAX_TABLE_ROWS} of {} points; sweep.csv has them all.</p>",
            plan.points.len()
        );
    }
    t.push_str("<p class=\"note\">Means over each point's runs; sweep.csv also has the sd, p5, p50 and p95.</p>\n</section>\n");
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::checks::{assert_downloads, assert_self_contained};
    use crate::scenario::Level;

    fn summaries(s: &Scenario, points: usize) -> Vec<Summary> {
        let names = metrics::names(s);
        (0..points)
            .map(|p| {
                let values: Vec<f64> = (0..5 * names.len())
                    .map(|i| (p * 7 + i % 11) as f64 / 10.0)
                    .collect();
                Summary::of(&s.name, 1, &names, &values).expect("finite")
            })
            .collect()
    }

    /// Every metric of `s`, in their usual order.
    fn every(s: &Scenario) -> Vec<usize> {
        (0..metrics::names(s).len()).collect()
    }

    fn scenario() -> Scenario {
        crate::scenario::load(std::path::Path::new("scenarios/baseline.toml")).expect("loads")
    }

    /// A grid of ambassador levels (3) by capacities (2).
    fn two_factor_grid(s: &Scenario) -> Plan {
        let levels = [Level::None, Level::Observer, Level::Equal];
        let mut points = Vec::new();
        for l in levels {
            for x in [0.2, 0.5] {
                points.push(vec![Setting::Level(l), Setting::Number(x)]);
            }
        }
        Plan::new(
            "sweep grid",
            s,
            vec![
                "government.*.ambassador".into(),
                "government.*.capacity".into(),
            ],
            points,
        )
    }

    #[test]
    fn a_two_factor_grid_draws_a_heatmap_cell_per_point_with_its_mean() {
        let s = scenario();
        let plan = two_factor_grid(&s);
        let summaries = summaries(&s, 6);
        let html = render(&plan, &s, &summaries, &every(&s));
        assert_self_contained(&html);
        let metrics = metrics::names(&s).len();
        assert_eq!(html.matches("<figure class=\"metric\"").count(), metrics);
        assert_eq!(assert_downloads(&html, EXTRA_CSS), metrics);
        assert_eq!(html.matches("<g class=\"heatmap\">").count(), metrics);
        assert_eq!(html.matches("<rect class=\"cell\"").count(), metrics * 6);
        assert_eq!(html.matches("<g class=\"colour-bar\"").count(), metrics);
        assert_eq!(html.matches("<path class=\"series").count(), 0, "no lines");
        // Point 3 is (observer, 0.5): its cell says so, with metric 0's mean.
        let mean = format_sig(summaries[3].metrics[0].summary.mean, 4);
        let title = format!(
            "<title>government.*.ambassador = observer, government.*.capacity = 0.5: mean {mean},"
        );
        assert!(html.contains(&title), "{title}");
        // Levels across in their order, capacities up in increasing order.
        let first = &html[html.find("<g class=\"heatmap\">").expect("a heatmap")..];
        assert!(first.find(">none</text>") < first.find(">observer</text>"));
        assert!(first.find(">observer</text>") < first.find(">equal</text>"));
        assert!(!html.contains("NaN") && !html.contains("inf\""));
    }

    #[test]
    fn a_one_factor_grid_draws_a_line_and_band() {
        let s = scenario();
        let points = [0.2, 0.5, 0.8]
            .iter()
            .map(|&x| vec![Setting::Number(x)])
            .collect();
        let plan = Plan::new(
            "sweep grid",
            &s,
            vec!["government.*.capacity".into()],
            points,
        );
        let html = render(&plan, &s, &summaries(&s, 3), &every(&s));
        assert_self_contained(&html);
        let metrics = metrics::names(&s).len();
        assert_eq!(html.matches("<path class=\"series\"").count(), metrics);
        assert_eq!(html.matches("<path class=\"band\"").count(), metrics);
        assert_eq!(html.matches("<circle class=\"point\"").count(), metrics * 3);
        assert_eq!(html.matches("<rect class=\"cell\"").count(), 0);
    }

    /// Against the first parameter, points are coloured by the second; against the others,
    /// by the first; each panel names its colour in a colour bar.
    #[test]
    fn a_latin_hypercube_colours_its_points_by_another_parameter() {
        let s = scenario();
        let levels = [Level::None, Level::Observer, Level::Equal, Level::Observer];
        let points: Vec<Vec<Setting>> = (0..4)
            .map(|i| {
                vec![
                    Setting::Number(0.2 + i as f64 / 10.0),
                    Setting::Level(levels[i]),
                ]
            })
            .collect();
        let plan = Plan::new(
            "sweep lhs",
            &s,
            vec![
                "government.*.capacity".into(),
                "government.*.ambassador".into(),
            ],
            points,
        );
        let html = render(&plan, &s, &summaries(&s, 4), &every(&s));
        assert_self_contained(&html);
        let metrics = metrics::names(&s).len();
        assert_eq!(html.matches("<g class=\"colour-bar\"").count(), 2 * metrics);
        let figure = &html[html.find("<figure class=\"metric\"").expect("a figure")..];
        let figure = &figure[..figure.find("</figure>").expect("closed")];
        assert!(figure.contains(">colour: government.*.ambassador</text>"));
        assert!(figure.contains(">colour: government.*.capacity</text>"));
        let fills: Vec<&str> = figure
            .split("<circle class=\"point\" fill=\"")
            .skip(1)
            .map(|c| &c[..7])
            .collect();
        // Against capacity, by level (none, observer, equal: 0, 1/2, 1); then against the
        // level, by capacity (0.2 to 0.5: 0 to 1).
        let by_level = [0.0, 0.5, 1.0, 0.5].map(svg::sequential);
        let by_capacity = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0].map(svg::sequential);
        let expected: Vec<&str> = by_level
            .iter()
            .chain(&by_capacity)
            .map(|c| c.as_str())
            .collect();
        assert_eq!(fills, expected);
        assert!(figure.contains("; government.*.ambassador = equal</title>"));
    }

    #[test]
    fn a_latin_hypercube_draws_points_with_whiskers_and_no_lines() {
        let s = scenario();
        let points = (0..4)
            .map(|i| vec![Setting::Number(i as f64 / 4.0)])
            .collect();
        let plan = Plan::new(
            "sweep lhs",
            &s,
            vec!["government.*.capacity".into()],
            points,
        );
        let html = render(&plan, &s, &summaries(&s, 4), &every(&s));
        assert_self_contained(&html);
        let metrics = metrics::names(&s).len();
        assert_eq!(html.matches("<line class=\"whisker\"").count(), metrics * 4);
        assert_eq!(html.matches("<path class=\"series").count(), 0);
    }

    /// The figures and the table's columns follow the order asked for; metrics left out
    /// are not drawn.
    #[test]
    fn metrics_come_in_the_order_given() {
        let s = scenario();
        let names = metrics::names(&s);
        let plan = two_factor_grid(&s);
        let html = render(&plan, &s, &summaries(&s, 6), &[3, 0]);
        let figures: Vec<&str> = html
            .split("<figure class=\"metric\" id=\"metric-")
            .skip(1)
            .map(|f| &f[..f.find('"').expect("quote")])
            .collect();
        assert_eq!(figures, [names[3].as_str(), names[0].as_str()]);
        let table = &html[html
            .find("<table class=\"summary points\">")
            .expect("a table")..];
        let (third, first) = (
            table.find(&format!(">{}</th>", names[3])).expect("asked"),
            table.find(&format!(">{}</th>", names[0])).expect("asked"),
        );
        assert!(third < first);
        assert!(!table.contains(&format!(">{}</th>", names[1])));
    }
}
