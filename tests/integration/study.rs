//! Sweeps and sensitivity analyses from the command line: every point is an experiment with
//! the experiment's seed (common random numbers), the files do not depend on --jobs, shards
//! collected equal the whole study, an interrupted study resumes to the same bytes, and bad
//! arguments exit 2.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use tempfile::TempDir;

use crate::support::{
    BASELINE, interrupt, netstates, netstates_into, spawn_into, stderr_of, stdout_of,
};

/// A small sweep: 3 x 2 points of 8 runs of 12 rounds.
const SWEEP: [&str; 12] = [
    "sweep",
    BASELINE,
    "--set",
    "model.ambassador.stakes.observer=0..0.4:3",
    "--set",
    "government.*.ambassador=none,observer",
    "--set",
    "scenario.rounds=12",
    "--runs",
    "8",
    "--seed",
    "5",
];

fn sweep(out: &Path, extra: &[&str]) -> String {
    let assert = netstates_into(&SWEEP, out)
        .arg("-q")
        .args(extra)
        .assert()
        .success();
    stdout_of(&assert)
}

/// A temporary directory holding the small sweep played whole in `whole`: what a sharded,
/// interrupted or resumed copy of it must equal.
fn whole_sweep() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("whole");
    sweep(&whole, &[]);
    (dir, whole)
}

/// Asserts that the study in `dir` wrote the same sweep.csv as the one in `whole`.
fn assert_same_sweep(dir: &Path, whole: &Path) {
    assert_eq!(
        read(&dir.join("sweep.csv")),
        read(&whole.join("sweep.csv")),
        "{} and {} differ",
        dir.display(),
        whole.display()
    );
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_sweep_writes_a_row_per_point_whatever_the_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let stdout = sweep(&one, &["-j", "1"]);
    sweep(&two, &["-j", "2"]);
    let csv = read(&one.join("sweep.csv"));
    assert_eq!(
        csv,
        read(&two.join("sweep.csv")),
        "sweep.csv depends on --jobs"
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 6, "{csv}");
    assert!(lines[0].starts_with(
        "point,model.ambassador.stakes.observer,government.*.ambassador,policy_privacy_mean,\
         policy_privacy_sd,policy_privacy_p5,policy_privacy_p50,policy_privacy_p95,"
    ));
    assert!(lines[1].starts_with("0,0,none,"), "{}", lines[1]);
    assert!(lines[4].starts_with("3,0.2,observer,"), "{}", lines[4]);
    assert!(lines[6].starts_with("5,0.4,observer,"), "{}", lines[6]);
    assert!(
        stdout.contains("capture") && stdout.contains("observer"),
        "{stdout}"
    );
    // Stakes of observers do nothing where no government has an observer.
    let metrics = |line: &str| line.splitn(4, ',').nth(3).map(str::to_string);
    assert_eq!(metrics(lines[1]), metrics(lines[3]));
    assert_ne!(metrics(lines[2]), metrics(lines[6]));
    let html = read(&one.join("report.html"));
    assert_eq!(html.matches("<figure class=\"metric\"").count(), 19);
    assert!(!html.contains("<script"), "self-contained, no scripts");
}

#[test]
fn every_point_is_the_experiment_run_would_play() {
    let dir = tempfile::tempdir().expect("tempdir");
    let swept = dir.path().join("sweep");
    sweep(&swept, &[]);
    let single = dir.path().join("single");
    netstates()
        .args(["run", BASELINE, "--runs", "8", "--seed", "5", "-q"])
        .args(["--set", "scenario.rounds=12"])
        .args(["--set", "model.ambassador.stakes.observer=0.2"])
        .args(["--set", "government.*.ambassador=observer"])
        .arg("--out")
        .arg(&single)
        .assert()
        .success();
    assert_eq!(
        read(&swept.join("points/0003/runs.csv")),
        read(&single.join("runs.csv")),
        "point 3 (0.2, observer) is not the same experiment"
    );
}

