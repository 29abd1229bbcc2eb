//! Sensitivity analysis against SALib 1.6.0 and scipy 1.17.1: given the same sample and the
//! same outputs (and the bootstrap resamples SALib drew), the indices equal SALib's to 1e-9
//! (|ours - SALib's| <= 1e-9 * max(1, |SALib's|)). The fixtures in
//! `tests/fixtures/sensitivity/` were made once with Python; each says how in its
//! `description`. Floats are strings holding Python's repr, parsed exactly.

use std::path::Path;

use netstates::analysis::sensitivity::{self, Analysis, Resamples, morris, sequence::Sobol, sobol};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = Path::new("tests/fixtures/sensitivity").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn num(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().unwrap_or_else(|_| panic!("not a float: {s}")),
        Value::Number(n) => n.as_f64().expect("a float"),
        other => panic!("not a number: {other}"),
    }
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array().expect("a list").iter().map(num).collect()
}

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("a list of rows")
        .iter()
        .map(nums)
        .collect()
}

fn indices(v: &Value) -> Vec<Vec<usize>> {
    v.as_array()
        .expect("a matrix")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("a row")
                .iter()
                .map(|i| i.as_u64().expect("an index") as usize)
                .collect()
        })
        .collect()
}

fn transpose(m: &[Vec<usize>]) -> Vec<Vec<usize>> {
    (0..m[0].len())
        .map(|k| m.iter().map(|r| r[k]).collect())
        .collect()
}

/// The bounds of a fixture's parameters.
fn ranges(f: &Value) -> Vec<(f64, f64)> {
    rows(&f["bounds"]).iter().map(|b| (b[0], b[1])).collect()
}

/// The bootstrap resamples SALib drew for Sobol indices: one list of row indices per resample.
fn sobol_resamples(f: &Value) -> Vec<Vec<usize>> {
    transpose(&indices(&f["resample_index"]))
}

/// The bootstrap resamples SALib drew for Morris effects: one matrix per parameter.
fn morris_resamples(f: &Value) -> Vec<Vec<Vec<usize>>> {
    f["resample_index"]
        .as_array()
        .expect("one matrix per parameter")
        .iter()
        .map(indices)
        .collect()
}

/// Asserts two lists agree to 1e-9 (absolute below 1, relative above); NaN matches NaN.
fn assert_close(what: &str, ours: &[f64], salib: &[f64]) {
    assert_eq!(ours.len(), salib.len(), "{what}: lengths");
    for (j, (a, b)) in ours.iter().zip(salib).enumerate() {
        let ok = if b.is_nan() {
            a.is_nan()
        } else {
            (a - b).abs() <= 1e-9 * b.abs().max(1.0)
        };
        assert!(ok, "{what}[{j}]: ours {a}, SALib {b}");
    }
}

/// Asserts Sobol indices or Morris effects equal SALib's lists of the same names in `salib`
/// (`S1`, `S1_conf`, `ST`, `ST_conf`, or `mu`, `mu_star`, `sigma`, `mu_star_conf`), each
/// named `WHAT NAME` when it does not.
fn assert_salib(what: &str, ours: &Analysis, salib: &Value) {
    let lists: [(&str, &[f64]); 4] = match ours {
        Analysis::Sobol(s) => [
            ("S1", &s.s1),
            ("S1_conf", &s.s1_conf),
            ("ST", &s.st),
            ("ST_conf", &s.st_conf),
        ],
        Analysis::Morris(m) => [
            ("mu", &m.mu),
            ("mu_star", &m.mu_star),
            ("sigma", &m.sigma),
            ("mu_star_conf", &m.mu_star_conf),
        ],
    };
    for (key, values) in lists {
        assert_close(&format!("{what} {key}"), values, &nums(&salib[key]));
    }
}

