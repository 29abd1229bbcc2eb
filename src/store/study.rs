//! Studies: many experiments of one scenario, one per point of a design. A point sets some
//! parameters (MODEL.md 1.2 paths) to values; every point plays the same runs with the same
//! seed, so run i of every point shares its random stream (common random numbers) and the
//! differences between points come from the parameters, not from the draws.
//!
//! A study lives in one directory: `study.json` (the factors and every point's values) and
//! one result directory per point under `points/`, each an ordinary experiment (`runs.csv`,
//! `summary.json`, `manifest.json`) that `replay` and `compare` read. Points start in order
//! on one pool of worker threads: one at a time when a point has runs enough for every thread,
//! else several at once; a point's files do not depend on it. An interrupted
//! study keeps every finished point and the completed runs of those under way, and can be
//! resumed. A shard `K/N` of a study plays points [K*P/N, (K+1)*P/N), so the shards of a
//! cluster job share one directory, and the whole study run again then finds every point done
//! and collects them. This module runs points; what is sampled and what is computed from the
//! points' summaries belong to `analysis`.

use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::{Deserialize, Serialize};

use super::csv;
use super::csv::Field;
use super::durable::{sweep_temporaries, write_atomic};
use super::error::{Refusal, StoreError};
use super::experiment::{self, Outcome, Placement, Status, read_json, shard_range};
use super::lock::{lock, shard_lock_name};
use super::manifest::{now_rfc3339, scenario_hash};
use super::runs::{self, Columns};
use super::summary::Summary;
use super::trajectories;
use super::{MANIFEST, POINTS, RUNS, STUDY, TRAJECTORY_SUMMARY};
use crate::run::{Pool, Trajectory};
use crate::scenario::{self, Level, Override, Scenario};

/// One value a point gives a parameter: a number, or an ambassador level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Setting {
    Number(f64),
    Level(Level),
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Setting::Number(x) => f.write_str(&csv::number(*x)),
            Setting::Level(l) => f.write_str(l.name()),
        }
    }
}

/// The points of a study and what they vary, as `study.json` records them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// `sweep grid`, `sweep lhs`, `sensitivity sobol`, `sensitivity morris`.
    pub design: String,
    pub scenario_name: String,
    /// The hash of the scenario every point starts from (fixed `--set`s applied).
    pub scenario_sha256: String,
    pub seed: u64,
    pub runs: u64,
    /// The paths the points set, in column order.
    pub factors: Vec<String>,
    /// One row of settings per point, in `factors` order.
    pub points: Vec<Vec<Setting>>,
}

impl Plan {
    pub fn new(
        design: &str,
        base: &Scenario,
        factors: Vec<String>,
        points: Vec<Vec<Setting>>,
    ) -> Plan {
        Plan {
            design: design.to_string(),
            scenario_name: base.name.clone(),
            scenario_sha256: scenario_hash(base),
            seed: base.seed,
            runs: base.runs,
            factors,
            points,
        }
    }

    /// The scenario of point `i`: the base with the point's settings applied and checked as
    /// `--set` is (ranges, and the rules that involve several keys).
    pub fn scenario(&self, base: &Scenario, i: usize) -> Result<Scenario, StoreError> {
        let mut s = base.clone();
        let overrides: Vec<Override> = self
            .factors
            .iter()
            .zip(&self.points[i])
            .map(|(path, v)| Override {
                path: path.clone(),
                value: v.to_string(),
            })
            .collect();
        scenario::apply_overrides(&mut s, &overrides).map_err(|e| {
            let settings: Vec<String> = overrides
                .iter()
                .map(|o| format!("{}={}", o.path, o.value))
                .collect();
            StoreError::Point(format!("point {i} ({}): {e}", settings.join(", ")))
        })?;
        Ok(s)
    }

    /// Checks every point before anything runs.
    pub fn check(&self, base: &Scenario) -> Result<(), StoreError> {
        (0..self.points.len()).try_for_each(|i| self.scenario(base, i).map(drop))
    }
}

/// `study.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyFile {
    pub netstates_version: String,
    pub plan: Plan,
    pub command_line: Vec<String>,
    pub started: String,
}

/// A point's result directory: `points/0007`.
pub fn point_dir(out: &Path, i: usize, points: usize) -> PathBuf {
    let width = points.saturating_sub(1).to_string().len().max(4);
    out.join(POINTS).join(format!("{i:0width$}"))
}

