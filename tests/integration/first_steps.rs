//! What a new user meets first: the bundled scenarios from any directory, `init`, shell
//! completions and the manual page.

use std::fs;
use std::process::Command as Std;

use crate::support::{assert_stderr_has, netstates, stdout_of};

#[test]
fn scenarios_lists_the_bundled_library_from_any_directory() {
    let away = tempfile::tempdir().expect("tempdir");
    let listed = netstates()
        .current_dir(away.path())
        .arg("scenarios")
        .assert()
        .success();
    let out = stdout_of(&listed);
    // The library is every file of scenarios/ (a unit test of `bundled` holds it to that).
    for name in netstates::scenario::bundled::LIBRARY.iter().map(|b| b.name) {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} is not listed: {out}"
        );
    }
}

#[test]
fn a_bundled_scenario_runs_by_name_and_a_file_of_that_name_wins() {
    let away = tempfile::tempdir().expect("tempdir");
    let by_name = away.path().join("by-name");
    let by_path = away.path().join("by-path");
    netstates()
        .current_dir(away.path())
        .args(["run", "ambassadors-equal", "--runs", "3", "-q", "--out"])
        .arg(&by_name)
        .assert()
        .success();
    netstates()
        .args([
            "run",
            "scenarios/ambassadors-equal.toml",
            "--runs",
            "3",
            "-q",
            "--out",
        ])
        .arg(&by_path)
        .assert()
        .success();
    let runs = |dir: &std::path::Path| fs::read(dir.join("runs.csv")).expect("runs.csv");
    assert_eq!(
        runs(&by_name),
        runs(&by_path),
        "the bundled copy is the file"
    );

    // A file in the working directory is taken before the bundled scenario of its name.
    let own = fs::read_to_string("scenarios/baseline.toml")
        .expect("baseline")
        .replacen("name = \"baseline\"", "name = \"my-own\"", 1);
    fs::write(away.path().join("baseline.toml"), own).expect("write");
    let checked = netstates()
        .current_dir(away.path())
        .args(["check", "baseline.toml"])
        .assert()
        .success();
    assert!(stdout_of(&checked).contains("scenario \"my-own\""));
}

#[test]
fn a_misspelt_scenario_name_gets_the_bundled_name_it_meant() {
    let away = tempfile::tempdir().expect("tempdir");
    let failed = netstates()
        .current_dir(away.path())
        .args(["check", "ambasadors-equal"])
        .assert()
        .code(2);
    assert_stderr_has(
        &failed,
        "did you mean the bundled scenario `ambassadors-equal`?",
        "check ambasadors-equal",
    );
}

#[test]
fn init_writes_a_starter_or_a_bundled_scenario_with_its_parents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let at = |name: &str| dir.path().join(name);
    netstates()
        .arg("init")
        .arg(at("mine.toml"))
        .assert()
        .success();
    let checked = netstates()
        .arg("check")
        .arg(at("mine.toml"))
        .assert()
        .success();
    assert!(
        stdout_of(&checked).contains("scenario \"mine\""),
        "the starter is named after its file"
    );
    assert!(
        fs::read_to_string(at("mine.toml"))
            .expect("read")
            .lines()
            .filter(|l| l.contains('#'))
            .count()
            > 30,
        "the starter explains itself"
    );

    netstates()
        .arg("init")
        .arg(at("equal.toml"))
        .args(["--from", "ambassadors-equal"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(at("baseline.toml")).expect("the parent is written beside it"),
        fs::read_to_string("scenarios/baseline.toml").expect("baseline")
    );
    netstates()
        .arg("check")
        .arg(at("equal.toml"))
        .assert()
        .success();

    let refused = netstates()
        .arg("init")
        .arg(at("mine.toml"))
        .assert()
        .code(2);
    assert_stderr_has(&refused, "pass --force", "init over an existing file");
    let unknown = netstates()
        .arg("init")
        .arg(at("x.toml"))
        .args(["--from", "city-diplomacyy"])
        .assert()
        .code(2);
    assert_stderr_has(&unknown, "did you mean `city-diplomacy`?", "init --from");
    assert!(!at("x.toml").exists());
}