#[test]
fn the_sobol_sequence_is_scipys_bit_for_bit() {
    let f = fixture("sobol_points.json");
    let expected = rows(&f["points"]);
    let mut s = Sobol::new(64);
    let mut p = vec![0.0; 64];
    for (i, row) in expected.iter().enumerate() {
        s.next_into(&mut p);
        for (d, (a, b)) in p.iter().zip(row).enumerate() {
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "point {i}, dimension {d}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn saltellis_layout_and_scaling_are_salibs() {
    let f = fixture("sobol_sample_unscrambled.json");
    let d = f["d"].as_u64().expect("d") as usize;
    let n = f["n_base"].as_u64().expect("n_base") as usize;
    let ranges = ranges(&f);
    for (case, second_order) in [("first_order", false), ("second_order", true)] {
        let unit = sobol::sample_unit(n, d, second_order, &mut Sobol::new(2 * d));
        let ours = sensitivity::scale(unit, &ranges);
        let expected = rows(&f["cases"][case]["x"]);
        assert_eq!(ours.len(), expected.len(), "{case}");
        for (i, (a, b)) in ours.iter().zip(&expected).enumerate() {
            let same = a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
            assert!(same, "{case} row {i}: {a:?} vs {b:?}");
        }
    }
}

fn check_sobol(name: &str) {
    let f = fixture(name);
    let d = f["d"].as_u64().expect("d") as usize;
    let z = num(&f["z"]);
    assert_eq!(z, sensitivity::Z95, "{name}: z");
    let second_order = f["second_order"].as_bool().unwrap_or(false);
    let ours =
        sobol::analyze(&nums(&f["y"]), d, second_order, &sobol_resamples(&f), z).expect("analyses");
    assert_salib(name, &Analysis::Sobol(ours), &f);
}

fn check_morris(name: &str) {
    let f = fixture(name);
    let z = num(&f["z"]);
    let levels = f["num_levels"].as_u64().expect("levels") as usize;
    let x = rows(&f["x"]);
    let y = nums(&f["y"]);
    let ee = morris::elementary_effects(&x, &y, levels).expect("effects");
    for (j, e) in rows(&f["elementary_effects"]).iter().enumerate() {
        assert_close(&format!("{name} effects of parameter {j}"), &ee[j], e);
    }
    let ours = morris::analyze(&x, &y, levels, &morris_resamples(&f), z).expect("analyses");
    assert_salib(name, &Analysis::Morris(ours), &f);
}

#[test]
fn sobol_indices_of_ishigami_equal_salibs() {
    check_sobol("ishigami_sobol.json");
}

#[test]
fn second_order_sobol_indices_of_ishigami_equal_salibs() {
    check_sobol("ishigami_sobol_second_order.json");
}

#[test]
fn sobol_indices_of_constant_outputs_are_zero_as_in_salib() {
    check_sobol("sobol_constant.json");
}

#[test]
fn morris_effects_of_ishigami_equal_salibs() {
    check_morris("ishigami_morris.json");
}

#[test]
fn morris_effects_of_constant_and_non_finite_outputs_are_salibs() {
    check_morris("morris_constant.json");
    check_morris("morris_nan.json");
}

/// A netstates scenario: the sample netstates drew from its seed, the means netstates
/// computed at each point, and SALib's indices of them.
fn check_netstates(name: &str) {
    let f = fixture(name);
    let method = f["method"].as_str().expect("method");
    let x = rows(&f["x"]);
    let levels = f["num_levels"].as_u64().unwrap_or(4) as usize;
    let seed = f["seed"].as_u64().expect("seed");
    let samples = f["samples"].as_u64().expect("samples") as usize;
    let ranges = ranges(&f);
    let method = match method {
        "sobol" => sensitivity::Method::Sobol,
        _ => sensitivity::Method::Morris,
    };
    // The sampling is reproducible from the seed: netstates draws the same sample again.
    assert_eq!(ranges.len(), f["d"].as_u64().expect("d") as usize);
    let design = sensitivity::Design {
        method,
        samples,
        levels,
        second_order: false,
    };
    let again = sensitivity::sample(&design, &ranges, seed).expect("a design");
    assert_eq!(again, x, "{name}: the sample drawn from seed {seed}");
    let resamples = match method {
        sensitivity::Method::Sobol => Resamples::Sobol(sobol_resamples(&f)),
        sensitivity::Method::Morris => Resamples::Morris(morris_resamples(&f)),
    };
    let results = f["results"].as_object().expect("results per metric");
    assert!(results.len() >= 5, "{name}: metrics");
    for (metric, r) in results {
        let y = nums(&r["y"]);
        let ours = sensitivity::analyze(&design, &x, &y, &resamples).expect("analyses");
        assert_salib(metric, &ours, r);
    }
}

#[test]
fn sobol_indices_of_a_netstates_scenario_equal_salibs() {
    check_netstates("netstates_sobol.json");
}

#[test]
fn morris_effects_of_a_netstates_scenario_equal_salibs() {
    check_netstates("netstates_morris.json");
}

/// The Ishigami function (a = 7, b = 0.1) on [-pi, pi]^3.
fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

#[test]
fn netstates_own_sobol_sample_recovers_the_analytic_ishigami_indices() {
    // Analytic values (Ishigami and Homma 1990; Sobol' and Levitan 1999):
    // S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437). With netstates' scrambled
    // Sobol sample of N = 4096 and seed 11 the estimates are S1 = (0.3012, 0.4419, -0.0136),
    // ST = (0.5582, 0.4424, 0.2437): every one within 0.02 of the analytic value.
    let pi = std::f64::consts::PI;
    let ranges = [(-pi, pi); 3];
    let design = sensitivity::Design {
        method: sensitivity::Method::Sobol,
        samples: 4096,
        levels: 4,
        second_order: false,
    };
    let x = sensitivity::sample(&design, &ranges, 11).expect("a design");
    assert_eq!(x.len(), 4096 * 5);
    let y: Vec<f64> = x.iter().map(|r| ishigami(r)).collect();
    let r = Resamples::draw(&design, 3, 100, 11);
    let Analysis::Sobol(s) = sensitivity::analyze(&design, &x, &y, &r).expect("analyses") else {
        panic!("Sobol indices expected")
    };
    for (j, (s1, st)) in [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)]
        .into_iter()
        .enumerate()
    {
        assert!(
            (s.s1[j] - s1).abs() < 0.02,
            "S1[{j}] = {}, analytic {s1}",
            s.s1[j]
        );
        assert!(
            (s.st[j] - st).abs() < 0.02,
            "ST[{j}] = {}, analytic {st}",
            s.st[j]
        );
        assert!(s.s1_conf[j] > 0.0 && s.s1_conf[j] < 0.1, "S1_conf[{j}]");
    }
}

#[test]
fn netstates_own_morris_sample_gives_exact_effects_of_a_linear_model() {
    // y = 3 x0 - 2 x1 + 0 x2 on ranges of widths 2, 0.5 and 10: every elementary effect of
    // x_j is its coefficient times its range's width (SALib's unit-cube convention), so
    // mu = that, mu* = |that| and sigma = 0, whatever the trajectories.
    let ranges = [(-1.0, 1.0), (0.0, 0.5), (5.0, 15.0)];
    let design = sensitivity::Design {
        method: sensitivity::Method::Morris,
        samples: 30,
        levels: 6,
        second_order: false,
    };
    let x = sensitivity::sample(&design, &ranges, 3).expect("a design");
    assert_eq!(x.len(), 30 * 4);
    let y: Vec<f64> = x.iter().map(|r| 3.0 * r[0] - 2.0 * r[1]).collect();
    let r = Resamples::draw(&design, 3, 50, 3);
    let Analysis::Morris(m) = sensitivity::analyze(&design, &x, &y, &r).expect("analyses") else {
        panic!("Morris effects expected")
    };
    for (j, effect) in [6.0, -1.0, 0.0].into_iter().enumerate() {
        assert!((m.mu[j] - effect).abs() < 1e-9, "mu[{j}] = {}", m.mu[j]);
        assert!((m.mu_star[j] - effect.abs()).abs() < 1e-9, "mu*[{j}]");
        assert!(m.sigma[j].abs() < 1e-9, "sigma[{j}] = {}", m.sigma[j]);
    }
    // Every trajectory moves each parameter exactly once, and stays inside the ranges.
    for t in x.chunks(4) {
        for j in 0..3 {
            let moves = t.windows(2).filter(|w| w[0][j] != w[1][j]).count();
            assert_eq!(moves, 1, "parameter {j} moves once in {t:?}");
        }
        for row in t {
            for (v, (lo, hi)) in row.iter().zip(&ranges) {
                assert!((*lo..=*hi).contains(v), "{v} outside [{lo}, {hi}]");
            }
        }
    }
}

#[test]
fn netstates_own_second_order_sample_finds_ishigamis_one_interaction() {
    // Analytic: x1 and x3 interact (S13 = 0.2437), no other pair does (S12 = S23 = 0). With
    // N = 4096 and seed 11 the estimates are -0.0015, 0.2568 and 0.0008: within 0.03.
    let pi = std::f64::consts::PI;
    let design = sensitivity::Design {
        method: sensitivity::Method::Sobol,
        samples: 4096,
        levels: 4,
        second_order: true,
    };
    let x = sensitivity::sample(&design, &[(-pi, pi); 3], 11).expect("a design");
    assert_eq!(x.len(), 4096 * 8);
    let y: Vec<f64> = x.iter().map(|r| ishigami(r)).collect();
    let r = Resamples::draw(&design, 3, 100, 11);
    let Analysis::Sobol(s) = sensitivity::analyze(&design, &x, &y, &r).expect("analyses") else {
        panic!("Sobol indices expected")
    };
    let expected = [((0, 1), 0.0), ((0, 2), 0.2437), ((1, 2), 0.0)];
    for (&sobol::Pair { j, k, s2: v, conf }, ((ej, ek), e)) in s.s2.iter().zip(expected) {
        assert_eq!((j, k), (ej, ek));
        assert!((v - e).abs() < 0.03, "S2[{j}][{k}] = {v}, analytic {e}");
        assert!(conf > 0.0 && conf < 0.2, "S2_conf[{j}][{k}] = {conf}");
    }
}
