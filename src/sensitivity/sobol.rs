//! Sobol indices from Saltelli's sample, with the estimators and bootstrap intervals of SALib
//! (`SALib.sample.sobol.sample` and `SALib.analyze.sobol.analyze`, first and total order).
//!
//! Sample (Saltelli 2002): N points of a 2D-dimensional Sobol sequence; the first D
//! coordinates of point i form row A_i, the last D form B_i; AB_i^j is A_i with coordinate j
//! taken from B_i. The model is evaluated at N (D + 2) rows, in blocks
//! `A_i, AB_i^1, ..., AB_i^D, B_i`.
//!
//! Indices, after the outputs are standardised (`y <- (y - mean) / sd`, population sd, over
//! every output), with V the population variance of the 2N outputs of A and B together:
//! - first order (Saltelli et al. 2010, table 2 (b)): S1_j = mean_i(f(B_i) (f(AB_i^j) - f(A_i))) / V
//! - total order (Jansen 1999): ST_j = mean_i((f(A_i) - f(AB_i^j))^2) / (2 V)
//!
//! An index is 0 when V is not above machine epsilon (constant outputs), as SALib returns.
//! The interval is SALib's: z times the standard deviation (n - 1) of the index over bootstrap
//! resamples of the N blocks, a half-width.

use super::sequence::Sobol;

/// Rows of the sample per base point.
pub fn block(d: usize) -> usize {
    d + 2
}

/// Saltelli's sample in the unit cube: `n * (d + 2)` rows of `d` coordinates.
pub fn sample_unit(n: usize, d: usize, sequence: &mut Sobol) -> Vec<Vec<f64>> {
    let mut base = vec![0.0; 2 * d];
    let mut rows = Vec::with_capacity(n * block(d));
    for _ in 0..n {
        sequence.next_into(&mut base);
        let (a, b) = base.split_at(d);
        rows.push(a.to_vec());
        for j in 0..d {
            let mut ab = a.to_vec();
            ab[j] = b[j];
            rows.push(ab);
        }
        rows.push(b.to_vec());
    }
    rows
}

/// First-order and total indices of each parameter, with their interval half-widths.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Indices {
    pub s1: Vec<f64>,
    pub s1_conf: Vec<f64>,
    pub st: Vec<f64>,
    pub st_conf: Vec<f64>,
}

/// The outputs of one sample, split by role.
struct Split {
    a: Vec<f64>,
    b: Vec<f64>,
    /// `ab[j][i]`.
    ab: Vec<Vec<f64>>,
}

/// Indices from the outputs `y` of a sample of `d` parameters in the layout of
/// [`sample_unit`]; `resamples[k]` holds the base points (0..N) of bootstrap resample k.
pub fn analyze(y: &[f64], d: usize, resamples: &[Vec<usize>], z: f64) -> Result<Indices, String> {
    let step = block(d);
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
    let split = Split {
        a: (0..n).map(|i| y[i * step]).collect(),
        b: (0..n).map(|i| y[i * step + step - 1]).collect(),
        ab: (0..d)
            .map(|j| (0..n).map(|i| y[i * step + 1 + j]).collect())
            .collect(),
    };
    let all: Vec<usize> = (0..n).collect();
    let whole = estimate(&split, &all);
    let mut estimates = vec![Vec::with_capacity(resamples.len()); 2 * d];
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in resamples {
        let (s1, st) = estimate(&split, r);
        for j in 0..d {
            estimates[j].push(s1[j]);
            estimates[d + j].push(st[j]);
        }
        for &i in r {
            for v in [split.a[i], split.b[i]] {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    // SALib sets the intervals to 0 when every resampled A and B output is the same.
    let constant = hi - lo == 0.0;
    let conf = |e: &[f64]| if constant { 0.0 } else { z * sd(e) };
    Ok(Indices {
        s1: whole.0,
        st: whole.1,
        s1_conf: estimates[..d].iter().map(|e| conf(e)).collect(),
        st_conf: estimates[d..].iter().map(|e| conf(e)).collect(),
    })
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

/// S1 and ST of every parameter over the base points `rows` (with repeats).
fn estimate(s: &Split, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let pooled = rows
        .iter()
        .map(|&i| s.a[i])
        .chain(rows.iter().map(|&i| s.b[i]));
    let m = pooled.clone().sum::<f64>() / (2 * rows.len()) as f64;
    let var = pooled.map(|v| (v - m) * (v - m)).sum::<f64>() / (2 * rows.len()) as f64;
    let usable = var > f64::EPSILON;
    let n = rows.len() as f64;
    let mut s1 = Vec::with_capacity(s.ab.len());
    let mut st = Vec::with_capacity(s.ab.len());
    for ab in &s.ab {
        if !usable {
            s1.push(0.0);
            st.push(0.0);
            continue;
        }
        let first: f64 = rows.iter().map(|&i| s.b[i] * (ab[i] - s.a[i])).sum();
        let total: f64 = rows
            .iter()
            .map(|&i| (s.a[i] - ab[i]) * (s.a[i] - ab[i]))
            .sum();
        s1.push(first / n / var);
        st.push(0.5 * (total / n) / var);
    }
    (s1, st)
}
