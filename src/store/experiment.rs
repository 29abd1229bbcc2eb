//! Result directories: an experiment's `runs.csv`, `summary.json` and `manifest.json`, and
//! the life of one directory from first run to last: start, resume after an interruption,
//! finish, read back for replay and comparison. The bytes of `runs.csv` and `summary.json` do
//! not depend on how the runs were split over threads, shards or sessions.
//!
//! While an experiment runs, its manifest (with no `finished` time) is already written and the
//! runs go to `runs.csv.part` in run order, flushed block by block, so an interrupted
//! experiment keeps every completed run and can be resumed.

use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::durable::{sweep_temporaries, sync_dir, temporary, write_atomic};
use super::error::{Refusal, StoreError};
use super::lock::{LOCK, lock};
use super::manifest::{FileCheck, Manifest, SEED_RULE, Shard, now_rfc3339, scenario_hash};
use super::runs::{self, RowWriter, Rows};
use super::summary::Summary;
use super::{MANIFEST, RUNS, STUDY, SUMMARY};
use crate::model::metrics;
use crate::run::{self, Plan, Pool};
use crate::scenario::Scenario;

/// What a directory holds.
#[derive(Debug)]
pub enum Status {
    Empty,
    Interrupted(Box<Manifest>),
    Finished(Box<Manifest>),
}

/// Reads a directory's manifest, if any.
pub fn status(dir: &Path) -> Result<Status, StoreError> {
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

/// Reads and parses `manifest.json`, and checks it as netstates wrote it: its scenario
/// passes the same limits and rules as a scenario file and has the recorded hash, and its
/// shard is one of its runs. A manifest that does not is damaged, never trusted.
pub fn read_manifest(dir: &Path) -> Result<Manifest, StoreError> {
    let path = dir.join(MANIFEST);
    let m: Manifest = read_json(&path)?;
    let damaged = |reason: String| Err(StoreError::damaged(&path, reason));
    if let Err(e) = m.scenario.validate() {
        return damaged(format!("its scenario is not valid: {e}"));
    }
    if scenario_hash(&m.scenario) != m.scenario_sha256 {
        return damaged("its scenario does not have the SHA-256 it records".into());
    }
    let sh = &m.shard;
    if m.runs != m.scenario.runs
        || m.seed != m.scenario.seed
        || sh.count == 0
        || sh.index >= sh.count
        || shard_range(sh.index, sh.count, m.runs) != (sh.first_run..sh.end_run)
    {
        return damaged(format!(
            "its runs, seed and shard do not agree (runs {}, shard {}/{} holding {}..{})",
            m.runs, sh.index, sh.count, sh.first_run, sh.end_run
        ));
    }
    Ok(m)
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, StoreError> {
    let text = fs::read_to_string(path).map_err(|e| StoreError::io("read", path, e))?;
    serde_json::from_str(&text).map_err(|e| StoreError::io("parse", path, e))
}

pub(crate) fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), StoreError> {
    let json =
        serde_json::to_string_pretty(value).map_err(|e| StoreError::io("encode", path, e))? + "\n";
    write_atomic(path, json.as_bytes()).map_err(|e| StoreError::io("write", path, e))
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
    m.scenario_sha256 == scenario_hash(s)
        && m.seed == s.seed
        && m.runs == s.runs
        && m.shard == *shard
}

/// What a directory gives a run that starts in it.
enum Start {
    /// The directory already holds this experiment, finished (and `runs.csv` checks out).
    Done,
    /// Start (or resume) with these rows kept from `runs.csv.part`, from this start time.
    Play { kept: Option<Rows>, started: String },
}

/// Decides from what the directory holds whether and how the experiment starts. The caller
/// holds the directory's lock.
fn start(req: &Request, shard: &Shard, names: &[String]) -> Result<Start, StoreError> {
    let s = req.scenario;
    let dir = &req.place.out;
    let refuse = |refusal| Err(StoreError::refused(dir, refusal));
    let csv_path = dir.join(RUNS);
    let partial = temporary(&csv_path);
    if dir.join(STUDY).exists() {
        return refuse(Refusal::HoldsStudy);
    }
    let fresh = || {
        Ok(Start::Play {
            kept: None,
            started: now_rfc3339(),
        })
    };
    if req.place.force {
        for name in [MANIFEST, SUMMARY, RUNS] {
            let _ = fs::remove_file(dir.join(name));
        }
        let _ = fs::remove_file(&partial);
        return fresh();
    }
    match status(dir)? {
        Status::Finished(m) if same_experiment(&m, s, shard) => {
            verify_runs(dir, &m)?;
            Ok(Start::Done)
        }
        Status::Finished(_) => refuse(Refusal::FinishedOther),
        Status::Interrupted(_) if !req.place.resume => refuse(Refusal::Interrupted),
        Status::Interrupted(m) if !same_experiment(&m, s, shard) => {
            refuse(Refusal::InterruptedOther)
        }
        Status::Interrupted(m) => {
            // A crash between renaming runs.csv.part and marking the manifest finished leaves
            // a complete runs.csv: it is taken up again, not played anew.
            if !partial.exists() && csv_path.exists() {
                let bytes =
                    fs::read(&csv_path).map_err(|e| StoreError::io("read", &csv_path, e))?;
                let rows = runs::parse(&bytes, names, shard.first_run, s.seed, false)
                    .map_err(|e| StoreError::damaged(&csv_path, e))?;
                if rows.first + rows.runs != shard.end_run {
                    return Err(StoreError::damaged(
                        &csv_path,
                        format!(
                            "it holds {} of the {} runs",
                            rows.runs,
                            shard.end_run - shard.first_run
                        ),
                    ));
                }
                fs::rename(&csv_path, &partial)
                    .map_err(|e| StoreError::io("rename", &csv_path, e))?;
            }
            let kept = match fs::read(&partial) {
                Ok(bytes) if bytes.is_empty() => None,
                Ok(bytes) => Some(
                    runs::parse(&bytes, names, shard.first_run, s.seed, true)
                        .map_err(|e| StoreError::damaged(&partial, e))?,
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(StoreError::io("read", &partial, e)),
            };
            Ok(Start::Play {
                kept,
                started: m.started.clone(),
            })
        }
        Status::Empty if req.place.resume => refuse(Refusal::NothingToResume),
        Status::Empty => fresh(),
    }
}

/// Checks a finished directory's `runs.csv` against what its manifest recorded: its size,
/// rows and SHA-256. A file cut short, emptied by a power cut or changed since is damaged.
fn verify_runs(dir: &Path, m: &Manifest) -> Result<Vec<u8>, StoreError> {
    let path = dir.join(RUNS);
    let bytes = fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::damaged(&path, "it is missing"),
        _ => StoreError::io("read", &path, e),
    })?;
    let Some(check) = &m.runs_csv else {
        return Err(StoreError::damaged(
            &path,
            "its manifest records no checksum of it (written by an older netstates)",
        ));
    };
    if bytes.len() as u64 != check.bytes || runs::sha256_hex(&bytes) != check.sha256 {
        return Err(StoreError::damaged(
            &path,
            format!(
                "it is not the file the experiment wrote ({} bytes and SHA-256 {}, its \
                 manifest recorded {} bytes and {})",
                bytes.len(),
                short_hash(&runs::sha256_hex(&bytes)),
                check.bytes,
                short_hash(&check.sha256)
            ),
        ));
    }
    Ok(bytes)
}

