//! The command line as the user typed it: clap types that mirror the arguments, one struct
//! per command. The commands turn them into library requests; nothing here runs anything.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analysis::design::Design;
use crate::analysis::sensitivity::Method;
use crate::scenario::Override;

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
    #[command(mut_args(study_help), mut_arg("out", |a| a.help(
        "Output directory (default: results/<scenario name>-sweep/)"
    )))]
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
    #[command(mut_args(study_help), mut_arg("out", |a| a.help(
        "Output directory (default: results/<scenario name>-sobol/ with --method sobol, \
         results/<scenario name>-morris/ with --method morris)"
    )))]
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
        /// Require the shards' trajectories (they are merged whenever every shard has them).
        #[arg(long)]
        trajectories: bool,
    },
    /// Scenario discovery: under which combinations of inputs does a condition hold?
    ///
    /// PRIM (as the EMA Workbench computes it) finds boxes of the inputs that vary (a study's
    /// factors and what each run drew) where the condition holds in most runs; every input is
    /// also scored for every metric by extremely randomized trees. Writes prim-trajectory.csv,
    /// prim-box.csv, feature-scores.csv, discover.json and report.html.
    ///
    /// Example: netstates discover results/ambassadors-equal-sweep --where 'capture > 0.6'
    Discover(DiscoverArgs),
    /// List the bundled scenario library, one line each (it is built into netstates, so any
    /// command takes a bundled scenario by name: netstates run baseline).
    ///
    /// Example: netstates scenarios
    Scenarios {
        /// List the scenario files of this folder instead.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write a commented starter scenario, or a copy of a bundled one, to start your own.
    ///
    /// With --from, the bundled scenario and every file it extends are written beside FILE
    /// (a parent already there is left as it is).
    ///
    /// Example: netstates init my-scenario.toml --from ambassadors-equal
    Init {
        /// The scenario file to write.
        file: PathBuf,
        /// Start from this bundled scenario (see netstates scenarios).
        #[arg(long, value_name = "NAME")]
        from: Option<String>,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script.
    ///
    /// Example: netstates completions bash > ~/.local/share/bash-completion/completions/netstates
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write a page per command to a folder.
    ///
    /// Example: netstates man > netstates.1 && man ./netstates.1
    Man {
        /// Write netstates.1, netstates-run.1, ... (one page per command) to this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print the JSON Schema of the scenario format, for editors that check TOML against one.
    ///
    /// With Taplo or VS Code's Even Better TOML, save it and name it in the first line of a
    /// scenario file: `#:schema ./netstates.schema.json`.
    ///
    /// Example: netstates schema > netstates.schema.json
    Schema,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Override a parameter: PATH=VALUE, e.g. model.opinion.confidence=0.3 or
    /// firm.*.lobby_share=0.01..0.02 (uniform), or PATH*=X to multiply the value every named
    /// agent has in the scenario by X, e.g. government.*.susceptibility*=1.5. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Write a self-contained HTML report: each metric's histogram and, with
    /// --trajectories, its median and bands over rounds.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub exec: Execution,
}

/// How `run`, `sweep` and `sensitivity` play their runs and where they keep them. The help
/// texts are `run`'s; the study commands reword theirs with [`study_help`].
#[derive(Debug, Args)]
pub struct Execution {
    /// Number of runs (default: the scenario's `[experiment]` runs, else 1000).
    #[arg(long, allow_hyphen_values = true, value_parser = runs)]
    pub runs: Option<u64>,
    /// The experiment's seed (default: the scenario's `[experiment]` seed, else 0).
    #[arg(long, allow_hyphen_values = true, value_parser = seed)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: every core). Results do not depend on it.
    #[arg(short, long, allow_hyphen_values = true, value_parser = jobs)]
    pub jobs: Option<usize>,
    /// Output directory (default: `results/<scenario name>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only shard K of N (0-based): runs [K*R/N, (K+1)*R/N). Without it, Slurm's
    /// SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are used when both are set.
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    pub shard: Option<String>,
    /// Continue the interrupted experiment in the output directory.
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Replace whatever the output directory holds.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub record: Record,
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
    /// --design lhs), or PATH=VALUE (fixed at every point). PATH*=... sweeps factors that
    /// multiply the value every named agent has in the scenario. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub set: Vec<Override>,
    /// grid: every combination of the steps and lists; lhs: a Latin hypercube of --samples
    /// points over the ranges and lists, drawn from the seed.
    #[arg(long, value_enum, default_value = "grid")]
    pub design: DesignArg,
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
    /// A parameter and its range: PATH=LO..HI, or PATH*=LO..HI for a factor that multiplies
    /// the value every named agent has in the scenario (e.g.
    /// 'government.*.susceptibility*=0.5..2'). Repeatable (1 to 32 parameters).
    #[arg(long = "param", value_name = "PATH=LO..HI", required = true)]
    pub params: Vec<Override>,
    /// Fix a parameter at every point: PATH=VALUE. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// sobol: first-order and total indices from N (D + 2) points; morris: elementary
    /// effects from N (D + 1) points.
    #[arg(long, value_enum, default_value = "sobol")]
    pub method: MethodArg,
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
        "out" => return arg,
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
    /// A metric to show in the terminal and first in the report, in the order given
    /// (repeatable; default: capture, public_gap, welfare, trust, compliance_rate). The files
    /// hold every metric.
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// Where to write the HTML report (default: report.html in the output directory).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files or result directories; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Override a parameter of every scenario file, as `run --set` does: PATH=VALUE, or
    /// PATH*=X to multiply every named agent's value by X. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Runs of each scenario file (default: the first scenario file's `[experiment]` runs).
    #[arg(long, allow_hyphen_values = true, value_parser = runs)]
    pub runs: Option<u64>,
    /// Seed of every scenario file (default: the first scenario file's `[experiment]` seed).
    #[arg(long, allow_hyphen_values = true, value_parser = seed)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: every core).
    #[arg(short, long, allow_hyphen_values = true, value_parser = jobs)]
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
    /// A name for each input, in order (repeat once per input; default: each scenario's
    /// name, numbered when two are the same).
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Keep each scenario file's runs as an ordinary experiment directory, DIR/LABEL (one
    /// that holds this very experiment already is read, not run again).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With --out: replace a directory that holds another experiment.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// A metric to show, in this order (repeatable; default: every metric). The Holm
    /// adjustment is over every metric all the same.
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub record: Record,
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

/// `--design` of `sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DesignArg {
    /// Every combination of the values of `LO..HI:STEPS` and `A,B,C` axes.
    Grid,
    /// `--samples` points of a Latin hypercube over `LO..HI` ranges and `A,B,C` lists.
    Lhs,
}

impl From<DesignArg> for Design {
    fn from(d: DesignArg) -> Design {
        match d {
            DesignArg::Grid => Design::Grid,
            DesignArg::Lhs => Design::Lhs,
        }
    }
}

/// `--method` of `sensitivity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Sobol first-order and total indices from Saltelli's sample: N (D + 2) points.
    Sobol,
    /// Morris elementary effects (mu, mu*, sigma): N trajectories of D + 1 points.
    Morris,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Sobol => Method::Sobol,
            MethodArg::Morris => Method::Morris,
        }
    }
}

