//! `netstates discover` from the command line: on an experiment with uncertain parameters and
//! on a study, the files it writes and the box in words; bad conditions and directories exit 2.
//! (PRIM's agreement with the EMA Workbench is held by `prim`, feature scoring's by
//! `features`.)

use std::fs;
use std::path::Path;

use crate::support::{
    BASELINE, assert_stderr_has, netstates, netstates_into, run_fixed, stderr_of, stdout_of,
};

fn sweep(out: &Path) {
    netstates_into(
        &[
            "sweep",
            "scenarios/ambassadors-equal.toml",
            "--design",
            "lhs",
            "--samples",
            "24",
            "--set",
            "model.ambassador.stakes.equal=0..0.5",
            "--set",
            "government.*.ambassador=observer,equal",
            "--set",
            "scenario.rounds=12",
            "--runs",
            "5",
            "-q",
        ],
        out,
    )
    .assert()
    .success();
}

#[test]
fn discovery_on_a_study_writes_its_files_and_names_the_box() {
    let dir = tempfile::tempdir().expect("tempdir");
    let study = dir.path().join("s");
    sweep(&study);
    let table = fs::read_to_string(study.join("runs.csv")).expect("the study's table");
    let capture: Vec<f64> = {
        let header: Vec<&str> = table.lines().next().expect("header").split(',').collect();
        let col = header
            .iter()
            .position(|h| *h == "capture")
            .expect("capture");
        table
            .lines()
            .skip(1)
            .map(|l| {
                l.split(',')
                    .nth(col)
                    .expect("a value")
                    .parse()
                    .expect("a number")
            })
            .collect()
    };
    let mut sorted = capture.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let assert = netstates()
        .arg("discover")
        .arg(&study)
        .args(["--where", &format!("capture > {median}")])
        .assert()
        .success();
    let stdout = stdout_of(&assert);
    assert!(stdout.contains("peeling trajectory"), "{stdout}");
    assert!(
        stdout.contains(&format!("capture > {median} in ")),
        "{stdout}"
    );
    let out = study.join("discover");
    for file in [
        "prim-trajectory.csv",
        "prim-box.csv",
        "feature-scores.csv",
        "discover.json",
        "report.html",
    ] {
        assert!(out.join(file).exists(), "{file}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("discover.json")).expect("json"))
            .expect("JSON");
    let inputs: Vec<&str> = json["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|v| v.as_str().expect("a name"))
        .collect();
    assert!(
        inputs.contains(&"model.ambassador.stakes.equal"),
        "{inputs:?}"
    );
    assert!(
        inputs.contains(&"government.*.ambassador"),
        "the categorical factor: {inputs:?}"
    );
    let html = fs::read_to_string(out.join("report.html")).expect("report");
    assert!(!html.contains("<script"));
    // --box picks another box of the trajectory.
    let assert = netstates()
        .arg("discover")
        .arg(&study)
        .args(["--where", &format!("capture > {median}"), "--box", "0"])
        .assert()
        .success();
    assert!(
        stdout_of(&assert).contains("box 0: "),
        "{}",
        stdout_of(&assert)
    );
}

#[test]
fn discovery_on_an_experiment_uses_what_each_run_drew() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exp = dir.path().join("e");
    netstates_into(
        &[
            "run",
            BASELINE,
            "--runs",
            "60",
            "--set",
            "scenario.rounds=12",
            "-q",
        ],
        &exp,
    )
    .assert()
    .success();
    let assert = netstates()
        .arg("discover")
        .arg(&exp)
        .args(["--where", "trust > 0.75"])
        .assert();
    let output = assert.get_output();
    // Either a box, or the condition holds everywhere or nowhere (exit 2): never a panic.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    if output.status.success() {
        let json: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(exp.join("discover/discover.json")).expect("json"),
        )
        .expect("JSON");
        assert!(
            json["inputs"][0]
                .as_str()
                .expect("a name")
                .starts_with("government.")
        );
    }
}

#[test]
fn bad_discoveries_exit_2_and_say_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let study = dir.path().join("s");
    sweep(&study);
    for (condition, expected) in [
        ("happiness > 0.4", "no metric happiness"),
        ("capture >> 0.4", "a condition is METRIC OP NUMBER"),
        ("capture", "a condition is METRIC OP NUMBER"),
        ("capture > -1", "holds in 120 of the 120 runs"),
        ("capture > 2", "holds in 0 of the 120 runs"),
    ] {
        let assert = netstates()
            .arg("discover")
            .arg(&study)
            .args(["--where", condition])
            .assert()
            .code(2);
        assert_stderr_has(&assert, expected, condition);
    }
    // An experiment with nothing uncertain has no input that varies.
    let exp = run_fixed(dir.path(), 20);
    let assert = netstates()
        .arg("discover")
        .arg(&exp)
        .args(["--where", "polarization > 0.1"])
        .assert()
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("no input varies") || stderr.contains("holds in"),
        "{stderr}"
    );
    // A directory that holds no experiment.
    netstates()
        .arg("discover")
        .arg(dir.path())
        .args(["--where", "capture > 0.4"])
        .assert()
        .code(2);
}
