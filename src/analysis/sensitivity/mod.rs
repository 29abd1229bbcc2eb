//! Global sensitivity analysis: how much of each metric's variation over a box of parameter
//! values each parameter accounts for. Sobol indices (first order, total and, on request,
//! second order, from Saltelli's sample) and Morris's elementary effects, computed with SALib's
//! estimators so that the same sample and outputs give SALib's numbers (checked against
//! fixtures made with SALib 1.6.0).
//!
//! The model output at a sample point is the mean of a metric over the point's runs, every
//! point with the same seed (common random numbers). Sampling and bootstrap draw from their own
//! streams of the experiment's seed, so the whole analysis is reproducible from it. Running the
//! points is [`crate::store::study`]'s work; this module samples and analyses.

pub mod directions;
pub mod morris;
pub mod sequence;
pub mod sobol;

use rand::Rng;
use serde::Serialize;

use crate::run::streams::{self, Reserved};

/// `scipy.stats.norm.ppf(0.975)`: intervals are 95% intervals, as SALib's default.
pub const Z95: f64 = 1.959963984540054;

/// Most parameters: Saltelli's sample needs twice as many Sobol dimensions.
pub const MAX_PARAMETERS: usize = sequence::MAX_DIMENSIONS / 2;

/// The method of a sensitivity analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// A design or analysis that cannot be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    #[error("a sensitivity analysis takes 1 to {MAX_PARAMETERS} parameters, got {0}")]
    Parameters(usize),
    #[error("the number of samples must be between 2 and {max}, got {0}", max = MAX_SAMPLES)]
    Samples(usize),
    #[error("second-order indices need at least 2 parameters")]
    SecondOrderNeedsTwo,
    #[error("second-order indices are Sobol indices; Morris effects have none")]
    SecondOrderMorris,
    #[error("the Morris grid needs an even number of levels between 2 and 1000, got {0}")]
    Levels(usize),
    /// Outputs or resamples that do not fit the design (a caller's mistake).
    #[error("{0}")]
    Shape(String),
}

/// Most base points or trajectories.
pub const MAX_SAMPLES: usize = 1 << 20;

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
    pub fn check(&self, d: usize) -> Result<(), SensitivityError> {
        if !(1..=MAX_PARAMETERS).contains(&d) {
            return Err(SensitivityError::Parameters(d));
        }
        if !(2..=MAX_SAMPLES).contains(&self.samples) {
            return Err(SensitivityError::Samples(self.samples));
        }
        match self.method {
            Method::Sobol if self.second_order && d < 2 => {
                Err(SensitivityError::SecondOrderNeedsTwo)
            }
            Method::Morris if self.second_order => Err(SensitivityError::SecondOrderMorris),
            Method::Morris
                if self.levels < 2 || !self.levels.is_multiple_of(2) || self.levels > 1000 =>
            {
                Err(SensitivityError::Levels(self.levels))
            }
            _ => Ok(()),
        }
    }
}

/// The sample points, scaled to the parameters' ranges `(lo, hi)`: `samples` base points of
/// Saltelli's design, or `samples` Morris trajectories, drawn from the seed.
pub fn sample(
    design: &Design,
    ranges: &[(f64, f64)],
    seed: u64,
) -> Result<Vec<Vec<f64>>, SensitivityError> {
    let d = ranges.len();
    design.check(d)?;
    let mut rng = streams::reserved(seed, Reserved::Design);
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
        let mut rng = streams::reserved(seed, Reserved::SensitivityBootstrap);
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
) -> Result<Analysis, SensitivityError> {
    let d = x.first().map_or(0, Vec::len);
    match resamples {
        Resamples::Sobol(r) => {
            sobol::analyze(y, d, design.second_order, r, Z95).map(Analysis::Sobol)
        }
        Resamples::Morris(r) => morris::analyze(x, y, design.levels, r, Z95).map(Analysis::Morris),
    }
    .map_err(SensitivityError::Shape)
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
