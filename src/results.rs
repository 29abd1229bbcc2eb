//! Result directories: an experiment's `runs.csv`, `summary.json` and `manifest.json`, and
//! the life of one directory from first run to last: start, resume after an interruption,
//! finish, merge shards, read back for replay. The bytes of `runs.csv` and `summary.json` do
//! not depend on how the runs were split over threads, shards or sessions.
//!
//! While an experiment runs, its manifest (with no `finished` time) is already written and the
//! runs go to `runs.csv.part` in run order, flushed block by block, so an interrupted
//! experiment keeps every completed run and can be resumed.

use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::experiment::{self, ExperimentError, Plan};
use crate::model::metrics;
use crate::report::files::{self, Manifest, Shard, Summary};
use crate::scenario::Scenario;

pub const RUNS: &str = "runs.csv";
pub const SUMMARY: &str = "summary.json";
pub const MANIFEST: &str = "manifest.json";

/// What can go wrong with a result directory.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The directory holds something this command must not touch, or lacks what it needs
    /// (exit status 2: the command line is at fault).
    #[error("{0}")]
    Refused(String),
    /// Files that cannot be read, parsed or written (exit status 1).
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
}

fn io_err(what: &str, path: &Path, e: impl std::fmt::Display) -> ResultsError {
    ResultsError::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// What a directory holds.
#[derive(Debug)]
pub enum Status {
    Empty,
    Interrupted(Box<Manifest>),
    Finished(Box<Manifest>),
}

/// Reads a directory's manifest, if any.
pub fn status(dir: &Path) -> Result<Status, ResultsError> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        return Ok(Status::Empty);
    }
    let m = read_manifest(dir)?;
    Ok(if m.finished.is_some() {
        Status::Finished(Box::new(m))
    } else {
        Status::Interrupted(Box::new(m))
    })
}

/// Reads and parses `manifest.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, ResultsError> {
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(|e| io_err("read", &path, e))?;
    serde_json::from_str(&text).map_err(|e| io_err("parse", &path, e))
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), ResultsError> {
    let json = serde_json::to_string_pretty(value).map_err(|e| io_err("encode", path, e))? + "\n";
    files::write_atomic(path, json.as_bytes()).map_err(|e| io_err("write", path, e))
}

/// The rows of a `runs.csv`, parsed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    pub first: u64,
    pub runs: u64,
    /// `runs x width` values in run order.
    pub values: Vec<f64>,
    /// Bytes of the text that hold the header and the complete rows.
    pub complete: usize,
}

/// Parses `runs.csv` text: the header must be this scenario's, rows must number consecutive
/// runs from `first` with the experiment's seed. With `partial_ok`, a last line cut short (a
/// process killed mid-write) is left out; otherwise it is an error.
pub fn parse_runs(
    text: &str,
    names: &[String],
    first: u64,
    seed: u64,
    partial_ok: bool,
) -> Result<Rows, String> {
    let header = files::csv_header(names);
    if !text.starts_with(&header) {
        return Err("its header does not match this scenario's metrics".into());
    }
    let width = names.len();
    let mut rows = Rows {
        first,
        runs: 0,
        values: Vec::new(),
        complete: header.len(),
    };
    let mut rest = &text[header.len()..];
    while !rest.is_empty() {
        let Some(end) = rest.find('\n') else {
            if partial_ok {
                break;
            }
            return Err(format!("row {} is cut short", rows.runs + 1));
        };
        let line = &rest[..end];
        let expected_run = first + rows.runs;
        let mut fields = line.split(',');
        let run = fields.next().and_then(|f| f.parse::<u64>().ok());
        let row_seed = fields.next().and_then(|f| f.parse::<u64>().ok());
        if run != Some(expected_run) || row_seed != Some(seed) {
            return Err(format!(
                "expected run {expected_run} with seed {seed}, found \"{}\"",
                line.chars().take(40).collect::<String>()
            ));
        }
        let before = rows.values.len();
        for f in fields {
            let x: f64 = f
                .parse()
                .map_err(|_| format!("run {expected_run}: \"{f}\" is not a number"))?;
            rows.values.push(x);
        }
        if rows.values.len() - before != width {
            return Err(format!(
                "run {expected_run} has {} metrics, expected {width}",
                rows.values.len() - before
            ));
        }
        rows.runs += 1;
        rows.complete += end + 1;
        rest = &rest[end + 1..];
    }
    Ok(rows)
}

/// The runs of shard `k` of `n` of an experiment of `runs` runs: [k R / n, (k + 1) R / n).
pub fn shard_range(k: u64, n: u64, runs: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(i) * u128::from(runs) / u128::from(n)) as u64;
    at(k)..at(k + 1)
}

