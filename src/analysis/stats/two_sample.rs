//! Two-sample comparison statistics: is metric X different between experiment A and
//! experiment B?
//!
//! Given the per-run values of one metric in two experiments (`a` and `b`), this module
//! computes
//!
//! * distribution tests: the two-sample Kolmogorov-Smirnov test ([`ks_2samp`], with the
//!   exact one-sample Kolmogorov distribution [`kstwo_sf`] behind its p-value) and the
//!   Mann-Whitney U test ([`mann_whitney`]);
//! * effect sizes: Vargha-Delaney A12 ([`a12`]), the Wasserstein-1 distance
//!   ([`wasserstein1`]) and the difference of means with a bootstrap interval
//!   ([`bootstrap_diff`]);
//! * a test of means: Welch's t-test ([`welch`]), and the Student-t interval of one mean
//!   ([`mean_ci95`]);
//! * a multiple-comparison correction: Holm's step-down adjusted p-values ([`holm`]).
//!
//! Each test, effect size and interval reproduces a scipy / statsmodels routine (named in
//! its doc comment, with its formula and a reference) and is checked against values
//! computed by those libraries, stored in `tests/fixtures/stats/*.json`. Where scipy
//! returns NaN for an input whose answer is still well defined (both samples constant, say),
//! the choice made here is documented on the function. The special functions behind the
//! p-values (Kolmogorov and Smirnov distributions, Student's t, the normal tail) are
//! implemented here, so the module needs no statistics crate.
//!
//! Everything here is pure computation: this module does no I/O and keeps no state. The
//! only randomness is [`bootstrap_diff`]'s, drawn from a `ChaCha8Rng` seeded by the caller,
//! so every result is reproducible bit for bit.
//!
//! Preconditions shared by all functions: values are finite (no NaN, no infinity). NaN
//! never makes a function panic (slices are sorted with [`f64::total_cmp`]), but results
//! computed from NaN are meaningless. Every statistic costs one sort, O(n log n) in the
//! total number of values, plus O(n) work; [`bootstrap_diff`] costs O(resamples * n).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use super::kolmogorov::kstwo_sf;
use super::special::*;

// ---------------------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------------------

/// Result of [`ks_2samp`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ks {
    /// The statistic `D = sup_x |F_a(x) - F_b(x)|`, in `[0, 1]`.
    pub d: f64,
    /// Two-sided p-value, in `[0, 1]`.
    pub p: f64,
}

/// Result of [`mann_whitney`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MannWhitney {
    /// `U1`, the Mann-Whitney statistic of the first sample (scipy's `statistic`).
    pub u: f64,
    /// Two-sided p-value from the normal approximation, in `[0, 1]`.
    pub p: f64,
}

/// Result of [`welch`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Welch {
    /// `t = (mean_a - mean_b) / sqrt(s_a^2/m + s_b^2/n)`.
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value, in `[0, 1]`.
    pub p: f64,
}

// ---------------------------------------------------------------------------------------
// Public statistics
// ---------------------------------------------------------------------------------------

