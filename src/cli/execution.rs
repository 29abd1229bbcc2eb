//! What `run`, `sweep` and `sensitivity` share about playing runs: `--runs` and `--seed`
//! applied to the scenario, the shard (`--shard`, or Slurm's array variables), the worker
//! threads, the output directory, and the command that resumes an interrupted one.

use std::path::PathBuf;

use super::args::{Execution, Record};
use super::error::Error;
use crate::run::{Pool, Trajectory};
use crate::scenario::Scenario;
use crate::store::Placement;

impl Execution {
    /// Sets `--runs` and `--seed` in the scenario (after its `--set`s).
    pub fn apply(&self, s: &mut Scenario) -> Result<(), Error> {
        if let Some(runs) = self.runs {
            s.runs = checked_runs(runs)?;
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        Ok(())
    }

    /// The rounds each run records (`--trajectories`, `--every`), checked against the
    /// scenario's rounds.
    pub fn trajectory(&self, s: &Scenario) -> Result<Option<Trajectory>, Error> {
        self.record.trajectory(s)
    }

    /// Shard and output directory (`default_out(k, n)` without `--out`).
    pub(crate) fn placement(
        &self,
        argv: &[String],
        default_out: impl FnOnce(u64, u64) -> PathBuf,
    ) -> Result<Placement, Error> {
        let (k, n) = shard(self.shard.as_deref())?;
        Ok(Placement {
            out: self.out.clone().unwrap_or_else(|| default_out(k, n)),
            shard: (k, n),
            resume: self.resume,
            force: self.force,
            command_line: argv.to_vec(),
        })
    }

    /// The worker threads: `--jobs`, else every core.
    pub fn pool(&self) -> Result<Pool, Error> {
        Ok(Pool::new(jobs_or_all(self.jobs)?)?)
    }
}

/// The shard to run: `--shard K/N`, else Slurm's array task id and count, else all runs.
fn shard(arg: Option<&str>) -> Result<(u64, u64), Error> {
    let parse = |k: &str, n: &str, from: &str| -> Result<(u64, u64), Error> {
        match (k.trim().parse::<u64>(), n.trim().parse::<u64>()) {
            (Ok(k), Ok(n)) if n >= 1 && k < n => Ok((k, n)),
            _ => Err(Error::Usage(format!(
                "{from} must be K/N with 0 <= K < N, got {k}/{n}"
            ))),
        }
    };
    if let Some(arg) = arg {
        let (k, n) = arg
            .split_once('/')
            .ok_or_else(|| Error::Usage(format!("--shard must be K/N, got {arg}")))?;
        return parse(k, n, "--shard");
    }
    match (
        std::env::var("SLURM_ARRAY_TASK_ID"),
        std::env::var("SLURM_ARRAY_TASK_COUNT"),
    ) {
        (Ok(k), Ok(n)) => parse(&k, &n, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT"),
        _ => Ok((0, 1)),
    }
}

/// The command line that resumes an interrupted command: the same arguments, with `--resume`
/// (and `--out` when the output directory was the default), each quoted for POSIX shells
/// (sh, bash, zsh) so that it can be pasted as printed.
pub(crate) fn resume_command(argv: &[String], default_out: Option<&PathBuf>) -> String {
    let mut again: Vec<String> = argv
        .iter()
        .filter(|a| *a != "--resume" && *a != "--force")
        .cloned()
        .collect();
    if let Some(out) = default_out {
        again.push("--out".into());
        again.push(out.display().to_string());
    }
    again.push("--resume".into());
    shell_words::join(&again)
}

/// `--runs` within the range a scenario file allows.
pub(crate) fn checked_runs(runs: u64) -> Result<u64, Error> {
    if (1..=1_000_000_000).contains(&runs) {
        Ok(runs)
    } else {
        Err(Error::Usage(format!(
            "--runs must be between 1 and 1000000000, got {runs}"
        )))
    }
}

/// `--jobs` (checked by its parser), else every core.
pub(crate) fn jobs_or_all(jobs: Option<usize>) -> Result<usize, Error> {
    match jobs {
        Some(0) => Err(Error::Usage("--jobs must be at least 1".into())),
        Some(j) => Ok(j),
        None => Ok(std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(super::args::MAX_JOBS)),
    }
}

impl Record {
    /// The rounds each run records, if `--trajectories`: `--every` must be 1 to the rounds.
    pub fn trajectory(&self, s: &Scenario) -> Result<Option<Trajectory>, Error> {
        if !self.trajectories {
            return Ok(None);
        }
        let every = self.every.unwrap_or(1);
        if !(1..=i64::from(s.rounds)).contains(&every) {
            return Err(Error::Usage(format!(
                "--every must be between 1 and the scenario's {} rounds, got {every}",
                s.rounds
            )));
        }
        Ok(Some(Trajectory {
            every: every as u32,
        }))
    }
}
