//! What netstates promises when things go wrong (README, "What netstates promises"): a signal
//! keeps every completed run and says how to resume; one writer per directory; files that
//! survive a power cut and are checked before they are trusted; damaged or tampered state
//! refused, never silently discarded or panicked on; hostile scenario files refused in
//! bounded time and memory; overflowing numbers never written as a summary that cannot be read
//! back; a resume command that can be pasted; bad numbers on the command line refused with
//! their range. Each test failed before its fix.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Std, Stdio};

use crate::support::{
    BASELINE, assert_stderr_has, netstates, netstates_into, signal, spawn_into, stderr_of,
    stdout_of, wait_for_rows,
};

/// A 400-run experiment on two threads: long enough to act on while it runs.
const LONG: [&str; 9] = [
    "run", BASELINE, "--runs", "400", "--seed", "8", "-q", "-j", "2",
];

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The command a stopped command printed to resume it.
fn printed_resume(stderr: &str) -> String {
    let at = stderr.find("to continue:\n").expect("a resume command") + "to continue:\n".len();
    stderr[at..]
        .lines()
        .next()
        .expect("the command")
        .trim()
        .to_string()
}

#[test]
fn sigterm_and_sighup_stop_like_ctrl_c_and_resume_to_the_same_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("whole");
    netstates_into(&LONG, &whole).assert().success();
    for (name, code) in [("TERM", 143), ("HUP", 129)] {
        let out = dir.path().join(name);
        let output = signal(name, &LONG, &out, &out.join("runs.csv.part"), 3);
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(code), "SIG{name}: {stderr}");
        assert!(
            stderr.contains(&format!("interrupted by SIG{name}")) && stderr.contains("--resume"),
            "{stderr}"
        );
        assert!(
            !out.join("runs.csv").exists(),
            "SIG{name} came after the end"
        );
        netstates_into(&LONG, &out)
            .arg("--resume")
            .assert()
            .success();
        assert_eq!(read(&out.join("runs.csv")), read(&whole.join("runs.csv")));
        assert_eq!(
            read(&out.join("summary.json")),
            read(&whole.join("summary.json"))
        );
    }
}

#[test]
fn a_study_stopped_by_sigterm_keeps_its_points() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sweep");
    let args = [
        "sweep",
        BASELINE,
        "--set",
        "model.opinion.confidence=0.1..0.4:6",
        "--runs",
        "60",
        "-q",
        "-j",
        "2",
    ];
    let output = signal(
        "TERM",
        &args,
        &out,
        &out.join("points/0001/runs.csv.part"),
        3,
    );
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("interrupted in point"), "{stderr}");
    assert!(
        out.join("points/0000/runs.csv").exists(),
        "the finished point is kept"
    );
    netstates_into(&args, &out)
        .arg("--resume")
        .assert()
        .success();
    assert!(out.join("sweep.csv").exists());
}

#[test]
fn a_second_writer_is_refused_at_once_with_the_holders_pid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x");
    let mut first = spawn_into(&LONG, &out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for_rows(&out.join("runs.csv.part"), 2);
    let pid = first.id();
    for extra in [&[][..], &["--resume"][..], &["--force"][..]] {
        let assert = netstates_into(&LONG, &out).args(extra).assert().code(2);
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains("being written by another netstates process")
                && stderr.contains(&format!("pid {pid}")),
            "{extra:?}: {stderr}"
        );
    }
    // A different experiment into the same directory is refused the same way.
    let assert = netstates_into(&["run", BASELINE, "--runs", "5", "--seed", "9"], &out)
        .assert()
        .code(2);
    assert_stderr_has(&assert, "being written", "");
    assert!(first.wait().expect("wait").success());
    let rows = fs::read_to_string(out.join("runs.csv")).expect("runs.csv");
    assert_eq!(rows.lines().count(), 401, "every run once");

    // A crashed holder's lock goes with its process.
    let out = dir.path().join("crashed");
    let mut child = spawn_into(&LONG, &out)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for_rows(&out.join("runs.csv.part"), 2);
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    netstates_into(&LONG, &out)
        .arg("--resume")
        .assert()
        .success();
}

