//! Result and study directories on disk: the formats of the files netstates writes
//! (`runs.csv`, `summary.json`, `manifest.json`, `study.json`, and the one CSV dialect and
//! number format of them all), writes that a reader never sees half done, resuming an
//! interrupted experiment or study, and merging shards. Every file name lives here.
//!
//! This layer plays runs (through [`crate::run`]) and writes what they give; it computes no
//! statistics beyond an experiment's summary and renders nothing for people.

pub mod csv;
mod durable;
mod error;
pub mod experiment;
mod lock;
pub mod manifest;
mod merge;
pub mod runs;
pub mod study;
pub mod summary;
pub mod table;
pub mod trajectories;

pub use durable::{temporary, write_atomic};
pub use error::{Refusal, StoreError};
pub use experiment::{
    Finished, Outcome, Placement, Request, Status, read_finished, read_manifest, run, shard_range,
    status,
};
pub use lock::LOCK;
pub use manifest::{Manifest, Shard};
pub use merge::merge;
pub use summary::{MetricSummary, Summary};

/// An experiment's rows, one per run.
pub const RUNS: &str = "runs.csv";
/// Every run's metrics at the recorded rounds (`--trajectories`).
pub const TRAJECTORIES: &str = "trajectories.csv";
/// Per recorded round and metric, the statistics over the runs.
pub const TRAJECTORY_SUMMARY: &str = "trajectory-summary.csv";
/// An experiment's summary statistics per metric.
pub const SUMMARY: &str = "summary.json";
/// What an experiment is and whether it finished.
pub const MANIFEST: &str = "manifest.json";
/// What a study is: its design and every point's values.
pub const STUDY: &str = "study.json";
/// The folder of a study's points, one result directory each.
pub const POINTS: &str = "points";
/// A sweep's table: one row per point.
pub const SWEEP_CSV: &str = "sweep.csv";
/// A sensitivity analysis's indices.
pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
/// A sensitivity analysis's second-order indices.
pub const SECOND_ORDER_CSV: &str = "second-order.csv";
/// A sensitivity analysis's points and their outputs.
pub const POINTS_CSV: &str = "points.csv";
/// A study's HTML report.
pub const REPORT_HTML: &str = "report.html";
/// `discover`'s folder in the directory it reads, unless `--out` says another.
pub const DISCOVER: &str = "discover";
/// `discover`'s PRIM peeling trajectory, a box per row.
pub const PRIM_TRAJECTORY_CSV: &str = "prim-trajectory.csv";
/// `discover`'s chosen box: each restricted input and its limits.
pub const PRIM_BOX_CSV: &str = "prim-box.csv";
/// `discover`'s feature scores: every input for the condition and every metric.
pub const FEATURE_SCORES_CSV: &str = "feature-scores.csv";
/// All of `discover`'s findings in one file.
pub const DISCOVER_JSON: &str = "discover.json";
