//! Global sensitivity analysis: how much of each metric's variation over a box of parameter
//! values each parameter accounts for. Sobol indices (first order, total and, on request,
//! second order, from Saltelli's sample) and Morris's elementary effects, computed with SALib's
//! estimators so that the same sample and outputs give SALib's numbers (checked against
//! fixtures made with SALib 1.6.0).
//!
//! The model output at a sample point is the mean of a metric over the point's runs, every
//! point with the same seed (common random numbers). Sampling and bootstrap draw from their own
//! streams of the experiment's seed, so the whole analysis is reproducible from it. Running the
//! points is [`crate::study`]'s work; this module samples and analyses.

pub mod directions;
pub mod morris;
pub mod sequence;
pub mod sobol;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::report::files::format_value;
use crate::report::table::{aligned, format_sig};
use crate::sweep::DESIGN_STREAM;

/// The stream of the experiment's seed that draws the bootstrap resamples.
pub const BOOTSTRAP_STREAM: u64 = u64::MAX - 1;

/// `scipy.stats.norm.ppf(0.975)`: intervals are 95% intervals, as SALib's default.
pub const Z95: f64 = 1.959963984540054;

/// Most parameters: Saltelli's sample needs twice as many Sobol dimensions.
pub const MAX_PARAMETERS: usize = sequence::MAX_DIMENSIONS / 2;

/// The method of a sensitivity analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Sobol first-order and total indices from Saltelli's sample: N (D + 2) points.
    Sobol,
    /// Morris elementary effects (mu, mu*, sigma): N trajectories of D + 1 points.
    Morris,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Sobol => "sobol",
            Method::Morris => "morris",
        }
    }
}

fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// What to sample and how to analyse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Design {
    pub method: Method,
    /// Base points of Saltelli's design, or Morris trajectories.
    pub samples: usize,
    /// Levels of the Morris grid.
    pub levels: usize,
    /// Sobol: also the second-order indices, from N (2D + 2) points instead of N (D + 2).
    pub second_order: bool,
}