/// Kolmogorov-Smirnov two-sample test, two-sided, as
/// `scipy.stats.ks_2samp(a, b, method='asymp')`.
///
/// With `F_a`, `F_b` the empirical CDFs of the samples (sizes `m`, `n`):
///
/// * `D = sup_x |F_a(x) - F_b(x)|`, evaluated at every pooled value as
///   `|i/m - j/n|` (`i`, `j` the numbers of values of `a`, `b` that are `<= x`), found by
///   one merge of the two sorted samples;
/// * `p = kstwo_sf(D, N)` with the effective size `N = round(m n / (m + n))` (rounding half
///   to even, as numpy), i.e. the exact one-sample Kolmogorov distribution of that size
///   (see [`kstwo_sf`]), not the limiting Kolmogorov series; then clipped to `[0, 1]`.
///
/// References: N. V. Smirnov, "On the estimation of the discrepancy between empirical
/// curves of distribution for two independent samples", Bull. Moscow Univ. 2(2), 1939;
/// J. L. Hodges, "The significance probability of the Smirnov two-sample test", Arkiv för
/// Matematik 3, 1958; the scipy reference for `scipy.stats.ks_2samp`.
///
/// Degenerate inputs: equal constant samples give `D = 0, p = 1`; fully separated samples
/// give `D = 1, p = 0` (as scipy, whatever the sizes). For one value in each sample, scipy's
/// effective size rounds to 0 and it returns `p = NaN`; here the effective size is clamped
/// to at least 1, which gives `p = 1` for `D = 0` and `p = 0` for `D = 1`. An empty sample
/// gives `D = p = NaN` (there is nothing to compare; the caller never passes one).
pub fn ks_2samp(a: &[f64], b: &[f64]) -> Ks {
    if a.is_empty() || b.is_empty() {
        return Ks {
            d: f64::NAN,
            p: f64::NAN,
        };
    }
    let sa = sorted(a);
    let sb = sorted(b);
    let (m, n) = (sa.len() as f64, sb.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut d = 0.0f64;
    while let Some((x, _)) = next_pooled(&sa, &sb, i, j) {
        // Consume every value equal to x (ties, and -0.0 with 0.0) in both samples.
        while i < sa.len() && not_greater(sa[i], x) {
            i += 1;
        }
        while j < sb.len() && not_greater(sb[j], x) {
            j += 1;
        }
        d = d.max((i as f64 / m - j as f64 / n).abs());
    }
    let (big, small) = if m >= n { (m, n) } else { (n, m) };
    let en = big * small / (big + small);
    let n_eff = en.round_ties_even().max(1.0) as u64;
    Ks {
        d,
        p: clip01(kstwo_sf(d, n_eff)),
    }
}

/// Mann-Whitney U test, two-sided, as `scipy.stats.mannwhitneyu(a, b,
/// alternative='two-sided', method='asymptotic', use_continuity=True)`.
///
/// With `m = |a|`, `n = |b|`, `N = m + n`, `R_1` the sum of the ranks of `a` in the pooled
/// sample (ties get their average rank) and `t_k` the sizes of the groups of tied values:
///
/// * `U1 = R_1 - m (m + 1) / 2` (returned as `u`), `U2 = m n - U1`, `U = max(U1, U2)`;
/// * `s = sqrt(m n / 12 * ((N + 1) - sum_k (t_k^3 - t_k) / (N (N - 1))))` (tie correction);
/// * `z = (U - m n / 2 - 1/2) / s` (continuity correction);
/// * `p = 2 * (1 - Phi(z))`, clipped to `[0, 1]`.
///
/// References: H. B. Mann, D. R. Whitney, "On a test of whether one of two random
/// variables is stochastically larger than the other", Ann. Math. Statist. 18(1), 1947;
/// E. L. Lehmann, "Nonparametrics: statistical methods based on ranks", 1975 (tie
/// correction); the scipy reference for `scipy.stats.mannwhitneyu`.
///
/// When every pooled value is tied (both samples constant and equal), `s = 0`, `U1 = m n/2`
/// and `p = 1` (scipy computes `z = -inf` and also clips to 1). Empty samples give NaN.
pub fn mann_whitney(a: &[f64], b: &[f64]) -> MannWhitney {
    let Some((u1, tie_term)) = rank_sum_u1(a, b) else {
        return MannWhitney {
            u: f64::NAN,
            p: f64::NAN,
        };
    };
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let n = n1 + n2;
    let u2 = n1 * n2 - u1;
    let u = u1.max(u2);
    let mu = n1 * n2 / 2.0;
    let s = (n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
    let p = if s > 0.0 {
        let z = (u - mu - 0.5) / s;
        clip01(2.0 * normal_sf(z))
    } else {
        // All values tied: U1 = U2 = m n / 2, no evidence of any difference.
        1.0
    };
    MannWhitney { u: u1, p }
}

/// Vargha-Delaney A12 effect size: `A12 = P(X_a > X_b) + P(X_a = X_b) / 2 = U1 / (m n)`,
/// with `U1` the Mann-Whitney statistic of `a` (see [`mann_whitney`]). 0.5 means no
/// effect; 1 means every value of `a` exceeds every value of `b`.
///
/// Reference: A. Vargha, H. D. Delaney, "A critique and improvement of the CL common
/// language effect size statistics of McGraw and Wong", Journal of Educational and
/// Behavioral Statistics 25(2), 2000.
///
/// Constant equal samples give 0.5. Empty samples give NaN.
pub fn a12(a: &[f64], b: &[f64]) -> f64 {
    match rank_sum_u1(a, b) {
        Some((u1, _)) => u1 / (a.len() as f64 * b.len() as f64),
        None => f64::NAN,
    }
}

/// Welch's unequal-variances t-test, two-sided, as
/// `scipy.stats.ttest_ind(a, b, equal_var=False)`.
///
/// With means `x_a`, `x_b`, sample variances `s_a^2`, `s_b^2` (denominator `m - 1`,
/// `n - 1`) and `v_a = s_a^2/m`, `v_b = s_b^2/n`:
///
/// * `t = (x_a - x_b) / sqrt(v_a + v_b)`;
/// * `df = (v_a + v_b)^2 / (v_a^2/(m - 1) + v_b^2/(n - 1))` (Welch-Satterthwaite);
/// * `p = 2 * P(T_df >= |t|)` with `T_df` Student's t (regularized incomplete beta:
///   `P(T_df >= |t|) = I_{df/(df+t^2)}(df/2, 1/2) / 2`).
///
/// References: B. L. Welch, "The generalization of 'Student's' problem when several
/// different population variances are involved", Biometrika 34, 1947; F. E.
/// Satterthwaite, "An approximate distribution of estimates of variance components",
/// Biometrics Bulletin 2(6), 1946.
///
/// Returns `None` when the test is undefined:
///
/// * either sample has fewer than 2 values (no sample variance; scipy gives NaN);
/// * both samples are constant with different values (`t` would be infinite; scipy gives
///   `t = -inf/inf, p = 0`): the caller reports "constant".
///
/// Both samples constant and equal is reported as no difference, `t = 0, p = 1`, with
/// `df = 1` (scipy gives `t = p = NaN` there, and itself substitutes `df = 1` for the
/// undefined 0/0 degrees of freedom; this keeps that substitution).
///
/// The data are scaled by a power of two (exact) before the moments are taken, so values
/// up to ~1e300 do not overflow; spreads smaller than ~1e-150 times the largest magnitude
/// underflow to 0.
pub fn welch(a: &[f64], b: &[f64]) -> Option<Welch> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let scale = pow2_scale(a.iter().chain(b).copied());
    let (m1, v1) = scaled_mean_var(a, scale);
    let (m2, v2) = scaled_mean_var(b, scale);
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let vn1 = v1 / n1;
    let vn2 = v2 / n2;
    let vsum = vn1 + vn2;
    if !(vsum.is_finite() && m1.is_finite() && m2.is_finite()) {
        return None;
    }
    if vsum == 0.0 {
        return (m1 == m2).then_some(Welch {
            t: 0.0,
            df: 1.0,
            p: 1.0,
        });
    }
    let t = (m1 - m2) / vsum.sqrt();
    let (r1, r2) = (vn1 / vsum, vn2 / vsum);
    let df = 1.0 / (r1 * r1 / (n1 - 1.0) + r2 * r2 / (n2 - 1.0));
    let p = (2.0 * student_t_sf(t.abs(), df)).min(1.0);
    Some(Welch { t, df, p })
}

/// Wasserstein-1 (earth mover's) distance between the empirical distributions of `a` and
/// `b`, as `scipy.stats.wasserstein_distance(a, b)`:
///
/// `W1 = integral |F_a(x) - F_b(x)| dx = sum_k |F_a(x_k) - F_b(x_k)| (x_{k+1} - x_k)`
///
/// over the sorted pooled values `x_k`, found by one merge of the two sorted samples.
///
/// References: S. S. Vallender, "Calculation of the Wasserstein distance between
/// probability distributions on the line", Theory Probab. Appl. 18(4), 1974; A. Ramdas,
/// N. Garcia, M. Cuturi, "On Wasserstein two sample testing and related families of
/// nonparametric tests", Entropy 19(2), 2017.
///
/// Identical (or equal constant) samples give 0. The data are scaled by a power of two
/// (exact) so that the gaps between values up to ~1e307 do not overflow. Empty samples
/// give NaN.
pub fn wasserstein1(a: &[f64], b: &[f64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return f64::NAN;
    }
    let scale = pow2_scale(a.iter().chain(b).copied());
    let sa: Vec<f64> = sorted(a).into_iter().map(|x| x * scale.down).collect();
    let sb: Vec<f64> = sorted(b).into_iter().map(|x| x * scale.down).collect();
    let (m, n) = (sa.len() as f64, sb.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut sum = Neumaier::default();
    let mut prev: Option<f64> = None;
    while let Some((x, from_a)) = next_pooled(&sa, &sb, i, j) {
        if let Some(p) = prev {
            // F_a, F_b are constant on [p, x): counts consumed so far.
            sum.add((i as f64 / m - j as f64 / n).abs() * (x - p));
        }
        if from_a {
            i += 1;
        } else {
            j += 1;
        }
        prev = Some(x);
    }
    sum.value() * scale.up
}

/// Holm's step-down adjusted p-values, as
/// `statsmodels.stats.multitest.multipletests(p, method='holm')[1]`, in the input order.
///
/// With the `k` p-values sorted increasingly, `p_(1) <= ... <= p_(k)`:
/// `p~_(i) = min(1, max_{j <= i} (k - j + 1) p_(j))`, which is monotone in `i`; each adjusted
/// value is returned at the position of its input. Ties get equal adjusted values.
///
/// Reference: S. Holm, "A simple sequentially rejective multiple test procedure",
/// Scandinavian Journal of Statistics 6(2), 1979.
///
/// An empty slice gives an empty vector. Inputs are expected in `[0, 1]`.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let k = p.len();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let mut out = vec![0.0; k];
    let mut running = f64::NEG_INFINITY;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(p[i] * (k - rank) as f64);
        out[i] = running.min(1.0);
    }
    out
}