#[test]
fn two_identical_sweeps_are_refused_and_merge_out_is_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sweep");
    let args = [
        "sweep",
        BASELINE,
        "--set",
        "model.opinion.confidence=0.1..0.4:4",
        "--runs",
        "100",
        "-q",
    ];
    let mut first = spawn_into(&args, &out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for_rows(&out.join("points/0000/runs.csv.part"), 2);
    let assert = netstates_into(&args, &out).assert().code(2);
    assert_stderr_has(&assert, "being written", "");
    assert!(first.wait().expect("wait").success());
    let table = fs::read_to_string(out.join("sweep.csv")).expect("sweep.csv");
    assert_eq!(table.lines().count(), 5, "each point once: {table}");

    // merge --out into a directory another process holds.
    let shard = dir.path().join("s");
    netstates_into(&["run", BASELINE, "--runs", "4", "-q"], &shard)
        .assert()
        .success();
    let target = dir.path().join("merged");
    fs::create_dir_all(&target).expect("dir");
    let held = fs::File::create(target.join(netstates::store::LOCK)).expect("lock file");
    fs4::fs_std::FileExt::lock_exclusive(&held).expect("locked");
    let assert = netstates()
        .arg("merge")
        .arg(&shard)
        .arg("--out")
        .arg(&target)
        .assert()
        .code(2);
    assert_stderr_has(&assert, "being written", "");
}

/// A finished experiment in `dir/name`.
fn finished(dir: &Path, name: &str) -> (PathBuf, [&'static str; 6]) {
    let args = ["run", BASELINE, "--runs", "6", "--seed", "4"];
    let out = dir.join(name);
    netstates_into(&args, &out).arg("-q").assert().success();
    (out, args)
}

#[test]
fn a_runs_csv_cut_or_changed_after_the_experiment_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    fn empty(p: &Path) {
        fs::write(p, b"").expect("write");
    }
    fn edit(p: &Path) {
        let text = fs::read_to_string(p)
            .expect("read")
            .replacen(",4,", ",5,", 1);
        fs::write(p, text).expect("write");
    }
    for (name, damage) in [("emptied", empty as fn(&Path)), ("edited", edit)] {
        let (out, args) = finished(dir.path(), name);
        damage(&out.join("runs.csv"));
        // The same run again, replay, compare and merge all check it first.
        let again = netstates_into(&args, &out).assert().code(1);
        let stderr = stderr_of(&again);
        assert!(
            stderr.contains("runs.csv is damaged")
                && !stdout_of(&again).contains("already complete"),
            "{name}: {stderr}"
        );
        for cmd in [
            vec![
                "replay".to_string(),
                out.display().to_string(),
                "--run".into(),
                "1".into(),
            ],
            vec![
                "compare".into(),
                out.display().to_string(),
                out.display().to_string(),
            ],
            vec![
                "merge".into(),
                out.display().to_string(),
                "--out".into(),
                dir.path().join(format!("{name}-m")).display().to_string(),
            ],
        ] {
            let assert = netstates().args(&cmd).assert().code(1);
            assert_stderr_has(&assert, "runs.csv is damaged", &format!("{cmd:?}"));
        }
    }
}

#[test]
fn resume_takes_up_a_complete_runs_csv_and_sweeps_stale_temporaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, args) = finished(dir.path(), "x");
    let whole = read(&out.join("runs.csv"));
    // A crash after runs.csv was renamed complete but before the manifest said finished.
    let manifest = out.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&read(&manifest)).expect("JSON");
    m["finished"] = serde_json::Value::Null;
    m.as_object_mut().expect("an object").remove("runs_csv");
    fs::write(&manifest, serde_json::to_vec_pretty(&m).expect("JSON")).expect("write");
    fs::remove_file(out.join("summary.json")).expect("remove");
    fs::write(out.join("summary.json.4194305.tmp"), b"half").expect("write");
    let assert = netstates_into(&args, &out)
        .arg("--resume")
        .assert()
        .success();
    assert!(
        stdout_of(&assert).contains("resumed after 6"),
        "{}",
        stdout_of(&assert)
    );
    assert_eq!(read(&out.join("runs.csv")), whole);
    assert!(
        !out.join("summary.json.4194305.tmp").exists(),
        "the stale temporary is swept"
    );
}

#[test]
fn corrupt_kept_rows_are_an_error_naming_the_file_and_line_not_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x");
    let mut child = spawn_into(&LONG, &out)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let part = out.join("runs.csv.part");
    wait_for_rows(&part, 5);
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let mut bytes = read(&part);
    let second_row = bytes.iter().position(|&b| b == b'\n').expect("a header") + 1;
    let third_row = second_row
        + bytes[second_row..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a row")
        + 1;
    bytes[third_row + 2] = 0xff;
    fs::write(&part, &bytes).expect("write");
    let assert = netstates_into(&LONG, &out).arg("--resume").assert().code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("runs.csv.part is damaged: line 3: not UTF-8"),
        "{stderr}"
    );
    assert_eq!(read(&part), bytes, "the kept rows are not touched");
    netstates_into(&LONG, &out)
        .arg("--force")
        .assert()
        .success();
}

