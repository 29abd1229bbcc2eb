//! Comparing the outcome distributions of scenarios: each sample is an experiment's metrics
//! (run now, or read from a result directory), every other sample is compared with the first
//! (the baseline), metric by metric. This module builds the comparison; rendering it (terminal
//! table, JSON, CSV, HTML) lives in `report`. No I/O here. The bootstrap intervals draw from
//! the seed's reserved compare-bootstrap stream, the same resamples for every metric.

use serde::Serialize;

/// One scenario's runs.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// The scenario's name.
    pub label: String,
    pub description: String,
    /// The scenario file or result directory it came from.
    pub source: String,
    pub seed: u64,
    /// Metric names, in column order.
    pub names: Vec<String>,
    /// `runs x names.len()` values, run by run (left out of JSON output: it is in runs.csv).
    #[serde(skip_serializing)]
    pub values: Vec<f64>,
    /// With trajectories: the recorded rounds and `runs x rounds x names.len()` values.
    #[serde(skip_serializing)]
    pub trajectory: Option<(Vec<u32>, Vec<f64>)>,
}

impl Sample {
    pub fn runs(&self) -> usize {
        self.values.len().checked_div(self.names.len()).unwrap_or(0)
    }

    /// One metric's values over the runs, in run order.
    pub fn column(&self, metric: usize) -> Vec<f64> {
        let width = self.names.len();
        (0..self.runs())
            .map(|r| self.values[r * width + metric])
            .collect()
    }
}

/// A mean with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
}

/// One metric of one scenario against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    pub metric: String,
    pub baseline: Estimate,
    pub other: Estimate,
    /// other - baseline, with a 95% percentile bootstrap interval.
    pub difference: Estimate,
    /// The metric takes one value in both samples: no test applies and none is reported.
    pub constant: bool,
    pub ks_d: f64,
    pub ks_p: f64,
    pub mann_whitney_u: f64,
    pub mann_whitney_p: f64,
    /// Vargha-Delaney A12: P(other > baseline) + P(equal) / 2.
    pub a12: f64,
    /// Welch's t-test p; `None` when both samples have zero variance.
    pub welch_p: Option<f64>,
    pub wasserstein: f64,
    /// Mann-Whitney p, Holm-adjusted over the metrics of this pair of scenarios.
    pub p_adjusted: f64,
}

/// Every metric of one scenario against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairComparison {
    /// Index of the other sample in [`Comparison::samples`].
    pub other: usize,
    /// Whether run i of both shared its random stream (same seed and runs), so the bootstrap
    /// resampled pairs of runs.
    pub paired: bool,
    pub metrics: Vec<MetricComparison>,
}

/// A whole comparison: the samples (the first is the baseline) and each against the first.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub samples: Vec<Sample>,
    pub pairs: Vec<PairComparison>,
    /// Seed of the bootstrap resampling (its reserved compare-bootstrap stream).
    pub bootstrap_seed: u64,
    /// How the metrics unfold, when every sample recorded trajectories at the same rounds.
    #[serde(skip_serializing)]
    pub trajectories: Option<Trajectories>,
    pub bootstrap_resamples: usize,
}

use super::bands::Bands;
use super::stats::two_sample as st;
use crate::run::streams::{self, Reserved};

impl Comparison {
    /// Keeps only the metrics `names`, in that order, in every pair (for display: the tests
    /// and their Holm adjustment were made over every metric). Unknown names are ignored.
    pub fn show_only(&mut self, names: &[String]) {
        for pair in &mut self.pairs {
            let mut kept = Vec::with_capacity(names.len());
            for name in names {
                if let Some(m) = pair.metrics.iter().find(|m| &m.metric == name) {
                    kept.push(m.clone());
                }
            }
            pair.metrics = kept;
        }
    }
}

/// Vargha & Delaney's (2000) thresholds on |A12 - 0.5|: negligible, small, medium, large.
pub fn effect_size(a12: f64) -> &'static str {
    match (a12 - 0.5).abs() {
        d if d < 0.06 => "negligible",
        d if d < 0.14 => "small",
        d if d < 0.21 => "medium",
        _ => "large",
    }
}

/// Significance marker of an adjusted p-value.
pub fn stars(p: f64) -> &'static str {
    match p {
        p if p < 0.001 => "***",
        p if p < 0.01 => "**",
        p if p < 0.05 => "*",
        _ => "",
    }
}