/// Mean and its 95% confidence interval `(mean, lo, hi)` from Student's t with `n - 1`
/// degrees of freedom:
///
/// `mean -/+ t_{0.975, n-1} * s / sqrt(n)`, `s` the sample standard deviation
/// (denominator `n - 1`), as `scipy.stats.t.interval(0.95, n - 1, loc=mean,
/// scale=scipy.stats.sem(a))`.
///
/// For `n = 1` or zero variance the interval is `[mean, mean]`. The mean is computed with
/// compensated summation and clamped to `[min, max]`, so a constant sample has exactly its
/// value as mean. An empty slice gives `(NaN, NaN, NaN)`.
///
/// Reference: "Student" (W. S. Gosset), "The probable error of a mean", Biometrika 6(1),
/// 1908.
pub fn mean_ci95(a: &[f64]) -> (f64, f64, f64) {
    if a.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let scale = pow2_scale(a.iter().copied());
    let (m, v) = scaled_mean_var(a, scale);
    let mean = m * scale.up;
    if a.len() < 2 || v == 0.0 || !v.is_finite() {
        return (mean, mean, mean);
    }
    let n = a.len() as f64;
    let q = student_t_isf(0.025, n - 1.0);
    let half = q * (v.sqrt() / n.sqrt()) * scale.up;
    (mean, mean - half, mean + half)
}