#[test]
fn the_bash_completion_script_loads_and_completes_commands_and_flags() {
    let script = netstates().args(["completions", "bash"]).assert().success();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("netstates.bash");
    fs::write(&path, &script.get_output().stdout).expect("write");
    // Load the script as bash-completion would, then ask it what follows "netstates ru" and
    // "netstates run --tra".
    let probe = format!(
        "set -e; source '{}'; complete -p netstates; \
         COMP_WORDS=(netstates ru); COMP_CWORD=1; _netstates netstates ru netstates; \
         echo \"commands: ${{COMPREPLY[*]}}\"; \
         COMP_WORDS=(netstates run --tra); COMP_CWORD=2; _netstates netstates --tra run; \
         echo \"flags: ${{COMPREPLY[*]}}\"",
        path.display()
    );
    let out = Std::new("bash")
        .args(["--norc", "--noprofile", "-c", &probe])
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bash: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("complete -F _netstates") || said.contains("-F _netstates"));
    assert!(said.contains("commands: run"), "{said}");
    assert!(said.contains("flags: --trajectories"), "{said}");
}

#[test]
fn completions_for_every_shell_and_the_manual_page() {
    for (shell, marker) in [
        ("zsh", "#compdef netstates"),
        ("fish", "complete -c netstates"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = netstates().args(["completions", shell]).assert().success();
        assert!(stdout_of(&out).contains(marker), "{shell}");
    }
    let page = netstates().arg("man").assert().success();
    let page = stdout_of(&page);
    assert!(page.contains(".TH netstates 1"), "{page}");
    assert!(page.contains("compare"));
    let dir = tempfile::tempdir().expect("tempdir");
    netstates()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let run = fs::read_to_string(dir.path().join("netstates-run.1")).expect("a page per command");
    assert!(run.contains("trajectories"));
}

#[test]
fn every_unknown_key_and_type_error_of_a_file_is_reported_in_one_pass() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("typos.toml");
    fs::write(
        &path,
        "[scenario]\nname = \"typos\"\nrounds = 10\n\n[[issue]]\nid = \"privacy\"\n\n\
         [[government]]\nid = \"ireland\"\ncitizens = 100\nsusceptibilty = 2.0\n\
         capacity = \"high\"\nmarket = 3\nopinion = { privacy = [0.2, 0.8] }\n\n\
         [model.opinion]\nconfidense = 0.3\n",
    )
    .expect("write");
    let failed = netstates().arg("check").arg(&path).assert().code(2);
    for (line, says) in [
        (11, "did you mean `susceptibility`?"),
        (12, "invalid type: string \"high\""),
        (13, "did you mean `market_size`?"),
        (17, "did you mean `confidence`?"),
    ] {
        assert_stderr_has(&failed, &format!("typos.toml:{line}:"), "check typos.toml");
        assert_stderr_has(&failed, says, "check typos.toml");
    }
    assert_stderr_has(&failed, "4 problems in the scenario", "check typos.toml");
}

/// `netstates compare ARGS --runs 6 --seed 3 -q` from the package root.
fn compare(args: &[&str]) -> assert_cmd::assert::Assert {
    netstates()
        .arg("compare")
        .args(args)
        .args(["--runs", "6", "--seed", "3", "-q"])
        .assert()
}

#[test]
fn compare_labels_its_inputs_and_numbers_a_repeated_name() {
    let labelled = compare(&[
        "scenarios/ambassadors-observer.toml",
        "scenarios/ambassadors-equal.toml",
        "--label",
        "observers",
        "--label",
        "equal stakes",
    ])
    .success();
    let table = stdout_of(&labelled);
    assert!(
        table.contains(
            "equal stakes (6 runs, seed 3) against observers (6 runs, seed 3; the baseline)"
        ),
        "{table}"
    );
    let twice = compare(&["baseline", "baseline", "--set", "model.scandals.rate=0.1"]).success();
    assert!(
        stdout_of(&twice).contains("baseline-2 (6 runs, seed 3) against baseline (6 runs"),
        "{}",
        stdout_of(&twice)
    );
    let miscounted = compare(&["baseline", "tech-literacy", "--label", "one"]).code(2);
    assert_stderr_has(
        &miscounted,
        "--label was given 1 times for 2 inputs",
        "compare",
    );
}

