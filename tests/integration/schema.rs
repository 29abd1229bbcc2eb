//! `netstates schema`: the JSON Schema editors check scenario files against. Every bundled
//! scenario passes it; the invalid fixtures it can judge (unknown keys, numbers out of range,
//! wrong types, unknown words, missing keys) fail it; the ones it cannot (references between
//! ids, unique ids, sums of several keys, totals after `count`, other files) pass it, and each
//! list below says which is which, so a change to the schema or a new fixture that moves a
//! fixture from one list to the other fails here until the list is updated.
//!
//! A TOML file is checked the way an editor checks it: read as TOML, turned into JSON, and
//! validated. JSON has no NaN, so a `nan` becomes null, which is not a number.

use std::path::{Path, PathBuf};

use jsonschema::Validator;
use netstates::scenario::schema::{DIALECT, json_schema};
use netstates::scenario::{FirmKey, GovernmentKey, ModelKey, NgoKey, Range, load_str};
use serde_json::Value;

use crate::support::{netstates, stdout_of};

const FIXTURES: &str = "tests/fixtures/invalid";

/// Fixtures the schema refuses.
const REFUSED: &[&str] = &[
    "ambassador-unknown-level",
    "diffusion-stakes-none",
    "empty-focus",
    "empty-markets",
    "empty-targets",
    "event-round-zero",
    "event-set-ambassador-number",
    "event-set-ambassador-typo",
    "event-set-citizens",
    "event-set-out-of-range",
    "event-set-policy",
    "event-set-relative",
    "event-set-schedule",
    "event-set-unknown-kind",
    "event-set-unknown-model-key",
    "event-set-wrong-type",
    "event-without-action",
    "extends-child-error",
    "id-bad-pattern",
    "id-bad-pattern-issue",
    "kind-unknown",
    "limit-count",
    "limit-issues",
    "missing-budget",
    "missing-citizens",
    "missing-event-round",
    "missing-firm-id",
    "missing-government",
    "missing-government-id",
    "missing-issue",
    "missing-issue-id",
    "missing-name",
    "missing-ngo-id",
    "missing-revenue",
    "missing-rounds",
    "missing-scenario-table",
    "range-adjustment-zero",
    "range-citizens-one",
    "range-citizens-too-many",
    "range-convergence",
    "range-count-zero",
    "range-growth-eleven",
    "range-growth-minus-one",
    "range-hhi-threshold",
    "range-ideal-above-one",
    "range-market-size-nan",
    "range-market-size-negative",
    "range-market-size-uniform",
    "range-market-size-zero",
    "range-opinion-above-one",
    "range-opinion-one-bound",
    "range-responsiveness",
    "range-revenue-zero",
    "range-rounds-too-many",
    "range-rounds-zero",
    "range-runs-too-many",
    "range-runs-zero",
    "range-salience-zero",
    "range-scandal-size",
    "range-seed-negative",
    "range-trust-nan",
    "range-uniform-one-bound",
    "range-uniform-out-of-range",
    "schedule-repeated-phase",
    "schedule-unknown-phase",
    "type-antitrust-string",
    "type-citizens-uniform",
    "type-count-float",
    "type-government-table",
    "type-market-size-string",
    "type-markets-string",
    "type-name-number",
    "type-revenue-string",
    "type-rounds-float",
    "type-rounds-string",
    "type-scenario-array",
    "unknown-key-event",
    "unknown-key-experiment",
    "unknown-key-firm",
    "unknown-key-government",
    "unknown-key-issue",
    "unknown-key-model",
    "unknown-key-model-ambassador",
    "unknown-key-model-antitrust",
    "unknown-key-model-diffusion",
    "unknown-key-model-opinion",
    "unknown-key-ngo",
    "unknown-key-scandal",
    "unknown-key-scenario",
    "unknown-key-suggested",
    "unknown-key-uniform",
    "unknown-level-model-ambassador",
    "unknown-model-table",
    "unknown-top-level-table",
];

/// Fixtures that are not TOML at all: the editor's TOML parser reports them, not the schema.
const NOT_TOML: &[&str] = &[
    "syntax-duplicate-key",
    "syntax-inline-table-newline",
    "syntax-missing-value",
    "syntax-unclosed-string",
    "syntax-unclosed-table-header",
];

