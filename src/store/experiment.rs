//! Result directories: an experiment's `runs.csv`, `summary.json` and `manifest.json` (and
//! with trajectories `trajectories.csv` and `trajectory-summary.csv`), and the life of one
//! directory from first run to last: start, resume after an interruption, finish, read back
//! for replay and comparison. The bytes of every file but the manifest do not depend on how
//! the runs were split over threads, shards or sessions.
//!
//! While an experiment runs, its manifest (with no `finished` time) is already written and the
//! runs go to `runs.csv.part` (and `trajectories.csv.part`) in run order, flushed block by
//! block, so an interrupted experiment keeps every completed run and can be resumed.

use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::durable::{sweep_temporaries, sync_dir, temporary, write_atomic};
use super::error::{Refusal, StoreError};
use super::lock::{LOCK, lock};
use super::manifest::{FileCheck, Manifest, SEED_RULE, Shard, now_rfc3339, scenario_hash};
use super::runs::{self, Columns, RowWriter, Rows};
use super::summary::{NotFinite, Summary};
use super::trajectories::{self, Kept, TrajectoryWriter};
use super::{MANIFEST, RUNS, STUDY, SUMMARY, TRAJECTORIES, TRAJECTORY_SUMMARY};
use crate::run::{self, Plan, Pool, Trajectory};
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
    /// Record every run's metrics at these rounds too (`trajectories.csv`).
    pub trajectory: Option<Trajectory>,
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

/// The rows of an interrupted experiment that are taken up again.
#[derive(Default)]
struct KeptRows {
    rows: Option<Rows>,
    trajectories: Option<Kept>,
}

/// What a directory gives a run that starts in it.
enum Start {
    /// The directory already holds this experiment, finished (and its files check out).
    Done,
    /// Start (or resume) with these rows kept, from this start time.
    Play { kept: KeptRows, started: String },
}

/// The files of an experiment in its directory.
struct Files {
    runs: PathBuf,
    runs_part: PathBuf,
    trajectories: PathBuf,
    trajectories_part: PathBuf,
}

impl Files {
    fn of(dir: &Path) -> Files {
        let runs = dir.join(RUNS);
        let trajectories = dir.join(TRAJECTORIES);
        Files {
            runs_part: temporary(&runs),
            trajectories_part: temporary(&trajectories),
            runs,
            trajectories,
        }
    }
}

/// Decides from what the directory holds whether and how the experiment starts. The caller
/// holds the directory's lock.
fn start(req: &Request, shard: &Shard, columns: &Columns) -> Result<Start, StoreError> {
    let s = req.scenario;
    let dir = &req.place.out;
    let refuse = |refusal| Err(StoreError::refused(dir, refusal));
    let files = Files::of(dir);
    if dir.join(STUDY).exists() {
        return refuse(Refusal::HoldsStudy);
    }
    let fresh = || {
        Ok(Start::Play {
            kept: KeptRows::default(),
            started: now_rfc3339(),
        })
    };
    if req.place.force {
        for name in [MANIFEST, SUMMARY, RUNS, TRAJECTORIES, TRAJECTORY_SUMMARY] {
            let _ = fs::remove_file(dir.join(name));
        }
        let _ = fs::remove_file(&files.runs_part);
        let _ = fs::remove_file(&files.trajectories_part);
        return fresh();
    }
    match status(dir)? {
        Status::Finished(m) if same_experiment(&m, s, shard) && m.trajectory == req.trajectory => {
            verify(dir, &m)?;
            Ok(Start::Done)
        }
        Status::Finished(m) if same_experiment(&m, s, shard) => {
            refuse(Refusal::TrajectoriesDiffer {
                had: m.trajectory.map(|t| t.every),
            })
        }
        Status::Finished(_) => refuse(Refusal::FinishedOther),
        Status::Interrupted(_) if !req.place.resume => refuse(Refusal::Interrupted),
        Status::Interrupted(m) if !same_experiment(&m, s, shard) => {
            refuse(Refusal::InterruptedOther)
        }
        Status::Interrupted(m) if m.trajectory != req.trajectory => {
            refuse(Refusal::TrajectoriesDiffer {
                had: m.trajectory.map(|t| t.every),
            })
        }
        Status::Interrupted(m) => Ok(Start::Play {
            kept: kept_rows(req, shard, columns, &files)?,
            started: m.started.clone(),
        }),
        Status::Empty if req.place.resume => refuse(Refusal::NothingToResume),
        Status::Empty => fresh(),
    }
}

