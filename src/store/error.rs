//! What can go wrong with a result or study directory. Messages say what is wrong in the
//! directory's terms; the command line adds what to type about it (`--resume`, `--force`).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::run::{ExperimentError, PoolError};

/// A result or study directory that cannot be used, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory holds something this command must not touch, or lacks what it needs:
    /// the command line is at fault.
    #[error("{} {refusal}", dir.display())]
    Refused { dir: PathBuf, refusal: Refusal },
    /// An experiment whose summary would not fit in memory, refused before it starts.
    #[error(
        "{runs} runs x {metrics} metrics need {:.1} GB of memory for their summary",
        *runs as f64 * *metrics as f64 * 8.0 / 1e9
    )]
    TooLarge { runs: u64, metrics: usize },
    /// Directories that do not make one experiment together.
    #[error("{0}")]
    Mismatch(String),
    /// A point of a study whose settings break a rule of the scenario.
    #[error("{0}")]
    Point(String),
    /// Another process writes the directory (exit status 2: wait for it, or write elsewhere).
    #[error("{} is being written by another netstates process{}", dir.display(), pid.map_or(String::new(), |p| format!(" (pid {p})")))]
    Locked { dir: PathBuf, pid: Option<u32> },
    /// A kept or finished file that is not what netstates wrote: cut, changed, corrupt.
    #[error("{} is damaged: {reason}", path.display())]
    Damaged { path: PathBuf, reason: String },
    /// A summary statistic that is not a finite number, so summary.json could not be read
    /// back; the runs are kept.
    #[error(
        "the {statistic} of {metric} over the runs is {value}: the metric's values are too large \
         for a summary; the runs are kept in {}",
        kept.display()
    )]
    Overflow {
        metric: String,
        statistic: &'static str,
        value: f64,
        kept: PathBuf,
    },
    /// A file that cannot be read, parsed or written.
    #[error("cannot {action} {}: {reason}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
    #[error(transparent)]
    Pool(#[from] PoolError),
}

/// Why a directory is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A study directory given to a command that writes one experiment.
    HoldsStudy,
    /// An experiment directory given to a command that writes a study.
    HoldsExperiment,
    /// A finished experiment other than the one asked for.
    FinishedOther,
    /// An interrupted experiment, not asked to be resumed or replaced.
    Interrupted,
    /// An interrupted experiment other than the one asked to resume.
    InterruptedOther,
    /// Nothing to resume.
    NothingToResume,
    /// A study other than the one asked for.
    OtherStudy,
    /// This study, interrupted in a point, not asked to be resumed or replaced.
    StudyInterrupted { point: usize },
    /// An interrupted experiment where a finished one is needed.
    NotFinished,
    /// No experiment at all where one is needed.
    NoExperiment,
    /// Merging into a directory that already holds an experiment.
    MergeTarget,
    /// The experiment, asked for with other trajectories than the directory holds (`had`:
    /// the `every` it recorded, if any).
    TrajectoriesDiffer { had: Option<u32> },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Refusal::HoldsStudy => f.write_str("holds a sweep or sensitivity analysis, not an experiment"),
            Refusal::HoldsExperiment => f.write_str("holds an experiment, not a study"),
            Refusal::FinishedOther => f.write_str(
                "already holds a finished experiment of another scenario, seed, number of runs or shard",
            ),
            Refusal::Interrupted => f.write_str("holds an interrupted experiment"),
            Refusal::InterruptedOther => f.write_str(
                "holds an interrupted experiment of another scenario, seed, number of runs or shard",
            ),
            Refusal::NothingToResume => f.write_str("holds no interrupted experiment to resume"),
            Refusal::OtherStudy => f.write_str(
                "holds a study of another scenario, design, seed or number of runs",
            ),
            Refusal::StudyInterrupted { point } => {
                write!(f, "holds this study, interrupted in point {point}")
            }
            Refusal::NotFinished => f.write_str("holds an interrupted experiment, not a finished one"),
            Refusal::NoExperiment => f.write_str("holds no experiment (no manifest.json)"),
            Refusal::MergeTarget => f.write_str("already holds an experiment"),
            Refusal::TrajectoriesDiffer { had: Some(every) } => write!(
                f,
                "holds this experiment with trajectories recorded every {every} rounds"
            ),
            Refusal::TrajectoriesDiffer { had: None } => {
                f.write_str("holds this experiment without trajectories")
            }
        }
    }
}

impl StoreError {
    pub(crate) fn refused(dir: &Path, refusal: Refusal) -> StoreError {
        StoreError::Refused {
            dir: dir.to_path_buf(),
            refusal,
        }
    }

    pub(crate) fn damaged(path: &Path, reason: impl fmt::Display) -> StoreError {
        StoreError::Damaged {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }

    pub(crate) fn io(action: &'static str, path: &Path, reason: impl fmt::Display) -> StoreError {
        StoreError::Io {
            action,
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }
}
