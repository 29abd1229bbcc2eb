//! `manifest.json`: what an experiment is (its resolved scenario and its hash, seed, runs,
//! shard, command line) and whether it finished, so any run can be replayed and results that
//! belong together can be told from results that do not.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::run::Trajectory;
use crate::scenario::Scenario;

/// The rule that gives every run its random stream, as the manifest states it.
pub const SEED_RULE: &str =
    "run i uses ChaCha8Rng::seed_from_u64(seed) with set_stream(i) (rand_chacha 0.9)";

/// Which runs a result directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
    pub first_run: u64,
    pub end_run: u64,
}

/// `manifest.json`: enough to replay any run and to check that results belong together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub netstates_version: String,
    pub scenario_name: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub runs: u64,
    pub shard: Shard,
    pub seed_rule: String,
    pub command_line: Vec<String>,
    pub started: String,
    /// `None` while the experiment is running or after it was interrupted.
    pub finished: Option<String>,
    /// The rounds whose metrics every run records in `trajectories.csv`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Trajectory>,
    /// What the finished `runs.csv` holds, checked wherever a finished directory is trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_csv: Option<FileCheck>,
    /// What the finished `trajectories.csv` holds, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectories_csv: Option<FileCheck>,
    /// The resolved scenario (defaults filled, `--set` applied), canonical JSON.
    pub scenario: Scenario,
}

/// A finished file's size, rows and SHA-256: enough to tell the file that was written from one
/// cut short, emptied by a power cut, or changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    pub sha256: String,
    pub rows: u64,
    pub bytes: u64,
}

/// The canonical JSON of a resolved scenario and its SHA-256 in hex.
pub fn scenario_hash(s: &Scenario) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The current UTC time as RFC 3339 (`2026-11-28T18:00:00Z`), for the manifest only.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
