//! Joining the shard directories of one experiment into one directory whose `runs.csv` and
//! `summary.json` equal an unsharded experiment's, byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use super::durable::write_atomic;
use super::error::{Refusal, StoreError};
use super::experiment::{Finished, Status, read_finished, short_hash, status, write_json};
use super::lock::{LOCK, lock};
use super::manifest::{FileCheck, Manifest, SEED_RULE, Shard, now_rfc3339};
use super::runs::{self, Columns};
use super::summary::{NotFinite, Summary};
use super::trajectories;
use super::{MANIFEST, RUNS, SUMMARY, TRAJECTORIES, TRAJECTORY_SUMMARY};
use crate::run::Trajectory;

fn every(t: Option<Trajectory>) -> String {
    t.map_or("none".into(), |t| format!("every {} rounds", t.every))
}

/// Joins shard directories into one experiment in `out`: refuses shards of different
/// scenarios or seeds, overlaps and gaps. The merged `runs.csv` and `summary.json` equal an
/// unsharded experiment's, byte for byte.
///
/// Trajectories are merged when every shard recorded them alike; shards that differ are
/// refused. With `want_trajectories`, shards without them are refused too.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    want_trajectories: bool,
    command_line: Vec<String>,
) -> Result<Summary, StoreError> {
    let refuse = |m: String| Err(StoreError::Mismatch(m));
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
                short_hash(&hash),
                short_hash(&m.scenario_sha256),
                seed,
                m.seed,
                runs,
                m.runs
            ));
        }
    }
    let trajectory = first.manifest.trajectory;
    if let Some(p) = parts.iter().find(|p| p.manifest.trajectory != trajectory) {
        return refuse(format!(
            "{} and {} recorded trajectories differently ({} vs {})",
            first.dir.display(),
            p.dir.display(),
            every(trajectory),
            every(p.manifest.trajectory)
        ));
    }
    if want_trajectories && trajectory.is_none() {
        return refuse(
            "the shards recorded no trajectories: run them with --trajectories to merge any".into(),
        );
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
    let existed = out.exists();
    let _lock = lock(out, LOCK)?;
    if let Status::Finished(_) | Status::Interrupted(_) = status(out)? {
        if !existed {
            let _ = fs::remove_dir_all(out);
        }
        return Err(StoreError::refused(out, Refusal::MergeTarget));
    }
    let scenario = parts[0].manifest.scenario.clone();
    let columns = Columns::of(&scenario);
    let header = columns.header_line();
    let mut csv = header.clone().into_bytes();
    let mut values = Vec::new();
    for p in &parts {
        csv.extend_from_slice(&p.bytes[header.len()..]);
        values.extend_from_slice(&p.rows.values);
    }
    let overflow = |e: NotFinite| StoreError::Overflow {
        metric: e.metric,
        statistic: e.statistic,
        value: e.value,
        kept: dirs[0].clone(),
    };
    let summary = Summary::of(&scenario.name, seed, &columns.metrics, &values).map_err(overflow)?;
    let check = |bytes: &[u8], rows: u64| FileCheck {
        sha256: runs::sha256_hex(bytes),
        rows,
        bytes: bytes.len() as u64,
    };
    let mut trajectories_csv = None;
    if trajectory.is_some() {
        let header = trajectories::header_line(&columns.metrics);
        let mut text = header.clone().into_bytes();
        let mut traj = Vec::new();
        let mut rounds = Vec::new();
        for p in &parts {
            if let Some((r, kept, bytes)) = &p.trajectories {
                text.extend_from_slice(&bytes[header.len()..]);
                traj.extend_from_slice(&kept.values);
                rounds.clone_from(r);
            }
        }
        let summary_text =
            trajectories::summary_csv(&rounds, &columns.metrics, &traj).map_err(overflow)?;
        let path = out.join(TRAJECTORIES);
        write_atomic(&path, &text).map_err(|e| StoreError::io("write", &path, e))?;
        let path = out.join(TRAJECTORY_SUMMARY);
        write_atomic(&path, summary_text.as_bytes())
            .map_err(|e| StoreError::io("write", &path, e))?;
        trajectories_csv = Some(check(&text, runs * rounds.len() as u64));
    }
    let csv_path = out.join(RUNS);
    write_atomic(&csv_path, &csv).map_err(|e| StoreError::io("write", &csv_path, e))?;
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
        seed_rule: SEED_RULE.to_string(),
        command_line,
        started: started.unwrap_or_default(),
        finished: Some(now_rfc3339()),
        trajectory,
        runs_csv: Some(check(&csv, runs)),
        trajectories_csv,
        scenario,
    };
    write_json(&out.join(MANIFEST), &manifest)?;
    Ok(summary)
}
