//! Sobol indices from Saltelli's sample, with the estimators and bootstrap intervals of SALib
//! (`SALib.sample.sobol.sample` and `SALib.analyze.sobol.analyze`): first order, total, and
//! optionally second order.
//!
//! Sample (Saltelli 2002): N points of a 2D-dimensional Sobol sequence; the first D
//! coordinates of point i form row A_i, the last D form B_i; AB_i^j is A_i with coordinate j
//! taken from B_i, and BA_i^j is B_i with coordinate j taken from A_i. The model is evaluated
//! at N (D + 2) rows in blocks `A_i, AB_i^1, ..., AB_i^D, B_i`, or, for second-order indices,
//! at N (2D + 2) rows in blocks `A_i, AB_i^1..D, BA_i^1..D, B_i`.
//!
//! Indices, after the outputs are standardised (`y <- (y - mean) / sd`, population sd, over
//! every output), with V the population variance of the 2N outputs of A and B together:
//! - first order (Saltelli et al. 2010, table 2 (b)): S1_j = mean_i(f(B_i) (f(AB_i^j) - f(A_i))) / V
//! - total order (Jansen 1999): ST_j = mean_i((f(A_i) - f(AB_i^j))^2) / (2 V)
//! - second order (Saltelli 2002): S2_jk = mean_i(f(BA_i^j) f(AB_i^k) - f(A_i) f(B_i)) / V
//!   - S1_j - S1_k, for j < k
//!
//! An index is 0 when V is not above machine epsilon (constant outputs), as SALib returns.
//! The interval is SALib's: z times the standard deviation (n - 1) of the index over bootstrap
//! resamples of the N blocks, a half-width.

use super::sequence::Sobol;

/// Rows of the sample per base point.
pub fn block(d: usize, second_order: bool) -> usize {
    if second_order { 2 * d + 2 } else { d + 2 }
}

/// Saltelli's sample in the unit cube: `n * block(d, second_order)` rows of `d` coordinates.
pub fn sample_unit(n: usize, d: usize, second_order: bool, sequence: &mut Sobol) -> Vec<Vec<f64>> {
    let mut base = vec![0.0; 2 * d];
    let mut rows = Vec::with_capacity(n * block(d, second_order));
    for _ in 0..n {
        sequence.next_into(&mut base);
        let (a, b) = base.split_at(d);
        rows.push(a.to_vec());
        let crossed = |into: &[f64], from: &[f64], j: usize| {
            let mut row = into.to_vec();
            row[j] = from[j];
            row
        };
        rows.extend((0..d).map(|j| crossed(a, b, j)));
        if second_order {
            rows.extend((0..d).map(|j| crossed(b, a, j)));
        }
        rows.push(b.to_vec());
    }
    rows
}

/// The indices of each parameter, with their interval half-widths.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Indices {
    pub s1: Vec<f64>,
    pub s1_conf: Vec<f64>,
    pub st: Vec<f64>,
    pub st_conf: Vec<f64>,
    /// Second-order indices, when the sample has them: one per pair j < k, in row order.
    pub s2: Vec<Pair>,
}

/// The second-order index of parameters `j` and `k` (j < k) and its interval half-width.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Pair {
    pub j: usize,
    pub k: usize,
    pub s2: f64,
    pub conf: f64,
}

/// The outputs of one sample, split by role.
struct Split {
    a: Vec<f64>,
    b: Vec<f64>,
    /// `ab[j][i]`.
    ab: Vec<Vec<f64>>,
    /// `ba[j][i]`; empty without second order.
    ba: Vec<Vec<f64>>,
}

/// One estimate of every index from some base points.
struct Estimate {
    s1: Vec<f64>,
    st: Vec<f64>,
    /// In the order of the pairs (0, 1), (0, 2), ..., (1, 2), ...
    s2: Vec<f64>,
}

