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

use crate::experiment::{self, ExperimentError, Plan};
use crate::model::metrics;
use crate::report::files::{self, Manifest, Shard, Summary};
use crate::report::table::summary_table;
use crate::scenario::{self, Override, Scenario, ScenarioError};

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
    /// Number of runs (default: the scenario's [experiment] runs, else 1000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// The experiment's seed (default: the scenario's [experiment] seed, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: every core). Results do not depend on it.
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Output directory (default: results/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a parameter: PATH=VALUE, e.g. model.opinion.confidence=0.3 or
    /// firm.*.lobby_share=0.01..0.02 (uniform). Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Replace a finished experiment in the output directory.
    #[arg(long)]
    pub force: bool,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
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
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => 2,
            Error::Experiment(_) | Error::Io(_) => 1,
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

/// `netstates run`.
pub fn run(args: &RunArgs, argv: &[String]) -> Result<(), Error> {
    let mut s = load(&args.file)?;
    scenario::apply_overrides(&mut s, &args.set).map_err(Error::Usage)?;
    if let Some(runs) = args.runs {
        if !(1..=1_000_000_000).contains(&runs) {
            return Err(Error::Usage(format!(
                "--runs must be between 1 and 1000000000, got {runs}"
            )));
        }
        s.runs = runs;
    }
    if let Some(seed) = args.seed {
        s.seed = seed;
    }
    let jobs = match args.jobs {
        Some(0) => return Err(Error::Usage("--jobs must be at least 1".into())),
        Some(j) => j,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&s.name));
    let manifest_path = out.join("manifest.json");
    if manifest_path.exists() && !args.force {
        return finished_already(&out, &s);
    }
    std::fs::create_dir_all(&out).map_err(|e| io_error("create", &out, e))?;

    let names = metrics::names(&s);
    let counts = metrics::is_count(&s);
    let started = files::now_rfc3339();
    let clock = Instant::now();
    let csv_path = out.join("runs.csv");
    let partial = files::temporary(&csv_path);
    let mut csv = std::io::BufWriter::new(
        std::fs::File::create(&partial).map_err(|e| io_error("create", &partial, e))?,
    );
    csv.write_all(files::csv_header(&names).as_bytes())
        .map_err(|e| io_error("write", &partial, e))?;

    let plan = Plan {
        scenario: &s,
        seed: s.seed,
        runs: 0..s.runs,
        jobs,
    };
    let mut progress = Progress::new(s.runs, args.quiet);
    // Grows with the runs; reserving for a billion runs up front would fail before any ran.
    let mut all = Vec::with_capacity(s.runs.min(1 << 16) as usize * names.len());
    let mut line = String::new();
    experiment::execute(&plan, |block| {
        line.clear();
        for (run, row) in block.rows() {
            files::csv_row(&mut line, run, s.seed, row, &counts);
        }
        csv.write_all(line.as_bytes())
            .and_then(|()| csv.flush())
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
        all.extend_from_slice(&block.values);
        progress.advance(block.values.len() as u64 / block.width.max(1) as u64);
        Ok(())
    })?;
    progress.finish();
    drop(csv);
    std::fs::rename(&partial, &csv_path).map_err(|e| io_error("rename", &partial, e))?;

    let summary = Summary::of(&s.name, s.seed, &names, &all);
    let json = serde_json::to_string_pretty(&summary).unwrap_or_default() + "\n";
    let summary_path = out.join("summary.json");
    files::write_atomic(&summary_path, json.as_bytes())
        .map_err(|e| io_error("write", &summary_path, e))?;
    let manifest = Manifest {
        netstates_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: s.name.clone(),
        scenario_sha256: files::scenario_hash(&s),
        seed: s.seed,
        runs: s.runs,
        shard: Shard {
            index: 0,
            count: 1,
            first_run: 0,
            end_run: s.runs,
        },
        seed_rule: files::SEED_RULE.to_string(),
        command_line: argv.to_vec(),
        started,
        finished: files::now_rfc3339(),
        scenario: s.clone(),
    };
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    files::write_atomic(&manifest_path, json.as_bytes())
        .map_err(|e| io_error("write", &manifest_path, e))?;

    let elapsed = clock.elapsed().as_secs_f64();
    sayln!(
        "{}: {} runs of {} rounds, seed {}, {} jobs, {:.2} s ({:.0} runs/s)",
        s.name,
        s.runs,
        s.rounds,
        s.seed,
        jobs,
        elapsed,
        s.runs as f64 / elapsed.max(1e-9)
    );
    print_summary(&s, &summary);
    sayln!("results in {}", out.display());
    Ok(())
}

/// Running into a directory that holds a finished experiment: if it is this very experiment
/// (same resolved scenario, seed and runs) its results are what this run would write, byte
/// for byte, so its summary is shown; any other experiment is refused, never overwritten.
fn finished_already(out: &Path, s: &Scenario) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "{} already holds a finished experiment{why}; choose another --out, or pass --force to replace it",
            out.display()
        )))
    };
    let read = |name: &str| std::fs::read_to_string(out.join(name)).ok();
    let Some(manifest) =
        read("manifest.json").and_then(|t| serde_json::from_str::<Manifest>(&t).ok())
    else {
        return refuse(" whose manifest cannot be read");
    };
    let same = manifest.scenario_sha256 == files::scenario_hash(s)
        && manifest.seed == s.seed
        && manifest.runs == s.runs
        && manifest.shard.count == 1;
    if !same {
        return refuse(" of another scenario, seed or number of runs");
    }
    let Some(summary) = read("summary.json").and_then(|t| serde_json::from_str::<Summary>(&t).ok())
    else {
        return refuse(" whose summary cannot be read");
    };
    sayln!(
        "{}: this experiment ({} runs, seed {}) is already complete in {}; its summary:",
        s.name,
        s.runs,
        s.seed,
        out.display()
    );
    print_summary(s, &summary);
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

/// Progress on stderr: a bar on a terminal, a plain line every few seconds otherwise (Slurm
/// and CI logs), nothing with `--quiet`.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: Option<(Instant, Instant)>,
    done: u64,
    total: u64,
}

impl Progress {
    const PLAIN_EVERY: Duration = Duration::from_secs(5);

    fn new(total: u64, quiet: bool) -> Progress {
        let (mut bar, mut plain) = (None, None);
        if !quiet && std::io::stderr().is_terminal() {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} runs  {per_sec}  elapsed {elapsed}  eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar = Some(b);
        } else if !quiet {
            let now = Instant::now();
            plain = Some((now, now));
        }
        Progress {
            bar,
            plain,
            done: 0,
            total,
        }
    }

    fn advance(&mut self, runs: u64) {
        self.done += runs;
        if let Some(b) = &self.bar {
            b.set_position(self.done);
        }
        if let Some((start, last)) = &mut self.plain
            && last.elapsed() >= Self::PLAIN_EVERY
        {
            {
                *last = Instant::now();
                let secs = start.elapsed().as_secs_f64();
                let rate = self.done as f64 / secs.max(1e-9);
                let eta = (self.total - self.done) as f64 / rate.max(1e-9);
                eprintln!(
                    "progress: {}/{} runs, {:.1} runs/s, elapsed {:.0} s, eta {:.0} s",
                    self.done, self.total, rate, secs, eta
                );
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
