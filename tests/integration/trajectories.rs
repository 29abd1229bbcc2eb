//! Trajectories and inputs (`run --trajectories`, the inputs of `runs.csv`, a study's own
//! `runs.csv`): what each file holds, that it is the same bytes however the runs were
//! played, and that bad requests are refused.

use std::fs;
use std::path::Path;

use crate::support::{
    BASELINE, assert_stderr_has, interrupt, netstates, netstates_into, run_fixed, stderr_of,
};

/// 30 runs of the baseline, 12 rounds, trajectories every 5 rounds: rounds 0, 5, 10, 12.
const ARGS: [&str; 12] = [
    "run",
    BASELINE,
    "--runs",
    "30",
    "--seed",
    "5",
    "--set",
    "scenario.rounds=12",
    "--trajectories",
    "--every",
    "5",
    "-q",
];

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files(dir: &Path) -> [String; 4] {
    [
        "runs.csv",
        "summary.json",
        "trajectories.csv",
        "trajectory-summary.csv",
    ]
    .map(|f| read(&dir.join(f)))
}

#[test]
fn every_run_records_round_0_every_nth_round_and_the_last_which_is_its_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("t");
    netstates_into(&ARGS, &out).assert().success();
    let runs = read(&out.join("runs.csv"));
    let traj = read(&out.join("trajectories.csv"));
    let header: Vec<&str> = runs.lines().next().expect("header").split(',').collect();
    let metrics_at = header
        .iter()
        .position(|h| *h == "policy_privacy")
        .expect("metrics");
    let theader: Vec<&str> = traj.lines().next().expect("header").split(',').collect();
    assert_eq!(theader[..2], ["run", "round"]);
    assert_eq!(theader[2..], header[metrics_at..]);
    let rows: Vec<&str> = traj.lines().skip(1).collect();
    assert_eq!(rows.len(), 30 * 4);
    for (run, row) in runs.lines().skip(1).enumerate() {
        let rounds: Vec<&str> = rows[run * 4..run * 4 + 4]
            .iter()
            .map(|r| r.split(',').nth(1).expect("a round"))
            .collect();
        assert_eq!(rounds, ["0", "5", "10", "12"], "run {run}");
        let last: Vec<&str> = rows[run * 4 + 3].split(',').skip(2).collect();
        let final_row: Vec<&str> = row.split(',').skip(metrics_at).collect();
        assert_eq!(
            last, final_row,
            "run {run}: the last round is its runs.csv row"
        );
    }
    // Recording trajectories changes nothing else: runs.csv is the same without them.
    let plain = dir.path().join("plain");
    netstates_into(&ARGS[..8], &plain)
        .arg("-q")
        .assert()
        .success();
    assert_eq!(read(&plain.join("runs.csv")), runs);
    assert!(!plain.join("trajectories.csv").exists());
}

#[test]
fn the_trajectory_summary_is_computed_in_run_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("t");
    netstates_into(&ARGS, &out).assert().success();
    let traj = read(&out.join("trajectories.csv"));
    let summary = read(&out.join("trajectory-summary.csv"));
    let mut lines = summary.lines();
    assert_eq!(
        lines.next(),
        Some("round,metric,n,mean,sd,p5,p25,p50,p75,p95")
    );
    // Capture at round 10, from the trajectories themselves.
    let theader: Vec<&str> = traj.lines().next().expect("header").split(',').collect();
    let col = theader
        .iter()
        .position(|h| *h == "capture")
        .expect("capture");
    let mut xs: Vec<f64> = traj
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(1) == Some("10"))
        .map(|l| {
            l.split(',')
                .nth(col)
                .expect("a value")
                .parse()
                .expect("a number")
        })
        .collect();
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    xs.sort_by(f64::total_cmp);
    let median = (xs[14] + xs[15]) / 2.0;
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("10,capture,"))
        .expect("a row for capture at round 10")
        .split(',')
        .collect();
    assert_eq!(row[2], "30");
    assert_eq!(row[3].parse::<f64>().expect("mean"), mean);
    assert_eq!(row[7].parse::<f64>().expect("p50"), median);
    assert_eq!(summary.lines().count(), 1 + 4 * (theader.len() - 2));
}

