//! Comparing the outcome distributions of scenarios: each sample is an experiment's metrics
//! (run now, or read from a result directory), every other sample is compared with the first
//! (the baseline), metric by metric. This module builds the comparison; rendering it (terminal
//! table, JSON, CSV, HTML) lives in `report`. No I/O here.

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
    /// `runs x names.len()` values, run by run.
    pub values: Vec<f64>,
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
    /// Seed of the bootstrap resampling.
    pub bootstrap_seed: u64,
    pub bootstrap_resamples: usize,
}