/// One study to run into a directory.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub plan: &'a Plan,
    pub base: &'a Scenario,
    /// Every point records its runs' trajectories at these rounds.
    pub trajectory: Option<Trajectory>,
    /// Its shard is of the points.
    pub place: Placement,
}

/// How a study ended.
#[derive(Debug)]
pub enum StudyOutcome {
    /// Every point is done: their summaries in point order, and how many were already done.
    Finished {
        summaries: Vec<Summary>,
        reused: usize,
    },
    /// This shard's points are done.
    ShardDone { points: Range<usize>, reused: usize },
    /// Stopped by the user inside point `point`.
    Interrupted { point: usize, done: u64, total: u64 },
}

/// Reads a study directory's `study.json`, if any.
pub fn read_study(out: &Path) -> Result<Option<StudyFile>, StoreError> {
    let path = out.join(STUDY);
    if !path.exists() {
        return Ok(None);
    }
    read_json(&path).map(Some)
}

/// Writes `study.json` for this plan, after checking that the directory holds no other study
/// (or may be cleared of it). An unchanged study keeps its start time.
fn write_study_file(req: &Request) -> Result<(), StoreError> {
    let out = &req.place.out;
    if out.join(MANIFEST).exists() {
        return Err(StoreError::refused(out, Refusal::HoldsExperiment));
    }
    let existing = read_study(out)?;
    let started = match existing {
        Some(file) if file.plan == *req.plan => file.started,
        Some(_) if req.place.force => {
            let points = out.join(POINTS);
            if points.exists() {
                fs::remove_dir_all(&points).map_err(|e| StoreError::io("remove", &points, e))?;
            }
            now_rfc3339()
        }
        Some(_) => return Err(StoreError::refused(out, Refusal::OtherStudy)),
        None => now_rfc3339(),
    };
    fs::create_dir_all(out).map_err(|e| StoreError::io("create", out, e))?;
    let file = StudyFile {
        netstates_version: env!("CARGO_PKG_VERSION").to_string(),
        plan: req.plan.clone(),
        command_line: req.place.command_line.clone(),
        started,
    };
    let json =
        serde_json::to_string_pretty(&file).map_err(|e| StoreError::io("encode", out, e))? + "\n";
    let path = out.join(STUDY);
    write_atomic(&path, json.as_bytes()).map_err(|e| StoreError::io("write", &path, e))
}

/// Runs per worker thread from which a study's points play one after the other (measured on
/// the reference scenario at 2 jobs: see README, Performance).
const ALONE_RUNS_PER_JOB: u64 = 8;