/// Indices from the outputs `y` of a sample of `d` parameters in the layout of
/// [`sample_unit`]; `resamples[k]` holds the base points (0..N) of bootstrap resample k.
pub fn analyze(
    y: &[f64],
    d: usize,
    second_order: bool,
    resamples: &[Vec<usize>],
    z: f64,
) -> Result<Indices, String> {
    let step = block(d, second_order);
    if d == 0 || y.is_empty() || !y.len().is_multiple_of(step) {
        return Err(format!(
            "{} outputs are not a whole number of blocks of {step}",
            y.len()
        ));
    }
    let n = y.len() / step;
    if let Some(bad) = resamples.iter().flatten().find(|&&i| i >= n) {
        return Err(format!("resample index {bad} is not below {n}"));
    }
    let y = standardised(y);
    let column = |offset: usize| (0..n).map(|i| y[i * step + offset]).collect::<Vec<f64>>();
    let split = Split {
        a: column(0),
        b: column(step - 1),
        ab: (0..d).map(|j| column(1 + j)).collect(),
        ba: if second_order {
            (0..d).map(|j| column(1 + d + j)).collect()
        } else {
            Vec::new()
        },
    };
    let all: Vec<usize> = (0..n).collect();
    let whole = estimate(&split, &all);
    let pairs: Vec<(usize, usize)> = whole_pairs(d, second_order);
    let mut boot = Estimate {
        s1: Vec::new(),
        st: Vec::new(),
        s2: Vec::new(),
    };
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in resamples {
        let e = estimate(&split, r);
        boot.s1.extend(e.s1);
        boot.st.extend(e.st);
        boot.s2.extend(e.s2);
        for &i in r {
            for v in [split.a[i], split.b[i]] {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    // Resample k's estimate of index j sits at k * count + j.
    let spread = |values: &[f64], count: usize, j: usize| {
        let e: Vec<f64> = values
            .iter()
            .skip(j)
            .step_by(count.max(1))
            .copied()
            .collect();
        z * sd(&e)
    };
    // SALib sets the first-order and total intervals to 0 when every resampled A and B
    // output is the same (not the second-order ones).
    let constant = hi - lo == 0.0;
    let conf = |values: &[f64], j: usize| {
        if constant { 0.0 } else { spread(values, d, j) }
    };
    Ok(Indices {
        s1_conf: (0..d).map(|j| conf(&boot.s1, j)).collect(),
        st_conf: (0..d).map(|j| conf(&boot.st, j)).collect(),
        s2: pairs
            .iter()
            .enumerate()
            .map(|(p, &(j, k))| Pair {
                j,
                k,
                s2: whole.s2[p],
                conf: spread(&boot.s2, pairs.len(), p),
            })
            .collect(),
        s1: whole.s1,
        st: whole.st,
    })
}

/// The pairs j < k of second-order indices, in row order; none without second order.
fn whole_pairs(d: usize, second_order: bool) -> Vec<(usize, usize)> {
    if !second_order {
        return Vec::new();
    }
    (0..d)
        .flat_map(|j| (j + 1..d).map(move |k| (j, k)))
        .collect()
}

/// `(y - mean) / sd` with the population sd; NaN everywhere when the sd is 0, as numpy.
fn standardised(y: &[f64]) -> Vec<f64> {
    let m = mean(y.iter().copied());
    let sd = mean(y.iter().map(|v| (v - m) * (v - m))).sqrt();
    y.iter().map(|v| (v - m) / sd).collect()
}

fn mean(values: impl ExactSizeIterator<Item = f64>) -> f64 {
    let n = values.len();
    values.sum::<f64>() / n as f64
}

/// The sample standard deviation (n - 1).
pub fn sd(e: &[f64]) -> f64 {
    let m = mean(e.iter().copied());
    (e.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (e.len() as f64 - 1.0)).sqrt()
}

/// Every index over the base points `rows` (with repeats).
fn estimate(s: &Split, rows: &[usize]) -> Estimate {
    let pooled = rows
        .iter()
        .map(|&i| s.a[i])
        .chain(rows.iter().map(|&i| s.b[i]));
    let m = pooled.clone().sum::<f64>() / (2 * rows.len()) as f64;
    let var = pooled.map(|v| (v - m) * (v - m)).sum::<f64>() / (2 * rows.len()) as f64;
    let usable = var > f64::EPSILON;
    let n = rows.len() as f64;
    let ratio = |sum: f64| if usable { sum / n / var } else { 0.0 };
    let s1: Vec<f64> =
        s.ab.iter()
            .map(|ab| ratio(rows.iter().map(|&i| s.b[i] * (ab[i] - s.a[i])).sum()))
            .collect();
    let st =
        s.ab.iter()
            .map(|ab| {
                let total: f64 = rows
                    .iter()
                    .map(|&i| (s.a[i] - ab[i]) * (s.a[i] - ab[i]))
                    .sum();
                if usable { 0.5 * (total / n) / var } else { 0.0 }
            })
            .collect();
    let s2 = whole_pairs(s.ab.len(), !s.ba.is_empty())
        .into_iter()
        .map(|(j, k)| {
            let v: f64 = rows
                .iter()
                .map(|&i| s.ba[j][i] * s.ab[k][i] - s.a[i] * s.b[i])
                .sum();
            ratio(v) - s1[j] - s1[k]
        })
        .collect();
    Estimate { s1, st, s2 }
}