#[test]
fn trajectories_are_the_same_bytes_at_any_jobs_after_shards_and_after_resume() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("j1");
    netstates_into(&ARGS, &whole)
        .args(["-j", "1"])
        .assert()
        .success();
    let expected = files(&whole);
    for jobs in ["2", "3"] {
        let out = dir.path().join(format!("j{jobs}"));
        netstates_into(&ARGS, &out)
            .args(["-j", jobs])
            .assert()
            .success();
        assert!(files(&out) == expected, "--jobs {jobs} changed the bytes");
    }
    let mut shards = Vec::new();
    for k in 0..3 {
        let out = dir.path().join(format!("s{k}"));
        netstates_into(&ARGS, &out)
            .args(["--shard", &format!("{k}/3")])
            .assert()
            .success();
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    netstates()
        .arg("merge")
        .args(&shards)
        .args(["--trajectories", "--out"])
        .arg(&merged)
        .assert()
        .success();
    assert!(files(&merged) == expected, "shards merged differ");

    // Interrupted and resumed: a longer experiment, stopped while it writes.
    let long = [
        "run",
        BASELINE,
        "--runs",
        "300",
        "--seed",
        "5",
        "--trajectories",
        "--every",
        "4",
        "-q",
        "-j",
        "2",
    ];
    let whole = dir.path().join("long");
    netstates_into(&long, &whole).assert().success();
    let out = dir.path().join("stopped");
    let output = interrupt(&long, &out, &out.join("trajectories.csv.part"), 40);
    assert_eq!(output.status.code(), Some(130));
    assert!(
        !out.join("trajectories.csv").exists(),
        "stopped before the end"
    );
    netstates_into(&long, &out)
        .arg("--resume")
        .assert()
        .success();
    assert!(
        files(&out) == files(&whole),
        "the resumed experiment differs"
    );
}

#[test]
fn replay_checks_a_runs_trajectory_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("t");
    netstates_into(&ARGS, &out).assert().success();
    let assert = netstates()
        .arg("replay")
        .arg(&out)
        .args(["--run", "7"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("4 trajectory rows"), "{stdout}");
    // Change run 7's capture at round 5, with the checksum forged to match: replay finds it.
    let path = out.join("trajectories.csv");
    let traj = read(&path);
    let line = traj
        .lines()
        .find(|l| l.starts_with("7,5,"))
        .expect("run 7, round 5");
    let mut fields: Vec<String> = line.split(',').map(String::from).collect();
    fields[2] = "0.123".into();
    let tampered = traj.replacen(line, &fields.join(","), 1);
    fs::write(&path, &tampered).expect("tamper");
    let manifest = out.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&read(&manifest)).expect("JSON");
    m["trajectories_csv"]["sha256"] =
        netstates::store::runs::sha256_hex(tampered.as_bytes()).into();
    m["trajectories_csv"]["bytes"] = tampered.len().into();
    fs::write(&manifest, serde_json::to_string(&m).expect("JSON")).expect("forge");
    let assert = netstates()
        .arg("replay")
        .arg(&out)
        .args(["--run", "7"])
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("does not reproduce") && stderr.contains("trajectory value"),
        "{stderr}"
    );
}

#[test]
fn runs_csv_holds_what_each_run_drew() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("t");
    netstates_into(&ARGS[..8], &out)
        .arg("-q")
        .assert()
        .success();
    let runs = read(&out.join("runs.csv"));
    let header: Vec<&str> = runs.lines().next().expect("header").split(',').collect();
    // The EU's susceptibility is uniform in [4, 9]: a column of its own, in its range.
    let col = header
        .iter()
        .position(|h| *h == "government.eu.susceptibility")
        .expect("an input column");
    assert_eq!(col, 2, "inputs sit between the seed and the metrics");
    let drawn: Vec<f64> = runs
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(col)
                .expect("a value")
                .parse()
                .expect("a number")
        })
        .collect();
    assert!(drawn.iter().all(|x| (4.0..=9.0).contains(x)), "{drawn:?}");
    assert!(
        drawn.windows(2).any(|w| w[0] != w[1]),
        "each run draws its own"
    );
    // A scenario with nothing uncertain keeps the header of metrics alone.
    let out = run_fixed(dir.path(), 2);
    assert!(read(&out.join("runs.csv")).starts_with("run,seed,policy_a,public_gap,"));
}

