//! The commands of the `netstates` binary. `main.rs` parses arguments into these structs and
//! maps the [`Error`] to an exit status; everything the commands do lives here.

#![allow(
    clippy::disallowed_methods,
    reason = "the clock measures progress and elapsed time here, never the model"
)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};

use std::sync::atomic::{AtomicBool, Ordering};

use crate::compare::Sample;
use crate::engine;
use crate::experiment::ExperimentError;
use crate::model::metrics;
use crate::report::files::{self, Summary};
use crate::report::{self, table::summary_table};
use crate::results::{self, Outcome, ResultsError};
use crate::scenario::{self, Override, Scenario, ScenarioError};
use crate::study;

/// netstates: policy-scenario simulation of techplomacy (Big Tech as "net states").
#[derive(Debug, Parser)]
#[command(name = "netstates", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and validate scenario files and print a one-screen summary of each.
    ///
    /// Example: netstates check scenarios/*.toml
    Check {
        /// Scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run an experiment: many seeded runs of a scenario, on every core.
    ///
    /// Example: netstates run scenarios/baseline.toml --runs 200 --set government.*.capacity=0.8
    Run(RunArgs),
    /// Compare the outcome distributions of scenarios, each against the first (the baseline).
    ///
    /// Each input is a scenario file (run now; all with the same seed and runs, so run i of
    /// every scenario shares its random stream) or a finished result directory.
    ///
    /// Example: netstates compare scenarios/ambassadors-observer.toml scenarios/ambassadors-equal.toml --runs 500 --report report.html
    Compare(CompareArgs),
    /// Run the experiment at every point of a grid or a Latin hypercube over parameters.
    ///
    /// Every point runs the same runs with the same seed (common random numbers). Writes one
    /// directory per point, sweep.csv (a row per point: the parameters, then each metric's
    /// mean, sd, p5, p50, p95) and report.html (each metric against each parameter).
    ///
    /// Example: netstates sweep scenarios/baseline.toml --set model.ambassador.stakes.observer=0..0.4:5 --set government.*.ambassador=none,observer --runs 200
    #[command(mut_args(study_help))]
    Sweep(SweepArgs),
    /// Global sensitivity of every metric to parameters: Sobol indices or Morris effects.
    ///
    /// Samples the parameters' box (Saltelli's design on a scrambled Sobol sequence, or Morris
    /// trajectories, both from the seed), runs the experiment at every sample point (the mean
    /// over its runs is the output), and computes first-order and total Sobol indices, or
    /// Morris mu, mu* and sigma, with 95% bootstrap intervals, as SALib computes them. Writes
    /// sensitivity.csv, points.csv and report.html.
    ///
    /// Example: netstates sensitivity scenarios/baseline.toml --param model.ambassador.stakes.observer=0..0.4 --param government.*.capacity=0.3..0.9 --samples 32 --runs 50
    #[command(mut_args(study_help))]
    Sensitivity(SensitivityArgs),
    /// Re-run one run of a finished experiment, check its metrics against runs.csv bit for
    /// bit, and optionally write its per-round trace.
    ///
    /// Example: netstates replay results/baseline --run 17 --trace run17.csv
    Replay {
        /// A result directory.
        dir: PathBuf,
        /// The run to replay (numbered from 0).
        #[arg(long)]
        run: u64,
        /// Write every metric after every round to this CSV file.
        #[arg(long)]
        trace: Option<PathBuf>,
    },
    /// Combine the shard directories of one experiment into one directory.
    ///
    /// Example: netstates merge results/baseline/shard-*-of-4 --out results/baseline-merged
    Merge {
        /// Shard directories.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The directory to write the merged experiment to.
        #[arg(long)]
        out: PathBuf,
    },
    /// List the bundled scenario library, one line each.
    ///
    /// Example: netstates scenarios
    Scenarios {
        /// The folder holding the library.
        #[arg(long, default_value = "scenarios")]
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Override a parameter: PATH=VALUE, e.g. model.opinion.confidence=0.3 or
    /// firm.*.lobby_share=0.01..0.02 (uniform). Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    #[command(flatten)]
    pub exec: Execution,
}

/// How `run`, `sweep` and `sensitivity` play their runs and where they keep them. The help
/// texts are `run`'s; the study commands reword theirs with [`study_help`].
#[derive(Debug, Args)]
pub struct Execution {
    /// Number of runs (default: the scenario's `[experiment]` runs, else 1000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// The experiment's seed (default: the scenario's `[experiment]` seed, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: every core). Results do not depend on it.
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Output directory (default: `results/<scenario name>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only shard K of N (0-based): runs [K*R/N, (K+1)*R/N). Without it, Slurm's
    /// SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are used when both are set.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Continue the interrupted experiment in the output directory.
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Replace whatever the output directory holds.
    #[arg(long)]
    pub force: bool,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// A parameter to sweep: PATH=LO..HI:STEPS (evenly spaced, both ends included),
    /// PATH=A,B,C (these values: numbers or ambassador levels), PATH=LO..HI (a range, for
    /// --design lhs), or PATH=VALUE (fixed at every point). Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub set: Vec<Override>,
    /// grid: every combination of the steps and lists; lhs: a Latin hypercube of --samples
    /// points over the ranges and lists, drawn from the seed.
    #[arg(long, value_enum, default_value = "grid")]
    pub design: crate::sweep::Design,
    /// Points of a Latin hypercube.
    #[arg(long)]
    pub samples: Option<usize>,
    #[command(flatten)]
    pub study: StudyArgs,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// A parameter and its range: PATH=LO..HI. Repeatable (1 to 32 parameters).
    #[arg(long = "param", value_name = "PATH=LO..HI", required = true)]
    pub params: Vec<Override>,
    /// Fix a parameter at every point: PATH=VALUE. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// sobol: first-order and total indices from N (D + 2) points; morris: elementary
    /// effects from N (D + 1) points.
    #[arg(long, value_enum, default_value = "sobol")]
    pub method: crate::sensitivity::Method,
    /// N: base points of Saltelli's design (a power of 2 keeps the Sobol sequence balanced),
    /// or Morris trajectories (default: 64 for sobol, 20 for morris).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Levels of the Morris grid (even).
    #[arg(long, default_value_t = 4)]
    pub levels: usize,
    /// Sobol: also second-order indices (interactions of pairs), from N (2D + 2) points.
    #[arg(long)]
    pub second_order: bool,
    /// Bootstrap resamples for the 95% intervals.
    #[arg(long, default_value_t = 100)]
    pub resamples: usize,
    #[command(flatten)]
    pub study: StudyArgs,
}

/// The help of [`Execution`]'s arguments in `sweep` and `sensitivity`, where each point is an
/// experiment.
fn study_help(arg: clap::Arg) -> clap::Arg {
    let help = match arg.get_id().as_str() {
        "runs" => "Runs of every point (default: the scenario's `[experiment]` runs, else 1000)",
        "seed" => "The seed of every point, and of the design's sampling (default: the scenario's)",
        "out" => {
            "Output directory (default: `results/<scenario name>-sweep/`, or `-sobol/` or \
             `-morris/`)"
        }
        "shard" => {
            "Play only shard K of N of the points (0-based): points [K*P/N, (K+1)*P/N), into the \
             shared output directory; the same command without --shard then collects them. \
             Without it, Slurm's SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are used when \
             both are set"
        }
        "resume" => {
            "Continue the interrupted study in the output directory (finished points are kept)"
        }
        "force" => "Replace whatever study the output directory holds",
        _ => return arg,
    };
    arg.help(help)
}

/// What `sweep` and `sensitivity` share: each point is an experiment.
#[derive(Debug, Args)]
pub struct StudyArgs {
    #[command(flatten)]
    pub exec: Execution,
    /// A metric to show in the terminal (repeatable; default: capture, public_gap, welfare,
    /// trust, compliance_rate). The files hold every metric.
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// Where to write the HTML report (default: report.html in the output directory).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

impl Execution {
    /// Sets `--runs` and `--seed` in the scenario (after its `--set`s).
    fn apply(&self, s: &mut Scenario) -> Result<(), Error> {
        if let Some(runs) = self.runs {
            s.runs = checked_runs(runs)?;
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        Ok(())
    }

    /// Threads, shard and output directory (`default_out(k, n)` without `--out`).
    fn placement(
        &self,
        argv: &[String],
        default_out: impl FnOnce(u64, u64) -> PathBuf,
    ) -> Result<results::Placement, Error> {
        let (k, n) = shard(self.shard.as_deref())?;
        Ok(results::Placement {
            out: self.out.clone().unwrap_or_else(|| default_out(k, n)),
            shard: (k, n),
            jobs: jobs_or_all(self.jobs)?,
            resume: self.resume,
            force: self.force,
            command_line: argv.to_vec(),
        })
    }
}

/// Prints to stdout like `print!`, but a closed pipe (`netstates run ... | head`) is not an
/// error worth a panic: the output is simply no longer wanted.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Like `println!`, through [`say!`].
macro_rules! sayln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files or result directories; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Runs of each scenario file (default: the first scenario file's `[experiment]` runs).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Seed of every scenario file (default: the first scenario file's `[experiment]` seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: every core).
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Write a self-contained HTML report (figures and the table) to this file.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Output on stdout: a table with verdicts, or JSON or CSV for scripts.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Bootstrap resamples for the intervals of differences.
    #[arg(long, default_value_t = 2000)]
    pub resamples: usize,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// How `compare` prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// What went wrong, and so the exit status: 2 for bad usage or an invalid scenario, 1 for a
/// failure while running.
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
    /// Ctrl-C: the completed runs are kept; the message says how to resume.
    #[error("{0}")]
    Interrupted(String),
}

impl From<ResultsError> for Error {
    fn from(e: ResultsError) -> Error {
        match e {
            ResultsError::Refused(m) => Error::Usage(m),
            ResultsError::Io(m) => Error::Io(m),
            ResultsError::Experiment(e) => Error::Experiment(e),
        }
    }
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => 2,
            Error::Experiment(_) | Error::Io(_) => 1,
            Error::Interrupted(_) => 130,
        }
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// Runs a parsed command line; `argv` is recorded in manifests.
pub fn execute(cli: Cli, argv: &[String]) -> Result<(), Error> {
    match cli.command {
        Command::Check { files } => check(&files),
        Command::Run(args) => run(&args, argv),
        Command::Compare(args) => compare(&args),
        Command::Sweep(args) => sweep(&args, argv),
        Command::Sensitivity(args) => sensitivity(&args, argv),
        Command::Replay { dir, run, trace } => replay(&dir, run, trace.as_deref()),
        Command::Merge { dirs, out } => merge(&dirs, &out, argv),
        Command::Scenarios { dir } => list_scenarios(&dir),
    }
}

fn load(path: &Path) -> Result<Scenario, Error> {
    scenario::load(path).map_err(|e| Error::Scenario(Box::new(e)))
}

/// `netstates check`: validates every file, printing a summary of each valid one and every
/// problem of each invalid one; fails if any file is invalid.
pub fn check(files: &[PathBuf]) -> Result<(), Error> {
    let mut failed: Option<Error> = None;
    for path in files {
        match load(path) {
            Ok(s) => say!("{}", crate::report::describe(&s, path)),
            Err(e) => {
                if let Some(previous) = failed.take() {
                    print_error(&previous);
                }
                failed = Some(e);
            }
        }
    }
    failed.map_or(Ok(()), Err)
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

fn list_scenarios(dir: &Path) -> Result<(), Error> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io_error("read", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        match scenario::load(&path) {
            Ok(s) => {
                sayln!(
                    "{:<38} {}",
                    path.display(),
                    crate::report::first_sentence(&s.description)
                );
            }
            Err(_) => sayln!("{:<28} (invalid: see netstates check)", path.display()),
        }
    }
    Ok(())
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

/// Ctrl-C sets the returned flag: the experiment stops after the runs under way and keeps
/// every completed run. A second Ctrl-C ends the process at once (completed blocks are
/// already on disk).
fn interrupt_flag() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
    &STOP
}

/// `netstates run`.
pub fn run(args: &RunArgs, argv: &[String]) -> Result<(), Error> {
    let mut s = load(&args.file)?;
    scenario::apply_overrides(&mut s, &args.set).map_err(Error::Usage)?;
    args.exec.apply(&mut s)?;
    let place = args.exec.placement(argv, |k, n| {
        let base = Path::new("results").join(&s.name);
        if n == 1 {
            base
        } else {
            base.join(format!("shard-{k}-of-{n}"))
        }
    })?;
    let (out, jobs, (k, n)) = (place.out.clone(), place.jobs, place.shard);
    let request = results::Request {
        scenario: &s,
        place,
    };
    let (outcome, elapsed) = with_progress(args.exec.quiet, |progress| {
        results::run(&request, interrupt_flag(), progress)
    });
    let outcome = outcome?;
    match outcome {
        Outcome::AlreadyDone { summary } => {
            sayln!(
                "{}: this experiment ({} runs, seed {}) is already complete in {}; its summary:",
                s.name,
                summary.runs,
                s.seed,
                out.display()
            );
            print_summary(&s, &summary);
        }
        Outcome::Finished {
            summary,
            resumed_from,
        } => {
            let played = summary.runs - resumed_from;
            sayln!(
                "{}: {} runs of {} rounds, seed {}{}, {} jobs, {:.2} s ({:.0} runs/s){}",
                s.name,
                summary.runs,
                s.rounds,
                s.seed,
                if n > 1 {
                    format!(", shard {k}/{n}")
                } else {
                    String::new()
                },
                jobs,
                elapsed,
                played as f64 / elapsed.max(1e-9),
                if resumed_from > 0 {
                    format!(", resumed after {resumed_from}")
                } else {
                    String::new()
                }
            );
            print_summary(&s, &summary);
            sayln!("results in {}", out.display());
        }
        Outcome::Interrupted { done, total } => {
            return Err(Error::Interrupted(format!(
                "interrupted: {done} of {total} runs are kept in {}; to continue:\n  {}",
                out.display(),
                resume_command(argv, args.exec.out.is_none().then_some(&out))
            )));
        }
    }
    Ok(())
}

/// The command line that resumes an interrupted command: the same arguments, with `--resume`
/// (and `--out` when the output directory was the default).
fn resume_command(argv: &[String], default_out: Option<&PathBuf>) -> String {
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
    again.join(" ")
}

/// `--runs` within the range a scenario file allows.
fn checked_runs(runs: u64) -> Result<u64, Error> {
    if (1..=1_000_000_000).contains(&runs) {
        Ok(runs)
    } else {
        Err(Error::Usage(format!(
            "--runs must be between 1 and 1000000000, got {runs}"
        )))
    }
}

fn jobs_or_all(jobs: Option<usize>) -> Result<usize, Error> {
    match jobs {
        Some(0) => Err(Error::Usage("--jobs must be at least 1".into())),
        Some(j) => Ok(j),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// `netstates compare`.
pub fn compare(args: &CompareArgs) -> Result<(), Error> {
    let jobs = jobs_or_all(args.jobs)?;
    // Load every scenario file first, so a bad one fails before anything runs.
    let mut loaded: Vec<Option<Scenario>> = Vec::new();
    for input in &args.inputs {
        loaded.push(if input.is_dir() {
            None
        } else {
            Some(load(input)?)
        });
    }
    let first = loaded.iter().flatten().next();
    let runs = args.runs.or(first.map(|s| s.runs)).unwrap_or(1000);
    let seed = args.seed.or(first.map(|s| s.seed)).unwrap_or(0);
    let runs = checked_runs(runs)?;
    let mut samples = Vec::new();
    for (input, scenario) in args.inputs.iter().zip(loaded) {
        let sample = match scenario {
            None => {
                let f = results::read_finished(input)?;
                if f.manifest.shard.count != 1 {
                    return Err(Error::Usage(format!(
                        "{} holds one shard of an experiment; merge the shards first",
                        input.display()
                    )));
                }
                Sample {
                    label: f.manifest.scenario.name.clone(),
                    description: f.manifest.scenario.description.clone(),
                    source: input.display().to_string(),
                    seed: f.manifest.seed,
                    names: metrics::names(&f.manifest.scenario),
                    values: f.rows.values,
                }
            }
            Some(mut s) => {
                s.runs = runs;
                s.seed = seed;
                let mut progress = Progress::new(args.quiet);
                let values = run_in_memory(&s, jobs, &mut progress)?;
                progress.finish();
                Sample {
                    label: s.name.clone(),
                    description: s.description.clone(),
                    source: input.display().to_string(),
                    seed,
                    names: metrics::names(&s),
                    values,
                }
            }
        };
        samples.push(sample);
    }
    let comparison = crate::compare::compare(samples, args.resamples, seed);
    match args.format {
        Format::Table => say!("{}", report::compare_table::render(&comparison)),
        Format::Csv => say!("{}", report::compare_table::csv(&comparison)),
        Format::Json => say!(
            "{}",
            serde_json::to_string_pretty(&comparison).unwrap_or_default() + "\n"
        ),
    }
    if let Some(path) = &args.report {
        let html = report::html::render(&comparison);
        files::write_atomic(path, html.as_bytes()).map_err(|e| io_error("write", path, e))?;
        if args.format == Format::Table {
            sayln!("report in {}", path.display());
        }
    }
    Ok(())
}

/// Runs a scenario's experiment without a result directory, for `compare`.
fn run_in_memory(s: &Scenario, jobs: usize, progress: &mut Progress) -> Result<Vec<f64>, Error> {
    let plan = crate::experiment::Plan {
        scenario: s,
        seed: s.seed,
        runs: 0..s.runs,
        jobs,
    };
    let mut values = Vec::new();
    let width = metrics::names(s).len();
    values
        .try_reserve_exact(s.runs as usize * width)
        .map_err(|_| Error::Usage(format!("{} runs do not fit in memory", s.runs)))?;
    let mut done = 0;
    let finished = crate::experiment::execute(&plan, interrupt_flag(), |block| {
        values.extend_from_slice(&block.values);
        done += block.runs() as u64;
        progress.update(done, s.runs);
        Ok(())
    })?;
    if !finished {
        return Err(Error::Interrupted(format!(
            "interrupted while running {}",
            s.name
        )));
    }
    Ok(values)
}

/// `netstates merge`.
pub fn merge(dirs: &[PathBuf], out: &Path, argv: &[String]) -> Result<(), Error> {
    let summary = results::merge(dirs, out, argv.to_vec())?;
    sayln!(
        "merged {} directories: {} runs of \"{}\", seed {}, in {}",
        dirs.len(),
        summary.runs,
        summary.scenario,
        summary.seed,
        out.display()
    );
    Ok(())
}

/// `netstates replay`: re-runs one run from a result directory, checks it bit for bit
/// against `runs.csv`, and writes its per-round trace.
pub fn replay(dir: &Path, run: u64, trace: Option<&Path>) -> Result<(), Error> {
    let finished = results::read_finished(dir)?;
    let m = &finished.manifest;
    let rows = &finished.rows;
    if !(rows.first..rows.first + rows.runs).contains(&run) {
        return Err(Error::Usage(format!(
            "{} holds runs {}..{}, not run {run}",
            dir.display(),
            rows.first,
            rows.first + rows.runs
        )));
    }
    if m.netstates_version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "note: the experiment was run by netstates {}, this is {}",
            m.netstates_version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let s = &m.scenario;
    let names = metrics::names(s);
    let counts = metrics::is_count(s);
    let mut trace_text = String::from("round");
    for n in &names {
        trace_text.push(',');
        trace_text.push_str(n);
    }
    trace_text.push('\n');
    let mut last = Vec::new();
    engine::run_observed(s, m.seed, run, &mut last, |round, values| {
        trace_text.push_str(&round.to_string());
        for (x, &c) in values.iter().zip(&counts) {
            trace_text.push(',');
            trace_text.push_str(&files::format_value(*x, c));
        }
        trace_text.push('\n');
    })
    .map_err(ExperimentError::from)?;
    let width = names.len();
    let at = (run - rows.first) as usize * width;
    let recorded = &rows.values[at..at + width];
    let differ: Vec<String> = names
        .iter()
        .zip(recorded.iter().zip(&last))
        .filter(|(_, (a, b))| a.to_bits() != b.to_bits())
        .map(|(n, (a, b))| format!("{n}: recorded {a}, replayed {b}"))
        .collect();
    if let Some(path) = trace {
        files::write_atomic(path, trace_text.as_bytes()).map_err(|e| io_error("write", path, e))?;
    }
    if !differ.is_empty() {
        return Err(Error::Io(format!(
            "run {run} does not reproduce:\n  {}",
            differ.join("\n  ")
        )));
    }
    sayln!(
        "run {run} of {} (seed {}) reproduces all {} metrics bit for bit{}",
        dir.display(),
        m.seed,
        width,
        trace.map_or(String::new(), |p| format!("; trace in {}", p.display()))
    );
    Ok(())
}

fn print_summary(s: &Scenario, summary: &Summary) {
    let names: Vec<&str> = summary.metrics.iter().map(|m| m.metric.as_str()).collect();
    let summaries: Vec<_> = summary.metrics.iter().map(|m| m.summary.clone()).collect();
    say!(
        "{}",
        summary_table(&names, &metrics::is_count(s), &summaries)
    );
}

/// Runs `work` with progress shown on stderr; returns its result and the seconds it took.
fn with_progress<T>(
    quiet: bool,
    work: impl FnOnce(&mut (dyn FnMut(u64, u64) + Send)) -> T,
) -> (T, f64) {
    let clock = Instant::now();
    let mut progress = Progress::new(quiet);
    let result = work(&mut |done, total| progress.update(done, total));
    progress.finish();
    (result, clock.elapsed().as_secs_f64())
}

/// Progress on stderr: a bar on a terminal, a plain line every few seconds otherwise (Slurm
/// and CI logs), nothing with `--quiet`.
struct Progress {
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    /// For the plain line: when it started, when it last printed, and the runs done then.
    plain: Option<(Instant, Instant, u64)>,
}

impl Progress {
    const PLAIN_EVERY: Duration = Duration::from_secs(5);

    fn new(quiet: bool) -> Progress {
        Progress {
            quiet,
            bar: None,
            plain: None,
        }
    }

    fn update(&mut self, done: u64, total: u64) {
        if self.quiet {
            return;
        }
        if std::io::stderr().is_terminal() {
            let bar = self.bar.get_or_insert_with(|| {
                let b = indicatif::ProgressBar::new(total);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} runs  {rate}  elapsed {elapsed}  eta {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{:.1} runs/s", state.per_sec());
                        },
                    ),
                );
                b.set_position(done);
                b.reset_eta();
                b
            });
            bar.set_position(done);
            return;
        }
        let now = Instant::now();
        let (start, last, at_start) = self.plain.get_or_insert((now, now, done));
        if now.duration_since(*last) >= Self::PLAIN_EVERY {
            *last = now;
            let secs = now.duration_since(*start).as_secs_f64();
            let rate = (done - *at_start) as f64 / secs.max(1e-9);
            let eta = (total - done) as f64 / rate.max(1e-9);
            eprintln!(
                "progress: {done}/{total} runs, {rate:.1} runs/s, elapsed {secs:.0} s, eta {eta:.0} s"
            );
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// The metrics a study shows in the terminal: `--metric`s, else the headline ones.
fn chosen_metrics(names: &[String], asked: &[String]) -> Result<Vec<usize>, Error> {
    const HEADLINE: [&str; 5] = [
        "capture",
        "public_gap",
        "welfare",
        "trust",
        "compliance_rate",
    ];
    if asked.is_empty() {
        return Ok(HEADLINE
            .iter()
            .filter_map(|h| names.iter().position(|n| n == h))
            .collect());
    }
    asked
        .iter()
        .map(|a| {
            names.iter().position(|n| n == a).ok_or_else(|| {
                Error::Usage(format!(
                    "--metric {a}: no such metric; the metrics are {}",
                    names.join(", ")
                ))
            })
        })
        .collect()
}

/// A study's scenario: the file with its fixed `--set`s, `--runs` and `--seed` applied, and
/// the factors that vary.
fn study_scenario(
    file: &Path,
    set: &[Override],
    args: &StudyArgs,
    flag: &str,
) -> Result<(Scenario, Vec<study::Factor>), Error> {
    let mut s = load(file)?;
    if let Some(twice) = set
        .iter()
        .enumerate()
        .find(|(i, o)| set[..*i].iter().any(|p| p.path == o.path))
    {
        return Err(Error::Usage(format!(
            "{flag} {}: given twice",
            twice.1.path
        )));
    }
    // `experiment.*` and `scenario.rounds` are the same at every point: set them as `run` does.
    let (whole, varying): (Vec<Override>, Vec<Override>) = set.iter().cloned().partition(|o| {
        ["experiment.runs", "experiment.seed", "scenario.rounds"].contains(&o.path.as_str())
            && !o.value.contains(',')
            && !o.value.contains("..")
    });
    scenario::apply_overrides(&mut s, &whole).map_err(Error::Usage)?;
    let factors = varying
        .iter()
        .map(|o| study::Factor::parse(o, &s, flag))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::Usage)?;
    study::apply_fixed(&mut s, &factors).map_err(Error::Usage)?;
    args.exec.apply(&mut s)?;
    Ok((s, factors))
}

/// Plays a study's points; `Ok(Some(summaries))` when every point is done, `Ok(None)` when
/// this shard's are.
fn play_study(
    plan: &study::Plan,
    base: &Scenario,
    args: &StudyArgs,
    command: &str,
    dir_suffix: &str,
    argv: &[String],
) -> Result<(PathBuf, Option<Vec<Summary>>), Error> {
    plan.check(base).map_err(Error::Usage)?;
    let place = args.exec.placement(argv, |_, _| {
        Path::new("results").join(format!("{}-{dir_suffix}", base.name))
    })?;
    let (out, jobs, (k, n)) = (place.out.clone(), place.jobs, place.shard);
    let request = study::Request { plan, base, place };
    let (outcome, elapsed) = with_progress(args.exec.quiet, |progress| {
        study::run(&request, interrupt_flag(), progress)
    });
    let outcome = outcome?;
    let points = plan.points.len();
    match outcome {
        study::StudyOutcome::Finished { summaries, reused } => {
            sayln!(
                "{}: {command} of {points} points x {} runs, seed {}, {jobs} jobs, {elapsed:.1} s{}",
                base.name,
                base.runs,
                base.seed,
                if reused > 0 {
                    format!(" ({reused} points already done)")
                } else {
                    String::new()
                }
            );
            Ok((out, Some(summaries)))
        }
        study::StudyOutcome::ShardDone {
            points: range,
            reused,
        } => {
            sayln!(
                "{}: shard {k}/{n} of the {command}: points {}..{} of {points} done in {} \
                 ({reused} already were), {elapsed:.1} s; when every shard is done, the same \
                 command without --shard collects them",
                base.name,
                range.start,
                range.end,
                out.display()
            );
            Ok((out, None))
        }
        study::StudyOutcome::Interrupted { point, done, total } => {
            Err(Error::Interrupted(format!(
                "interrupted in point {point}: {done} of {total} runs are kept in {}; to \
                 continue:\n  {}",
                out.display(),
                resume_command(argv, args.exec.out.is_none().then_some(&out))
            )))
        }
    }
}

/// `netstates sweep`.
pub fn sweep(args: &SweepArgs, argv: &[String]) -> Result<(), Error> {
    let (s, factors) = study_scenario(&args.file, &args.set, &args.study, "--set")?;
    let (paths, points) =
        crate::sweep::points(args.design, &factors, args.samples, s.seed).map_err(Error::Usage)?;
    let names = metrics::names(&s);
    let shown = chosen_metrics(&names, &args.study.metrics)?;
    let plan = study::Plan::new(&format!("sweep {}", args.design.name()), &s, paths, points);
    let (out, summaries) = play_study(&plan, &s, &args.study, "sweep", "sweep", argv)?;
    let Some(summaries) = summaries else {
        return Ok(());
    };
    let csv_path = out.join("sweep.csv");
    let csv = crate::sweep::csv(&plan.factors, &plan.points, &summaries);
    files::write_atomic(&csv_path, csv.as_bytes()).map_err(|e| io_error("write", &csv_path, e))?;
    let report_path = args
        .study
        .report
        .clone()
        .unwrap_or_else(|| out.join("report.html"));
    let html = report::sweep_html::render(&plan, &s, &summaries);
    files::write_atomic(&report_path, html.as_bytes())
        .map_err(|e| io_error("write", &report_path, e))?;
    say!(
        "{}",
        crate::sweep::table(&plan.factors, &plan.points, &summaries, &shown)
    );
    sayln!(
        "means above; every metric's mean, sd, p5, p50, p95 in {}; plots in {}",
        csv_path.display(),
        report_path.display()
    );
    Ok(())
}

/// `netstates sensitivity`.
pub fn sensitivity(args: &SensitivityArgs, argv: &[String]) -> Result<(), Error> {
    use crate::sensitivity::{self as sa, Method, Resamples};
    let (s, fixed) = study_scenario(&args.file, &args.set, &args.study, "--set")?;
    if let Some(f) = fixed
        .iter()
        .find(|f| !matches!(f.spec, study::Spec::Fixed(_)))
    {
        return Err(Error::Usage(format!(
            "--set {}: sensitivity fixes parameters with --set PATH=VALUE; give what varies \
             with --param PATH=LO..HI",
            f.path
        )));
    }
    let mut paths = Vec::new();
    let mut ranges = Vec::new();
    for o in &args.params {
        let f = study::Factor::parse(o, &s, "--param").map_err(Error::Usage)?;
        match f.spec {
            study::Spec::Range { lo, hi } => ranges.push((lo, hi)),
            _ => {
                return Err(Error::Usage(format!(
                    "--param {}={}: expected a numeric range LO..HI",
                    o.path, o.value
                )));
            }
        }
        if paths.contains(&f.path) || args.set.iter().any(|o| o.path == f.path) {
            return Err(Error::Usage(format!(
                "--param {}: given twice (or also with --set)",
                f.path
            )));
        }
        paths.push(f.path);
    }
    if !(2..=100_000).contains(&args.resamples) {
        return Err(Error::Usage(format!(
            "--resamples must be between 2 and 100000, got {}",
            args.resamples
        )));
    }
    let samples = args.samples.unwrap_or(match args.method {
        Method::Sobol => 64,
        Method::Morris => 20,
    });
    if args.method == Method::Sobol && !samples.is_power_of_two() && !args.study.exec.quiet {
        eprintln!(
            "note: --samples {samples} is not a power of 2; the Sobol sequence is balanced only \
             at powers of 2"
        );
    }
    let design = sa::Design {
        method: args.method,
        samples,
        levels: args.levels,
        second_order: args.second_order,
    };
    let x = sa::sample(&design, &ranges, s.seed).map_err(Error::Usage)?;
    let points: Vec<Vec<study::Setting>> = x
        .iter()
        .map(|row| row.iter().map(|&v| study::Setting::Number(v)).collect())
        .collect();
    let names = metrics::names(&s);
    let shown = chosen_metrics(&names, &args.study.metrics)?;
    let mut name = format!("sensitivity {} N={samples}", args.method.name());
    match args.method {
        Method::Morris => name.push_str(&format!(" levels={}", args.levels)),
        Method::Sobol if args.second_order => name.push_str(" second-order"),
        Method::Sobol => {}
    }
    let plan = study::Plan::new(&name, &s, paths, points);
    let (out, summaries) = play_study(
        &plan,
        &s,
        &args.study,
        "sensitivity analysis",
        args.method.name(),
        argv,
    )?;
    let Some(summaries) = summaries else {
        return Ok(());
    };
    let resamples = Resamples::draw(&design, ranges.len(), args.resamples, s.seed);
    let mut analyses = Vec::with_capacity(names.len());
    for (m, name) in names.iter().enumerate() {
        let y: Vec<f64> = summaries
            .iter()
            .map(|p| p.metrics[m].summary.mean)
            .collect();
        let a = sa::analyze(&design, &x, &y, &resamples).map_err(Error::Usage)?;
        analyses.push((name.clone(), a));
    }
    let write = |path: PathBuf, text: String| -> Result<PathBuf, Error> {
        files::write_atomic(&path, text.as_bytes()).map_err(|e| io_error("write", &path, e))?;
        Ok(path)
    };
    let csv_path = write(
        out.join("sensitivity.csv"),
        sa::csv(&plan.factors, &analyses),
    )?;
    write(
        out.join("points.csv"),
        crate::sweep::csv(&plan.factors, &plan.points, &summaries),
    )?;
    if let Some(text) = sa::second_order_csv(&plan.factors, &analyses) {
        write(out.join("second-order.csv"), text)?;
    }
    let report_path = write(
        args.study
            .report
            .clone()
            .unwrap_or_else(|| out.join("report.html")),
        report::sensitivity_html::render(&plan, &s, args.method, args.resamples, &analyses),
    )?;
    for &m in &shown {
        let (name, a) = &analyses[m];
        say!("\n{}", sa::table(&plan.factors, name, a));
    }
    sayln!(
        "\n{} for every metric in {}; the points and their outputs in {}; bar charts in {}",
        match args.method {
            Method::Sobol if args.second_order => {
                "S1 and ST with 95% intervals (S2 in second-order.csv)"
            }
            Method::Sobol => "S1 and ST with 95% intervals",
            Method::Morris => "mu, mu*, sigma and mu*'s 95% interval",
        },
        csv_path.display(),
        out.join("points.csv").display(),
        report_path.display()
    );
    Ok(())
}
