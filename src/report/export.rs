//! The CSV exports of analyses, for scripts: a sweep's table, a sensitivity analysis's
//! indices, a comparison's statistics. Each is written with the one CSV writer and number
//! format of [`crate::store::csv`], so every CSV netstates writes reads back the same way.

use crate::analysis::comparison::Comparison;
use crate::analysis::prim::{Limit, Params, PrimBox};
use crate::analysis::sensitivity::Analysis;
use crate::store::csv::{Field, Text};
use crate::store::study::Setting;
use crate::store::summary::Summary;

/// The statistics of each metric in a sweep's CSV, in column order.
pub const SWEEP_STATS: [&str; 5] = ["mean", "sd", "p5", "p50", "p95"];

fn setting(v: &Setting) -> Field<'_> {
    match v {
        Setting::Number(x) => Field::Number(*x),
        Setting::Level(l) => Field::Text(l.name()),
    }
}

/// `sweep.csv` (and a sensitivity analysis's `points.csv`): `point`, the factors, then
/// `<metric>_<stat>` for each metric and statistic; levels as words.
pub fn sweep_csv(factors: &[String], points: &[Vec<Setting>], summaries: &[Summary]) -> String {
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(factors.iter().cloned());
    if let Some(first) = summaries.first() {
        for m in &first.metrics {
            header.extend(
                SWEEP_STATS
                    .iter()
                    .map(|stat| format!("{}_{stat}", m.metric)),
            );
        }
    }
    let mut out = Text::new(&header);
    for (i, (point, summary)) in points.iter().zip(summaries).enumerate() {
        let stats = summary.metrics.iter().flat_map(|m| {
            let s = &m.summary;
            [s.mean, s.sd, s.p5, s.p50, s.p95].map(Field::Number)
        });
        out.row(
            std::iter::once(Field::Whole(i as u64))
                .chain(point.iter().map(setting))
                .chain(stats),
        );
    }
    out.finish()
}

/// `sensitivity.csv`: one row per metric and parameter.
pub fn sensitivity_csv(parameters: &[String], metrics: &[(String, Analysis)]) -> String {
    let mut header = vec!["metric", "parameter"];
    if let Some((_, a)) = metrics.first() {
        header.extend(a.headers());
    }
    let mut out = Text::new(&header);
    for (name, a) in metrics {
        for (j, p) in parameters.iter().enumerate() {
            out.row(
                [Field::Text(name), Field::Text(p)]
                    .into_iter()
                    .chain(a.columns(j).map(Field::Number)),
            );
        }
    }
    out.finish()
}

/// `second-order.csv`: one row per metric and pair of parameters; `None` without second-order
/// indices.
pub fn second_order_csv(parameters: &[String], metrics: &[(String, Analysis)]) -> Option<String> {
    let mut out = Text::new(&["metric", "parameter", "other", "S2", "S2_conf"]);
    let mut any = false;
    for (name, a) in metrics {
        if let Analysis::Sobol(s) = a {
            for p in &s.s2 {
                any = true;
                out.row([
                    Field::Text(name),
                    Field::Text(&parameters[p.j]),
                    Field::Text(&parameters[p.k]),
                    Field::Number(p.s2),
                    Field::Number(p.conf),
                ]);
            }
        }
    }
    any.then(|| out.finish())
}

/// Every statistic of every pair of a comparison, one row per (scenario, metric).
pub fn compare_csv(c: &Comparison) -> String {
    let mut out = Text::new(&[
        "baseline",
        "scenario",
        "paired",
        "metric",
        "constant",
        "baseline_mean",
        "baseline_lo",
        "baseline_hi",
        "other_mean",
        "other_lo",
        "other_hi",
        "difference",
        "difference_lo",
        "difference_hi",
        "ks_d",
        "ks_p",
        "mann_whitney_u",
        "mann_whitney_p",
        "a12",
        "welch_p",
        "wasserstein",
        "p_adjusted",
    ]);
    let base = &c.samples[0].label;
    for pair in &c.pairs {
        let other = &c.samples[pair.other].label;
        for m in &pair.metrics {
            let n = Field::Number;
            out.row([
                Field::Text(base),
                Field::Text(other),
                Field::Flag(pair.paired),
                Field::Text(&m.metric),
                Field::Flag(m.constant),
                n(m.baseline.value),
                n(m.baseline.lo),
                n(m.baseline.hi),
                n(m.other.value),
                n(m.other.lo),
                n(m.other.hi),
                n(m.difference.value),
                n(m.difference.lo),
                n(m.difference.hi),
                n(m.ks_d),
                n(m.ks_p),
                n(m.mann_whitney_u),
                n(m.mann_whitney_p),
                n(m.a12),
                m.welch_p.map_or(Field::Empty, n),
                n(m.wasserstein),
                n(m.p_adjusted),
            ]);
        }
    }
    out.finish()
}