/// Difference of means `b - a` with a 95% percentile-bootstrap interval:
/// `(diff, lo, hi)`.
///
/// * Paired (`paired` and equal lengths; run `i` of `a` pairs with run `i` of `b`):
///   `diff = mean_i (b_i - a_i)`; each of the `resamples` resamples draws `n` pair indices
///   with replacement and takes the mean of `b_i - a_i` over them.
/// * Unpaired: `diff = mean(b) - mean(a)`; each resample draws `|a|` values from `a` and
///   `|b|` values from `b` with replacement, independently, and takes the difference of
///   their means.
///
/// `lo` and `hi` are the 2.5th and 97.5th percentiles of the resampled differences, by
/// linear interpolation between order statistics (numpy's default `linear` method, type 7
/// of Hyndman & Fan). Indices come from the caller's stream `rng`, drawn as `u64` in
/// `0..len`, so the result is deterministic for a given stream on every platform.
///
/// If `paired` is asked for samples of different lengths, they cannot be paired and the
/// unpaired bootstrap is used. `resamples == 0` gives `(diff, NaN, NaN)`; an empty sample
/// gives `(NaN, NaN, NaN)`.
///
/// Reference: B. Efron, R. J. Tibshirani, "An introduction to the bootstrap", Chapman &
/// Hall, 1993, chapter 13 (percentile intervals).
pub fn bootstrap_diff(
    a: &[f64],
    b: &[f64],
    paired: bool,
    resamples: usize,
    mut rng: ChaCha8Rng,
) -> (f64, f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let paired = paired && a.len() == b.len();
    let diffs: Vec<f64> = if paired {
        a.iter().zip(b).map(|(x, y)| y - x).collect()
    } else {
        Vec::new()
    };
    let diff = if paired {
        plain_mean(&diffs)
    } else {
        plain_mean(b) - plain_mean(a)
    };
    if resamples == 0 {
        return (diff, f64::NAN, f64::NAN);
    }
    let mut stats = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let stat = if paired {
            resampled_mean(&diffs, &mut rng)
        } else {
            let ma = resampled_mean(a, &mut rng);
            let mb = resampled_mean(b, &mut rng);
            mb - ma
        };
        stats.push(stat);
    }
    stats.sort_by(f64::total_cmp);
    (
        diff,
        percentile_linear(&stats, 0.025),
        percentile_linear(&stats, 0.975),
    )
}

// ---------------------------------------------------------------------------------------
// Shared helpers: sorting, sums, moments, percentiles
// ---------------------------------------------------------------------------------------

