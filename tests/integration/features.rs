//! Feature scoring against scikit-learn: on the fixtures of `tests/fixtures/features/` (made
//! once with scikit-learn's ExtraTreesRegressor, as the EMA Workbench uses it) netstates'
//! extremely randomized trees rank the inputs that matter as scikit-learn does, and score the
//! inputs with no effect near zero. The scores themselves differ (the trees' random draws
//! differ), so the tolerance is on ranks and on the irrelevant inputs' scores.

use netstates::analysis::features::{Forest, scores};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("tests/fixtures/features/{name}.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("a fixture")).expect("JSON")
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a repr").parse().expect("a float"))
        .collect()
}

/// Input indices, most important first.
fn ranking(s: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..s.len()).collect();
    order.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
    order
}

#[test]
fn extra_trees_rank_inputs_as_scikit_learn_does() {
    // (fixture, how many leading ranks must agree, inputs with no effect)
    for (name, leading, irrelevant) in [("linear", 3, vec![3, 4]), ("categorical", 3, vec![])] {
        let f = fixture(name);
        let x: Vec<Vec<f64>> = f["x"]
            .as_array()
            .expect("columns")
            .iter()
            .map(nums)
            .collect();
        let y = nums(&f["y"]);
        let theirs = nums(&f["sklearn_importances"]);
        let ours = scores(
            &x,
            &y,
            &Forest::default(),
            &mut ChaCha8Rng::seed_from_u64(7),
        );
        assert_eq!(
            ranking(&ours)[..leading],
            ranking(&theirs)[..leading],
            "{name}: ours {ours:?}, scikit-learn's {theirs:?}"
        );
        for i in irrelevant {
            assert!(
                ours[i] < 0.03,
                "{name}: input {i} has no effect, scored {}",
                ours[i]
            );
        }
    }
}
