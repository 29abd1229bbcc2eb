//! Many runs of one scenario: runs are played in parallel on a local rayon pool, collected
//! by run index and handed to a sink in run order, so nothing downstream depends on how the
//! runs were scheduled. Memory holds the metrics of every run (8 bytes a value) and nothing
//! per round.

use std::ops::Range;

use rayon::prelude::*;

use crate::engine::{self, NonFinite};
use crate::model::metrics;
use crate::scenario::Scenario;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan<'s> {
    pub scenario: &'s Scenario,
    pub seed: u64,
    /// The runs to play: all of the experiment's, or one shard's.
    pub runs: Range<u64>,
    /// Worker threads.
    pub jobs: usize,
}

/// The metrics of a block of consecutive runs, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub first: u64,
    pub width: usize,
    pub values: Vec<f64>,
}

impl Block {
    pub fn rows(&self) -> impl Iterator<Item = (u64, &[f64])> {
        self.values
            .chunks(self.width.max(1))
            .enumerate()
            .map(|(i, row)| (self.first + i as u64, row))
    }
}

/// Why an experiment stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    #[error(transparent)]
    NonFinite(#[from] NonFinite),
    #[error("{0}")]
    Sink(String),
    #[error("could not start {jobs} worker threads: {source}")]
    Pool {
        jobs: usize,
        source: rayon::ThreadPoolBuildError,
    },
}

/// Runs per block: enough to keep every worker busy, few enough that results reach the
/// sink (and disk) often.
fn block_size(jobs: usize) -> u64 {
    (jobs as u64 * 16).max(64)
}

/// Plays the plan's runs; `sink` receives consecutive blocks in run order, and may stop the
/// experiment by returning an error (after which no further block is run).
pub fn execute(
    plan: &Plan,
    mut sink: impl FnMut(&Block) -> Result<(), String>,
) -> Result<(), ExperimentError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs)
        .build()
        .map_err(|source| ExperimentError::Pool {
            jobs: plan.jobs,
            source,
        })?;
    let width = metrics::names(plan.scenario).len();
    let step = block_size(plan.jobs);
    let mut first = plan.runs.start;
    while first < plan.runs.end {
        let end = (first + step).min(plan.runs.end);
        let rows: Vec<Result<Vec<f64>, NonFinite>> = pool.install(|| {
            (first..end)
                .into_par_iter()
                .map(|run| engine::run(plan.scenario, plan.seed, run))
                .collect()
        });
        let mut values = Vec::with_capacity((end - first) as usize * width);
        for row in rows {
            values.extend(row?);
        }
        sink(&Block {
            first,
            width,
            values,
        })
        .map_err(ExperimentError::Sink)?;
        first = end;
    }
    Ok(())
}