/// The rows an interrupted experiment kept: the complete runs of `runs.csv.part` (and of
/// `trajectories.csv.part`, the fewer of the two). A crash between renaming the files
/// complete and marking the manifest finished leaves them complete: they are taken up
/// again, not played anew. Unreadable rows are an error naming the file and the line.
fn kept_rows(
    req: &Request,
    shard: &Shard,
    columns: &Columns,
    files: &Files,
) -> Result<KeptRows, StoreError> {
    let s = req.scenario;
    let whole = shard.end_run - shard.first_run;
    for (part, complete) in [
        (&files.runs_part, &files.runs),
        (&files.trajectories_part, &files.trajectories),
    ] {
        if !part.exists() && complete.exists() {
            fs::rename(complete, part).map_err(|e| StoreError::io("rename", complete, e))?;
        }
    }
    let read = |path: &Path| match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io("read", path, e)),
    };
    let mut kept = KeptRows::default();
    if let Some(bytes) = read(&files.runs_part)?.filter(|b| !b.is_empty()) {
        let rows = runs::parse(&bytes, columns, shard.first_run, s.seed, true)
            .map_err(|e| StoreError::damaged(&files.runs_part, e))?;
        kept.rows = Some(rows);
    }
    if let Some(t) = req.trajectory {
        let rounds: Vec<u32> = t.rounds(s.rounds).collect();
        let tr = match read(&files.trajectories_part)?.filter(|b| !b.is_empty()) {
            Some(bytes) => {
                trajectories::parse(&bytes, &columns.metrics, &rounds, shard.first_run, true)
                    .map_err(|e| StoreError::damaged(&files.trajectories_part, e))?
            }
            None => Kept::default(),
        };
        // Runs are written with their trajectory first: keep the runs both files hold.
        let both = tr
            .runs
            .min(kept.rows.as_ref().map_or(0, |r| r.runs))
            .min(whole);
        if let Some(rows) = kept.rows.as_mut() {
            rows.truncate(both, columns.inputs.len(), columns.metrics.len());
        }
        let mut tr = tr;
        tr.truncate(both, rounds.len() * columns.metrics.len());
        kept.trajectories = Some(tr);
    }
    Ok(kept)
}

/// Checks a finished directory's files against what its manifest recorded: `runs.csv` (and
/// `trajectories.csv`) must have their size and SHA-256. A file cut short, emptied by a power
/// cut or changed since is damaged. Returns their bytes.
fn verify(dir: &Path, m: &Manifest) -> Result<(Vec<u8>, Option<Vec<u8>>), StoreError> {
    let check = |path: PathBuf, recorded: &Option<FileCheck>| -> Result<Vec<u8>, StoreError> {
        let bytes = fs::read(&path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => StoreError::damaged(&path, "it is missing"),
            _ => StoreError::io("read", &path, e),
        })?;
        let Some(check) = recorded else {
            return Err(StoreError::damaged(
                &path,
                "its manifest records no checksum of it (written by an older netstates)",
            ));
        };
        let sha = runs::sha256_hex(&bytes);
        if bytes.len() as u64 != check.bytes || sha != check.sha256 {
            return Err(StoreError::damaged(
                &path,
                format!(
                    "it is not the file the experiment wrote ({} bytes and SHA-256 {}, its \
                     manifest recorded {} bytes and {})",
                    bytes.len(),
                    short_hash(&sha),
                    check.bytes,
                    short_hash(&check.sha256)
                ),
            ));
        }
        Ok(bytes)
    };
    let runs = check(dir.join(RUNS), &m.runs_csv)?;
    let trajectories = match m.trajectory {
        Some(_) => Some(check(dir.join(TRAJECTORIES), &m.trajectories_csv)?),
        None => None,
    };
    Ok((runs, trajectories))
}

/// The first characters of a hash, for messages (the whole of a short one).
pub(crate) fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Opens a growing file for appending: fresh with its header, or cut back to `keep` bytes
/// (the header and the complete rows kept).
fn open_part(path: &Path, header: &str, keep: Option<usize>) -> Result<fs::File, StoreError> {
    match keep {
        Some(bytes) if bytes > 0 => {
            let f = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| StoreError::io("open", path, e))?;
            f.set_len(bytes as u64)
                .map_err(|e| StoreError::io("truncate", path, e))?;
        }
        _ => fs::write(path, header).map_err(|e| StoreError::io("write", path, e))?,
    }
    fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| StoreError::io("open", path, e))
}

