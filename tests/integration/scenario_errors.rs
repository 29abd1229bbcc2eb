//! Invalid scenario files and the errors they get (MODEL.md 1.4).
//!
//! Every `tests/fixtures/invalid/*.toml` is a small scenario with one mistake. Its first two
//! lines say where the first problem must be reported and what its message must contain:
//!
//! ```toml
//! # expect-line: 7
//! # expect: citizens must be between 2 and 10000000, got 1
//! ```
//!
//! The line is the one of the file the problem is in: for a mistake in a file reached through
//! `extends` (the helpers in `tests/fixtures/invalid/parents/`, which are not fixtures
//! themselves), it is a line of that file. To add a case, add a file; nothing here changes.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

use netstates::scenario;

use crate::support::netstates;

/// The fixture folder, relative to the package root.
const FIXTURES: &str = "tests/fixtures/invalid";

/// Fixtures the binary is run on: a TOML syntax error, an unknown key, a range, a
/// cross-reference and an event rule.
const BINARY_FIXTURES: [&str; 5] = [
    "syntax-unclosed-string.toml",
    "unknown-key-government.toml",
    "range-citizens-one.toml",
    "xref-markets-government.toml",
    "event-breaks-stakes.toml",
];

fn package_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture, sorted by name.
fn fixtures() -> Vec<PathBuf> {
    let dir = package_root().join(FIXTURES);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// What a fixture's header says about its first problem.
#[derive(Debug)]
struct Expectation {
    line: usize,
    message: String,
}

impl Expectation {
    fn parse(text: &str) -> Result<Expectation, String> {
        let mut lines = text.lines();
        let line = lines
            .next()
            .and_then(|l| l.strip_prefix("# expect-line:"))
            .ok_or("the first line is not `# expect-line: N`")?
            .trim();
        let line = line
            .parse()
            .map_err(|e| format!("`# expect-line: {line}` is not a line number: {e}"))?;
        let message = lines
            .next()
            .and_then(|l| l.strip_prefix("# expect:"))
            .ok_or("the second line is not `# expect: MESSAGE`")?
            .trim()
            .to_string();
        if message.is_empty() {
            return Err("`# expect:` gives no message".into());
        }
        Ok(Expectation { line, message })
    }

    fn of(path: &Path) -> Result<Expectation, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
        Expectation::parse(&text)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}

/// Loads one fixture and compares its first problem with the header; the error says what
/// was expected and what happened.
fn check_fixture(path: &Path) -> Result<(), String> {
    let expected = Expectation::of(path)?;
    let loaded = panic::catch_unwind(|| scenario::load(path)).map_err(|payload| {
        let why = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        format!("the loader panicked: {why}")
    })?;
    let err = match loaded {
        Ok(_) => {
            return Err(format!(
                "accepted, but it is invalid; expected line {}: {:?}",
                expected.line, expected.message
            ));
        }
        Err(err) => err,
    };
    let first = err
        .problems
        .first()
        .ok_or("refused, but with no problem listed")?;
    let position = err.position(first);
    let line_ok = position.as_ref().is_some_and(|p| p.line == expected.line);
    let message_ok = first.message.contains(&expected.message);
    if line_ok && message_ok {
        return Ok(());
    }
    let actual = match position {
        Some(_) => err.heading(first),
        None => format!("(no position): {}", first.message),
    };
    Err(format!(
        "expected line {} with {:?}\n    got {actual}",
        expected.line, expected.message
    ))
}

#[test]
fn every_invalid_fixture_is_refused_at_the_line_its_header_names() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 40,
        "{FIXTURES} holds {} fixtures; the suite needs at least 40",
        fixtures.len()
    );
    let mismatches: Vec<String> = fixtures
        .iter()
        .filter_map(|path| {
            check_fixture(path)
                .err()
                .map(|why| format!("{}: {why}", file_name(path)))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} invalid fixtures do not get the error their header expects:\n\n{}",
        mismatches.len(),
        fixtures.len(),
        mismatches.join("\n\n")
    );
}

#[test]
fn check_exits_2_and_names_the_file_and_line() {
    let mut failures = Vec::new();
    for name in BINARY_FIXTURES {
        let relative = format!("{FIXTURES}/{name}");
        let expected = Expectation::of(&package_root().join(&relative))
            .unwrap_or_else(|why| panic!("{relative}: {why}"));
        let output = netstates()
            .current_dir(package_root())
            .args(["check", &relative])
            .output()
            .expect("netstates runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let place = format!("{relative}:{}:", expected.line);
        let mut wrong = Vec::new();
        if output.status.code() != Some(2) {
            wrong.push(format!("exit status {:?}, not 2", output.status.code()));
        }
        if !stderr.contains(&place) {
            wrong.push(format!("stderr does not contain {place:?}"));
        }
        if stderr.contains("panicked") {
            wrong.push("it panicked".to_string());
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{name}: {}\n--- stderr:\n{stderr}",
                wrong.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
