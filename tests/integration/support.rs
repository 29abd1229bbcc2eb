//! Helpers that several test modules share: the scenario they run, the `netstates` binary
//! in the foreground and in the background, and what it printed.

use std::fs;
use std::path::Path;
use std::process::{Command as Std, Output, Stdio};

use assert_cmd::Command;
use assert_cmd::assert::Assert;

/// The bundled baseline scenario: small and fast, with every phase and uncertain parameters,
/// for many experiments.
pub(crate) const BASELINE: &str = "scenarios/baseline.toml";

/// The `netstates` binary this test build made.
pub(crate) fn netstates() -> Command {
    #[allow(deprecated)]
    Command::cargo_bin("netstates").expect("the binary is built")
}

/// `netstates ARGS --out OUT`.
pub(crate) fn netstates_into(args: &[&str], out: &Path) -> Command {
    let mut cmd = netstates();
    cmd.args(args).arg("--out").arg(out);
    cmd
}

/// `netstates ARGS --out OUT` to spawn and act on while it runs (assert_cmd's `Command` only
/// runs to the end). Its output streams are the caller's to set.
pub(crate) fn spawn_into(args: &[&str], out: &Path) -> Std {
    let mut cmd = Std::new(assert_cmd::cargo::cargo_bin!("netstates"));
    cmd.args(args).arg("--out").arg(out);
    cmd
}

/// What a finished command printed on stdout.
pub(crate) fn stdout_of(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).to_string()
}

/// What a finished command printed on stderr.
pub(crate) fn stderr_of(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).to_string()
}

/// Asserts that a finished command's stderr contains `needle`; on failure the message shows
/// `context` (what was run, if the caller loops) and the whole stderr.
#[track_caller]
pub(crate) fn assert_stderr_has(assert: &Assert, needle: &str, context: &str) {
    let stderr = stderr_of(assert);
    assert!(
        stderr.contains(needle),
        "{context}: stderr lacks {needle:?}: {stderr}"
    );
}

/// Writes `fixed.toml` into `dir` (one issue, one government of 10 citizens, 2 rounds,
/// nothing uncertain), runs it `runs` times into `dir/f` and returns that directory.
pub(crate) fn run_fixed(dir: &Path, runs: u32) -> std::path::PathBuf {
    let fixed = dir.join("fixed.toml");
    fs::write(
        &fixed,
        "[scenario]\nname = \"fixed\"\nrounds = 2\n[[issue]]\nid = \"a\"\n[[government]]\n\
         id = \"g\"\ncitizens = 10\n",
    )
    .expect("write");
    let out = dir.join("f");
    netstates_into(
        &[
            "run",
            fixed.to_str().expect("path"),
            "--runs",
            &runs.to_string(),
            "-q",
        ],
        &out,
    )
    .assert()
    .success();
    out
}

/// Starts `netstates ARGS --out OUT`, sends it SIGINT (Ctrl-C) once the file `watch` holds
/// more than `lines` lines, and returns how it ended.
pub(crate) fn interrupt(args: &[&str], out: &Path, watch: &Path, lines: usize) -> Output {
    signal("INT", args, out, watch, lines)
}

/// Starts `netstates ARGS --out OUT`, sends it the signal `name` (INT, TERM, HUP) once the
/// file `watch` holds more than `lines` lines, and returns how it ended.
pub(crate) fn signal(name: &str, args: &[&str], out: &Path, watch: &Path, lines: usize) -> Output {
    let child = spawn_into(args, out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for_rows(watch, lines);
    Std::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill");
    child.wait_with_output().expect("wait")
}

/// Waits (a minute at most) until a running experiment has more than `rows` lines on disk.
#[allow(
    clippy::disallowed_methods,
    reason = "a test's deadline, not the model's clock"
)]
pub(crate) fn wait_for_rows(part: &Path, rows: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while fs::read_to_string(part).map_or(0, |t| t.lines().count()) <= rows
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
