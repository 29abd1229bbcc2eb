//! What model v2 changed (MODEL.md 6), each held by a test that fails under v1: the
//! government's seat at a co-regulation table is lobbied, a firm splits its money over its
//! markets by market size, metrics over governments are weighted by market size, and the
//! relative path form `PATH*=X` multiplies what the scenario gives each agent.

use std::path::Path;

use netstates::model::{World, metrics};
use netstates::run::{self, streams};
use netstates::scenario::{self, Override, Param, Scenario, load_str};

use crate::support::{netstates, netstates_into};

fn load(toml: &str) -> Scenario {
    match load_str("model_v2.toml", toml) {
        Ok(s) => s,
        Err(e) => panic!("test scenario is invalid: {:?}\n{toml}", e.problems),
    }
}

fn column(s: &Scenario, name: &str) -> usize {
    metrics::names(s)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

#[test]
fn an_observer_table_is_lobbied_to_the_lobbyists_ideal() {
    // Observer stakes are 0 and no NGO sits at the table, so the standard is the
    // government's seat L = (1 - I) G + I l; with an enormous susceptibility I is 1 to
    // within 1e-12 and the one lobbyist's ideal is the standard. Under v1 the standard was
    // G = 0.5 whatever the lobbying.
    let s = load(
        r#"
[scenario]
name = "lobbied-table"
rounds = 3
[[issue]]
id = "a"
[[government]]
id = "g"
citizens = 10
ideal = { a = 0.5 }
responsiveness = 0
susceptibility = 1e15
adjustment = 1
ambassador = "observer"
coregulate = ["a"]
[[firm]]
id = "f"
revenue = 100
ideal = { a = 0.1 }
lobby_share = 0.01
[model]
schedule = ["lobbying", "coregulation", "decision"]
"#,
    );
    let m = run::run(&s, 1, 0).expect("finite");
    let p = m[column(&s, "policy_a")];
    assert!(
        (p - 0.1).abs() < 1e-9,
        "policy {p}, the lobbyist's ideal is 0.1"
    );
}

#[test]
fn compliance_costs_follow_market_shares() {
    // One firm of revenue 100 in two markets of sizes 3 and 1; only the first has a policy
    // gap (0.7 - 0.2 = 0.5). The firm always complies (integrity 1) and pays
    // cost_factor x gap x its revenue there, 3/4 of its revenue: each round
    // r <- r (1 - 0.1 x 0.5 x 0.75) with no growth or noise. Under v1 (an equal split) the
    // factor was 1 - 0.1 x 0.5 x 0.5.
    let s = load(
        r#"
[scenario]
name = "costs-by-share"
rounds = 10
[[issue]]
id = "a"
[[government]]
id = "big"
citizens = 10
ideal = { a = 0.7 }
market_size = 3
[[government]]
id = "small"
citizens = 10
ideal = { a = 0.2 }
[[firm]]
id = "f"
revenue = 100
ideal = { a = 0.2 }
integrity = 1
growth = 0
volatility = 0
[model]
schedule = ["compliance", "market"]
[model.compliance]
cost_factor = 0.1
"#,
    );
    let m = run::run(&s, 1, 0).expect("finite");
    let revenue = m[column(&s, "firm_revenue")];
    let expected = 100.0 * (1.0 - 0.1 * 0.5 * 0.75f64).powi(10);
    assert!(
        (revenue - expected).abs() <= 1e-9 * expected,
        "revenue {revenue}, closed form {expected}"
    );
    assert_eq!(m[column(&s, "compliance_rate")], 1.0);
}

const WEIGHTED: &str = r#"
[scenario]
name = "weighted"
rounds = 1
[[issue]]
id = "a"
[[government]]
id = "big"
citizens = 10
ideal = { a = 0.2 }
trust = 0.9
market_size = 3
[[government]]
id = "small"
citizens = 10
ideal = { a = 0.8 }
trust = 0.1
[model]
schedule = ["events"]
[model.scandals]
rate = 0
"#;

#[test]
fn means_over_governments_are_weighted_by_market_size() {
    let s = load(WEIGHTED);
    let m = run::run(&s, 1, 0).expect("finite");
    // (3 x 0.2 + 1 x 0.8) / 4; the plain mean of v1 was 0.5.
    assert!((m[column(&s, "policy_a")] - 0.35).abs() < 1e-15);
    assert!((m[column(&s, "trust")] - 0.7).abs() < 1e-15);
    // public_gap: sum of w |p - mean opinion| / (K sum of w), from the world's own means.
    let mut rng = streams::run(1, 0);
    let mut world = World::new(&s, &mut rng);
    world.play_round(&mut rng);
    let means = world.mean_opinions().to_vec();
    let gap = (3.0 * (0.2 - means[0]).abs() + (0.8 - means[1]).abs()) / 4.0;
    assert!((m[column(&s, "public_gap")] - gap).abs() < 1e-15);
    // Counts and shares of governments are not weighted.
    assert_eq!(m[column(&s, "ambassador_share")], 0.0);
}

#[test]
fn with_every_size_1_the_means_are_plain() {
    let s = load(&WEIGHTED.replace("market_size = 3", "market_size = 1"));
    let m = run::run(&s, 1, 0).expect("finite");
    assert_eq!(m[column(&s, "policy_a")], 0.5);
    assert_eq!(m[column(&s, "trust")], 0.5);
}

fn baseline() -> Scenario {
    scenario::load(Path::new("scenarios/baseline.toml")).expect("the baseline loads")
}

fn apply(s: &mut Scenario, arg: &str) -> Result<(), String> {
    let o: Override = arg.parse()?;
    scenario::apply_overrides(s, &[o]).map_err(|e| e.to_string())
}

#[test]
fn the_relative_form_scales_both_bounds_of_a_uniform_parameter() {
    let mut s = baseline();
    let eu = s.governments.iter().position(|g| g.id == "eu").expect("eu");
    let dk = s
        .governments
        .iter()
        .position(|g| g.id == "denmark")
        .expect("denmark");
    assert_eq!(
        s.governments[eu].values.susceptibility,
        Param::Uniform(4.0, 9.0)
    );
    assert_eq!(s.governments[dk].values.susceptibility, Param::Fixed(4.0));
    apply(&mut s, "government.*.susceptibility*=2").expect("in range");
    assert_eq!(
        s.governments[eu].values.susceptibility,
        Param::Uniform(8.0, 18.0)
    );
    assert_eq!(s.governments[dk].values.susceptibility, Param::Fixed(8.0));
    // Each agent keeps its own value: the parameter stays heterogeneous.
    apply(&mut s, "firm.apple.ideal.privacy*=0.5").expect("in range");
    assert_eq!(s.firms[0].ideal[0], Param::Fixed(0.175));
}

#[test]
fn the_relative_form_refuses_a_product_out_of_range_naming_the_agent() {
    let mut s = baseline();
    let before = s.clone();
    let e = apply(&mut s, "government.*.capacity*=2").expect_err("0.6 x 2 > 1");
    assert!(
        e.contains("government \"eu\"") && e.contains("between 0 and 1"),
        "{e}"
    );
    assert_eq!(s, before, "nothing is changed by a refused product");
    let e = apply(&mut s, "government.*.ambassador*=2").expect_err("a level");
    assert!(e.contains("multiplies a number"), "{e}");
    let e = apply(&mut s, "government.*.capacity*=0.5..2").expect_err("one factor");
    assert!(e.contains("one factor"), "{e}");
}

#[test]
fn times_one_leaves_every_run_byte_identical() {
    let dir = tempfile::tempdir().expect("tempdir");
    let common = ["run", "scenarios/baseline.toml", "--runs", "6", "-q"];
    netstates_into(&common, &dir.path().join("plain"))
        .assert()
        .success();
    netstates_into(&common, &dir.path().join("times-one"))
        .args(["--set", "government.*.susceptibility*=1"])
        .args([
            "--set",
            "firm.*.growth*=1",
            "--set",
            "model.opinion.confidence*=1",
        ])
        .assert()
        .success();
    let read = |d: &str| std::fs::read(dir.path().join(d).join("runs.csv")).expect("runs.csv");
    assert_eq!(read("plain"), read("times-one"));
}

#[test]
fn a_product_out_of_range_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x");
    let assert = netstates_into(
        &[
            "run",
            "scenarios/baseline.toml",
            "--set",
            "government.*.capacity*=2",
        ],
        &out,
    )
    .assert()
    .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("government \"eu\""), "{stderr}");
    assert!(!out.exists(), "nothing is written");

    // In a study, every point of the design is checked first; the error names the point.
    let assert = netstates_into(
        &[
            "sweep",
            "scenarios/baseline.toml",
            "--set",
            "government.*.capacity*=0.5..2:3",
            "--runs",
            "2",
        ],
        &out,
    )
    .assert()
    .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("point 2 (government.*.capacity*=2)") && stderr.contains("government \""),
        "{stderr}"
    );
    assert!(!out.join("points").exists(), "no point was played");

    let assert = netstates()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--set",
            "government.*.kind*=2",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("no settable key"), "{stderr}");
}

#[test]
fn sensitivity_takes_a_relative_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("s");
    netstates_into(
        &[
            "sensitivity",
            "scenarios/baseline.toml",
            "--param",
            "government.*.susceptibility*=0.5..2",
            "--param",
            "model.opinion.confidence=0.1..0.3",
            "--samples",
            "4",
            "--runs",
            "2",
            "--set",
            "scenario.rounds=12",
            "-q",
        ],
        &out,
    )
    .assert()
    .success();
    let points = std::fs::read_to_string(out.join("points.csv")).expect("points.csv");
    assert!(
        points.starts_with("point,government.*.susceptibility*,model.opinion.confidence,"),
        "{points}"
    );
    // Point 0's susceptibilities are the baseline's times the point's factor.
    let study: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("study.json")).expect("study"))
            .expect("JSON");
    let factor = study["plan"]["points"][0][0].as_f64().expect("a factor");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("points/0000/manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    let dk = &manifest["scenario"]["governments"][1];
    assert_eq!(dk["id"], "denmark");
    assert_eq!(dk["values"]["susceptibility"].as_f64(), Some(4.0 * factor));
}
