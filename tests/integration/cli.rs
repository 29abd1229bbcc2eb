//! The `netstates` binary as a user meets it: exit statuses, files written, refusals.

use std::fs;
use std::process::Stdio;

use crate::support::{BASELINE, netstates, netstates_into, spawn_into, stderr_of, stdout_of};

#[test]
fn check_accepts_the_bundled_library() {
    let mut files: Vec<_> = fs::read_dir("scenarios")
        .expect("scenarios/")
        .chain(fs::read_dir("scenarios/bench").expect("scenarios/bench/"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 9,
        "the library has {} scenarios",
        files.len()
    );
    netstates().arg("check").args(&files).assert().success();
}

#[test]
fn run_writes_the_three_files_and_prints_the_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r");
    let assert = netstates_into(&["run", BASELINE, "--runs", "6", "--seed", "3", "-q"], &out)
        .assert()
        .success();
    let stdout = stdout_of(&assert);
    for column in [
        "mean",
        "sd",
        "p5",
        "p50",
        "p95",
        "histogram",
        "capture",
        "scandals",
    ] {
        assert!(stdout.contains(column), "no {column} in\n{stdout}");
    }
    let csv = fs::read_to_string(out.join("runs.csv")).expect("runs.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7);
    // The baseline's uncertain parameters come first, then the metrics.
    assert!(lines[0].starts_with("run,seed,government.eu.susceptibility,"));
    assert!(lines[0].contains(",policy_privacy,"));
    assert!(lines[1].starts_with("0,3,"));
    assert!(lines[6].starts_with("5,3,"));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("summary is JSON");
    assert_eq!(summary["runs"], 6);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).expect("manifest"))
            .expect("manifest is JSON");
    assert_eq!(manifest["seed"], 3);
    assert_eq!(manifest["scenario_name"], "baseline");
    assert_eq!(manifest["scenario_sha256"].as_str().map(str::len), Some(64));
    assert!(!out.join("runs.csv.part").exists());
}

#[test]
fn run_refuses_to_overwrite_a_finished_experiment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r");
    let run = |extra: &[&str]| {
        let mut c = netstates_into(&["run", BASELINE, "--runs", "2", "-q"], &out);
        c.args(extra);
        c
    };
    run(&[]).assert().success();
    let before = fs::read(out.join("runs.csv")).expect("runs.csv");
    // The same experiment again: already complete, its summary is shown, nothing rewritten.
    let stdout = stdout_of(&run(&[]).assert().success());
    assert!(stdout.contains("already complete"), "{stdout}");
    assert!(stdout.contains("histogram"), "{stdout}");
    run(&["--seed", "9"]).assert().code(2);
    assert_eq!(before, fs::read(out.join("runs.csv")).expect("runs.csv"));
    run(&["--seed", "9", "--force"]).assert().success();
}

#[test]
fn set_overrides_a_parameter_and_bad_paths_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r");
    netstates()
        .args(["run", BASELINE, "--runs", "2", "-q"])
        .args(["--set", "government.*.ambassador=equal"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("runs.csv")).expect("runs.csv");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    let share = header
        .iter()
        .position(|c| *c == "ambassador_share")
        .expect("column");
    for line in csv.lines().skip(1) {
        assert_eq!(line.split(',').nth(share), Some("1"), "{line}");
    }
    for bad in [
        "government.nowhere.capacity=0.5",
        "model.opinion.confidence=2",
        "government.*.ambassador=ambassadorial",
        "firm.*.citizens=3",
        "no-equals-sign",
    ] {
        let assert = netstates_into(
            &["run", BASELINE, "--runs", "1", "-q", "--set", bad],
            &dir.path().join("bad"),
        )
        .assert()
        .code(2);
        let stderr = stderr_of(&assert);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_non_finite_metric_names_the_run_metric_and_phase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("boom.toml");
    fs::write(
        &file,
        "[scenario]\nname = \"boom\"\nrounds = 400\n[[issue]]\nid = \"a\"\n\
         [[government]]\nid = \"g\"\ncitizens = 2\n\
         [[firm]]\nid = \"f\"\nrevenue = 1.0\ngrowth = 10\nvolatility = 0\n\
         [model]\nschedule = [\"market\"]\n",
    )
    .expect("write");
    let assert = netstates()
        .arg("run")
        .arg(&file)
        .args(["--runs", "1", "-q", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("run 0"), "{stderr}");
    assert!(stderr.contains("phase market"), "{stderr}");
}

#[test]
fn help_has_an_example_for_every_command() {
    for cmd in [
        "check",
        "run",
        "compare",
        "sweep",
        "sensitivity",
        "replay",
        "merge",
        "scenarios",
        "init",
        "completions",
        "man",
        "schema",
    ] {
        let out = stdout_of(&netstates().args([cmd, "--help"]).assert().success());
        assert!(out.contains("Example: netstates"), "{cmd}: {out}");
    }
}

#[test]
fn the_readme_example_scenario_is_valid() {
    let readme = fs::read_to_string("README.md").expect("README.md");
    let start = readme.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + readme[start..].find("```").expect("closed");
    let s = netstates::scenario::load_str("README.md", &readme[start..end])
        .unwrap_or_else(|e| panic!("the README's example is invalid:\n{e}"));
    assert_eq!(s.governments.len(), 21, "denmark and town-1..town-20");
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = spawn_into(
        &["run", BASELINE, "--runs", "3", "-q"],
        &dir.path().join("r"),
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn");
    drop(child.stdout.take()); // like `| head -0`: nobody reads the table
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(dir.path().join("r/summary.json").exists());
}

#[test]
fn an_experiment_too_large_for_memory_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("huge");
    let assert = netstates_into(&["run", BASELINE, "--runs", "1000000000", "-q"], &out)
        .assert()
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("152.0 GB"), "{stderr}");
    assert!(!out.exists(), "nothing is written for a refused experiment");
}

#[test]
fn compare_runs_scenarios_and_writes_a_self_contained_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.html");
    let assert = netstates()
        .args([
            "compare",
            "scenarios/ambassadors-observer.toml",
            "scenarios/ambassadors-equal.toml",
            "--runs",
            "30",
            "--resamples",
            "200",
            "-q",
            "--report",
        ])
        .arg(&report)
        .assert()
        .success();
    let stdout = stdout_of(&assert);
    assert!(stdout.contains("paired by run"), "{stdout}");
    assert!(stdout.contains("capture"), "{stdout}");
    let html = fs::read_to_string(&report).expect("report");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    // One ECDF series per metric and scenario: 19 metrics x 2 scenarios.
    assert_eq!(html.matches("class=\"series\"").count(), 19 * 2);
    let csv = netstates()
        .args([
            "compare",
            BASELINE,
            "scenarios/antitrust-push.toml",
            "--runs",
            "10",
            "--format",
            "csv",
            "-q",
        ])
        .assert()
        .success();
    let csv = stdout_of(&csv);
    assert_eq!(csv.lines().count(), 1 + 19);
}