/// `prim-trajectory.csv`: the peeling trajectory, a row per box.
pub fn prim_trajectory_csv(trajectory: &[PrimBox]) -> String {
    let mut out = Text::new(&["box", "coverage", "density", "mass", "res_dim"]);
    for (i, b) in trajectory.iter().enumerate() {
        out.row([
            Field::Whole(i as u64),
            Field::Number(b.coverage),
            Field::Number(b.density),
            Field::Number(b.mass),
            Field::Whole(b.res_dim as u64),
        ]);
    }
    out.finish()
}

/// `prim-box.csv`: the chosen box's limits, a row per restricted input: an interval's bounds,
/// or a set's levels (separated by `|`), and the quasi-p-value.
pub fn prim_box_csv(names: &[String], index: usize, b: &PrimBox) -> String {
    let mut out = Text::new(&["box", "input", "lo", "hi", "levels", "quasi_p"]);
    for (i, limit) in &b.limits {
        let qp = b
            .quasi_p
            .iter()
            .find(|(j, _)| j == i)
            .map_or(Field::Empty, |(_, p)| Field::Number(*p));
        let levels;
        let (lo, hi, set) = match limit {
            Limit::Interval { lo, hi } => (Field::Number(*lo), Field::Number(*hi), Field::Empty),
            Limit::Set(l) => {
                levels = l.join("|");
                (Field::Empty, Field::Empty, Field::Text(&levels))
            }
        };
        out.row([
            Field::Whole(index as u64),
            Field::Text(&names[*i]),
            lo,
            hi,
            set,
            qp,
        ]);
    }
    out.finish()
}

/// `feature-scores.csv`: a row per outcome (the condition, then every metric) and input.
pub fn feature_scores_csv(names: &[String], scores: &[(String, Vec<f64>)]) -> String {
    let mut out = Text::new(&["outcome", "input", "score"]);
    for (outcome, s) in scores {
        for (name, x) in names.iter().zip(s) {
            out.row([Field::Text(outcome), Field::Text(name), Field::Number(*x)]);
        }
    }
    out.finish()
}

/// `discover.json`: the condition, PRIM's parameters, the trajectory with every box's limits
/// and quasi-p-values, the chosen box, and the feature scores.
pub fn discover_json(
    condition: &str,
    params: &Params,
    names: &[String],
    trajectory: &[PrimBox],
    chosen: usize,
    scores: &[(String, Vec<f64>)],
) -> String {
    use serde_json::json;
    let boxes: Vec<serde_json::Value> = trajectory
        .iter()
        .map(|b| {
            let limits: Vec<serde_json::Value> = b
                .limits
                .iter()
                .map(|(i, l)| {
                    let qp = b.quasi_p.iter().find(|(j, _)| j == i).map(|(_, p)| *p);
                    match l {
                        Limit::Interval { lo, hi } => {
                            json!({"input": names[*i], "lo": lo, "hi": hi, "quasi_p": qp})
                        }
                        Limit::Set(levels) => {
                            json!({"input": names[*i], "levels": levels, "quasi_p": qp})
                        }
                    }
                })
                .collect();
            json!({"coverage": b.coverage, "density": b.density, "mass": b.mass,
                   "res_dim": b.res_dim, "limits": limits})
        })
        .collect();
    let scores: serde_json::Map<String, serde_json::Value> = scores
        .iter()
        .map(|(outcome, s)| {
            let per: serde_json::Map<String, serde_json::Value> = names
                .iter()
                .zip(s)
                .map(|(n, x)| (n.clone(), json!(x)))
                .collect();
            (outcome.clone(), serde_json::Value::Object(per))
        })
        .collect();
    let doc = json!({
        "condition": condition,
        "params": {"peel_alpha": params.peel_alpha, "paste_alpha": params.paste_alpha,
                   "mass_min": params.mass_min, "threshold": params.threshold},
        "inputs": names,
        "trajectory": boxes,
        "chosen": chosen,
        "feature_scores": scores,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
