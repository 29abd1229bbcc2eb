//! What went wrong, in the command line's words, and so the exit status: 2 for bad usage or an
//! invalid scenario, 1 for a failure while running, 130 for an interruption. Library errors
//! say what is wrong; here they gain the flags that mend it (`--resume`, `--force`, `--out`).

use crate::analysis::design::DesignError;
use crate::analysis::sensitivity::SensitivityError;
use crate::run::{ExperimentError, PoolError};
use crate::scenario::{OverrideError, ScenarioError};
use crate::store::{Refusal, StoreError};

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] Box<ScenarioError>),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
    #[error("{0}")]
    Io(String),
    /// Stopped by a signal (Ctrl-C, SIGTERM, SIGHUP): the completed runs are kept; the
    /// message says how to resume; the exit status is 128 + the signal's number.
    #[error("{message}")]
    Interrupted { message: String, code: u8 },
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => 2,
            Error::Experiment(_) | Error::Io(_) => 1,
            Error::Interrupted { code, .. } => *code,
        }
    }
}

/// What to type about a refused directory.
fn remedy(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::HoldsStudy | Refusal::HoldsExperiment => "choose another --out",
        Refusal::FinishedOther | Refusal::OtherStudy => {
            "choose another --out, or pass --force to replace it"
        }
        Refusal::Interrupted => "pass --resume to continue it, or --force to start again",
        Refusal::InterruptedOther => {
            "--resume needs the same scenario file, --set, --seed, --runs and --shard"
        }
        Refusal::NothingToResume => "run it without --resume",
        Refusal::StudyInterrupted { .. } => {
            "pass --resume to continue it (finished points are kept), or --force to start again"
        }
        Refusal::NotFinished => "finish it with run --resume first",
        Refusal::NoExperiment => "give a directory that `netstates run` wrote",
        Refusal::MergeTarget => "merge into a new directory",
        Refusal::TrajectoriesDiffer { .. } => {
            "give the same --trajectories and --every it was started with, or pass --force to \
             start again"
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Refused { refusal, .. } => {
                Error::Usage(format!("{e}; {}", remedy(refusal)))
            }
            StoreError::TooLarge { .. } => Error::Usage(format!(
                "{e}; run it in shards (--shard K/N) and merge them on a machine with more memory"
            )),
            StoreError::Mismatch(m) | StoreError::Point(m) => Error::Usage(m),
            StoreError::Locked { .. } => Error::Usage(format!(
                "{e}; wait for it to finish, or choose another --out"
            )),
            StoreError::Damaged { .. } => Error::Io(format!(
                "{e}; run that experiment again (--force replaces it)"
            )),
            StoreError::Io { .. } | StoreError::Overflow { .. } => Error::Io(e.to_string()),
            StoreError::Experiment(e) => Error::Experiment(e),
            StoreError::Pool(e) => Error::Io(e.to_string()),
        }
    }
}

impl Error {
    /// A command stopped by a signal: "interrupted{place} by SIGTERM: {message}".
    pub(crate) fn interrupted(place: &str, message: String) -> Error {
        let stop = super::signals::stop();
        Error::Interrupted {
            message: format!("interrupted{place} by {}: {message}", stop.name()),
            code: stop.exit_code(),
        }
    }
}

impl From<PoolError> for Error {
    fn from(e: PoolError) -> Error {
        Error::Io(e.to_string())
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Error {
        Error::Scenario(Box::new(e))
    }
}

/// An override from `--set` that cannot be applied.
pub fn set_error(e: OverrideError) -> Error {
    Error::Usage(match e {
        OverrideError::Value { .. } => format!("--set {e}"),
        OverrideError::Rule(rule) => format!("after --set: {rule}"),
        OverrideError::EventRule { round, rule } => {
            format!("after --set, the event of round {round}: {rule}")
        }
        OverrideError::EventAfterEnd { .. } => format!("--set: {e}"),
    })
}

/// A design that cannot be built from a study's arguments; `flag` gave its factors.
pub fn design_error(e: DesignError, flag: &str) -> Error {
    Error::Usage(match e {
        DesignError::Factor { .. } => format!("{flag} {e}"),
        DesignError::NothingVaries => {
            "nothing to sweep: give at least one --set PATH=LO..HI:STEPS or PATH=A,B,C".into()
        }
        DesignError::SamplesForGrid => {
            "--samples is for --design lhs; a grid has every combination".into()
        }
        DesignError::NoSamples => "--design lhs needs --samples N".into(),
        DesignError::Samples(n) => format!(
            "--samples must be between 1 and {}, got {n}",
            crate::analysis::design::MAX_POINTS
        ),
        DesignError::NotGridAxis(path) => format!(
            "--set {path}: a grid axis needs its steps (LO..HI:STEPS) or its values (A,B,C); a \
             plain LO..HI range is for --design lhs"
        ),
        DesignError::NotLhsAxis(_) | DesignError::TooManyPoints => format!("{flag} {e}"),
    })
}

/// A sensitivity design or analysis that cannot be done.
pub fn sensitivity_error(e: SensitivityError) -> Error {
    Error::Usage(match e {
        SensitivityError::Parameters(d) => format!(
            "a sensitivity analysis takes 1 to {} --param, got {d}",
            crate::analysis::sensitivity::MAX_PARAMETERS
        ),
        SensitivityError::Samples(n) => format!(
            "--samples must be between 2 and {}, got {n}",
            crate::analysis::sensitivity::MAX_SAMPLES
        ),
        SensitivityError::SecondOrderMorris => {
            "--second-order: second-order indices are for --method sobol".into()
        }
        SensitivityError::Levels(n) => {
            format!("--levels must be an even number between 2 and 1000, got {n}")
        }
        SensitivityError::SecondOrderNeedsTwo | SensitivityError::Shape(_) => e.to_string(),
    })
}

/// Prints an error to stderr the way the binary does: scenario problems as miette reports
/// with the source snippet, others as one line.
pub fn print_error(e: &Error) {
    match e {
        Error::Scenario(err) => {
            for report in err.diagnostics() {
                eprintln!("{report:?}");
            }
            eprintln!(
                "error: {} problem{} in the scenario",
                err.problems.len(),
                if err.problems.len() == 1 { "" } else { "s" }
            );
        }
        other => eprintln!("error: {other}"),
    }
}