fn sorted(x: &[f64]) -> Vec<f64> {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The next value of the merge of two sorted slices, from positions `i` and `j`, and
/// whether it comes from the first slice.
fn next_pooled(sa: &[f64], sb: &[f64], i: usize, j: usize) -> Option<(f64, bool)> {
    match (sa.get(i), sb.get(j)) {
        (Some(&u), Some(&v)) => Some(if u.total_cmp(&v).is_le() {
            (u, true)
        } else {
            (v, false)
        }),
        (Some(&u), None) => Some((u, true)),
        (None, Some(&v)) => Some((v, false)),
        (None, None) => None,
    }
}

/// `!(v > x)` without a negated partial comparison: `v` equals `x` (when `v >= x`, as in a
/// sorted walk), counting -0.0 equal to 0.0; true also for NaN, which keeps walks moving.
fn not_greater(v: f64, x: f64) -> bool {
    v.partial_cmp(&x) != Some(std::cmp::Ordering::Greater)
}

pub(super) fn clip01(p: f64) -> f64 {
    p.clamp(0.0, 1.0)
}

/// Neumaier's compensated sum (Neumaier, "Rundungsfehleranalyse einiger Verfahren zur
/// Summation endlicher Summen", ZAMM 54, 1974): error independent of the number of terms.
#[derive(Default)]
pub(super) struct Neumaier {
    pub(super) sum: f64,
    pub(super) comp: f64,
}

impl Neumaier {
    pub(super) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub(super) fn value(&self) -> f64 {
        self.sum + self.comp
    }
}

/// An exact power-of-two scale: `down` maps the largest magnitude into `[1, 2)`, `up`
/// undoes it.
#[derive(Clone, Copy)]
struct Pow2Scale {
    down: f64,
    up: f64,
}

fn pow2_scale(values: impl Iterator<Item = f64>) -> Pow2Scale {
    let max = values
        .map(f64::abs)
        .filter(|x| x.is_finite())
        .fold(0.0f64, f64::max);
    if max == 0.0 {
        return Pow2Scale { down: 1.0, up: 1.0 };
    }
    // Unbiased binary exponent of max (subnormals count as the smallest normal exponent).
    let e = (((max.to_bits() >> 52) & 0x7ff) as i32 - 1023).max(-1022);
    Pow2Scale {
        down: 2.0f64.powi(-e),
        up: 2.0f64.powi(e),
    }
}

/// Mean (compensated sum, clamped to the data range) and sample variance (denominator
/// `n - 1`, two passes; 0 when `n < 2`) of `x * scale.down`.
fn scaled_mean_var(x: &[f64], scale: Pow2Scale) -> (f64, f64) {
    let mut sum = Neumaier::default();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in x {
        let s = v * scale.down;
        sum.add(s);
        lo = lo.min(s);
        hi = hi.max(s);
    }
    let mean = (sum.value() / x.len() as f64).clamp(lo, hi);
    if x.len() < 2 {
        return (mean, 0.0);
    }
    let mut ss = Neumaier::default();
    for &v in x {
        let dev = v * scale.down - mean;
        ss.add(dev * dev);
    }
    (mean, ss.value() / (x.len() - 1) as f64)
}

fn plain_mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn resampled_mean(x: &[f64], rng: &mut ChaCha8Rng) -> f64 {
    let n = x.len() as u64;
    let mut s = 0.0;
    for _ in 0..n {
        s += x[rng.random_range(0..n) as usize];
    }
    s / n as f64
}

/// Quantile `q` of a sorted non-empty slice, numpy's `linear` method (type 7) with numpy's
/// two-sided interpolation formula.
fn percentile_linear(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let pos = q * (n - 1) as f64;
    let lo = (pos.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let frac = pos - lo as f64;
    let (x0, x1) = (sorted[lo], sorted[hi]);
    let diff = x1 - x0;
    if frac >= 0.5 {
        x1 - diff * (1.0 - frac)
    } else {
        x0 + diff * frac
    }
}

/// `(U1, sum of t^3 - t over tie groups)` for non-empty samples; ranks by one sort of the
/// pooled sample, ties (including -0.0 with 0.0) averaged.
fn rank_sum_u1(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut pooled: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    pooled.sort_by(|x, y| x.0.total_cmp(&y.0));
    let total = pooled.len();
    let mut r1 = 0.0;
    let mut tie_term = 0.0;
    let mut start = 0;
    while start < total {
        let x = pooled[start].0;
        let mut end = start + 1;
        while end < total && not_greater(pooled[end].0, x) {
            end += 1;
        }
        // Ranks start+1 ..= end share their average (exact: a multiple of 1/2).
        let avg = (start + end + 1) as f64 / 2.0;
        let in_a = pooled[start..end].iter().filter(|e| e.1).count();
        r1 += avg * in_a as f64;
        let t = (end - start) as f64;
        tie_term += t * t * t - t;
        start = end;
    }
    let n1 = a.len() as f64;
    Some((r1 - n1 * (n1 + 1.0) / 2.0, tie_term))
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use serde::Deserialize;
    use std::collections::BTreeMap;
    use std::f64::consts::PI;
    use std::path::PathBuf;

    fn fixture(name: &str) -> String {
        let path: PathBuf = [
            env!("CARGO_MANIFEST_DIR"),
            "tests",
            "fixtures",
            "stats",
            name,
        ]
        .iter()
        .collect();
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Relative error of `got` against `want` (absolute when `want == 0`).
    fn rel_err(got: f64, want: f64) -> f64 {
        if got == want {
            0.0
        } else if want == 0.0 {
            got.abs()
        } else {
            (got - want).abs() / want.abs()
        }
    }

    /// Statistics: within 1e-9 relative.
    fn stat_ok(got: f64, want: f64) -> bool {
        rel_err(got, want) <= 1e-9
    }

    /// p-values: within 1e-6 relative, or 1e-12 absolute when below 1e-10.
    fn p_ok(got: f64, want: f64) -> bool {
        rel_err(got, want) <= 1e-6 || (want.abs() < 1e-10 && (got - want).abs() <= 1e-12)
    }

    /// Worst relative error seen per quantity, printed with `--nocapture`.
    #[derive(Default)]
    struct Worst(BTreeMap<String, (f64, String)>);

    impl Worst {
        fn see(&mut self, what: &str, got: f64, want: f64, ctx: &str) {
            let e = rel_err(got, want);
            let entry = self
                .0
                .entry(what.to_string())
                .or_insert((0.0, String::new()));
            if e > entry.0 {
                *entry = (e, ctx.to_string());
            }
        }

        /// Records a statistic and asserts it is within [`stat_ok`]'s tolerance.
        fn stat(&mut self, what: &str, got: f64, want: f64, ctx: &str) {
            self.see(what, got, want, ctx);
            assert!(stat_ok(got, want), "{ctx}: {what} {got} vs {want}");
        }

        /// Records a p-value and asserts it is within [`p_ok`]'s tolerance.
        fn p(&mut self, what: &str, got: f64, want: f64, ctx: &str) {
            self.see(what, got, want, ctx);
            assert!(p_ok(got, want), "{ctx}: {what} {got} vs {want}");
        }

        fn print(&self, title: &str) {
            for (k, (e, ctx)) in &self.0 {
                eprintln!("{title}: worst relative error {k}: {e:.3e} ({ctx})");
            }
        }
    }

    /// A double stored in the fixtures as a string holding Python's `repr` of it: parsed
    /// with `str::parse`, which is correctly rounded (serde_json's default number parsing is
    /// not always), so the tests see exactly the doubles scipy saw.
    #[derive(Debug, Clone, Copy)]
    struct F(f64);

    impl<'de> Deserialize<'de> for F {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = String::deserialize(d)?;
            s.parse::<f64>().map(F).map_err(serde::de::Error::custom)
        }
    }

    fn floats(v: &[F]) -> Vec<f64> {
        v.iter().map(|x| x.0).collect()
    }

    #[derive(Deserialize)]
    struct Gen {
        n: usize,
        mul: F,
        c: F,
    }

    impl Gen {
        /// `x_i = u + (c u)(1 - u)`, `u = t - floor(t)`, `t = (i + 1) mul`, as the fixture
        /// generator computes it.
        fn values(&self) -> Vec<f64> {
            (0..self.n)
                .map(|i| {
                    let t = (i + 1) as f64 * self.mul.0;
                    let u = t - t.floor();
                    u + (self.c.0 * u) * (1.0 - u)
                })
                .collect()
        }
    }

    #[derive(Deserialize)]
    struct StatP {
        #[serde(alias = "d", alias = "u")]
        stat: F,
        p: F,
    }

    #[derive(Deserialize)]
    struct WelchWant {
        t: F,
        df: F,
        p: F,
    }

    #[derive(Deserialize)]
    struct Case {
        name: String,
        a: Option<Vec<F>>,
        b: Option<Vec<F>>,
        a_gen: Option<Gen>,
        b_gen: Option<Gen>,
        ks: StatP,
        mwu: StatP,
        a12: F,
        welch: Option<WelchWant>,
        w1: F,
        mean_ci95_a: Option<[F; 3]>,
        mean_ci95_b: Option<[F; 3]>,
    }

    impl Case {
        fn data(&self) -> (Vec<f64>, Vec<f64>) {
            let pick = |v: &Option<Vec<F>>, g: &Option<Gen>| match (v, g) {
                (Some(v), _) => floats(v),
                (None, Some(g)) => g.values(),
                (None, None) => panic!("case {} has no data", self.name),
            };
            (pick(&self.a, &self.a_gen), pick(&self.b, &self.b_gen))
        }
    }

    #[derive(Deserialize)]
    struct TwoSampleFile {
        cases: Vec<Case>,
    }

    fn two_sample_cases() -> Vec<Case> {
        let file: TwoSampleFile =
            serde_json::from_str(&fixture("two_sample.json")).expect("two_sample.json");
        assert!(file.cases.len() >= 12);
        file.cases
    }

    #[test]
    fn ks_2samp_matches_scipy() {
        let mut worst = Worst::default();
        for c in two_sample_cases() {
            let (a, b) = c.data();
            let got = ks_2samp(&a, &b);
            worst.stat("D", got.d, c.ks.stat.0, &c.name);
            worst.p("p", got.p, c.ks.p.0, &c.name);
        }
        worst.print("ks_2samp");
    }

    #[test]
    fn mann_whitney_and_a12_match_scipy() {
        let mut worst = Worst::default();
        for c in two_sample_cases() {
            let (a, b) = c.data();
            let got = mann_whitney(&a, &b);
            let got_a12 = a12(&a, &b);
            worst.stat("U", got.u, c.mwu.stat.0, &c.name);
            worst.p("p", got.p, c.mwu.p.0, &c.name);
            worst.stat("A12", got_a12, c.a12.0, &c.name);
        }
        worst.print("mann_whitney/a12");
    }

    #[test]
    fn welch_matches_scipy() {
        let mut worst = Worst::default();
        for c in two_sample_cases() {
            let (a, b) = c.data();
            let got = welch(&a, &b);
            match (&c.welch, c.name.as_str()) {
                (Some(want), _) => {
                    let got = got.unwrap_or_else(|| panic!("{}: welch None", c.name));
                    worst.stat("t", got.t, want.t.0, &c.name);
                    worst.stat("df", got.df, want.df.0, &c.name);
                    worst.p("p", got.p, want.p.0, &c.name);
                }
                // scipy: NaN. Documented choice: no difference.
                (None, "both_constant_equal") => assert_eq!(
                    got,
                    Some(Welch {
                        t: 0.0,
                        df: 1.0,
                        p: 1.0
                    })
                ),
                // scipy: t = -inf, p = 0. Documented choice: undefined, caller says "constant".
                (None, "both_constant_different") => assert_eq!(got, None),
                (None, name) => panic!("{name}: unexpected case without scipy Welch values"),
            }
        }
        worst.print("welch");
    }

    #[test]
    fn wasserstein1_matches_scipy() {
        let mut worst = Worst::default();
        for c in two_sample_cases() {
            let (a, b) = c.data();
            let got = wasserstein1(&a, &b);
            worst.stat("W1", got, c.w1.0, &c.name);
        }
        worst.print("wasserstein1");
    }

    #[test]
    fn mean_ci95_matches_scipy() {
        let mut worst = Worst::default();
        let mut checked = 0;
        for c in two_sample_cases() {
            let (a, b) = c.data();
            for (x, want) in [(a, c.mean_ci95_a), (b, c.mean_ci95_b)] {
                let Some(want) = want.map(|w| w.map(|f| f.0)) else {
                    continue;
                };
                let got = mean_ci95(&x);
                let got = [got.0, got.1, got.2];
                for (g, w) in got.iter().zip(want) {
                    worst.see("mean/lo/hi", *g, w, &c.name);
                    // Bounds near 0 are differences of nearly equal numbers: compare them
                    // relative to the half-width.
                    let tol = 1e-9 * w.abs().max(want[2] - want[0]);
                    assert!((g - w).abs() <= tol, "{}: {got:?} vs {want:?}", c.name);
                }
                checked += 1;
            }
        }
        assert!(checked >= 24);
        worst.print("mean_ci95");
    }

    #[derive(Deserialize)]
    struct KsPoint {
        n: u64,
        d: F,
        sf: F,
        regime: String,
    }

    #[derive(Deserialize)]
    struct KsFile {
        points: Vec<KsPoint>,
    }

    #[test]
    fn kstwo_sf_matches_scipy() {
        let file: KsFile = serde_json::from_str(&fixture("kstwo_sf.json")).expect("kstwo_sf.json");
        let mut worst = Worst::default();
        let mut failures = Vec::new();
        for pt in &file.points {
            let got = kstwo_sf(pt.d.0, pt.n);
            let ctx = format!("n={} d={:e} want={:e} got={:e}", pt.n, pt.d.0, pt.sf.0, got);
            worst.see(&pt.regime, got, pt.sf.0, &ctx);
            if !p_ok(got, pt.sf.0) {
                failures.push(format!("{} {ctx}", pt.regime));
            }
        }
        worst.print("kstwo_sf");
        assert!(file.points.len() > 1000);
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[derive(Deserialize)]
    struct HolmCase {
        p: Vec<F>,
        adjusted: Vec<F>,
    }

    #[derive(Deserialize)]
    struct HolmFile {
        cases: Vec<HolmCase>,
    }

    #[test]
    fn holm_matches_statsmodels() {
        let file: HolmFile = serde_json::from_str(&fixture("holm.json")).expect("holm.json");
        let mut worst = Worst::default();
        for c in &file.cases {
            let (p, adjusted) = (floats(&c.p), floats(&c.adjusted));
            let got = holm(&p);
            assert_eq!(got.len(), adjusted.len());
            for (g, w) in got.iter().zip(&adjusted) {
                worst.see("adjusted p", *g, *w, &format!("{p:?}"));
                assert!(rel_err(*g, *w) <= 1e-12, "{p:?}: {got:?} vs {adjusted:?}");
            }
        }
        worst.print("holm");
    }

    #[test]
    fn holm_is_monotone_capped_and_keeps_order() {
        let p = [0.2, 0.01, 0.9, 0.01, 0.04];
        let adj = holm(&p);
        assert_eq!(adj, vec![0.4, 0.05, 0.9, 0.05, 0.12]);
        let mut order: Vec<usize> = (0..p.len()).collect();
        order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
        for w in order.windows(2) {
            assert!(adj[w[0]] <= adj[w[1]]);
        }
        assert!(adj.iter().all(|&x| (0.0..=1.0).contains(&x)));
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn degenerate_inputs_are_well_defined() {
        let c1 = [2.5; 7];
        let c2 = [2.5; 4];
        let c3 = [4.0; 5];
        // Both constant and equal.
        assert_eq!(ks_2samp(&c1, &c2), Ks { d: 0.0, p: 1.0 });
        assert_eq!(mann_whitney(&c1, &c2).p, 1.0);
        assert_eq!(a12(&c1, &c2), 0.5);
        assert_eq!(
            welch(&c1, &c2),
            Some(Welch {
                t: 0.0,
                df: 1.0,
                p: 1.0
            })
        );
        assert_eq!(wasserstein1(&c1, &c2), 0.0);
        assert_eq!(mean_ci95(&c1), (2.5, 2.5, 2.5));
        // Both constant, different.
        assert_eq!(ks_2samp(&c1, &c3), Ks { d: 1.0, p: 0.0 });
        assert_eq!(a12(&c1, &c3), 0.0);
        assert_eq!(welch(&c1, &c3), None);
        assert_eq!(wasserstein1(&c1, &c3), 1.5);
        // One value each: scipy gives NaN for the KS p-value; here it is 1 or 0.
        assert_eq!(ks_2samp(&[1.0], &[1.0]), Ks { d: 0.0, p: 1.0 });
        assert_eq!(ks_2samp(&[1.0], &[2.0]), Ks { d: 1.0, p: 0.0 });
        assert_eq!(welch(&[1.0], &[1.0, 2.0]), None);
        assert_eq!(mean_ci95(&[3.0]), (3.0, 3.0, 3.0));
        let mw = mann_whitney(&[1.0], &[2.0]);
        assert!(mw.u == 0.0 && mw.p.is_finite());
        // Constant mean of values that do not sum exactly.
        assert_eq!(mean_ci95(&[0.1; 3]), (0.1, 0.1, 0.1));
        assert_eq!(welch(&[0.1; 3], &[0.1; 5]).map(|w| w.t), Some(0.0));
        // Empty input: documented NaN / None, no panic.
        assert!(ks_2samp(&[], &[1.0]).d.is_nan());
        assert!(mann_whitney(&[1.0], &[]).p.is_nan());
        assert!(a12(&[], &[]).is_nan());
        assert!(wasserstein1(&[], &[1.0]).is_nan());
        assert_eq!(welch(&[], &[1.0, 2.0]), None);
        assert!(mean_ci95(&[]).0.is_nan());
        assert!(
            bootstrap_diff(&[], &[1.0], false, 10, ChaCha8Rng::seed_from_u64(1))
                .0
                .is_nan()
        );
        // NaN input does not panic.
        let with_nan = [1.0, f64::NAN, 0.5];
        let _ = ks_2samp(&with_nan, &[0.2, f64::NAN]);
        let _ = mann_whitney(&with_nan, &[0.2]);
        let _ = wasserstein1(&with_nan, &[0.2]);
        let _ = holm(&[0.1, f64::NAN]);
        // kstwo_sf at the edges.
        assert_eq!(kstwo_sf(0.0, 10), 1.0);
        assert_eq!(kstwo_sf(-1.0, 10), 1.0);
        assert_eq!(kstwo_sf(1.0, 10), 0.0);
        assert_eq!(kstwo_sf(0.3, 1), 1.0);
        assert!((kstwo_sf(0.75, 1) - 0.5).abs() < 1e-15);
        assert!(kstwo_sf(0.5, 0).is_nan());
        assert!(kstwo_sf(f64::NAN, 5).is_nan());
    }

    #[test]
    fn kstwo_sf_is_monotone_in_d() {
        for n in [1u64, 3, 10, 60, 140, 141, 500, 5000, 100_000, 300_000] {
            let mut prev = 1.0;
            for i in 1..=400 {
                let d = f64::from(i) / 400.0;
                let sf = kstwo_sf(d, n);
                assert!((0.0..=1.0).contains(&sf), "n={n} d={d} sf={sf}");
                assert!(sf <= prev + 1e-9, "n={n} d={d}: {sf} > {prev}");
                prev = sf;
            }
        }
    }

    #[test]
    fn student_t_tail_and_quantile() {
        // Cauchy (1 df): P(T >= t) = atan(1/t)/pi for t > 0.
        for t in [0.1f64, 1.0, 3.0, 50.0, 1e6, 1e200] {
            let want = t.recip().atan() / PI;
            assert!(rel_err(student_t_sf(t, 1.0), want) < 1e-12, "t={t}");
        }
        // 2 df: P(T >= t) = (1 - t / sqrt(t^2 + 2)) / 2.
        for t in [0.5f64, 2.0, 10.0] {
            let want = 0.5 * (1.0 - t / (t * t + 2.0).sqrt());
            assert!(rel_err(student_t_sf(t, 2.0), want) < 1e-12, "t={t}");
        }
        let got = student_t_sf(-1.0, 1.0);
        assert!((got - 0.75).abs() < 1e-14, "{got}");
        assert_eq!(student_t_sf(f64::INFINITY, 3.0), 0.0);
        // t_{0.975} quantiles (scipy.stats.t.ppf(0.975, df)).
        for (df, want) in [
            (1.0, 12.706204736174694),
            (4.0, 2.7764451051977934),
            (29.0, 2.045229642132703),
            (1e6, 1.959966356814107),
        ] {
            // The t tail loses ~4e-17 df relative accuracy (see beta_inc_reg).
            let got = student_t_isf(0.025, df);
            assert!(rel_err(got, want) < 1e-10, "df={df}: {got} vs {want}");
        }
    }

    #[test]
    fn bootstrap_is_deterministic_for_a_seed() {
        let a: Vec<f64> = (0..40).map(|i| f64::from(i % 7) * 0.3).collect();
        let b: Vec<f64> = (0..55).map(|i| f64::from(i % 5) * 0.4 + 0.1).collect();
        for paired in [false, true] {
            let x = bootstrap_diff(&a, &b, paired, 2000, ChaCha8Rng::seed_from_u64(42));
            let y = bootstrap_diff(&a, &b, paired, 2000, ChaCha8Rng::seed_from_u64(42));
            assert_eq!(x, y);
            let z = bootstrap_diff(&a, &b, paired, 2000, ChaCha8Rng::seed_from_u64(43));
            assert_ne!((x.1, x.2), (z.1, z.2));
            assert!(x.1 <= x.0 && x.0 <= x.2, "{x:?}");
        }
        // Lengths differ: `paired` falls back to the unpaired bootstrap.
        assert_eq!(
            bootstrap_diff(&a, &b, true, 500, ChaCha8Rng::seed_from_u64(7)),
            bootstrap_diff(&a, &b, false, 500, ChaCha8Rng::seed_from_u64(7))
        );
        let (d, lo, hi) = bootstrap_diff(&a, &b, false, 0, ChaCha8Rng::seed_from_u64(7));
        assert!(d.is_finite() && lo.is_nan() && hi.is_nan());
    }

    #[test]
    fn paired_bootstrap_contains_true_difference() {
        // b_i = a_i + 2 + small noise: large between-run spread, tiny within-pair spread.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let a: Vec<f64> = (0..30).map(|_| rng.random_range(0.0..100.0)).collect();
        let b: Vec<f64> = a
            .iter()
            .map(|x| x + 2.0 + rng.random_range(-0.5..0.5))
            .collect();
        let (d, lo, hi) = bootstrap_diff(&a, &b, true, 5000, ChaCha8Rng::seed_from_u64(1));
        assert!(lo < 2.0 && 2.0 < hi, "({d}, {lo}, {hi})");
        assert!(
            hi - lo < 0.5,
            "paired interval should be narrow: ({lo}, {hi})"
        );
        // The unpaired interval ignores the pairing and is much wider.
        let (_, ulo, uhi) = bootstrap_diff(&a, &b, false, 5000, ChaCha8Rng::seed_from_u64(1));
        assert!(uhi - ulo > 10.0 * (hi - lo));
    }

    #[test]
    fn erfc_and_ln_gamma_are_accurate() {
        // (x, erfc(x)) from mpmath at 40 digits.
        for (x, want) in [
            (-1.5, 1.9661051464753107),
            (0.01, 0.9887165844441503),
            (0.5, 0.4795001221869535),
            (0.6172133998483676, 0.3827330888852261),
            (1.0, 0.15729920705028513),
            (2.0, 0.004677734981047266),
            (5.0, 1.537459794428035e-12),
            (10.0, 2.088487583762545e-45),
            (26.0, 5.663192408856143e-296),
        ] {
            let got = erfc(x);
            assert!(
                rel_err(got, want) < 2e-15,
                "erfc({x}) = {got:e}, want {want:e}"
            );
        }
        assert_eq!(erfc(30.0), 0.0);
        assert_eq!(erfc(f64::INFINITY), 0.0);
        for (x, want) in [
            (0.5, 0.5723649429247001),
            (1.0, 0.0),
            (3.7, 1.4280723266653879),
            (10.0, 12.80182748008147),
            (1e5, 1051287.7089736569),
        ] {
            let got = ln_gamma(x);
            assert!(
                (got - want).abs() <= 1e-14 * want.abs().max(1.0),
                "ln_gamma({x}) = {got}"
            );
        }
    }

    #[test]
    fn percentile_is_numpy_linear() {
        let v = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(percentile_linear(&v, 0.0), 1.0);
        assert_eq!(percentile_linear(&v, 1.0), 8.0);
        assert_eq!(percentile_linear(&v, 0.5), 3.0);
        assert!((percentile_linear(&v, 0.025) - 1.075).abs() < 1e-15);
        assert!((percentile_linear(&v, 0.975) - 7.7).abs() < 1e-12);
        assert_eq!(percentile_linear(&[5.0], 0.975), 5.0);
    }
}
