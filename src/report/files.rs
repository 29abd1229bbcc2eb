//! The files of an experiment: `runs.csv`, `summary.json` and `manifest.json`, each written to
//! a temporary name and renamed when complete.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::scenario::Scenario;
use crate::stats::summary::{MetricSummary, summarize};

/// The rule that gives every run its random stream, as the manifest states it.
pub const SEED_RULE: &str =
    "run i uses ChaCha8Rng::seed_from_u64(seed) with set_stream(i) (rand_chacha 0.9)";

/// A metric value as `runs.csv` writes it: counts as integers, other numbers in the shortest
/// form that reads back to the same bits.
pub fn format_value(x: f64, count: bool) -> String {
    if count && x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else if x == 0.0 || (1e-5..1e16).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// The header of `runs.csv`.
pub fn csv_header(names: &[String]) -> String {
    let mut line = String::from("run,seed");
    for n in names {
        line.push(',');
        line.push_str(n);
    }
    line.push('\n');
    line
}

/// One row of `runs.csv`, appended to `line`.
pub fn csv_row(line: &mut String, run: u64, seed: u64, values: &[f64], counts: &[bool]) {
    use std::fmt::Write as _;
    let _ = write!(line, "{run},{seed}");
    for (x, &c) in values.iter().zip(counts) {
        line.push(',');
        line.push_str(&format_value(*x, c));
    }
    line.push('\n');
}

/// `summary.json`: per metric, in column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub runs: u64,
    pub metrics: Vec<NamedSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedSummary {
    pub metric: String,
    #[serde(flatten)]
    pub summary: MetricSummary,
}

impl Summary {
    /// Summarizes `values`, one row of `names.len()` metrics per run, in run order.
    pub fn of(scenario: &str, seed: u64, names: &[String], values: &[f64]) -> Summary {
        let width = names.len();
        let runs = values.len().checked_div(width).unwrap_or(0);
        let mut column = Vec::with_capacity(runs);
        let metrics = names
            .iter()
            .enumerate()
            .map(|(m, name)| {
                column.clear();
                column.extend((0..runs).map(|r| values[r * width + m]));
                NamedSummary {
                    metric: name.clone(),
                    summary: summarize(&column),
                }
            })
            .collect();
        Summary {
            scenario: scenario.to_string(),
            seed,
            runs: runs as u64,
            metrics,
        }
    }
}

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
    /// The resolved scenario (defaults filled, `--set` applied), canonical JSON.
    pub scenario: Scenario,
}

/// The canonical JSON of a resolved scenario and its SHA-256 in hex.
pub fn scenario_hash(s: &Scenario) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to `path` through a temporary file in the same directory, then renames it,
/// so a reader never sees a half-written file. The temporary name carries the process id:
/// the shards of a study write the same `study.json` at the same time, and one must not
/// rename another's half-written file away.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(name);
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// The name a file grows under until it is complete, such as `runs.csv.part`.
pub fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
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
    fn values_read_back_bit_identical() {
        for x in [
            0.1,
            1.0 / 3.0,
            2500.0,
            1e-7,
            123456789.123,
            1e300,
            5e-324,
            -0.25,
        ] {
            let s = format_value(x, false);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
        }
        assert_eq!(format_value(3.0, true), "3");
        assert_eq!(format_value(0.5, false), "0.5");
        assert_eq!(format_value(1e300, false), "1e300");
    }

    #[test]
    fn dates_are_rfc3339() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
