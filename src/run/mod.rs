//! Playing runs: one run of a resolved scenario ([`run`], a pure function of the scenario, the
//! experiment's seed and the run's index), many runs on a pool of worker threads ([`execute`],
//! handing their metrics over in run order), and the random streams every run and analysis
//! draws from ([`streams`]). No file is read or written here.

mod draws;
mod many;
mod one;
pub mod streams;

pub use draws::{Draws, count_draws, draw_and_touch, draw_only};
pub use many::{Block, ExperimentError, Plan, Pool, PoolError, execute};
pub use one::{NonFinite, Record, Trajectory, run, run_into, run_observed, run_record};