/// Most worker threads: far more than any machine's cores, few enough that a typing slip is an
/// error at once rather than a minute spent starting threads.
pub const MAX_JOBS: usize = 1024;

/// Most runs of an experiment, as a scenario file allows.
pub const MAX_RUNS: u64 = 1_000_000_000;

/// A whole number in `lo..=hi`, or the range in words; a negative number gets the range
/// message, not a complaint about an unknown flag.
fn whole_in(s: &str, lo: u64, hi: u64) -> Result<u64, String> {
    match s.trim().parse::<i128>() {
        Ok(x) if (i128::from(lo)..=i128::from(hi)).contains(&x) => Ok(x as u64),
        _ => Err(format!(
            "must be a whole number between {lo} and {hi}, got {s}"
        )),
    }
}

/// `--runs` as typed: a whole number from 1 to [`MAX_RUNS`] (also the Python package's `runs=`).
pub fn runs(s: &str) -> Result<u64, String> {
    whole_in(s, 1, MAX_RUNS)
}

/// `--seed` as typed: a whole number that fits 64 bits (also the Python package's `seed=`).
pub fn seed(s: &str) -> Result<u64, String> {
    whole_in(s, 0, u64::MAX)
}

/// `--jobs` as typed: 1 to [`MAX_JOBS`] (also the Python package's `jobs=`).
pub fn jobs(s: &str) -> Result<usize, String> {
    whole_in(s, 1, MAX_JOBS as u64).map(|j| j as usize)
}

/// Whether and how often runs record their trajectories.
#[derive(Debug, Clone, Copy, Args)]
pub struct Record {
    /// Also record every run's metrics at round 0, every N-th round and the last:
    /// trajectories.csv and trajectory-summary.csv beside runs.csv.
    #[arg(long)]
    pub trajectories: bool,
    /// With --trajectories: record every N-th round (default 1: every round).
    #[arg(
        long,
        value_name = "N",
        requires = "trajectories",
        allow_hyphen_values = true
    )]
    pub every: Option<i64>,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// A finished experiment with uncertain parameters, or a finished study.
    pub dir: PathBuf,
    /// The condition: METRIC OP NUMBER with OP one of >, >=, <, <= (e.g. 'capture > 0.4').
    #[arg(long = "where", value_name = "CONDITION")]
    pub condition: String,
    /// PRIM's density threshold (default: the Workbench's).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Share of runs peeled off at each step (default 0.05).
    #[arg(long)]
    pub peel_alpha: Option<f64>,
    /// Share of runs pasted back at each step (default 0.05).
    #[arg(long)]
    pub paste_alpha: Option<f64>,
    /// Smallest share of runs a box may hold (default 0.05).
    #[arg(long)]
    pub mass_min: Option<f64>,
    /// The box of the peeling trajectory to describe (default: the densest with coverage at
    /// least 0.5).
    #[arg(long = "box", value_name = "N")]
    pub r#box: Option<usize>,
    /// Output directory (default: `DIR/discover/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Where to write the HTML report (default: report.html in the output directory).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}