/// A growing file's rows, flushed to the file and the file synced: ready to be renamed.
fn synced<W>(path: &Path, writer: std::io::Result<io::BufWriter<W>>) -> Result<(), StoreError>
where
    W: io::Write + AsFd,
{
    let file = writer
        .map_err(|e| StoreError::io("write", path, e))?
        .into_inner()
        .map_err(|e| StoreError::io("write", path, e.into_error()))?;
    file.sync().map_err(|e| StoreError::io("sync", path, e))
}

/// A file that can be fsynced.
trait AsFd {
    fn sync(&self) -> io::Result<()>;
}

impl AsFd for fs::File {
    fn sync(&self) -> io::Result<()> {
        self.sync_all()
    }
}

fn overflow(kept: &Path) -> impl Fn(NotFinite) -> StoreError + '_ {
    move |e| StoreError::Overflow {
        metric: e.metric,
        statistic: e.statistic,
        value: e.value,
        kept: kept.to_path_buf(),
    }
}

/// Records the size, rows and SHA-256 of a complete file and renames it into place. The
/// rename is made durable by the directory sync of the summary's write, which follows in the
/// same directory before the manifest can say the experiment finished: one sync for every
/// file of the finish, not one each.
fn complete(part: &Path, path: &Path, rows: u64) -> Result<FileCheck, StoreError> {
    let bytes = fs::read(part).map_err(|e| StoreError::io("read", part, e))?;
    let check = FileCheck {
        sha256: runs::sha256_hex(&bytes),
        rows,
        bytes: bytes.len() as u64,
    };
    fs::rename(part, path).map_err(|e| StoreError::io("rename", part, e))?;
    Ok(check)
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
    let columns = Columns::of(s);
    let width = columns.metrics.len();
    let rounds: Vec<u32> = req
        .trajectory
        .map_or(Vec::new(), |t| t.rounds(s.rounds).collect());

    // Every run's metrics (and trajectory) are kept for the summaries' quantiles: 8 bytes a
    // value, reserved exactly and before anything is written, so an experiment too large for
    // memory is refused before it starts.
    let total = range.end - range.start;
    let mut values: Vec<f64> = Vec::new();
    let mut traj: Vec<f64> = Vec::new();
    let per_run = width * (1 + rounds.len());
    if values.try_reserve_exact(total as usize * width).is_err()
        || traj
            .try_reserve_exact(total as usize * rounds.len() * width)
            .is_err()
    {
        return Err(StoreError::TooLarge {
            runs: total,
            metrics: per_run,
        });
    }

    let existed = dir.exists();
    let _lock = lock(dir, LOCK)?;
    let (kept, started) = match start(req, &shard, &columns) {
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
    // Makes the directory's name durable when it was already there (made by someone else,
    // perhaps never synced); a new one was made by `lock`, which synced its parent.
    if existed && let Some(up) = dir.parent() {
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
        trajectory: req.trajectory,
        runs_csv: None,
        trajectories_csv: None,
        scenario: s.clone(),
    };
    write_json(&dir.join(MANIFEST), &manifest)?;

    let files = Files::of(dir);
    let file = open_part(
        &files.runs_part,
        &columns.header_line(),
        kept.rows.as_ref().map(|r| r.complete),
    )?;
    let resume_at = kept.rows.as_ref().map_or(range.start, |r| r.first + r.runs);
    if let Some(rows) = &kept.rows {
        values.extend_from_slice(&rows.values);
    }
    let mut csv = RowWriter::new(io::BufWriter::new(file), columns.counts.clone());
    let mut traj_csv = match req.trajectory {
        Some(_) => {
            let tr = kept.trajectories.as_ref();
            let file = open_part(
                &files.trajectories_part,
                &trajectories::header_line(&columns.metrics),
                tr.map(Kept::complete),
            )?;
            if let Some(tr) = tr {
                traj.extend_from_slice(&tr.values);
            }
            Some(TrajectoryWriter::new(
                io::BufWriter::new(file),
                rounds.clone(),
                columns.counts.clone(),
            ))
        }
        None => None,
    };
    let mut done = resume_at - range.start;
    progress(done, total);
    let plan = Plan {
        scenario: s,
        seed: s.seed,
        runs: resume_at..range.end,
        trajectory: req.trajectory,
    };
    let finished_all = run::execute(&plan, pool, stop, |block| {
        // A run's trajectory is written before its row: the rows of runs.csv.part are never
        // ahead of trajectories.csv.part.
        if let Some(tw) = traj_csv.as_mut() {
            (0..block.runs())
                .try_for_each(|i| tw.run(block.first + i as u64, block.trajectory(i)))
                .and_then(|()| tw.flush())
                .map_err(|e| format!("cannot write {}: {e}", files.trajectories_part.display()))?;
            traj.extend_from_slice(&block.trajectories);
        }
        block
            .rows()
            .try_for_each(|(run, inputs, row)| csv.row(run, s.seed, inputs, row))
            .and_then(|()| csv.flush())
            .map_err(|e| format!("cannot write {}: {e}", files.runs_part.display()))?;
        values.extend_from_slice(&block.values);
        done += block.runs() as u64;
        progress(done, total);
        Ok(())
    })?;
    // The rows are on disk before a file may be renamed complete.
    synced(&files.runs_part, csv.into_inner())?;
    if let Some(tw) = traj_csv {
        synced(&files.trajectories_part, tw.into_inner())?;
    }
    if !finished_all {
        return Ok(Outcome::Interrupted { done, total });
    }

    let summary = Summary::of(&s.name, s.seed, &columns.metrics, &values)
        .map_err(overflow(&files.runs_part))?;
    let traj_summary = match req.trajectory {
        Some(_) => Some(
            trajectories::summary_csv(&rounds, &columns.metrics, &traj)
                .map_err(overflow(&files.trajectories_part))?,
        ),
        None => None,
    };
    manifest.runs_csv = Some(complete(&files.runs_part, &files.runs, total)?);
    if let Some(text) = traj_summary {
        manifest.trajectories_csv = Some(complete(
            &files.trajectories_part,
            &files.trajectories,
            total * rounds.len() as u64,
        )?);
        let path = dir.join(TRAJECTORY_SUMMARY);
        write_atomic(&path, text.as_bytes()).map_err(|e| StoreError::io("write", &path, e))?;
    }
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
    /// With trajectories: the recorded rounds, the parsed runs and the file's bytes.
    pub trajectories: Option<(Vec<u32>, Kept, Vec<u8>)>,
}

/// Reads a finished directory's manifest, `runs.csv` and `trajectories.csv`, checking them
/// against one another: each file must be the one the experiment wrote (its checksum) and
/// hold the shard's runs.
pub fn read_finished(dir: &Path) -> Result<Finished, StoreError> {
    let manifest = match status(dir)? {
        Status::Finished(m) => *m,
        Status::Interrupted(_) => return Err(StoreError::refused(dir, Refusal::NotFinished)),
        Status::Empty => return Err(StoreError::refused(dir, Refusal::NoExperiment)),
    };
    let (bytes, traj_bytes) = verify(dir, &manifest)?;
    let path = dir.join(RUNS);
    let s = &manifest.scenario;
    let columns = Columns::of(s);
    let sh = &manifest.shard;
    let rows = runs::parse(&bytes, &columns, sh.first_run, manifest.seed, false)
        .map_err(|e| StoreError::damaged(&path, e))?;
    let holds = |what: &Path, runs: u64| {
        if sh.first_run + runs == sh.end_run {
            Ok(())
        } else {
            Err(StoreError::damaged(
                what,
                format!(
                    "it holds runs {}..{}, its manifest says {}..{}",
                    sh.first_run,
                    sh.first_run + runs,
                    sh.first_run,
                    sh.end_run
                ),
            ))
        }
    };
    holds(&path, rows.runs)?;
    let trajectories = match (manifest.trajectory, traj_bytes) {
        (Some(t), Some(tb)) => {
            let tpath = dir.join(TRAJECTORIES);
            let rounds: Vec<u32> = t.rounds(s.rounds).collect();
            let kept = trajectories::parse(&tb, &columns.metrics, &rounds, sh.first_run, false)
                .map_err(|e| StoreError::damaged(&tpath, e))?;
            holds(&tpath, kept.runs)?;
            Some((rounds, kept, tb))
        }
        _ => None,
    };
    Ok(Finished {
        dir: dir.to_path_buf(),
        manifest,
        rows,
        bytes,
        trajectories,
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