/// Where and how a command plays its runs; an experiment's and a study's alike.
#[derive(Debug, Clone)]
pub struct Placement {
    pub out: PathBuf,
    /// (index, count), 0-based: play shard `index` of `count` (of the runs, or of a study's
    /// points).
    pub shard: (u64, u64),
    pub jobs: usize,
    pub resume: bool,
    pub force: bool,
    /// Recorded in the manifest.
    pub command_line: Vec<String>,
}

/// One experiment to run into a directory.
#[derive(Debug, Clone)]
pub struct Request<'s> {
    pub scenario: &'s Scenario,
    pub place: Placement,
}

/// How a run into a directory ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every run is done; the summary of the directory's runs.
    Finished { summary: Summary, resumed_from: u64 },
    /// The directory already held this very experiment, finished.
    AlreadyDone { summary: Summary },
    /// Stopped by the user: `done` of `total` runs are kept.
    Interrupted { done: u64, total: u64 },
}

fn same_experiment(m: &Manifest, s: &Scenario, shard: &Shard) -> bool {
    m.scenario_sha256 == files::scenario_hash(s)
        && m.seed == s.seed
        && m.runs == s.runs
        && m.shard == *shard
}

fn read_summary(dir: &Path) -> Result<Summary, ResultsError> {
    let path = dir.join(SUMMARY);
    let text = fs::read_to_string(&path).map_err(|e| io_err("read", &path, e))?;
    serde_json::from_str(&text).map_err(|e| io_err("parse", &path, e))
}