/// The first characters of a hash, for messages (the whole of a short one).
pub(crate) fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Opens `runs.csv.part` for appending: fresh with its header, or cut back to the complete
/// rows kept from an interrupted run. Returns the file and the first run still to play.
fn open_part(
    partial: &Path,
    names: &[String],
    kept: Option<&Rows>,
    first_run: u64,
) -> Result<(fs::File, u64), StoreError> {
    let next = match kept {
        Some(rows) if rows.complete > 0 => {
            let f = fs::OpenOptions::new()
                .write(true)
                .open(partial)
                .map_err(|e| StoreError::io("open", partial, e))?;
            f.set_len(rows.complete as u64)
                .map_err(|e| StoreError::io("truncate", partial, e))?;
            rows.first + rows.runs
        }
        _ => {
            fs::write(partial, runs::header_line(names))
                .map_err(|e| StoreError::io("write", partial, e))?;
            first_run
        }
    };
    let file = fs::OpenOptions::new()
        .append(true)
        .open(partial)
        .map_err(|e| StoreError::io("open", partial, e))?;
    Ok((file, next))
}

/// Runs an experiment (or a shard of it) into `req.place.out` on `pool`: fresh, resumed, or
/// not at all when the directory already holds it. The directory is locked for the whole
/// call; a second writer is refused. `progress(done, total)` is called after each block;
/// `stop` ends the experiment early, keeping every completed run.
pub fn run(
    req: &Request,
    pool: &Pool,
    stop: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Outcome, StoreError> {
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
    let names = metrics::names(s);

    // Every run's metrics are kept for the summary's quantiles: 8 bytes a value, reserved
    // exactly and before anything is written, so an experiment too large for memory is
    // refused before it starts.
    let total = range.end - range.start;
    let mut values: Vec<f64> = Vec::new();
    values
        .try_reserve_exact(total as usize * names.len())
        .map_err(|_| StoreError::TooLarge {
            runs: total,
            metrics: names.len(),
        })?;

    let existed = dir.exists();
    let _lock = lock(dir, LOCK)?;
    let (kept, started) = match start(req, &shard, &names) {
        Ok(Start::Done) => {
            return Ok(Outcome::AlreadyDone {
                summary: read_json(&dir.join(SUMMARY))?,
            });
        }
        Ok(Start::Play { kept, started }) => (kept, started),
        Err(e) => {
            if !existed {
                let _ = fs::remove_dir_all(dir);
            }
            return Err(e);
        }
    };
    sweep_temporaries(dir, true);
    if let Some(up) = dir.parent() {
        let _ = sync_dir(if up.as_os_str().is_empty() {
            Path::new(".")
        } else {
            up
        });
    }

    let mut manifest = Manifest {
        netstates_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: s.name.clone(),
        scenario_sha256: scenario_hash(s),
        seed: s.seed,
        runs: s.runs,
        shard,
        seed_rule: SEED_RULE.to_string(),
        command_line: req.place.command_line.clone(),
        started,
        finished: None,
        runs_csv: None,
        scenario: s.clone(),
    };
    write_json(&dir.join(MANIFEST), &manifest)?;

    let csv_path = dir.join(RUNS);
    let partial = temporary(&csv_path);
    let (file, resume_at) = open_part(&partial, &names, kept.as_ref(), range.start)?;
    if let Some(rows) = &kept {
        values.extend_from_slice(&rows.values);
    }
    let mut csv = RowWriter::new(io::BufWriter::new(file), metrics::is_count(s));
    let mut done = resume_at - range.start;
    progress(done, total);
    let plan = Plan {
        scenario: s,
        seed: s.seed,
        runs: resume_at..range.end,
    };
    let finished_all = run::execute(&plan, pool, stop, |block| {
        block
            .rows()
            .try_for_each(|(run, row)| csv.row(run, s.seed, row))
            .and_then(|()| csv.flush())
            .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
        values.extend_from_slice(&block.values);
        done += block.runs() as u64;
        progress(done, total);
        Ok(())
    })?;
    let file = csv
        .into_inner()
        .map_err(|e| StoreError::io("write", &partial, e))?
        .into_inner()
        .map_err(|e| StoreError::io("write", &partial, e.into_error()))?;
    // The rows are on disk before the file may be renamed complete.
    file.sync_all()
        .map_err(|e| StoreError::io("sync", &partial, e))?;
    drop(file);
    if !finished_all {
        return Ok(Outcome::Interrupted { done, total });
    }

    let summary =
        Summary::of(&s.name, s.seed, &names, &values).map_err(|e| StoreError::Overflow {
            metric: e.metric,
            statistic: e.statistic,
            value: e.value,
            kept: partial.clone(),
        })?;
    let bytes = fs::read(&partial).map_err(|e| StoreError::io("read", &partial, e))?;
    manifest.runs_csv = Some(FileCheck {
        sha256: runs::sha256_hex(&bytes),
        rows: total,
        bytes: bytes.len() as u64,
    });
    fs::rename(&partial, &csv_path).map_err(|e| StoreError::io("rename", &partial, e))?;
    sync_dir(dir).map_err(|e| StoreError::io("sync", dir, e))?;
    write_json(&dir.join(SUMMARY), &summary)?;
    manifest.finished = Some(now_rfc3339());
    write_json(&dir.join(MANIFEST), &manifest)?;
    Ok(Outcome::Finished {
        summary,
        resumed_from: resume_at - range.start,
    })
}

/// A finished result directory, read back.
#[derive(Debug)]
pub struct Finished {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub rows: Rows,
    pub bytes: Vec<u8>,
}

/// Reads a finished directory's manifest and `runs.csv`, checking one against the other:
/// the file must be the one the experiment wrote (its checksum) and hold the shard's runs.
pub fn read_finished(dir: &Path) -> Result<Finished, StoreError> {
    let manifest = match status(dir)? {
        Status::Finished(m) => *m,
        Status::Interrupted(_) => return Err(StoreError::refused(dir, Refusal::NotFinished)),
        Status::Empty => return Err(StoreError::refused(dir, Refusal::NoExperiment)),
    };
    let bytes = verify_runs(dir, &manifest)?;
    let path = dir.join(RUNS);
    let names = metrics::names(&manifest.scenario);
    let rows = runs::parse(
        &bytes,
        &names,
        manifest.shard.first_run,
        manifest.seed,
        false,
    )
    .map_err(|e| StoreError::damaged(&path, e))?;
    if rows.first + rows.runs != manifest.shard.end_run {
        return Err(StoreError::damaged(
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
        bytes,
    })
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
}