/// Plays a study's points (or one shard's) into `req.place.out` on `pool`. Points start in
/// order; when a point's runs leave threads idle, the next point starts on them.
/// `progress(done, total)` counts runs over the points this call plays; `stop` ends the study
/// after the runs under way.
pub fn run(
    req: &Request,
    pool: &Pool,
    stop: &AtomicBool,
    progress: impl FnMut(u64, u64) + Send,
) -> Result<StudyOutcome, StoreError> {
    let out = &req.place.out;
    let plan = req.plan;
    let (k, count) = req.place.shard;
    // Shards of one study write one directory at once, each its own points: each shard holds
    // a lock of its own (two copies of one shard are refused), and every point its own.
    let existed = out.exists();
    let _lock = lock(out, &shard_lock_name(k, count))?;
    if let Err(e) = write_study_file(req) {
        if !existed {
            let _ = fs::remove_dir_all(out);
        }
        return Err(e);
    }
    sweep_temporaries(out, false);

    let n = plan.points.len();
    let range = shard_range(k, count, n as u64);
    let range = range.start as usize..range.end as usize;
    let dirs: Vec<PathBuf> = range.clone().map(|i| point_dir(out, i, n)).collect();
    let statuses = dirs
        .iter()
        .map(|d| experiment::status(d))
        .collect::<Result<Vec<_>, _>>()?;
    if !req.place.resume
        && !req.place.force
        && let Some(at) = statuses
            .iter()
            .position(|s| matches!(s, Status::Interrupted(_)))
    {
        return Err(StoreError::refused(
            out,
            Refusal::StudyInterrupted {
                point: range.start + at,
            },
        ));
    }

    let total = plan.runs * range.len() as u64;
    // --force plays every point again, finished or not.
    let reused = if req.place.force {
        0
    } else {
        statuses
            .iter()
            .filter(|s| matches!(s, Status::Finished(_)))
            .count()
    };
    let halt = AtomicBool::new(false);
    let done = Mutex::new((vec![0u64; range.len()], progress));
    let play = |k: usize| -> Result<Outcome, StoreError> {
        let i = range.start + k;
        let scenario = plan.scenario(req.base, i)?;
        let point = experiment::Request {
            scenario: &scenario,
            trajectory: req.trajectory,
            place: Placement {
                out: dirs[k].clone(),
                shard: (0, 1),
                resume: matches!(statuses[k], Status::Interrupted(_)),
                ..req.place.clone()
            },
        };
        experiment::run(&point, pool, stop, |runs_done, _| {
            let mut guard = done.lock().unwrap_or_else(PoisonError::into_inner);
            let (per_point, progress) = &mut *guard;
            per_point[k] = runs_done;
            let sum = per_point.iter().sum();
            progress(sum, total);
        })
    };
    let play_unless_halted = |k: usize| {
        if halt.load(Ordering::Relaxed) {
            return None;
        }
        let outcome = play(k);
        if !matches!(
            outcome,
            Ok(Outcome::Finished { .. } | Outcome::AlreadyDone { .. })
        ) {
            halt.store(true, Ordering::Relaxed);
        }
        Some((k, outcome))
    };
    // A point with many runs per thread keeps them all busy: points play one after the
    // other. With few, a point's threads would wait at its end (the last run, then writing
    // and syncing its files), so the next points start on the threads left idle.
    let alone = plan.runs >= ALONE_RUNS_PER_JOB * pool.jobs() as u64 || range.len() < 2;
    let mut outcomes: Vec<(usize, Result<Outcome, StoreError>)> = if alone {
        (0..range.len()).map_while(play_unless_halted).collect()
    } else {
        pool.install(|| {
            (0..range.len())
                .par_bridge()
                .filter_map(play_unless_halted)
                .collect()
        })
    };
    outcomes.sort_by_key(|(k, _)| *k);

    // In point order: the first failure, else the first point not finished, else every summary.
    let mut summaries = Vec::with_capacity(range.len());
    let mut unfinished = None;
    let mut next = 0;
    for (k, outcome) in outcomes {
        if k != next {
            unfinished.get_or_insert(range.start + next);
        }
        next = k + 1;
        match outcome {
            Err(e) => return Err(e),
            Ok(Outcome::Finished { summary, .. } | Outcome::AlreadyDone { summary }) => {
                summaries.push(summary);
            }
            Ok(Outcome::Interrupted { .. }) => {
                unfinished.get_or_insert(range.start + k);
            }
        }
    }
    if next != range.len() {
        unfinished.get_or_insert(range.start + next);
    }
    if let Some(point) = unfinished {
        let (per_point, _) = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        return Ok(StudyOutcome::Interrupted {
            point,
            done: per_point.iter().sum(),
            total,
        });
    }
    Ok(if range.len() == n {
        write_tables(req)?;
        StudyOutcome::Finished { summaries, reused }
    } else {
        StudyOutcome::ShardDone {
            points: range,
            reused,
        }
    })
}