/// Fixtures the schema passes, with what puts them out of its reach; `netstates check`
/// refuses them.
const BEYOND: &[(&str, &str)] = &[
    (
        "antitrust-twice",
        "at most one true among entries: draft-07 cannot count matches",
    ),
    (
        "event-breaks-shares",
        "a sum of several keys after an event",
    ),
    (
        "event-breaks-stakes",
        "a sum of several keys after an event",
    ),
    (
        "event-breaks-stakes-later",
        "a sum of several keys after an event",
    ),
    ("event-round-after-last", "an event's round against rounds"),
    ("event-set-unknown-agent", "a reference to an id"),
    ("event-set-unknown-ideal-issue", "a reference to an id"),
    ("extends-cycle", "what other files hold"),
    ("extends-missing-parent", "what other files hold"),
    ("extends-parent-error", "what other files hold"),
    ("extends-self", "what other files hold"),
    ("id-duplicate-after-count", "unique ids after count"),
    ("id-duplicate-firm-after-count", "unique ids after count"),
    ("id-duplicate-government", "unique ids"),
    ("id-duplicate-issue", "unique ids"),
    ("id-entry-equals-expanded-id", "unique ids after count"),
    ("limit-governments", "a total after count expansion"),
    ("limit-opinion-memory", "a total after count expansion"),
    (
        "limit-opinion-memory-first-entry",
        "a total after count expansion",
    ),
    ("range-opinion-lo-above-hi", "lo <= hi compares two values"),
    ("range-uniform-lo-above-hi", "lo <= hi compares two values"),
    ("shares-sum-above-one", "a sum of several keys"),
    ("shares-uniform-upper-bounds", "a sum of several keys"),
    ("stakes-plus-ngo-seat", "a sum of several keys"),
    ("stakes-plus-ngo-seat-uniform", "a sum of several keys"),
    (
        "type-citizens-float",
        "JSON has one kind of number: 100.0 is an integer to JSON Schema",
    ),
    ("xref-coregulate-issue", "a reference to an id"),
    ("xref-focus-issue", "a reference to an id"),
    ("xref-ideal-issue", "a reference to an id"),
    ("xref-markets-government", "a reference to an id"),
    ("xref-opinion-issue", "a reference to an id"),
    ("xref-peers-government", "a reference to an id"),
    ("xref-peers-suggested", "a reference to an id"),
    ("xref-policy-issue", "a reference to an id"),
    ("xref-scandal-issue", "a reference to an id"),
    ("xref-targets-government", "a reference to an id"),
];

fn validator() -> Validator {
    jsonschema::draft7::new(&json_schema()).expect("the schema compiles")
}

/// A TOML text as the JSON an editor validates.
fn as_json(text: &str) -> Result<Value, toml::de::Error> {
    toml::from_str(text)
}

