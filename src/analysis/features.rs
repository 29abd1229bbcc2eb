//! Feature scoring: how much each input of an experiment accounts for an outcome, as the
//! impurity-based importances of an ensemble of extremely randomized trees (Geurts, Ernst &
//! Wehenkel 2006, "Extremely randomized trees", Machine Learning 63), the way the EMA
//! Workbench's `get_feature_scores_all` scores features with scikit-learn's
//! `ExtraTreesRegressor`: no bootstrap, `max_features` = 0.6 of the inputs tried at each
//! node, each with one threshold drawn uniformly between the node's smallest and largest value
//! of it, the split that most reduces the squared error kept; trees grown until a node is
//! pure or has fewer than two runs. A feature's importance is the reduction of squared error
//! its splits bring, weighted by the runs they split, normalised per tree and averaged.
//!
//! The trees draw from the random stream given (netstates uses the seed's reserved stream for
//! feature scoring), so scores are reproducible; they are not scikit-learn's numbers (its
//! random draws differ), but its rankings on the fixtures.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The ensemble's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forest {
    pub trees: usize,
    /// Share of the inputs tried at each node (at least one).
    pub max_features: f64,
    /// Most runs a tree is grown on: more are subsampled (without replacement, afresh for
    /// each tree), so a study of 100,000 runs is scored in seconds.
    pub max_samples: usize,
}

impl Default for Forest {
    /// The Workbench's defaults (100 trees, max_features 0.6), on at most 10,000 runs.
    fn default() -> Forest {
        Forest {
            trees: 100,
            max_features: 0.6,
            max_samples: 10_000,
        }
    }
}

/// The importance of each input (`x[input][run]`, numbers; categories as their codes) for the
/// outcome `y[run]`, summing to 1 (all 0 when `y` is constant).
pub fn scores(x: &[Vec<f64>], y: &[f64], forest: &Forest, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let d = x.len();
    let n = y.len();
    let mut total = vec![0.0; d];
    if d == 0 || n < 2 {
        return total;
    }
    let tries = ((forest.max_features * d as f64) as usize).clamp(1, d);
    let mut rows: Vec<usize> = (0..n).collect();
    for _ in 0..forest.trees {
        // A subsample when the runs are many (a partial Fisher-Yates shuffle).
        let m = n.min(forest.max_samples);
        if m < n {
            for i in 0..m {
                let j = rng.random_range(i..n);
                rows.swap(i, j);
            }
        }
        let mut tree = vec![0.0; d];
        grow(x, y, &mut rows[..m], tries, rng, &mut tree);
        let sum: f64 = tree.iter().sum();
        if sum > 0.0 {
            for (t, v) in total.iter_mut().zip(&tree) {
                *t += v / sum;
            }
        }
        if m < n {
            rows.sort_unstable();
        }
    }
    let sum: f64 = total.iter().sum();
    if sum > 0.0 {
        for t in &mut total {
            *t /= sum;
        }
    }
    total
}

/// Sum and sum of squares of `y` over `rows`.
fn moments(y: &[f64], rows: &[usize]) -> (f64, f64) {
    rows.iter()
        .fold((0.0, 0.0), |(s, q), &r| (s + y[r], q + y[r] * y[r]))
}

/// Squared error of a node from its moments: sum (y - mean)^2.
fn sse(n: usize, (s, q): (f64, f64)) -> f64 {
    if n == 0 {
        0.0
    } else {
        (q - s * s / n as f64).max(0.0)
    }
}

/// Grows a tree over `rows` (reordered in place), adding each split's reduction of squared
/// error to `importance` of its input. Iterative: a stack of nodes, no recursion.
fn grow(
    x: &[Vec<f64>],
    y: &[f64],
    rows: &mut [usize],
    tries: usize,
    rng: &mut ChaCha8Rng,
    importance: &mut [f64],
) {
    let d = x.len();
    let mut features: Vec<usize> = (0..d).collect();
    let mut stack = vec![(0usize, rows.len())];
    while let Some((start, end)) = stack.pop() {
        let node = &mut rows[start..end];
        let n = node.len();
        if n < 2 {
            continue;
        }
        let parent = sse(n, moments(y, node));
        if parent <= 0.0 {
            continue;
        }
        // Draw features without replacement until `tries` non-constant ones were tried.
        let mut best: Option<(f64, usize, f64)> = None; // (children's error, feature, threshold)
        let mut tried = 0;
        let mut left = d;
        while tried < tries && left > 0 {
            let pick = rng.random_range(0..left);
            features.swap(pick, left - 1);
            let f = features[left - 1];
            left -= 1;
            let (lo, hi) = node
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &r| {
                    (lo.min(x[f][r]), hi.max(x[f][r]))
                });
            if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
                continue;
            }
            tried += 1;
            let t = lo + (hi - lo) * rng.random::<f64>();
            let (mut nl, mut sl, mut ql) = (0usize, 0.0, 0.0);
            for &r in node.iter() {
                if x[f][r] <= t {
                    nl += 1;
                    sl += y[r];
                    ql += y[r] * y[r];
                }
            }
            let (s, q) = moments(y, node);
            let children = sse(nl, (sl, ql)) + sse(n - nl, (s - sl, q - ql));
            if nl > 0 && nl < n && best.is_none_or(|(b, _, _)| children < b) {
                best = Some((children, f, t));
            }
        }
        let Some((children, f, t)) = best else {
            continue;
        };
        importance[f] += parent - children;
        // Partition the node: rows with x[f] <= t first.
        let mut i = 0;
        for j in 0..n {
            if x[f][node[j]] <= t {
                node.swap(i, j);
                i += 1;
            }
        }
        stack.push((start, start + i));
        stack.push((start + i, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn an_input_with_no_effect_scores_near_zero_and_the_dominant_one_first() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 2000;
        let x: Vec<Vec<f64>> = (0..3)
            .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
            .collect();
        let y: Vec<f64> = (0..n).map(|i| 3.0 * x[0][i] + x[1][i]).collect();
        let s = scores(
            &x,
            &y,
            &Forest::default(),
            &mut ChaCha8Rng::seed_from_u64(2),
        );
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(s[0] > s[1] && s[1] > s[2], "{s:?}");
        assert!(s[2] < 0.05, "the irrelevant input: {s:?}");
        let again = scores(
            &x,
            &y,
            &Forest::default(),
            &mut ChaCha8Rng::seed_from_u64(2),
        );
        assert_eq!(s, again, "reproducible from its stream");
    }

    #[test]
    fn a_constant_outcome_scores_nothing() {
        let x = vec![vec![0.0, 1.0, 2.0]];
        let s = scores(
            &x,
            &[1.0, 1.0, 1.0],
            &Forest::default(),
            &mut ChaCha8Rng::seed_from_u64(1),
        );
        assert_eq!(s, [0.0]);
    }
}