impl Design {
    /// Checks the design for `d` parameters.
    pub fn check(&self, d: usize) -> Result<(), String> {
        if !(1..=MAX_PARAMETERS).contains(&d) {
            return Err(format!(
                "a sensitivity analysis takes 1 to {MAX_PARAMETERS} --param, got {d}"
            ));
        }
        if !(2..=1 << 20).contains(&self.samples) {
            return Err(format!(
                "--samples must be between 2 and {}, got {}",
                1 << 20,
                self.samples
            ));
        }
        match self.method {
            Method::Sobol if self.second_order && d < 2 => {
                Err("second-order indices need at least 2 parameters".into())
            }
            Method::Morris if self.second_order => {
                Err("second-order indices are for --method sobol".into())
            }
            Method::Morris
                if self.levels < 2 || !self.levels.is_multiple_of(2) || self.levels > 1000 =>
            {
                Err(format!(
                    "--levels must be an even number between 2 and 1000, got {}",
                    self.levels
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The sample points, scaled to the parameters' ranges `(lo, hi)`: `samples` base points of
/// Saltelli's design, or `samples` Morris trajectories, drawn from the seed.
pub fn sample(design: &Design, ranges: &[(f64, f64)], seed: u64) -> Result<Vec<Vec<f64>>, String> {
    let d = ranges.len();
    design.check(d)?;
    let mut rng = rng(seed, DESIGN_STREAM);
    let unit = match design.method {
        Method::Sobol => {
            let mut sequence = sequence::Sobol::scrambled(2 * d, &mut rng);
            sobol::sample_unit(design.samples, d, design.second_order, &mut sequence)
        }
        Method::Morris => morris::sample_unit(design.samples, d, design.levels, &mut rng),
    };
    Ok(scale(unit, ranges))
}

/// Unit-cube rows mapped onto the ranges `(lo, hi)` as SALib maps them: `u * (hi - lo) + lo`.
pub fn scale(unit: Vec<Vec<f64>>, ranges: &[(f64, f64)]) -> Vec<Vec<f64>> {
    unit.into_iter()
        .map(|row| {
            row.iter()
                .zip(ranges)
                .map(|(u, (lo, hi))| u * (hi - lo) + lo)
                .collect()
        })
        .collect()
}

/// The bootstrap resamples of an analysis, drawn from the seed.
#[derive(Debug, Clone)]
pub enum Resamples {
    /// `[k]`: the base points of resample k.
    Sobol(Vec<Vec<usize>>),
    /// `[j][k]`: the trajectories of resample k of parameter j.
    Morris(Vec<Vec<Vec<usize>>>),
}

impl Resamples {
    /// `count` resamples for a design of `d` parameters, drawn from the seed.
    pub fn draw(design: &Design, d: usize, count: usize, seed: u64) -> Resamples {
        let mut rng = rng(seed, BOOTSTRAP_STREAM);
        let n = design.samples;
        let mut draw = || -> Vec<usize> { (0..n).map(|_| rng.random_range(0..n)).collect() };
        match design.method {
            Method::Sobol => Resamples::Sobol((0..count).map(|_| draw()).collect()),
            Method::Morris => Resamples::Morris(
                (0..d)
                    .map(|_| (0..count).map(|_| draw()).collect())
                    .collect(),
            ),
        }
    }
}

/// One metric's indices.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Analysis {
    Sobol(sobol::Indices),
    Morris(morris::Effects),
}

/// Analyses one metric's outputs `y` at the sample points `x` of a design.
pub fn analyze(
    design: &Design,
    x: &[Vec<f64>],
    y: &[f64],
    resamples: &Resamples,
) -> Result<Analysis, String> {
    let d = x.first().map_or(0, Vec::len);
    match resamples {
        Resamples::Sobol(r) => {
            sobol::analyze(y, d, design.second_order, r, Z95).map(Analysis::Sobol)
        }
        Resamples::Morris(r) => morris::analyze(x, y, design.levels, r, Z95).map(Analysis::Morris),
    }
}

impl Analysis {
    /// Column names of [`Analysis::columns`].
    pub fn headers(&self) -> [&'static str; 4] {
        match self {
            Analysis::Sobol(_) => ["S1", "S1_conf", "ST", "ST_conf"],
            Analysis::Morris(_) => ["mu", "mu_star", "sigma", "mu_star_conf"],
        }
    }

    /// The four numbers of parameter `j`, in [`Analysis::headers`] order.
    pub fn columns(&self, j: usize) -> [f64; 4] {
        match self {
            Analysis::Sobol(s) => [s.s1[j], s.s1_conf[j], s.st[j], s.st_conf[j]],
            Analysis::Morris(m) => [m.mu[j], m.mu_star[j], m.sigma[j], m.mu_star_conf[j]],
        }
    }

    /// The number parameters are ranked by: the total index, or mu*.
    pub fn importance(&self, j: usize) -> f64 {
        match self {
            Analysis::Sobol(s) => s.st[j],
            Analysis::Morris(m) => m.mu_star[j],
        }
    }
}

/// `sensitivity.csv`: one row per metric and parameter.
pub fn csv(parameters: &[String], metrics: &[(String, Analysis)]) -> String {
    let mut out = String::from("metric,parameter");
    if let Some((_, a)) = metrics.first() {
        for h in a.headers() {
            out.push(',');
            out.push_str(h);
        }
    }
    out.push('\n');
    for (name, a) in metrics {
        for (j, p) in parameters.iter().enumerate() {
            out.push_str(&format!("{name},{p}"));
            for x in a.columns(j) {
                out.push(',');
                out.push_str(&format_value(x, false));
            }
            out.push('\n');
        }
    }
    out
}

/// The terminal table of one metric: parameters ranked by importance, most important first.
pub fn table(parameters: &[String], metric: &str, a: &Analysis) -> String {
    let mut order: Vec<usize> = (0..parameters.len()).collect();
    order.sort_by(|&i, &j| a.importance(j).total_cmp(&a.importance(i)));
    let headers: Vec<String> = match a {
        Analysis::Sobol(_) => ["S1", "±95%", "ST", "±95%"],
        Analysis::Morris(_) => ["mu", "mu*", "sigma", "mu* ±95%"],
    }
    .iter()
    .map(|h| h.to_string())
    .collect();
    let mut rows = vec![
        std::iter::once(metric.to_string())
            .chain(headers)
            .collect::<Vec<_>>(),
    ];
    for j in order {
        let mut row = vec![format!("  {}", parameters[j])];
        row.extend(a.columns(j).iter().map(|x| format_sig(*x, 3)));
        rows.push(row);
    }
    let mut out = aligned(&rows, &[false, true, true, true, true]);
    if let Analysis::Sobol(s) = a
        && !s.s2.is_empty()
    {
        let mut pairs = s.s2.clone();
        pairs.sort_by(|p, q| q.s2.total_cmp(&p.s2));
        let mut rows = vec![vec!["  pair".to_string(), "S2".into(), "±95%".into()]];
        for p in pairs {
            rows.push(vec![
                format!("  {} x {}", parameters[p.j], parameters[p.k]),
                format_sig(p.s2, 3),
                format_sig(p.conf, 3),
            ]);
        }
        out.push('\n');
        out.push_str(&aligned(&rows, &[false, true, true]));
    }
    out
}

/// `second-order.csv`: one row per metric and pair of parameters; `None` without second-order
/// indices.
pub fn second_order_csv(parameters: &[String], metrics: &[(String, Analysis)]) -> Option<String> {
    let mut out = String::from("metric,parameter,other,S2,S2_conf\n");
    let mut any = false;
    for (name, a) in metrics {
        if let Analysis::Sobol(s) = a {
            for p in &s.s2 {
                any = true;
                out.push_str(&format!(
                    "{name},{},{},{},{}\n",
                    parameters[p.j],
                    parameters[p.k],
                    format_value(p.s2, false),
                    format_value(p.conf, false)
                ));
            }
        }
    }
    any.then_some(out)
}