#[test]
fn tampered_manifests_are_refused_not_panicked_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, _) = finished(dir.path(), "x");
    let manifest = out.join("manifest.json");
    let original: serde_json::Value = serde_json::from_slice(&read(&manifest)).expect("JSON");
    let tamper = |edit: fn(&mut serde_json::Value)| {
        let mut m = original.clone();
        edit(&mut m);
        fs::write(&manifest, serde_json::to_vec_pretty(&m).expect("JSON")).expect("write");
    };
    let other = dir.path().join("other");
    use serde_json::{Value, json};
    fn short_hash(m: &mut Value) {
        m["scenario_sha256"] = "ab".into();
    }
    fn short_ideal(m: &mut Value) {
        m["scenario"]["governments"][0]["ideal"]
            .as_array_mut()
            .expect("ideal")
            .pop();
    }
    fn bad_peer(m: &mut Value) {
        m["scenario"]["governments"][0]["peers"] = json!([[0, 4000]]);
    }
    fn huge_citizens(m: &mut Value) {
        m["scenario"]["governments"][0]["citizens"] = 4_000_000_000u64.into();
    }
    for (what, edit, expected) in [
        (
            "short hash",
            short_hash as fn(&mut Value),
            "does not have the SHA-256",
        ),
        ("short ideal", short_ideal, "ideal has 4 values"),
        ("bad peer", bad_peer, "peers"),
        ("huge citizens", huge_citizens, "citizens"),
    ] {
        tamper(edit);
        for cmd in [
            vec![
                "replay".to_string(),
                out.display().to_string(),
                "--run".into(),
                "0".into(),
            ],
            vec![
                "merge".into(),
                out.display().to_string(),
                "--out".into(),
                other.display().to_string(),
            ],
        ] {
            let assert = netstates().args(&cmd).assert().code(1);
            let stderr = stderr_of(&assert);
            assert!(
                stderr.contains("manifest.json is damaged") && stderr.contains(expected),
                "{what}, {}: {stderr}",
                cmd[0]
            );
        }
    }
}

#[test]
fn hostile_scenario_files_are_refused_in_bounded_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let head = "[scenario]\nname = \"x\"\nrounds = 1\n";
    let child = |name: &str, extends: &str| {
        let path = dir.path().join(name);
        fs::write(
            &path,
            format!("[scenario]\nname = \"x\"\nrounds = 1\nextends = \"{extends}\"\n"),
        )
        .expect("write");
        path
    };
    // extends to a FIFO would hang reading it; to /dev/zero would read forever.
    let fifo = dir.path().join("fifo.toml");
    assert!(
        Std::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    for (target, expected) in [
        ("fifo.toml", "not a regular file"),
        ("/dev/zero", "not a regular file"),
    ] {
        let path = child(&format!("to-{}.toml", expected.len()), target);
        let assert = netstates()
            .arg("check")
            .arg(&path)
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2);
        assert_stderr_has(&assert, expected, target);
    }
    // A chain of 2000 extends would overflow the stack.
    for i in 0..2000 {
        child(&format!("c{i}.toml"), &format!("c{}.toml", i + 1));
    }
    fs::write(dir.path().join("c2000.toml"), head).expect("write");
    let assert = netstates()
        .arg("check")
        .arg(dir.path().join("c0.toml"))
        .assert()
        .code(2);
    assert_stderr_has(&assert, "deeper than 64", "");
    // 100,000 issues: refused at once, not after a quadratic scan.
    let mut many = String::from(head);
    for i in 0..100_000 {
        many.push_str(&format!("[[issue]]\nid = \"i{i}\"\n"));
    }
    fs::write(dir.path().join("many.toml"), many).expect("write");
    let assert = netstates()
        .arg("check")
        .arg(dir.path().join("many.toml"))
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2);
    assert_stderr_has(&assert, "at most 64 issues", "");
    // A file that is not TOML (one line of a megabyte) is shown as an excerpt, not echoed.
    fs::write(
        dir.path().join("blob.toml"),
        format!("x = \"{}", "a".repeat(1 << 20)),
    )
    .expect("write");
    let assert = netstates()
        .arg("check")
        .arg(dir.path().join("blob.toml"))
        .assert()
        .code(2);
    assert!(
        stderr_of(&assert).len() < 2_000,
        "{} bytes",
        stderr_of(&assert).len()
    );
    // A scenario file larger than 64 MiB is refused before it is read.
    let big = fs::File::create(dir.path().join("big.toml")).expect("create");
    big.set_len(65 << 20).expect("sparse file");
    let assert = netstates()
        .arg("check")
        .arg(dir.path().join("big.toml"))
        .assert()
        .code(2);
    assert_stderr_has(&assert, "larger than 64 MiB", "");
}