#[test]
fn compare_shows_the_metrics_asked_for_in_their_order() {
    let shown = compare(&[
        "baseline",
        "tech-literacy",
        "--metric",
        "trust",
        "--metric",
        "capture",
        "--format",
        "csv",
    ])
    .success();
    let csv = stdout_of(&shown);
    let metrics: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(3))
        .collect();
    assert!(!metrics.is_empty(), "{csv}");
    let first_trust = metrics.iter().position(|m| *m == "trust");
    let first_capture = metrics.iter().position(|m| *m == "capture");
    assert!(
        metrics.iter().all(|m| *m == "trust" || *m == "capture"),
        "only the metrics asked for: {csv}"
    );
    assert!(first_trust < first_capture, "in the order asked for: {csv}");
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("r.html");
    compare(&[
        "baseline",
        "tech-literacy",
        "--metric",
        "trust",
        "--metric",
        "capture",
        "--report",
        report.to_str().expect("utf-8 path"),
    ])
    .success();
    let html = fs::read_to_string(&report).expect("report");
    let headings: Vec<&str> = html
        .split("<figure class=\"metric\"")
        .skip(1)
        .filter_map(|f| f.split("<h3>").nth(1)?.split("</h3>").next())
        .collect();
    assert_eq!(headings, ["trust", "capture"], "the report's figures");
    let misspelt = compare(&["baseline", "tech-literacy", "--metric", "captur"]).code(2);
    assert_stderr_has(
        &misspelt,
        "did you mean `capture`?",
        "compare --metric captur",
    );
}

#[test]
fn compare_out_keeps_each_inputs_runs_as_an_experiment_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cmp");
    let out_arg = out.to_str().expect("utf-8 path");
    let kept = [
        "baseline",
        "scenarios/tech-literacy.toml",
        "--label",
        "base",
        "--label",
        "literate",
        "--out",
        out_arg,
    ];
    let first = compare(&kept).success();
    let alone = dir.path().join("alone");
    netstates()
        .args([
            "run",
            "scenarios/tech-literacy.toml",
            "--runs",
            "6",
            "--seed",
            "3",
            "-q",
        ])
        .arg("--out")
        .arg(&alone)
        .assert()
        .success();
    assert_eq!(
        fs::read(out.join("literate/runs.csv")).expect("kept"),
        fs::read(alone.join("runs.csv")).expect("run"),
        "a kept input is the experiment `run` writes"
    );
    assert!(out.join("base/summary.json").is_file());
    // Again: the directories hold these very experiments, and are read, not replaced.
    let before = fs::metadata(out.join("base/runs.csv"))
        .and_then(|m| m.modified())
        .expect("mtime");
    let again = compare(&kept).success();
    assert_eq!(stdout_of(&first), stdout_of(&again));
    let after = fs::metadata(out.join("base/runs.csv"))
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(before, after);
    let unsafe_label = compare(&[
        "baseline",
        "tech-literacy",
        "--label",
        "a",
        "--label",
        "../b",
        "--out",
        out_arg,
    ])
    .code(2);
    assert_stderr_has(
        &unsafe_label,
        "cannot name a directory under --out",
        "compare",
    );
}

/// The text between the first "```LANG" fence after `heading` and its closing fence.
fn readme_block(readme: &str, heading: &str, lang: &str) -> String {
    let from = readme.find(heading).expect("the README has the heading");
    let fence = format!("```{lang}\n");
    let start = from + readme[from..].find(&fence).expect("a block") + fence.len();
    let end = start + readme[start..].find("```").expect("closed");
    readme[start..end].to_string()
}

#[test]
fn the_readmes_first_comparison_runs_as_printed() {
    let readme = fs::read_to_string("README.md").expect("README.md");
    let heading = "### From a fresh clone to a first comparison of your own";
    let script = readme_block(&readme, heading, "sh");
    let printed = readme_block(&readme, heading, "text");
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = assert_cmd::cargo::cargo_bin!("netstates");
    let path = format!(
        "{}:{}",
        bin.parent().expect("a folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Std::new("bash")
        .args(["--norc", "--noprofile", "-e", "-c", &script])
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in printed.lines() {
        assert!(
            said.contains(line),
            "the README prints {line:?}, the run: {said}"
        );
    }
    assert!(dir.path().join("first.html").is_file());
}

#[test]
fn the_readmes_first_screen_builds_a_bundled_scenario_and_runs_the_tests() {
    let readme = fs::read_to_string("README.md").expect("README.md");
    let first = readme_block(&readme, "# netstates", "sh");
    let commands: Vec<&str> = first
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- run baseline --runs 200",
            "cargo test"
        ],
        "a fresh machine needs the cargo forms: {first}"
    );
    let ci = fs::read_to_string(".ci/run").expect(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test --locked"),
        "CI runs the README's test command"
    );
}
