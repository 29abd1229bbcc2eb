//! Sweeps: the points of a grid or a Latin hypercube over some parameters, and the table of
//! their results (one row per point: the parameters, then each metric's mean, sd, p5, p50 and
//! p95). Running the points is [`crate::study`]'s work; this module only designs and tabulates.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::report::files::{Summary, format_value};
use crate::report::table::format_sig;
use crate::study::{Factor, MAX_POINTS, Setting, Spec, lerp};

/// The stream of the experiment's seed that samples a design; runs use streams 0, 1, 2, ...
/// (at most 10^9 of them), so the design never shares a run's draws.
pub const DESIGN_STREAM: u64 = u64::MAX;

/// How the points of a sweep are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Design {
    /// Every combination of the values of `LO..HI:STEPS` and `A,B,C` axes.
    Grid,
    /// `--samples` points of a Latin hypercube over `LO..HI` ranges and `A,B,C` lists.
    Lhs,
}

impl Design {
    pub fn name(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
        }
    }
}

/// The varying factors' paths and every point's settings.
pub type Points = (Vec<String>, Vec<Vec<Setting>>);

/// The points of a design. Fixed factors (`PATH=VALUE`) are not columns: they apply to every
/// point. A grid's first factor varies slowest.
pub fn points(
    design: Design,
    factors: &[Factor],
    samples: Option<usize>,
    seed: u64,
) -> Result<Points, String> {
    let varying: Vec<&Factor> = factors
        .iter()
        .filter(|f| !matches!(f.spec, Spec::Fixed(_)))
        .collect();
    if varying.is_empty() {
        return Err(
            "nothing to sweep: give at least one --set PATH=LO..HI:STEPS or PATH=A,B,C".into(),
        );
    }
    let paths = varying.iter().map(|f| f.path.clone()).collect();
    let rows = match design {
        Design::Grid => {
            if samples.is_some() {
                return Err("--samples is for --design lhs; a grid has every combination".into());
            }
            grid(&varying)?
        }
        Design::Lhs => {
            let n = samples.ok_or("--design lhs needs --samples N")?;
            if !(1..=MAX_POINTS).contains(&n) {
                return Err(format!(
                    "--samples must be between 1 and {MAX_POINTS}, got {n}"
                ));
            }
            latin_hypercube(&varying, n, seed)?
        }
    };
    Ok((paths, rows))
}

