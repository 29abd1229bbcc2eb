//! Many runs of one scenario: runs are played in parallel on a [`Pool`] of worker threads,
//! collected by run index and handed to a sink in run order, so nothing downstream depends on
//! how the runs were scheduled. Memory holds one block of metrics at a time and nothing per
//! round. One pool serves a whole command: the experiments of a study's points share it.

#![allow(
    clippy::disallowed_methods,
    reason = "the clock only sizes blocks; no result depends on block boundaries"
)]

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::one::{self, NonFinite};
use crate::model::metrics;
use crate::scenario::Scenario;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan<'s> {
    pub scenario: &'s Scenario,
    pub seed: u64,
    /// The runs to play: all of the experiment's, or one shard's, or what is left of them.
    pub runs: Range<u64>,
}

/// The worker threads that play runs.
#[derive(Debug)]
pub struct Pool {
    threads: rayon::ThreadPool,
}

/// The worker threads could not be started.
#[derive(Debug, thiserror::Error)]
#[error("could not start {jobs} worker threads: {source}")]
pub struct PoolError {
    pub jobs: usize,
    pub source: rayon::ThreadPoolBuildError,
}

impl Pool {
    /// A pool of `jobs` worker threads.
    pub fn new(jobs: usize) -> Result<Pool, PoolError> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .map(|threads| Pool { threads })
            .map_err(|source| PoolError { jobs, source })
    }

    /// How many worker threads it has.
    pub fn jobs(&self) -> usize {
        self.threads.current_num_threads()
    }

    /// Runs `work` on the pool (directly, when called from one of its threads), so that the
    /// parallel iterators inside it use the pool's threads.
    pub fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        self.threads.install(work)
    }
}

/// The metrics of a block of consecutive runs, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub first: u64,
    pub width: usize,
    pub values: Vec<f64>,
}

impl Block {
    pub fn runs(&self) -> usize {
        self.values.len() / self.width.max(1)
    }

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
    /// The sink refused a block (it could not write it, say).
    #[error("{0}")]
    Sink(String),
}

/// Blocks grow until one takes about this long, so results reach the sink (and disk) often
/// whatever a run costs, and the pool's start-up is paid rarely.
const BLOCK_TIME: Duration = Duration::from_millis(500);
const MAX_BLOCK: u64 = 1 << 14;

/// Plays the plan's runs; `sink` receives consecutive blocks in run order. Returns whether
/// every run was played: `stop` (set by Ctrl-C) ends the experiment after the runs already
/// started, and the sink has then received every run before the first one not played.
pub fn execute(
    plan: &Plan,
    pool: &Pool,
    stop: &AtomicBool,
    mut sink: impl FnMut(&Block) -> Result<(), String>,
) -> Result<bool, ExperimentError> {
    let width = metrics::names(plan.scenario).len();
    let mut size = pool.jobs() as u64 * 2;
    let mut first = plan.runs.start;
    while first < plan.runs.end {
        let end = (first + size).min(plan.runs.end);
        let clock = Instant::now();
        let rows: Vec<Option<Result<Vec<f64>, NonFinite>>> = pool.install(|| {
            (first..end)
                .into_par_iter()
                .map(|run| {
                    (!stop.load(Ordering::Relaxed)).then(|| one::run(plan.scenario, plan.seed, run))
                })
                .collect()
        });
        let mut values = Vec::with_capacity((end - first) as usize * width);
        let mut played = 0;
        for row in rows.into_iter().map_while(|r| r) {
            values.extend(row?);
            played += 1;
        }
        if played > 0 {
            sink(&Block {
                first,
                width,
                values,
            })
            .map_err(ExperimentError::Sink)?;
        }
        if first + played < end {
            return Ok(false);
        }
        first = end;
        if clock.elapsed() < BLOCK_TIME {
            size = (size * 2).min(MAX_BLOCK);
        }
    }
    Ok(true)
}
