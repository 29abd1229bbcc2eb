//! Joining the shard directories of one experiment into one directory whose `runs.csv` and
//! `summary.json` equal an unsharded experiment's, byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use super::durable::write_atomic;
use super::error::{Refusal, StoreError};
use super::experiment::{Finished, Status, read_finished, short_hash, status, write_json};
use super::lock::{LOCK, lock};
use super::manifest::{FileCheck, Manifest, SEED_RULE, Shard, now_rfc3339};
use super::runs;
use super::summary::Summary;
use super::{MANIFEST, RUNS, SUMMARY};
use crate::model::metrics;

/// Joins shard directories into one experiment in `out`: refuses shards of different
/// scenarios or seeds, overlaps and gaps. The merged `runs.csv` and `summary.json` equal an
/// unsharded experiment's, byte for byte.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
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
    let names = metrics::names(&scenario);
    let header = runs::header_line(&names);
    let mut csv = header.clone().into_bytes();
    let mut values = Vec::new();
    for p in &parts {
        csv.extend_from_slice(&p.bytes[header.len()..]);
        values.extend_from_slice(&p.rows.values);
    }
    let csv_path = out.join(RUNS);
    let summary =
        Summary::of(&scenario.name, seed, &names, &values).map_err(|e| StoreError::Overflow {
            metric: e.metric,
            statistic: e.statistic,
            value: e.value,
            kept: dirs[0].clone(),
        })?;
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
        runs_csv: Some(FileCheck {
            sha256: runs::sha256_hex(&csv),
            rows: runs,
            bytes: csv.len() as u64,
        }),
        scenario,
    };
    write_json(&out.join(MANIFEST), &manifest)?;
    Ok(summary)
}