/// The bands over rounds of every sample, and of each pair's paired differences.
#[derive(Debug, Clone)]
pub struct Trajectories {
    /// Per sample, in the sample's own metric order.
    pub samples: Vec<Bands>,
    /// Per pair of [`Comparison::pairs`], the bands of other - baseline run by run, in the
    /// baseline's metric order, for paired pairs whose metrics match; `None` otherwise.
    pub differences: Vec<Option<Bands>>,
}

/// The trajectory bands of samples that all recorded the same rounds.
fn trajectories(samples: &[Sample], pairs: &[PairComparison]) -> Option<Trajectories> {
    let rounds = &samples.first()?.trajectory.as_ref()?.0;
    if samples
        .iter()
        .any(|s| s.trajectory.as_ref().is_none_or(|(r, _)| r != rounds))
    {
        return None;
    }
    let bands = samples
        .iter()
        .filter_map(|s| {
            let (r, v) = s.trajectory.as_ref()?;
            Some(Bands::of(r, s.names.len(), v))
        })
        .collect();
    let base = &samples[0];
    let differences = pairs
        .iter()
        .map(|p| {
            let other = &samples[p.other];
            let (a, b) = (base.trajectory.as_ref()?, other.trajectory.as_ref()?);
            (p.paired && other.names == base.names)
                .then(|| Bands::paired_difference(rounds, base.names.len(), &a.1, &b.1))
        })
        .collect();
    Some(Trajectories {
        samples: bands,
        differences,
    })
}

/// One metric of `other` against `baseline` (before the Holm adjustment).
fn compare_metric(
    metric: &str,
    a: &[f64],
    b: &[f64],
    paired: bool,
    resamples: usize,
    seed: u64,
) -> MetricComparison {
    let estimate = |(value, lo, hi): (f64, f64, f64)| Estimate { value, lo, hi };
    let is_constant = |xs: &[f64]| xs.iter().all(|&x| x == xs[0]);
    let constant = is_constant(a) && is_constant(b);
    let ks = st::ks_2samp(a, b);
    let mw = st::mann_whitney(a, b);
    MetricComparison {
        metric: metric.to_string(),
        baseline: estimate(st::mean_ci95(a)),
        other: estimate(st::mean_ci95(b)),
        difference: estimate(st::bootstrap_diff(
            a,
            b,
            paired,
            resamples,
            streams::reserved(seed, Reserved::CompareBootstrap),
        )),
        constant,
        ks_d: ks.d,
        ks_p: ks.p,
        mann_whitney_u: mw.u,
        mann_whitney_p: mw.p,
        // A12 of the other scenario over the baseline: P(b > a) + P(b = a) / 2.
        a12: st::a12(b, a),
        welch_p: st::welch(a, b).map(|w| w.p),
        wasserstein: st::wasserstein1(a, b),
        p_adjusted: 1.0,
    }
}

/// Compares every sample with the first. A pair is paired (common random numbers) when both
/// have the same seed and number of runs. Metrics are matched by name; the baseline's order is
/// kept and metrics the other lacks are left out.
pub fn compare(samples: Vec<Sample>, resamples: usize, bootstrap_seed: u64) -> Comparison {
    let base = &samples[0];
    let pairs: Vec<PairComparison> = (1..samples.len())
        .map(|o| {
            let other = &samples[o];
            let paired = base.seed == other.seed && base.runs() == other.runs();
            let mut metrics: Vec<MetricComparison> = base
                .names
                .iter()
                .enumerate()
                .filter_map(|(m, name)| {
                    let n = other.names.iter().position(|x| x == name)?;
                    Some(compare_metric(
                        name,
                        &base.column(m),
                        &other.column(n),
                        paired,
                        resamples,
                        bootstrap_seed,
                    ))
                })
                .collect();
            let tested: Vec<usize> = (0..metrics.len())
                .filter(|&i| !metrics[i].constant)
                .collect();
            let p: Vec<f64> = tested.iter().map(|&i| metrics[i].mann_whitney_p).collect();
            for (&i, adjusted) in tested.iter().zip(st::holm(&p)) {
                metrics[i].p_adjusted = adjusted;
            }
            PairComparison {
                other: o,
                paired,
                metrics,
            }
        })
        .collect();
    let trajectories = trajectories(&samples, &pairs);
    Comparison {
        trajectories,
        samples,
        pairs,
        bootstrap_seed,
        bootstrap_resamples: resamples,
    }
}