#[test]
fn shards_collected_equal_the_whole_sweep() {
    let (dir, whole) = whole_sweep();
    let sharded = dir.path().join("sharded");
    for k in ["1/3", "0/3", "2/3"] {
        let stdout = sweep(&sharded, &["--shard", k]);
        assert!(stdout.contains("without --shard"), "{stdout}");
        assert!(
            !sharded.join("sweep.csv").exists(),
            "a shard writes no sweep.csv"
        );
    }
    let stdout = sweep(&sharded, &[]);
    assert!(stdout.contains("6 points already done"), "{stdout}");
    assert_same_sweep(&sharded, &whole);
}

#[test]
fn shards_started_at_the_same_time_share_the_directory() {
    // As a Slurm array starts them: every shard writes the same study.json at once.
    let (dir, whole) = whole_sweep();
    let shared = dir.path().join("shared");
    let children: Vec<_> = (0..6)
        .map(|k| {
            spawn_into(&SWEEP, &shared)
                .args(["-q", "-j", "1", "--shard", &format!("{k}/6")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert!(output.status.success(), "{stderr}");
    }
    let leftovers: Vec<_> = fs::read_dir(&shared)
        .expect("the study directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    sweep(&shared, &[]);
    assert_same_sweep(&shared, &whole);
}

#[test]
fn an_interrupted_sweep_resumes_to_the_same_bytes() {
    let (dir, whole) = whole_sweep();
    // Make a copy look interrupted inside point 4: its manifest unfinished, three runs kept
    // and a fourth cut short, no summary; points 5 and later and sweep.csv not yet written.
    let cut = dir.path().join("cut");
    sweep(&cut, &[]);
    fs::remove_file(cut.join("sweep.csv")).expect("remove sweep.csv");
    fs::remove_dir_all(cut.join("points/0005")).expect("remove point 5");
    let point = cut.join("points/0004");
    let runs = read(&point.join("runs.csv"));
    let kept: Vec<&str> = runs.lines().take(4).collect();
    let fifth = runs.lines().nth(4).expect("a fifth line");
    let part = format!("{}\n{}", kept.join("\n"), &fifth[..fifth.len() / 2]);
    fs::write(point.join("runs.csv.part"), part).expect("write part");
    fs::remove_file(point.join("runs.csv")).expect("remove runs.csv");
    fs::remove_file(point.join("summary.json")).expect("remove summary");
    let manifest = read(&point.join("manifest.json"));
    let at = manifest.find("\"finished\": \"").expect("a finished time");
    let end = at + manifest[at..].find(",\n").expect("end of the line");
    let unfinished = format!("{}\"finished\": null{}", &manifest[..at], &manifest[end..]);
    fs::write(point.join("manifest.json"), unfinished).expect("write manifest");

    let refused = netstates_into(&SWEEP, &cut).arg("-q").assert().code(2);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("interrupted in point 4") && stderr.contains("--resume"),
        "{stderr}"
    );
    sweep(&cut, &["--resume"]);
    assert_same_sweep(&cut, &whole);
    assert_eq!(
        read(&cut.join("points/0004/runs.csv")),
        read(&whole.join("points/0004/runs.csv"))
    );
}

#[test]
fn a_study_directory_of_another_design_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("s");
    sweep(&out, &[]);
    let refused = netstates()
        .args(SWEEP)
        .args(["--set", "government.*.capacity=0.7", "--out"])
        .arg(&out)
        .arg("-q")
        .assert()
        .code(2);
    let stderr = stderr_of(&refused);
    assert!(stderr.contains("holds a study of another"), "{stderr}");
    assert!(out.join("sweep.csv").exists(), "nothing was lost");
    let refused = netstates()
        .args(["run", BASELINE, "--runs", "2", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("holds a sweep or sensitivity analysis"),
        "{stderr}"
    );
    let root = fs::read_to_string(out.join("runs.csv")).expect("the study's runs.csv");
    assert!(root.starts_with("point,"), "still the study's own table");
    assert!(!out.join("manifest.json").exists());
    // Each point is an ordinary experiment: compare reads two of them.
    let compared = netstates()
        .args(["compare", "--format", "csv"])
        .arg(out.join("points/0000"))
        .arg(out.join("points/0005"))
        .assert()
        .success();
    let csv = stdout_of(&compared);
    assert!(csv.lines().count() > 19, "{csv}");
}

#[test]
fn bad_sweep_and_sensitivity_arguments_exit_2() {
    // `COMMAND BASELINE ARGS`; most sensitivity cases vary the capacity.
    let on_baseline =
        |command: &'static str, args: &[&'static str]| [&[command, BASELINE][..], args].concat();
    const CAPACITY: &str = "government.*.capacity=0.2..0.4";
    for (args, expected) in [
        (
            on_baseline("sweep", &["--set", "model.opinion.confidence=0.1..0.5"]),
            "LO..HI:STEPS",
        ),
        (
            on_baseline("sweep", &["--set", "model.opinion.nonsense=0..1:3"]),
            "model.opinion.nonsense",
        ),
        (
            on_baseline("sweep", &["--set", "government.*.capacity=0..2:3"]),
            "expected a number",
        ),
        (
            on_baseline(
                "sweep",
                &["--design", "lhs", "--set", "government.*.capacity=0..1"],
            ),
            "--samples",
        ),
        (
            on_baseline(
                "sweep",
                &[
                    "--set",
                    "model.ambassador.stakes.equal=0.2..0.9:3",
                    "--set",
                    "model.coregulation.ngo_seat=0.5",
                ],
            ),
            "point 1 (model.ambassador.stakes.equal=0.55)",
        ),
        (
            on_baseline(
                "sweep",
                &[
                    "--set",
                    "government.*.capacity=0.2,0.4",
                    "--set",
                    "government.*.capacity=0.5",
                ],
            ),
            "given twice",
        ),
        (
            on_baseline(
                "sensitivity",
                &["--param", CAPACITY, "--set", "government.*.capacity=0.5"],
            ),
            "given twice",
        ),
        (
            on_baseline(
                "sensitivity",
                &["--param", CAPACITY, "--method", "morris", "--second-order"],
            ),
            "for --method sobol",
        ),
        (
            on_baseline(
                "sensitivity",
                &["--param", "government.*.ambassador=none,equal"],
            ),
            "expected a numeric range",
        ),
        (
            on_baseline(
                "sensitivity",
                &["--param", CAPACITY, "--method", "morris", "--levels", "3"],
            ),
            "--levels",
        ),
        (
            on_baseline(
                "sensitivity",
                &["--param", CAPACITY, "--metric", "happiness"],
            ),
            "no such metric",
        ),
    ] {
        let out = tempfile::tempdir().expect("tempdir");
        let assert = netstates()
            .args(&args)
            .arg("--out")
            .arg(out.path().join("x"))
            .assert()
            .code(2);
        let stderr = stderr_of(&assert);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !out.path().join("x").exists(),
            "{args:?}: nothing is written"
        );
    }
}

#[test]
fn a_latin_hypercube_sweep_is_drawn_from_the_seed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lhs = |out: &Path, seed: &str| {
        netstates()
            .args([
                "sweep",
                BASELINE,
                "--design",
                "lhs",
                "--samples",
                "4",
                "--runs",
                "3",
            ])
            .args([
                "--set",
                "government.*.capacity=0.2..0.8",
                "--set",
                "scenario.rounds=12",
            ])
            .args([
                "--set",
                "government.*.ambassador=none,equal",
                "--seed",
                seed,
                "-q",
            ])
            .arg("--out")
            .arg(out)
            .assert()
            .success();
        read(&out.join("sweep.csv"))
    };
    let a = lhs(&dir.path().join("a"), "1");
    assert_eq!(a, lhs(&dir.path().join("b"), "1"));
    assert_ne!(a, lhs(&dir.path().join("c"), "2"));
    assert_eq!(a.lines().count(), 5);
}