fn grid(factors: &[&Factor]) -> Result<Vec<Vec<Setting>>, String> {
    let mut axes = Vec::new();
    for f in factors {
        match f.grid_values() {
            Some(values) => axes.push(values),
            None => {
                return Err(format!(
                    "--set {}: a grid axis needs its steps (LO..HI:STEPS) or its values \
                     (A,B,C); a plain LO..HI range is for --design lhs",
                    f.path
                ));
            }
        }
    }
    let total = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.len()))
        .filter(|&n| n <= MAX_POINTS)
        .ok_or_else(|| format!("the grid has more than {MAX_POINTS} points"))?;
    let mut rows = Vec::with_capacity(total);
    for mut k in 0..total {
        let mut row = vec![Setting::Number(0.0); axes.len()];
        for (j, axis) in axes.iter().enumerate().rev() {
            row[j] = axis[k % axis.len()];
            k /= axis.len();
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A Latin hypercube (McKay, Beckman & Conover 1979): each factor's range is cut into `n`
/// equal strata, each stratum holds exactly one point (at a uniform position inside it), and
/// the strata are paired across factors by independent random permutations. A list of `m`
/// values is a factor whose unit interval maps to its values in `m` equal parts.
fn latin_hypercube(factors: &[&Factor], n: usize, seed: u64) -> Result<Vec<Vec<Setting>>, String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(DESIGN_STREAM);
    let mut rows = vec![Vec::with_capacity(factors.len()); n];
    let mut strata: Vec<usize> = Vec::with_capacity(n);
    for f in factors {
        strata.clear();
        strata.extend(0..n);
        // Fisher-Yates, from the top.
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        for (row, &stratum) in rows.iter_mut().zip(&strata) {
            let u = (stratum as f64 + rng.random::<f64>()) / n as f64;
            row.push(match &f.spec {
                Spec::Range { lo, hi } => Setting::Number(lerp(*lo, *hi, u)),
                Spec::List(items) => {
                    items[((u * items.len() as f64) as usize).min(items.len() - 1)]
                }
                Spec::Steps { .. } | Spec::Fixed(_) => {
                    return Err(format!(
                        "--set {}: a Latin hypercube samples ranges (LO..HI) and lists (A,B,C), \
                         not steps",
                        f.path
                    ));
                }
            });
        }
    }
    Ok(rows)
}

/// The statistics of each metric in a sweep's CSV, in column order.
pub const STATS: [&str; 5] = ["mean", "sd", "p5", "p50", "p95"];

/// `sweep.csv`: `point`, the factors, then `<metric>_<stat>` for each metric and statistic.
/// Numbers in the shortest form that reads back to the same bits; levels as words.
pub fn csv(factors: &[String], points: &[Vec<Setting>], summaries: &[Summary]) -> String {
    let mut out = String::from("point");
    for f in factors {
        out.push(',');
        out.push_str(f);
    }
    if let Some(first) = summaries.first() {
        for m in &first.metrics {
            for stat in STATS {
                out.push_str(&format!(",{}_{stat}", m.metric));
            }
        }
    }
    out.push('\n');
    for (i, (point, summary)) in points.iter().zip(summaries).enumerate() {
        out.push_str(&i.to_string());
        for v in point {
            out.push(',');
            out.push_str(&v.to_string());
        }
        for m in &summary.metrics {
            let s = &m.summary;
            for x in [s.mean, s.sd, s.p5, s.p50, s.p95] {
                out.push(',');
                out.push_str(&format_value(x, false));
            }
        }
        out.push('\n');
    }
    out
}

/// The terminal table: one row per point, the factors, then the mean of each chosen metric.
pub fn table(
    factors: &[String],
    points: &[Vec<Setting>],
    summaries: &[Summary],
    metrics: &[usize],
) -> String {
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(factors.iter().cloned());
    if let Some(first) = summaries.first() {
        header.extend(metrics.iter().map(|&m| first.metrics[m].metric.clone()));
    }
    let mut rows = vec![header];
    for (i, (point, summary)) in points.iter().zip(summaries).enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(point.iter().map(|v| match v {
            Setting::Number(x) => format_sig(*x, 4),
            level => level.to_string(),
        }));
        row.extend(
            metrics
                .iter()
                .map(|&m| format_sig(summary.metrics[m].summary.mean, 4)),
        );
        rows.push(row);
    }
    let right = vec![true; rows[0].len()];
    crate::report::table::aligned(&rows, &right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Override};

    fn factors(args: &[&str]) -> Vec<Factor> {
        let s = scenario::load(std::path::Path::new("scenarios/baseline.toml")).expect("loads");
        args.iter()
            .map(|a| Factor::parse(&a.parse::<Override>().expect("PATH=VALUE"), &s, "--set"))
            .collect::<Result<_, _>>()
            .expect("valid factors")
    }

    #[test]
    fn a_grid_has_every_combination_first_factor_slowest() {
        let f = factors(&[
            "government.*.ambassador=none,equal",
            "model.opinion.confidence=0.1..0.3:3",
            "government.*.capacity=0.5",
        ]);
        let (paths, rows) = points(Design::Grid, &f, None, 0).expect("a grid");
        assert_eq!(paths.len(), 2, "the fixed factor is not a column");
        assert_eq!(rows.len(), 6);
        let n = |x| Setting::Number(x);
        let none = Setting::Level(scenario::Level::None);
        let equal = Setting::Level(scenario::Level::Equal);
        assert_eq!(rows[0], vec![none, n(0.1)]);
        assert_eq!(rows[2], vec![none, n(0.3)]);
        assert_eq!(rows[3], vec![equal, n(0.1)]);
        assert_eq!(rows[5], vec![equal, n(0.3)]);
    }

    #[test]
    fn a_latin_hypercube_fills_every_stratum_once_and_repeats_with_its_seed() {
        let f = factors(&[
            "model.opinion.confidence=0.1..0.5",
            "firm.*.lobby_share=0..0.1",
        ]);
        let n = 40;
        let (_, rows) = points(Design::Lhs, &f, Some(n), 7).expect("an lhs");
        for (j, (lo, hi)) in [(0.1, 0.5), (0.0, 0.1)].into_iter().enumerate() {
            let mut seen = vec![0; n];
            for row in &rows {
                let Setting::Number(x) = row[j] else {
                    panic!("numbers expected")
                };
                let stratum = ((x - lo) / (hi - lo) * n as f64) as usize;
                seen[stratum.min(n - 1)] += 1;
            }
            assert!(seen.iter().all(|&c| c == 1), "factor {j}: {seen:?}");
        }
        assert_eq!(points(Design::Lhs, &f, Some(n), 7).expect("again").1, rows);
        assert_ne!(points(Design::Lhs, &f, Some(n), 8).expect("seed 8").1, rows);
    }

    #[test]
    fn designs_refuse_what_they_cannot_use() {
        let range = factors(&["model.opinion.confidence=0.1..0.5"]);
        let e = points(Design::Grid, &range, None, 0).expect_err("no steps");
        assert!(e.contains("LO..HI:STEPS"), "{e}");
        let steps = factors(&["model.opinion.confidence=0.1..0.5:3"]);
        let e = points(Design::Lhs, &steps, Some(4), 0).expect_err("steps");
        assert!(e.contains("not steps"), "{e}");
        let e = points(Design::Lhs, &range, None, 0).expect_err("no samples");
        assert!(e.contains("--samples"), "{e}");
        let fixed = factors(&["model.opinion.confidence=0.1"]);
        let e = points(Design::Grid, &fixed, None, 0).expect_err("nothing varies");
        assert!(e.contains("nothing to sweep"), "{e}");
        let big = factors(&[
            "model.opinion.confidence=0.1..0.5:1000",
            "firm.*.lobby_share=0..0.1:1001",
        ]);
        let e = points(Design::Grid, &big, None, 0).expect_err("too many points");
        assert!(e.contains("more than"), "{e}");
    }
}
