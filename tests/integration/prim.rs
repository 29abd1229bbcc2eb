//! PRIM against the EMA Workbench 3.0.0: for every fixture in `tests/fixtures/prim/` (made
//! once with Python, each says how in its `description`), the peeling trajectory of the
//! first box equals the Workbench's: coverage, density, mass and quasi-p-values to 1e-9
//! relative, res_dim, box sizes and limits exactly (numeric limits are midpoints of two data
//! values, computed by the same arithmetic: bit-equal). Floats are strings holding Python's
//! repr, parsed exactly.

use std::path::Path;

use netstates::analysis::prim::{self, Column, Input, Limit, Params, PrimBox};
use serde_json::Value;

fn num(v: &Value) -> f64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a float string: {v}"));
    s.parse().unwrap_or_else(|_| panic!("not a float: {s}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

fn inputs(f: &Value) -> Vec<Input> {
    let mut out = Vec::new();
    for input in f["inputs"].as_array().expect("inputs") {
        let name = input["name"].as_str().expect("a name").to_string();
        let values = input["values"].as_array().expect("values");
        let column = match input["kind"].as_str() {
            Some("numeric") => Column::Numeric(values.iter().map(num).collect()),
            Some("categorical") => {
                let levels = strings(&input["levels"]);
                let codes = strings(&input["values"])
                    .iter()
                    .map(|v| levels.iter().position(|l| l == v).expect("a level") as u32)
                    .collect();
                Column::Categorical { levels, codes }
            }
            other => panic!("unknown kind {other:?}"),
        };
        out.push(Input { name, column });
    }
    out
}

/// `|ours - theirs| <= 1e-9 * |theirs|`; records the relative error.
fn close(what: &str, ours: f64, theirs: f64, worst: &mut f64) {
    let err = if ours == theirs {
        0.0
    } else {
        (ours - theirs).abs() / theirs.abs()
    };
    *worst = worst.max(err);
    assert!(err <= 1e-9, "{what}: ours {ours:e}, Workbench {theirs:e}");
}

/// Checks one box against the Workbench's; returns the worst relative errors of
/// (coverage, density, mass, quasi-p).
fn check_box(name: &str, i: usize, ours: &PrimBox, theirs: &Value, names: &[String]) -> [f64; 4] {
    let mut worst = [0.0; 4];
    let at = format!("{name} box {i}");
    close(
        &format!("{at} coverage"),
        ours.coverage,
        num(&theirs["coverage"]),
        &mut worst[0],
    );
    close(
        &format!("{at} density"),
        ours.density,
        num(&theirs["density"]),
        &mut worst[1],
    );
    close(
        &format!("{at} density = mean"),
        ours.density,
        num(&theirs["mean"]),
        &mut worst[1],
    );
    close(
        &format!("{at} mass"),
        ours.mass,
        num(&theirs["mass"]),
        &mut worst[2],
    );
    assert_eq!(
        ours.res_dim as u64,
        theirs["res_dim"].as_u64().expect("res_dim"),
        "{at}"
    );
    assert_eq!(ours.n as u64, theirs["n"].as_u64().expect("n"), "{at} n");
    assert_eq!(ours.k as u64, theirs["k"].as_u64().expect("k"), "{at} k");

    let limits = theirs["limits"].as_object().expect("limits");
    assert_eq!(ours.limits.len(), limits.len(), "{at}: restricted inputs");
    for (input, limit) in &ours.limits {
        let expected = &limits[&names[*input]];
        match limit {
            Limit::Interval { lo, hi } => {
                let want = [num(&expected[0]), num(&expected[1])];
                assert_eq!(lo.to_bits(), want[0].to_bits(), "{at} {} lo", names[*input]);
                assert_eq!(hi.to_bits(), want[1].to_bits(), "{at} {} hi", names[*input]);
            }
            Limit::Set(set) => assert_eq!(set, &strings(expected), "{at} {}", names[*input]),
        }
    }

    let qp = theirs["quasi_p"].as_object().expect("quasi_p");
    assert_eq!(ours.quasi_p_sides.len(), qp.len(), "{at}: quasi-p inputs");
    for (input, sides) in &ours.quasi_p_sides {
        let expected = &qp[&names[*input]];
        for (side, ours) in sides.iter().enumerate() {
            let what = format!("{at} {} quasi-p side {side}", names[*input]);
            match (ours, &expected[side]) {
                (None, Value::Null) => {}
                (Some(v), e @ Value::String(_)) => close(&what, *v, num(e), &mut worst[3]),
                (o, e) => panic!("{what}: ours {o:?}, Workbench {e}"),
            }
        }
    }
    for (input, p) in &ours.quasi_p {
        let (_, sides) = ours
            .quasi_p_sides
            .iter()
            .find(|(j, _)| j == input)
            .expect("sides");
        let max = sides.iter().flatten().copied().fold(f64::NAN, f64::max);
        assert_eq!(
            p.to_bits(),
            max.to_bits(),
            "{at}: quasi_p is the larger side"
        );
    }
    worst
}

fn check(name: &str) {
    let path = Path::new("tests/fixtures/prim").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let f: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let inputs = inputs(&f);
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let y: Vec<bool> = f["y"]
        .as_array()
        .expect("y")
        .iter()
        .map(|v| v.as_bool().expect("a bool"))
        .collect();
    let p = &f["params"];
    assert_eq!(p["obj_function"], "lenient1");
    let params = Params {
        peel_alpha: num(&p["peel_alpha"]),
        paste_alpha: num(&p["paste_alpha"]),
        mass_min: num(&p["mass_min"]),
        ..Params::default()
    };
    assert_eq!(
        params,
        Params::default(),
        "the fixtures use the Workbench's defaults"
    );
    let ours = prim::trajectory(&inputs, &y, &params).expect("a trajectory");
    let theirs = f["trajectory"].as_array().expect("trajectory");
    assert_eq!(ours.len(), theirs.len(), "{name}: boxes on the trajectory");
    let mut worst = [0.0f64; 4];
    for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
        let w = check_box(name, i, o, t, &names);
        for (a, b) in worst.iter_mut().zip(w) {
            *a = a.max(b);
        }
    }
    eprintln!(
        "{name}: {} boxes; worst relative error coverage {:e}, density {:e}, mass {:e}, quasi-p {:e}",
        ours.len(),
        worst[0],
        worst[1],
        worst[2],
        worst[3]
    );
}

#[test]
fn uniform_inputs_with_label_noise() {
    check("uniform3");
}

#[test]
fn a_categorical_level_drives_y() {
    check("categorical");
}

#[test]
fn ties_and_integer_values() {
    check("ties");
}

#[test]
fn a_study_shaped_data_set() {
    check("study");
}

#[test]
fn a_long_pasting_phase_over_ties() {
    check("pasting");
}