#[test]
fn a_sensitivity_analysis_is_reproducible_and_ranks_parameters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let analysis = |out: &Path, jobs: &str, method: &str| {
        let assert = netstates()
            .args([
                "sensitivity",
                BASELINE,
                "--method",
                method,
                "--samples",
                "4",
            ])
            .args(["--param", "government.*.capacity=0.2..0.8"])
            .args(["--param", "model.opinion.confidence=0.05..0.4"])
            .args([
                "--set",
                "scenario.rounds=12",
                "--runs",
                "4",
                "-q",
                "-j",
                jobs,
            ])
            .arg("--out")
            .arg(out)
            .assert()
            .success();
        (stdout_of(&assert), read(&out.join("sensitivity.csv")))
    };
    let (stdout, csv) = analysis(&dir.path().join("a"), "1", "sobol");
    let (_, again) = analysis(&dir.path().join("b"), "2", "sobol");
    assert_eq!(csv, again, "sensitivity.csv depends on --jobs");
    assert!(
        csv.starts_with("metric,parameter,S1,S1_conf,ST,ST_conf\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 19 * 2);
    assert!(
        stdout.contains("capture") && stdout.contains("ST"),
        "{stdout}"
    );
    let points = read(&dir.path().join("a/points.csv"));
    assert_eq!(points.lines().count(), 1 + 4 * (2 + 2), "N (D + 2) points");
    assert!(!dir.path().join("a/second-order.csv").exists());
    let second = dir.path().join("s2");
    let assert = netstates()
        .args(["sensitivity", BASELINE, "--second-order", "--samples", "4"])
        .args(["--param", "government.*.capacity=0.2..0.8"])
        .args(["--param", "model.opinion.confidence=0.05..0.4"])
        .args(["--set", "scenario.rounds=12", "--runs", "4", "-q", "--out"])
        .arg(&second)
        .assert()
        .success();
    let stdout = stdout_of(&assert);
    assert!(
        stdout.contains("government.*.capacity x model.opinion.confidence"),
        "{stdout}"
    );
    let points = read(&second.join("points.csv"));
    assert_eq!(
        points.lines().count(),
        1 + 4 * (2 * 2 + 2),
        "N (2D + 2) points"
    );
    let s2 = read(&second.join("second-order.csv"));
    assert!(
        s2.starts_with("metric,parameter,other,S2,S2_conf\n"),
        "{s2}"
    );
    assert_eq!(s2.lines().count(), 1 + 19);
    let (_, morris) = analysis(&dir.path().join("m"), "2", "morris");
    assert!(
        morris.starts_with("metric,parameter,mu,mu_star,sigma,mu_star_conf\n"),
        "{morris}"
    );
    let html = read(&dir.path().join("m/report.html"));
    assert_eq!(html.matches("<figure class=\"metric\"").count(), 19);
    assert_eq!(html.matches("<rect class=\"bar\"").count(), 19 * 2 * 2);
}

/// Runs a sweep whole, then again interrupted by Ctrl-C once `watch` (under the output
/// directory) has more than `lines` lines; checks the exit, the message and the kept work,
/// resumes, and checks the resumed sweep.csv equals the whole one.
fn ctrl_c_then_resume(args: &[&str], watch: &str, lines: usize, message: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("whole");
    netstates_into(args, &whole).assert().success();
    let out = dir.path().join("interrupted");
    let output = interrupt(args, &out, &out.join(watch), lines);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(message) && stderr.contains("--resume"),
        "{stderr}"
    );
    assert!(!out.join("sweep.csv").exists(), "{stderr}");
    netstates_into(args, &out)
        .arg("--resume")
        .assert()
        .success();
    assert_same_sweep(&out, &whole);
}

#[test]
fn ctrl_c_in_a_sweep_keeps_finished_work_and_says_how_to_resume() {
    let args = [
        "sweep",
        BASELINE,
        "--set",
        "government.*.capacity=0.4,0.6",
        "--runs",
        "300",
        "--seed",
        "6",
        "-q",
        "-j",
        "2",
    ];
    ctrl_c_then_resume(
        &args,
        "points/0000/runs.csv.part",
        3,
        "interrupted in point 0",
    );
}

#[test]
fn points_played_side_by_side_resume_after_ctrl_c_to_the_same_bytes() {
    // One run a point and two threads: two points play at once, each on one thread.
    let args = [
        "sweep",
        BASELINE,
        "--set",
        "government.*.capacity=0.1..0.9:60",
        "--runs",
        "1",
        "--seed",
        "8",
        "-q",
        "-j",
        "2",
    ];
    ctrl_c_then_resume(&args, "points/0006/runs.csv", 1, "interrupted in point");
}