/// Writes the study's own `runs.csv` (`point,<factors>,run,<inputs>,<metrics>`: every run of
/// every point, so one `read_csv` loads the whole study) and, with trajectories, its
/// `trajectory-summary.csv` with a leading `point` column, from the points' files. A point
/// whose factors fix an uncertain parameter leaves that input's field empty.
fn write_tables(req: &Request) -> Result<(), StoreError> {
    let plan = req.plan;
    let out = &req.place.out;
    let n = plan.points.len();
    let base = Columns::of(req.base);
    // The inputs of any point, in the base's order: a factor that fixes an uncertain
    // parameter at every point leaves no input column behind. Each point's come from the
    // plan, not from its manifest (which the second pass reads, checks and holds to them).
    let mut drawn = vec![false; base.inputs.len()];
    let mut point_inputs = Vec::with_capacity(n);
    for i in 0..n {
        let names = plan.scenario(req.base, i)?.input_names();
        for name in &names {
            if let Some(j) = base.inputs.iter().position(|b| b == name) {
                drawn[j] = true;
            }
        }
        point_inputs.push(names);
    }
    let inputs: Vec<&String> = base
        .inputs
        .iter()
        .zip(&drawn)
        .filter_map(|(name, &d)| d.then_some(name))
        .collect();
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(plan.factors.iter().cloned());
    header.push("run".into());
    header.extend(inputs.iter().map(|s| s.to_string()));
    header.extend(base.metrics.iter().cloned());
    let runs_path = out.join(RUNS);
    let tmp = runs_path.with_file_name(format!("{RUNS}.{}.tmp", std::process::id()));
    let file = fs::File::create(&tmp).map_err(|e| StoreError::io("create", &tmp, e))?;
    let mut table = csv::Writer::new(std::io::BufWriter::new(file), &header)
        .map_err(|e| StoreError::io("write", &tmp, e))?;
    let mut traj_summary = req
        .trajectory
        .map(|_| csv::Text::new(&trajectories::summary_header(true)));
    for (i, expected) in point_inputs.iter().enumerate() {
        let dir = point_dir(out, i, n);
        let finished = experiment::read_finished(&dir)?;
        let columns = Columns::of(&finished.manifest.scenario);
        if columns.inputs != *expected {
            return Err(StoreError::damaged(
                &dir.join(MANIFEST),
                format!(
                    "its scenario's uncertain parameters are not those of the study's point {i}"
                ),
            ));
        }
        // Where each of this point's inputs goes among the study's.
        let at: Vec<Option<usize>> = inputs
            .iter()
            .map(|name| columns.inputs.iter().position(|c| c == *name))
            .collect();
        let rows = &finished.rows;
        let (n_in, width) = (columns.inputs.len(), columns.metrics.len());
        for r in 0..rows.runs as usize {
            let inputs = &rows.inputs[r * n_in..(r + 1) * n_in];
            let settings = plan.points[i].iter().map(|v| match v {
                Setting::Number(x) => Field::Number(*x),
                Setting::Level(l) => Field::Text(l.name()),
            });
            let fields = std::iter::once(Field::Whole(i as u64))
                .chain(settings)
                .chain([Field::Whole(rows.first + r as u64)])
                .chain(
                    at.iter()
                        .map(|j| j.map_or(Field::Empty, |j| Field::Number(inputs[j]))),
                )
                .chain(runs::metric_fields(
                    &rows.values[r * width..(r + 1) * width],
                    &columns.counts,
                ));
            table
                .row(fields)
                .map_err(|e| StoreError::io("write", &tmp, e))?;
        }
        if let (Some(summary), Some((rounds, kept, _))) =
            (&mut traj_summary, &finished.trajectories)
        {
            trajectories::summary_rows(
                summary,
                Some(i as u64),
                rounds,
                &columns.metrics,
                &kept.values,
            )
            .map_err(|e| StoreError::Overflow {
                metric: e.metric,
                statistic: e.statistic,
                value: e.value,
                kept: dir.clone(),
            })?;
        }
    }
    let file = table
        .into_inner()
        .map_err(|e| StoreError::io("write", &tmp, e))?
        .into_inner()
        .map_err(|e| StoreError::io("write", &tmp, e.into_error()))?;
    file.sync_all()
        .map_err(|e| StoreError::io("sync", &tmp, e))?;
    fs::rename(&tmp, &runs_path).map_err(|e| StoreError::io("rename", &tmp, e))?;
    if let Some(summary) = traj_summary {
        let path = out.join(TRAJECTORY_SUMMARY);
        write_atomic(&path, summary.finish().as_bytes())
            .map_err(|e| StoreError::io("write", &path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Scenario {
        scenario::load(Path::new("scenarios/baseline.toml")).expect("the bundled baseline loads")
    }

    #[test]
    fn a_point_that_breaks_a_rule_is_named() {
        let s = base();
        let plan = Plan::new(
            "sweep grid",
            &s,
            vec![
                "model.ambassador.stakes.equal".into(),
                "model.coregulation.ngo_seat".into(),
            ],
            vec![
                vec![Setting::Number(0.5), Setting::Number(0.5)],
                vec![Setting::Number(0.9), Setting::Number(0.5)],
            ],
        );
        let e = plan
            .check(&s)
            .expect_err("stakes 0.9 + seat 0.5 exceed 1")
            .to_string();
        assert!(
            e.starts_with(
                "point 1 (model.ambassador.stakes.equal=0.9, model.coregulation.ngo_seat=0.5)"
            ),
            "{e}"
        );
    }
}