#[test]
fn a_study_writes_one_table_of_every_run_and_its_trajectory_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("s");
    netstates_into(
        &[
            "sweep",
            BASELINE,
            "--set",
            "government.*.ambassador=none,equal",
            "--set",
            "government.eu.susceptibility=3,6",
            "--set",
            "scenario.rounds=12",
            "--runs",
            "4",
            "--trajectories",
            "--every",
            "6",
            "-q",
        ],
        &out,
    )
    .assert()
    .success();
    let table = read(&out.join("runs.csv"));
    let header: Vec<&str> = table.lines().next().expect("header").split(',').collect();
    assert_eq!(
        header[..4],
        [
            "point",
            "government.*.ambassador",
            "government.eu.susceptibility",
            "run"
        ]
    );
    assert_eq!(table.lines().count(), 1 + 4 * 4, "every run of every point");
    let eu = header
        .iter()
        .position(|h| *h == "government.eu.susceptibility")
        .expect("the factor");
    // The EU's susceptibility is a factor here, fixed at every point: the factor's column
    // holds it, and it is no input column of its own.
    let row: Vec<&str> = table.lines().nth(1).expect("a row").split(',').collect();
    assert_eq!(row[..4], ["0", "none", "3", "0"]);
    assert_eq!(eu, 2);
    assert_eq!(
        header
            .iter()
            .filter(|h| **h == "government.eu.susceptibility")
            .count(),
        1
    );
    assert!(
        header.contains(&"government.ireland.susceptibility"),
        "other inputs stay"
    );
    let summary = read(&out.join("trajectory-summary.csv"));
    assert!(summary.starts_with("point,round,metric,n,"), "{summary}");
    assert!(summary.lines().any(|l| l.starts_with("3,12,capture,4,")));
}

#[test]
fn bad_trajectory_requests_exit_2_and_say_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (every, expected) in [("0", "got 0"), ("13", "12 rounds, got 13")] {
        let mut args = ARGS;
        args[10] = every;
        let assert = netstates_into(&args, &dir.path().join("x"))
            .assert()
            .code(2);
        assert_stderr_has(&assert, expected, "");
    }
    // --every without --trajectories is a usage error.
    netstates()
        .args(["run", BASELINE, "--every", "2"])
        .assert()
        .code(2);
    // merge --trajectories of shards that recorded none.
    let shard = dir.path().join("plain");
    netstates_into(&ARGS[..8], &shard)
        .arg("-q")
        .assert()
        .success();
    let assert = netstates()
        .arg("merge")
        .arg(&shard)
        .args(["--trajectories", "--out"])
        .arg(dir.path().join("m"))
        .assert()
        .code(2);
    assert_stderr_has(&assert, "--trajectories", "");
    // The same experiment asked for with trajectories: refused, with the way out.
    let assert = netstates_into(&ARGS, &shard).assert().code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("without trajectories") && stderr.contains("--force"),
        "{stderr}"
    );
    // Resuming with another --every.
    let long = [
        "run",
        BASELINE,
        "--runs",
        "300",
        "--seed",
        "6",
        "--trajectories",
        "-q",
        "-j",
        "2",
    ];
    let out = dir.path().join("stopped");
    let output = interrupt(&long, &out, &out.join("runs.csv.part"), 3);
    assert_eq!(output.status.code(), Some(130));
    let assert = netstates_into(&long, &out)
        .args(["--every", "2", "--resume"])
        .assert()
        .code(2);
    assert_stderr_has(&assert, "recorded every 1 rounds", "");
    // An experiment whose trajectories would not fit in memory is refused before it starts.
    let out = dir.path().join("huge");
    let assert = netstates_into(
        &[
            "run",
            BASELINE,
            "--runs",
            "1000000000",
            "--trajectories",
            "-q",
        ],
        &out,
    )
    .assert()
    .code(2);
    assert_stderr_has(&assert, "GB of memory", "");
    assert!(!out.exists());
}

#[test]
fn run_and_compare_draw_trajectories_in_their_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("run.html");
    netstates_into(&ARGS, &dir.path().join("t"))
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let html = read(&report);
    let without_xmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !html.contains("<script") && !without_xmlns.contains("http"),
        "self-contained"
    );
    assert_eq!(
        html.matches("<g class=\"bands\">").count(),
        19,
        "a band panel per metric"
    );
    let compared = dir.path().join("compare.html");
    netstates()
        .args([
            "compare",
            "scenarios/ambassadors-observer.toml",
            "scenarios/ambassadors-equal.toml",
            "--runs",
            "20",
            "--trajectories",
            "--every",
            "10",
            "-q",
            "--report",
        ])
        .arg(&compared)
        .assert()
        .success();
    let html = read(&compared);
    assert_eq!(
        html.matches("Paired difference from the baseline").count(),
        19
    );
    assert_eq!(
        html.matches("data-series=\"ambassadors-equal\"").count(),
        2 * 19
    );
    // Without --trajectories the comparison has no band panels.
    netstates()
        .args([
            "compare",
            "scenarios/ambassadors-observer.toml",
            "scenarios/ambassadors-equal.toml",
            "--runs",
            "5",
            "-q",
            "--report",
        ])
        .arg(&compared)
        .assert()
        .success();
    assert!(!read(&compared).contains("<g class=\"bands\">"));
}