/// Runs an experiment (or a shard of it) into `req.place.out`: fresh, resumed, or not at all when
/// the directory already holds it. `progress(done, total)` is called after each block; `stop`
/// ends the experiment early, keeping every completed run.
pub fn run(
    req: &Request,
    stop: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Outcome, ResultsError> {
    let s = req.scenario;
    let (k, n) = req.place.shard;
    let range = shard_range(k, n, s.runs);
    let shard = Shard {
        index: k,
        count: n,
        first_run: range.start,
        end_run: range.end,
    };
    let dir = &req.place.out;
    let refuse = |what: &str| Err(ResultsError::Refused(format!("{} {what}", dir.display())));
    let names = metrics::names(s);
    let counts = metrics::is_count(s);
    let csv_path = dir.join(RUNS);
    let partial = files::temporary(&csv_path);

    if dir.join(crate::study::STUDY).exists() {
        return refuse("holds a sweep or sensitivity analysis; choose another --out");
    }
    let mut started = files::now_rfc3339();
    let mut kept: Option<Rows> = None;
    match status(dir)? {
        _ if req.place.force => {
            for name in [MANIFEST, SUMMARY, RUNS] {
                let _ = fs::remove_file(dir.join(name));
            }
            let _ = fs::remove_file(&partial);
        }
        Status::Finished(m) if same_experiment(&m, s, &shard) => {
            return Ok(Outcome::AlreadyDone {
                summary: read_summary(dir)?,
            });
        }
        Status::Finished(_) => {
            return refuse(
                "already holds a finished experiment of another scenario, seed, number of runs \
                 or shard; choose another --out, or pass --force to replace it",
            );
        }
        Status::Interrupted(m) if !req.place.resume => {
            let _ = m;
            return refuse(
                "holds an interrupted experiment; pass --resume to continue it, or --force to \
                 start again",
            );
        }
        Status::Interrupted(m) => {
            if !same_experiment(&m, s, &shard) {
                return refuse(
                    "holds an interrupted experiment of another scenario, seed, number of runs \
                     or shard: --resume needs the same scenario file, --set, --seed, --runs and \
                     --shard",
                );
            }
            started = m.started.clone();
            let text = fs::read_to_string(&partial).unwrap_or_default();
            let rows = if text.is_empty() {
                Rows {
                    first: range.start,
                    runs: 0,
                    values: Vec::new(),
                    complete: 0,
                }
            } else {
                parse_runs(&text, &names, range.start, s.seed, true)
                    .map_err(|e| io_err("resume from", &partial, e))?
            };
            kept = Some(rows);
        }
        Status::Empty if req.place.resume => {
            return refuse("holds no interrupted experiment to resume");
        }
        Status::Empty => {}
    }

    // Every run's metrics are kept for the summary's quantiles: 8 bytes a value, reserved
    // exactly and before anything is written, so an experiment too large for memory is
    // refused before it starts.
    let total_values = (range.end - range.start) as usize * names.len();
    let mut values: Vec<f64> = Vec::new();
    values.try_reserve_exact(total_values).map_err(|_| {
        ResultsError::Refused(format!(
            "{} runs x {} metrics need {:.1} GB of memory for their summary; run it in shards \
             (--shard K/N) and merge them on a machine with more memory",
            range.end - range.start,
            names.len(),
            total_values as f64 * 8.0 / 1e9
        ))
    })?;

    fs::create_dir_all(dir).map_err(|e| io_err("create", dir, e))?;
    let mut manifest = Manifest {
        netstates_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: s.name.clone(),
        scenario_sha256: files::scenario_hash(s),
        seed: s.seed,
        runs: s.runs,
        shard,
        seed_rule: files::SEED_RULE.to_string(),
        command_line: req.place.command_line.clone(),
        started,
        finished: None,
        scenario: s.clone(),
    };
    write_json(&dir.join(MANIFEST), &manifest)?;

    // Open runs.csv.part: fresh with its header, or cut back to its complete rows.
    let resumed_from = match kept {
        Some(rows) if rows.complete > 0 => {
            let f = fs::OpenOptions::new()
                .write(true)
                .open(&partial)
                .map_err(|e| io_err("open", &partial, e))?;
            f.set_len(rows.complete as u64)
                .map_err(|e| io_err("truncate", &partial, e))?;
            values.extend_from_slice(&rows.values);
            rows.first + rows.runs
        }
        _ => {
            fs::write(&partial, files::csv_header(&names))
                .map_err(|e| io_err("write", &partial, e))?;
            range.start
        }
    };
    let mut csv = io::BufWriter::new(
        fs::OpenOptions::new()
            .append(true)
            .open(&partial)
            .map_err(|e| io_err("open", &partial, e))?,
    );

    let total = range.end - range.start;
    let mut done = resumed_from - range.start;
    progress(done, total);
    let plan = Plan {
        scenario: s,
        seed: s.seed,
        runs: resumed_from..range.end,
        jobs: req.place.jobs,
    };
    let mut line = String::new();
    let finished_all = experiment::execute(&plan, stop, |block| {
        line.clear();
        for (run, row) in block.rows() {
            files::csv_row(&mut line, run, s.seed, row, &counts);
        }
        csv.write_all(line.as_bytes())
            .and_then(|()| csv.flush())
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
        values.extend_from_slice(&block.values);
        done += block.runs() as u64;
        progress(done, total);
        Ok(())
    })?;
    drop(csv);
    if !finished_all {
        return Ok(Outcome::Interrupted { done, total });
    }

    fs::rename(&partial, &csv_path).map_err(|e| io_err("rename", &partial, e))?;
    let summary = Summary::of(&s.name, s.seed, &names, &values);
    write_json(&dir.join(SUMMARY), &summary)?;
    manifest.finished = Some(files::now_rfc3339());
    write_json(&dir.join(MANIFEST), &manifest)?;
    Ok(Outcome::Finished {
        summary,
        resumed_from: resumed_from - range.start,
    })
}

/// A finished result directory, read back.
#[derive(Debug)]
pub struct Finished {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub rows: Rows,
    pub text: String,
}

/// Reads a finished directory's manifest and `runs.csv`, checking one against the other.
pub fn read_finished(dir: &Path) -> Result<Finished, ResultsError> {
    let manifest = match status(dir)? {
        Status::Finished(m) => *m,
        Status::Interrupted(_) => {
            return Err(ResultsError::Refused(format!(
                "{} holds an interrupted experiment: finish it with run --resume first",
                dir.display()
            )));
        }
        Status::Empty => {
            return Err(ResultsError::Refused(format!(
                "{} holds no experiment (no {MANIFEST})",
                dir.display()
            )));
        }
    };
    let path = dir.join(RUNS);
    let text = fs::read_to_string(&path).map_err(|e| io_err("read", &path, e))?;
    let names = metrics::names(&manifest.scenario);
    let rows = parse_runs(
        &text,
        &names,
        manifest.shard.first_run,
        manifest.seed,
        false,
    )
    .map_err(|e| io_err("read", &path, e))?;
    if rows.first + rows.runs != manifest.shard.end_run {
        return Err(io_err(
            "read",
            &path,
            format!(
                "it holds runs {}..{}, its manifest says {}..{}",
                rows.first,
                rows.first + rows.runs,
                manifest.shard.first_run,
                manifest.shard.end_run
            ),
        ));
    }
    Ok(Finished {
        dir: dir.to_path_buf(),
        manifest,
        rows,
        text,
    })
}

/// Joins shard directories into one experiment in `out`: refuses shards of different
/// scenarios or seeds, overlaps and gaps. The merged `runs.csv` and `summary.json` equal an
/// unsharded experiment's, byte for byte.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    command_line: Vec<String>,
) -> Result<Summary, ResultsError> {
    let refuse = |m: String| Err(ResultsError::Refused(m));
    let mut parts: Vec<Finished> = dirs
        .iter()
        .map(|d| read_finished(d))
        .collect::<Result<_, _>>()?;
    let Some(first) = parts.first() else {
        return refuse("merge needs at least one directory".into());
    };
    let (hash, seed, runs) = (
        first.manifest.scenario_sha256.clone(),
        first.manifest.seed,
        first.manifest.runs,
    );
    for p in &parts {
        let m = &p.manifest;
        if m.scenario_sha256 != hash || m.seed != seed || m.runs != runs {
            return refuse(format!(
                "{} and {} are not shards of one experiment (scenario {} vs {}, seed {} vs {}, runs {} vs {})",
                first.dir.display(),
                p.dir.display(),
                &hash[..12],
                &m.scenario_sha256[..12],
                seed,
                m.seed,
                runs,
                m.runs
            ));
        }
    }
    parts.sort_by_key(|p| p.manifest.shard.first_run);
    let mut next = 0;
    for (i, p) in parts.iter().enumerate() {
        let sh = &p.manifest.shard;
        if sh.first_run > next {
            return refuse(format!(
                "runs {next}..{} are missing from the shards",
                sh.first_run
            ));
        }
        if sh.first_run < next {
            let other = &parts[i - 1].dir;
            return refuse(format!(
                "{} and {} overlap: both hold runs {}..{next}",
                other.display(),
                p.dir.display(),
                sh.first_run
            ));
        }
        next = sh.end_run;
    }
    if next != runs {
        return refuse(format!("runs {next}..{runs} are missing from the shards"));
    }
    if let Status::Finished(_) | Status::Interrupted(_) = status(out)? {
        return refuse(format!(
            "{} already holds an experiment; merge into a new directory",
            out.display()
        ));
    }
    fs::create_dir_all(out).map_err(|e| io_err("create", out, e))?;
    let scenario = parts[0].manifest.scenario.clone();
    let names = metrics::names(&scenario);
    let header = files::csv_header(&names);
    let mut csv = header.clone();
    let mut values = Vec::new();
    for p in &parts {
        csv.push_str(&p.text[header.len()..]);
        values.extend_from_slice(&p.rows.values);
    }
    let csv_path = out.join(RUNS);
    files::write_atomic(&csv_path, csv.as_bytes()).map_err(|e| io_err("write", &csv_path, e))?;
    let summary = Summary::of(&scenario.name, seed, &names, &values);
    write_json(&out.join(SUMMARY), &summary)?;
    let started = parts.iter().map(|p| p.manifest.started.clone()).min();
    let manifest = Manifest {
        netstates_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: scenario.name.clone(),
        scenario_sha256: hash,
        seed,
        runs,
        shard: Shard {
            index: 0,
            count: 1,
            first_run: 0,
            end_run: runs,
        },
        seed_rule: files::SEED_RULE.to_string(),
        command_line,
        started: started.unwrap_or_default(),
        finished: Some(files::now_rfc3339()),
        scenario,
    };
    write_json(&out.join(MANIFEST), &manifest)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_runs() {
        for (runs, n) in [(10, 3), (7, 7), (3, 5), (1000, 4), (u64::MAX, 3)] {
            let mut next = 0;
            for k in 0..n {
                let r = shard_range(k, n, runs);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, runs);
        }
        assert_eq!(shard_range(1, 4, 100), 25..50);
    }

    #[test]
    fn a_cut_row_is_left_out_only_when_allowed() {
        let names = vec!["a".to_string(), "b".to_string()];
        let text = "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n7,9,0.1";
        let rows = parse_runs(text, &names, 5, 9, true).unwrap();
        assert_eq!(rows.runs, 2);
        assert_eq!(rows.values, [0.5, 1.0, 0.25, 2.0]);
        assert_eq!(
            &text[..rows.complete],
            "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n"
        );
        assert!(parse_runs(text, &names, 5, 9, false).is_err());
        assert!(
            parse_runs(text, &names, 4, 9, true).is_err(),
            "wrong first run"
        );
        assert!(parse_runs(text, &names, 5, 8, true).is_err(), "wrong seed");
        let short = "run,seed,a,b\n5,9,0.5\n";
        assert!(parse_runs(short, &names, 5, 9, true).is_err());
    }
}