/// The schema's complaints about a TOML text, one line each; empty when it passes.
fn complaints(v: &Validator, text: &str) -> Vec<String> {
    let json = as_json(text).expect("TOML");
    v.iter_errors(&json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("readable")
}

#[test]
fn every_bundled_scenario_passes_the_schema() {
    let v = validator();
    let mut files = toml_files(Path::new("scenarios"));
    files.extend(toml_files(Path::new("scenarios/bench")));
    assert!(files.len() >= 9, "found {} scenarios", files.len());
    for path in files {
        let found = complaints(&v, &read(&path));
        assert!(
            found.is_empty(),
            "{}:\n{}",
            path.display(),
            found.join("\n")
        );
    }
}

#[test]
fn the_fixtures_the_schema_can_judge_fail_it_and_the_others_pass() {
    let v = validator();
    let listed: Vec<&str> = REFUSED
        .iter()
        .chain(NOT_TOML)
        .copied()
        .chain(BEYOND.iter().map(|(name, _)| *name))
        .collect();
    let mut on_disk: Vec<String> = toml_files(Path::new(FIXTURES))
        .iter()
        .map(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .expect("a name")
                .into()
        })
        .collect();
    on_disk.sort_unstable();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "a fixture is listed twice");
    assert_eq!(sorted, on_disk, "every fixture is listed once, in one list");
    let mut wrong = Vec::new();
    for name in REFUSED {
        let text = read(&Path::new(FIXTURES).join(format!("{name}.toml")));
        if complaints(&v, &text).is_empty() {
            wrong.push(format!(
                "{name}: listed as refused, but the schema passes it"
            ));
        }
    }
    for name in NOT_TOML {
        let text = read(&Path::new(FIXTURES).join(format!("{name}.toml")));
        if as_json(&text).is_ok() {
            wrong.push(format!("{name}: listed as not TOML, but it parses"));
        }
    }
    for (name, reason) in BEYOND {
        let text = read(&Path::new(FIXTURES).join(format!("{name}.toml")));
        let found = complaints(&v, &text);
        if !found.is_empty() {
            wrong.push(format!(
                "{name}: listed as beyond the schema ({reason}), but it fails: {}",
                found.join("; ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Words, not lines: a reflowed paragraph says the same.
    let readme = std::fs::read_to_string("README.md")
        .expect("README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let claim = format!(
        "the schema refuses {}; {} are not TOML at all and {} need `check`",
        REFUSED.len(),
        NOT_TOML.len(),
        BEYOND.len()
    );
    let total = format!("Of the {} invalid scenarios", on_disk.len());
    assert!(
        readme.contains(&claim) && readme.contains(&total),
        "the README's editor schema section should say: {total} ... {claim}"
    );
}

/// A value inside `range` and one outside it.
fn inside_and_outside(range: Range) -> (f64, f64) {
    match range {
        Range::Closed(lo, hi) => (lo, hi + 1.0),
        Range::OpenClosed(lo, hi) => (hi, lo),
        Range::Positive => (1.0, 0.0),
        Range::NonNegative => (0.0, -1.0),
    }
}

/// A small valid scenario with one more line in the government, firm or NGO, or one more
/// table at the end. A line that gives `revenue` or `budget` replaces the required one.
fn with_line(government: &str, firm: &str, ngo: &str, tail: &str) -> String {
    let firm = if firm.starts_with("revenue") {
        firm.to_string()
    } else {
        format!("revenue = 1.0\n{firm}")
    };
    let ngo = if ngo.starts_with("budget") {
        ngo.to_string()
    } else {
        format!("budget = 1.0\n{ngo}")
    };
    format!(
        "[scenario]\nname = \"k\"\nrounds = 2\n[[issue]]\nid = \"a\"\n\
         [[government]]\nid = \"g\"\ncitizens = 10\n{government}\n\
         [[firm]]\nid = \"f\"\n{firm}\n[[ngo]]\nid = \"n\"\n{ngo}\n{tail}\n"
    )
}

/// The files that give every numeric key of the key tables (and the agents' ideals) once
/// inside its range and once outside, in its table and in an event's `set`, each case with
/// its name.
fn every_key_inside_and_outside() -> Vec<(String, String, String)> {
    let mut cases = Vec::new();
    let mut add = |path: String, range: Range, file: &dyn Fn(&str) -> String| {
        let (inside, outside) = inside_and_outside(range);
        let (inside, outside) = (format!("{inside:?}"), format!("{outside:?}"));
        let event = |x: &str| {
            let set = format!("[[event]]\nround = 1\nset = {{ \"{path}\" = {x} }}");
            with_line("", "", "", &set)
        };
        cases.push((
            format!("{path} in its table"),
            file(&inside),
            file(&outside),
        ));
        cases.push((format!("{path} in a set"), event(&inside), event(&outside)));
    };
    for k in GovernmentKey::ALL {
        let line = |x: &str| with_line(&format!("{} = {x}", k.name()), "", "", "");
        add(format!("government.g.{}", k.name()), k.range(), &line);
    }
    for k in FirmKey::ALL {
        let line = |x: &str| with_line("", &format!("{} = {x}", k.name()), "", "");
        add(format!("firm.*.{}", k.name()), k.range(), &line);
    }
    for k in NgoKey::ALL {
        let line = |x: &str| with_line("", "", &format!("{} = {x}", k.name()), "");
        add(format!("ngo.n.{}", k.name()), k.range(), &line);
    }
    for k in ModelKey::ALL {
        let (table, key) = k.name().rsplit_once('.').expect("table.key");
        let line = |x: &str| with_line("", "", "", &format!("[model.{table}]\n{key} = {x}"));
        add(format!("model.{}", k.name()), k.range(), &line);
    }
    let ideal = |x: &str| format!("ideal = {{ a = {x} }}");
    add("government.g.ideal.a".into(), Range::UNIT, &|x| {
        with_line(&ideal(x), "", "", "")
    });
    add("firm.f.ideal.a".into(), Range::UNIT, &|x| {
        with_line("", &ideal(x), "", "")
    });
    add("ngo.n.ideal.a".into(), Range::UNIT, &|x| {
        with_line("", "", &ideal(x), "")
    });
    cases
}

#[test]
fn the_schema_and_the_loader_agree_on_every_key_range() {
    let v = validator();
    let cases = every_key_inside_and_outside();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let mut disagree = Vec::new();
    for (name, inside, outside) in cases {
        let loader = load_str("inside.toml", &inside).map_err(|e| format!("{e:?}"));
        let schema = complaints(&v, &inside);
        if loader.is_err() || !schema.is_empty() {
            disagree.push(format!(
                "{name}: a value inside the range: loader {loader:?}, schema {schema:?}"
            ));
        }
        let loader_refuses = load_str("outside.toml", &outside).is_err();
        let schema_refuses = !complaints(&v, &outside).is_empty();
        if !(loader_refuses && schema_refuses) {
            disagree.push(format!(
                "{name}: a value outside the range: loader refuses {loader_refuses}, \
                 schema refuses {schema_refuses}"
            ));
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}

#[test]
fn schema_command_prints_a_valid_draft_07_schema() {
    let assert = netstates().arg("schema").assert().success();
    let text = stdout_of(&assert);
    let printed: Value = serde_json::from_str(&text).expect("the output is JSON");
    assert_eq!(printed["$schema"], DIALECT);
    assert_eq!(
        printed,
        json_schema(),
        "the command prints the library's schema"
    );
    if let Err(e) = jsonschema::draft7::meta::validate(&printed) {
        panic!("not a valid draft-07 schema: {e} at {}", e.instance_path());
    }
    let v = jsonschema::draft7::new(&printed).expect("the schema compiles");
    assert!(!v.is_valid(&serde_json::json!({ "scenario": { "rounds": 0 } })));
    let again = stdout_of(&netstates().arg("schema").assert().success());
    assert_eq!(text, again, "the output is the same every time");
    let help = stdout_of(&netstates().args(["schema", "--help"]).assert().success());
    assert!(help.contains("Example: netstates schema"), "{help}");
}
