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

use super::one::{self, NonFinite, Record, Trajectory};
use crate::model::metrics;
use crate::scenario::Scenario;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan<'s> {
    pub scenario: &'s Scenario,
    pub seed: u64,
    /// The runs to play: all of the experiment's, or one shard's, or what is left of them.
    pub runs: Range<u64>,
    /// The rounds whose metrics each run records, if any.
    pub trajectory: Option<Trajectory>,
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

/// The records of a block of consecutive runs, run by run: inputs (the drawn values of the
/// uncertain parameters), final metrics, and trajectories (`points` rows of metrics a run).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub first: u64,
    /// Metrics a row.
    pub width: usize,
    /// `runs x width` final metrics.
    pub values: Vec<f64>,
    /// Inputs a run.
    pub inputs_width: usize,
    /// `runs x inputs_width` drawn values.
    pub inputs: Vec<f64>,
    /// Trajectory rows a run (0 without trajectories).
    pub points: usize,
    /// `runs x points x width` metrics of the recorded rounds.
    pub trajectories: Vec<f64>,
}

impl Block {
    pub fn runs(&self) -> usize {
        self.values.len() / self.width.max(1)
    }

    /// Each run's index, inputs and final metrics.
    pub fn rows(&self) -> impl Iterator<Item = (u64, &[f64], &[f64])> {
        let n = self.runs();
        (0..n).map(move |i| {
            (
                self.first + i as u64,
                &self.inputs[i * self.inputs_width..(i + 1) * self.inputs_width],
                &self.values[i * self.width..(i + 1) * self.width],
            )
        })
    }

    /// Run `i` of the block's trajectory rows, `points x width` values.
    pub fn trajectory(&self, i: usize) -> &[f64] {
        let size = self.points * self.width;
        &self.trajectories[i * size..(i + 1) * size]
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
    let s = plan.scenario;
    let width = metrics::names(s).len();
    let inputs_width = s.uncertain().len();
    let points = plan.trajectory.map_or(0, |t| t.points(s.rounds));
    let mut size = pool.jobs() as u64 * 2;
    let mut first = plan.runs.start;
    while first < plan.runs.end {
        let end = (first + size).min(plan.runs.end);
        let clock = Instant::now();
        let records: Vec<Option<Result<Record, NonFinite>>> = pool.install(|| {
            (first..end)
                .into_par_iter()
                .map(|run| {
                    (!stop.load(Ordering::Relaxed)).then(|| {
                        let mut record = Record::default();
                        one::run_record(s, plan.seed, run, plan.trajectory, &mut record)
                            .map(|()| record)
                    })
                })
                .collect()
        });
        let n = (end - first) as usize;
        let mut block = Block {
            first,
            width,
            values: Vec::with_capacity(n * width),
            inputs_width,
            inputs: Vec::with_capacity(n * inputs_width),
            points,
            trajectories: Vec::with_capacity(n * points * width),
        };
        let mut played = 0;
        for record in records.into_iter().map_while(|r| r) {
            let record = record?;
            block.values.extend_from_slice(&record.metrics);
            block.inputs.extend_from_slice(&record.inputs);
            block.trajectories.extend_from_slice(&record.trajectory);
            played += 1;
        }
        if played > 0 {
            sink(&block).map_err(ExperimentError::Sink)?;
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