#[test]
fn an_overflowing_summary_fails_naming_the_metric_and_keeps_the_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = dir.path().join("huge.toml");
    fs::write(
        &scenario,
        "[scenario]\nname = \"huge\"\nrounds = 1\n[[issue]]\nid = \"a\"\n[[government]]\n\
         id = \"g\"\ncitizens = 2\n[[firm]]\nid = \"f\"\nrevenue = 1e308\n[model]\n\
         schedule = [\"trust\"]\n",
    )
    .expect("write");
    let out = dir.path().join("x");
    let assert = netstates_into(
        &["run", scenario.to_str().expect("path"), "--runs", "3", "-q"],
        &out,
    )
    .assert()
    .code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("of firm_revenue over the runs is inf"),
        "{stderr}"
    );
    assert!(
        !out.join("summary.json").exists(),
        "no summary it cannot read back"
    );
    assert!(out.join("runs.csv.part").exists(), "the runs are kept");
}

#[test]
fn an_empty_shard_is_a_valid_shard_and_merges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let args = ["run", BASELINE, "--runs", "5", "--seed", "2", "-q"];
    let whole = dir.path().join("whole");
    netstates_into(&args, &whole).assert().success();
    let mut shards = Vec::new();
    for k in 0..10 {
        let out = dir.path().join(format!("s{k}"));
        let assert = netstates_into(&args, &out)
            .args(["--shard", &format!("{k}/10")])
            .assert()
            .success();
        if k % 2 == 0 {
            assert!(
                stdout_of(&assert).contains("no runs in this shard"),
                "{}",
                stdout_of(&assert)
            );
            // The same shard again: already complete, not an error.
            netstates_into(&args, &out)
                .args(["--shard", &format!("{k}/10")])
                .assert()
                .success();
        }
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    netstates()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(
        read(&merged.join("runs.csv")),
        read(&whole.join("runs.csv"))
    );
    assert_eq!(
        read(&merged.join("summary.json")),
        read(&whole.join("summary.json"))
    );
}

#[test]
fn the_printed_resume_command_can_be_pasted_into_sh_and_bash() {
    for shell in ["sh", "bash"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("a b;$(touch X)");
        // A file that an unquoted glob of the --set value would match.
        fs::write(dir.path().join("government.x.capacity=0.3..0.9:4"), b"").expect("write");
        let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join(BASELINE);
        let args = [
            "sweep",
            scenario.to_str().expect("a path"),
            "--set",
            "government.*.capacity=0.3..0.9:4",
            "--runs",
            "80",
            "-q",
            "-j",
            "2",
        ];
        let output = signal(
            "INT",
            &args,
            &out,
            &out.join("points/0001/runs.csv.part"),
            3,
        );
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(130), "{stderr}");
        let command = printed_resume(&stderr);
        let status = Std::new(shell)
            .arg("-c")
            .arg(&command)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .status()
            .expect(shell);
        assert!(status.success(), "{shell}: {command}");
        assert!(
            !dir.path().join("X").exists(),
            "{shell} ran the command substitution"
        );
        assert!(
            out.join("sweep.csv").exists(),
            "{shell}: the study was resumed"
        );
    }
}

#[test]
fn numbers_on_the_command_line_get_their_range() {
    for (args, expected) in [
        (&["--jobs", "100000"][..], "between 1 and 1024, got 100000"),
        (&["--jobs", "0"][..], "between 1 and 1024, got 0"),
        (&["--runs", "-5"][..], "between 1 and 1000000000, got -5"),
        (
            &["--seed", "-1"][..],
            "between 0 and 18446744073709551615, got -1",
        ),
        (
            &["--shard", "-1/4"][..],
            "--shard must be K/N with 0 <= K < N, got -1/4",
        ),
    ] {
        let assert = netstates()
            .args(["run", BASELINE])
            .args(args)
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .code(2);
        assert_stderr_has(&assert, expected, &format!("{args:?}"));
    }
}

#[test]
fn a_full_disk_fails_naming_the_file_and_keeps_the_rows_for_resume() {
    // A file size limit stands in for a full disk: writes past 64 KiB fail (EFBIG, with
    // SIGXFSZ ignored), as they would with ENOSPC.
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = dir.path().join("whole");
    netstates_into(&LONG, &whole).assert().success();
    let out = dir.path().join("full");
    let binary = assert_cmd::cargo::cargo_bin!("netstates");
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec \"$0\" {} --out \"$1\"",
        LONG.join(" ")
    );
    let output = Std::new("sh")
        .args(["-c", &script])
        .arg(binary)
        .arg(&out)
        .output()
        .expect("sh");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("runs.csv.part"), "{stderr}");
    let kept = fs::read_to_string(out.join("runs.csv.part")).expect("the kept rows");
    assert!(kept.lines().count() > 10, "rows were kept");
    netstates_into(&LONG, &out)
        .arg("--resume")
        .assert()
        .success();
    assert_eq!(read(&out.join("runs.csv")), read(&whole.join("runs.csv")));
}
