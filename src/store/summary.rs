//! `summary.json`, and the descriptive statistics of one metric across the runs of an
//! experiment that it records.
//!
//! [`summarize`] turns the per-run values of a metric into a [`MetricSummary`]:
//! count, mean, sample standard deviation, min/max, the 5/25/50/75/95th
//! percentiles and an equal-width [`Histogram`] of [`HISTOGRAM_BINS`] bins;
//! [`Summary`] holds one per metric, as `summary.json` does.
//!
//! Everything here is pure computation: this module does no I/O, keeps no
//! state and uses no randomness. Results depend only on the contents and the
//! order of the input slice, so they are bit-for-bit reproducible.

use serde::{Deserialize, Serialize};

/// Number of bins in the histogram built by [`summarize`].
pub const HISTOGRAM_BINS: usize = 10;

/// Equal-width histogram over the closed range `[lo, hi]`.
///
/// With `k = counts.len()` bins of width `w = (hi - lo) / k`, bin `i` covers
/// `[lo + i*w, lo + (i+1)*w)`; the last bin is closed, `[lo + (k-1)*w, hi]`,
/// so the maximum is always counted. This is the same binning as
/// `numpy.histogram(values, bins=k, range=(lo, hi))`, including numpy's edge
/// positions `lo + i*w` (see the numpy reference for `numpy.histogram`).
///
/// When `lo == hi` (constant input) every value is counted in the middle
/// bin, index `k / 2`, which is also where numpy puts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Lower edge of the first bin (the minimum of the data).
    pub lo: f64,
    /// Upper edge of the last bin (the maximum of the data).
    pub hi: f64,
    /// Number of values in each bin, lowest bin first.
    pub counts: Vec<u64>,
}

/// Summary statistics of one metric; built by [`summarize`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSummary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (denominator `n - 1`); 0 when `n == 1`.
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile (type 7).
    pub p5: f64,
    /// 25th percentile (type 7).
    pub p25: f64,
    /// Median (type 7).
    pub p50: f64,
    /// 75th percentile (type 7).
    pub p75: f64,
    /// 95th percentile (type 7).
    pub p95: f64,
    /// Largest value.
    pub max: f64,
    /// Histogram of [`HISTOGRAM_BINS`] equal-width bins over `[min, max]`.
    pub histogram: Histogram,
}

/// `summary.json`: per metric, in column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub runs: u64,
    pub metrics: Vec<NamedSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedSummary {
    pub metric: String,
    #[serde(flatten)]
    pub summary: MetricSummary,
}

/// A summary statistic that is not a finite number (JSON has none): which metric, which
/// statistic, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct NotFinite {
    pub metric: String,
    pub statistic: &'static str,
    pub value: f64,
}

/// Checks that every statistic of a metric's summary, and the sum behind its mean (which
/// is clamped into [min, max] and so would hide an overflow), is a finite number.
pub fn check_finite(metric: &str, s: &MetricSummary, column: &[f64]) -> Result<(), NotFinite> {
    let sum: f64 = column.iter().sum();
    let stats = [
        ("mean", s.mean),
        ("standard deviation", s.sd),
        ("minimum", s.min),
        ("maximum", s.max),
        ("5th percentile", s.p5),
        ("25th percentile", s.p25),
        ("median", s.p50),
        ("75th percentile", s.p75),
        ("95th percentile", s.p95),
        ("sum", sum),
    ];
    match stats.into_iter().find(|(_, v)| !v.is_finite()) {
        Some((statistic, value)) => Err(NotFinite {
            metric: metric.to_string(),
            statistic,
            value,
        }),
        None => Ok(()),
    }
}

impl Summary {
    /// Summarizes `values`, one row of `names.len()` metrics per run, in run order. No runs
    /// (an empty shard) give no metrics. A statistic that overflows (values near `f64::MAX`)
    /// is an error, never a `null` that `summary.json` could not be read back with.
    pub fn of(
        scenario: &str,
        seed: u64,
        names: &[String],
        values: &[f64],
    ) -> Result<Summary, NotFinite> {
        let width = names.len();
        let runs = values.len().checked_div(width).unwrap_or(0);
        if runs == 0 {
            return Ok(Summary {
                scenario: scenario.to_string(),
                seed,
                runs: 0,
                metrics: Vec::new(),
            });
        }
        let mut column = Vec::with_capacity(runs);
        let metrics = names
            .iter()
            .enumerate()
            .map(|(m, name)| {
                column.clear();
                column.extend((0..runs).map(|r| values[r * width + m]));
                let summary = summarize(&column);
                check_finite(name, &summary, &column)?;
                Ok(NamedSummary {
                    metric: name.clone(),
                    summary,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Summary {
            scenario: scenario.to_string(),
            seed,
            runs: runs as u64,
            metrics,
        })
    }
}

/// Summarizes the values of one metric.
///
/// Preconditions: `values` is non-empty and every value is finite.
///
/// * `mean = (x_0 + x_1 + ... + x_{n-1}) / n`, summed left to right in index
///   order (plain summation, no pairwise or compensated tricks, so the result
///   is deterministic for a given slice). Rounding can put such a sum a few
///   ulps outside the data range; the mean is therefore clamped to
///   `[min, max]`, which in particular makes the mean of a constant slice
///   equal that constant exactly.
/// * `sd = sqrt( sum_i (x_i - mean)^2 / (n - 1) )`, the sample standard
///   deviation (Bessel's correction), computed in two passes (mean first,
///   then squared deviations, again summed in index order); `sd = 0` when
///   `n == 1`. Reference: Chan, Golub & LeVeque, "Algorithms for computing
///   the sample variance: analysis and recommendations", The American
///   Statistician 37(3), 1983 (the two-pass algorithm).
/// * `p5 ... p95` are [`quantile_sorted`] (Hyndman & Fan type 7, numpy's
///   default `"linear"` method) of the values sorted with [`f64::total_cmp`].
/// * `histogram`: [`HISTOGRAM_BINS`] equal-width bins over `[min, max]`, see
///   [`Histogram`].
///
/// The result depends only on the slice contents and order (the order only
/// affects the last bits of `mean` and `sd`).
///
/// Violated preconditions never panic: an empty slice gives `n == 0`, NaN for
/// every statistic and a histogram of zero counts over `[NaN, NaN]`; non-finite
/// values give meaningless (but non-panicking) results.
pub fn summarize(values: &[f64]) -> MetricSummary {
    let n = values.len();
    if n == 0 {
        let nan = f64::NAN;
        return MetricSummary {
            n: 0,
            mean: nan,
            sd: nan,
            min: nan,
            p5: nan,
            p25: nan,
            p50: nan,
            p75: nan,
            p95: nan,
            max: nan,
            histogram: Histogram {
                lo: nan,
                hi: nan,
                counts: vec![0; HISTOGRAM_BINS],
            },
        };
    }

    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let min = sorted[0];
    let max = sorted[n - 1];

    let sum = values.iter().fold(0.0_f64, |acc, &x| acc + x);
    let raw_mean = sum / n as f64;
    // `max`/`min` rather than `clamp`: `clamp` panics on NaN bounds.
    let mean = raw_mean.max(min).min(max);

    let sd = if n == 1 {
        0.0
    } else {
        let ss = values.iter().fold(0.0_f64, |acc, &x| {
            let d = x - mean;
            acc + d * d
        });
        (ss / (n - 1) as f64).sqrt()
    };

    MetricSummary {
        n,
        mean,
        sd,
        min,
        p5: quantile_sorted(&sorted, 0.05),
        p25: quantile_sorted(&sorted, 0.25),
        p50: quantile_sorted(&sorted, 0.50),
        p75: quantile_sorted(&sorted, 0.75),
        p95: quantile_sorted(&sorted, 0.95),
        max,
        histogram: histogram(values, min, max, HISTOGRAM_BINS),
    }
}

/// Quantile `q` of an ascending `sorted` slice, by linear interpolation
/// between order statistics (Hyndman & Fan 1996, "Sample quantiles in
/// statistical packages", The American Statistician 50(4), definition 7; the
/// default of R's `quantile` and numpy's `method="linear"`).
///
/// With `h = (n - 1) * q`, `j = floor(h)` and `g = h - j` (0-based indices):
/// `Q(q) = x_j + g * (x_{j+1} - x_j)`, and `Q(q) = x_{n-1}` when `j = n - 1`.
/// Like numpy's `_lerp`, the interpolation is evaluated as
/// `x_{j+1} - (1 - g) * (x_{j+1} - x_j)` when `g >= 0.5`, which makes it exact
/// at both ends and bit-identical to `numpy.quantile`.
///
/// Preconditions: `q` in `[0, 1]`, `sorted` non-empty and ascending. A `q`
/// outside `[0, 1]` is clamped; an empty slice or a NaN `q` gives NaN.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || q.is_nan() {
        return f64::NAN;
    }
    let q = q.clamp(0.0, 1.0);
    let h = (n - 1) as f64 * q;
    let j = (h.floor() as usize).min(n - 1);
    let g = h - j as f64;
    let a = sorted[j];
    let b = sorted[(j + 1).min(n - 1)];
    if g == 0.0 || a == b {
        return a;
    }
    let diff = b - a;
    if !diff.is_finite() {
        // Only reachable for values near ±f64::MAX: avoid the overflow.
        return a * (1.0 - g) + b * g;
    }
    if g < 0.5 {
        a + diff * g
    } else {
        b - diff * (1.0 - g)
    }
}

/// Counts `values` into `bins` equal-width bins over `[lo, hi]`, with the
/// same arithmetic as `numpy.histogram`: a first guess
/// `floor((x - lo) * bins / (hi - lo))`, then corrected against the edges
/// `lo + i * ((hi - lo) / bins)` so that the count is consistent with them.
fn histogram(values: &[f64], lo: f64, hi: f64, bins: usize) -> Histogram {
    let mut counts = vec![0_u64; bins];
    if bins == 0 {
        return Histogram { lo, hi, counts };
    }
    if lo == hi {
        counts[bins / 2] = values.len() as u64;
        return Histogram { lo, hi, counts };
    }
    let width = (hi - lo) / bins as f64;
    let norm = bins as f64 / (hi - lo);
    let edge = |i: usize| {
        if i == bins { hi } else { lo + i as f64 * width }
    };
    for &x in values {
        // `as usize` saturates (and maps NaN to 0), so this never panics.
        let mut i = (((x - lo) * norm) as usize).min(bins - 1);
        while i > 0 && x < edge(i) {
            i -= 1;
        }
        while i + 1 < bins && x >= edge(i + 1) {
            i += 1;
        }
        counts[i] += 1;
    }
    Histogram { lo, hi, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The probabilities used for the numpy reference quantiles below.
    const QS: [f64; 10] = [0.0, 0.05, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.75, 0.9, 0.95, 1.0];

    /// A reference case; every expected number was computed once with
    /// numpy 2.4.6 (`x = np.array(values, dtype=np.float64)`):
    /// `mean = np.mean(x)`, `sd = np.std(x, ddof=1)`,
    /// `quantiles = [np.quantile(x, q) for q in QS]` (default `method="linear"`),
    /// `hist = np.histogram(x, bins=10, range=(x.min(), x.max()))[0]`,
    /// each float printed with `repr(float(...))`.
    struct Case {
        values: &'static [f64],
        mean: f64,
        sd: f64,
        quantiles: [f64; 10],
        hist: [u64; 10],
    }

    const N1: Case = Case {
        values: &[3.7],
        mean: 3.7,
        sd: 0.0, // n == 1: defined as 0 (numpy would give nan for ddof=1)
        quantiles: [3.7; 10],
        hist: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    };

    const N2: Case = Case {
        values: &[1.0, -2.5],
        mean: -0.75,
        sd: 2.4748737341529163,
        quantiles: [
            -2.5,
            -2.325,
            -2.15,
            -1.625,
            -1.3333333333333335,
            -0.75,
            0.125,
            0.6500000000000001,
            0.8249999999999998,
            1.0,
        ],
        hist: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    };

    const TIES: Case = Case {
        values: &[2.0, 2.0, 2.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 9.0],
        mean: 2.9,
        sd: 2.64365067451978,
        quantiles: [
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            2.0,
            4.25,
            5.399999999999999,
            7.199999999999996,
            9.0,
        ],
        hist: [4, 3, 0, 0, 0, 2, 0, 0, 0, 1],
    };

    const NEG: Case = Case {
        values: &[-3.2, -0.5, -7.25, 0.0, 4.125, -1e-3, 10.5, -3.2],
        mean: 0.059250000000000025,
        sd: 5.352303129094454,
        quantiles: [
            -7.25,
            -5.8325,
            -4.415,
            -3.2,
            -2.3000000000000007,
            -0.2505,
            1.03125,
            6.037499999999999,
            8.268749999999997,
            10.5,
        ],
        hist: [1, 0, 2, 1, 2, 0, 1, 0, 0, 1],
    };

    const MIXED: Case = Case {
        values: &[
            0.3, 17.0, -4.75, 2.2, 2.2, 1e-4, 8.8, 3.16227, -0.07, 12.5, 6.0, 0.333, 5.5, -2.0,
            1.0, 9.99, 4.4, 0.0, 7.25, 11.0, -1.5,
        ],
        mean: 3.9673985714285713,
        sd: 5.480946818966853,
        quantiles: [
            -4.75, -2.0, -1.5, 0.0001, 0.322, 2.2, 7.25, 11.0, 12.5, 17.0,
        ],
        hist: [1, 2, 6, 3, 3, 1, 2, 2, 0, 1],
    };

    const CASES: [&Case; 5] = [&N1, &N2, &TIES, &NEG, &MIXED];

    /// Relative tolerance 1e-12 (absolute 1e-12 around zero).
    fn assert_close(got: f64, want: f64, what: &str) {
        let tol = 1e-12 * want.abs().max(1.0);
        assert!(
            (got - want).abs() <= tol,
            "{what}: got {got:?}, numpy {want:?}"
        );
    }

    fn sorted(values: &[f64]) -> Vec<f64> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn quantiles_match_numpy_linear() {
        for (ci, case) in CASES.iter().enumerate() {
            let s = sorted(case.values);
            for (q, want) in QS.iter().zip(case.quantiles) {
                assert_close(quantile_sorted(&s, *q), want, &format!("case {ci} q {q}"));
            }
        }
    }

    #[test]
    fn summary_matches_numpy() {
        for (ci, case) in CASES.iter().enumerate() {
            let s = summarize(case.values);
            let what = |f: &str| format!("case {ci} {f}");
            assert_eq!(s.n, case.values.len());
            assert_close(s.mean, case.mean, &what("mean"));
            assert_close(s.sd, case.sd, &what("sd"));
            // QS[1] = 0.05, QS[3] = 0.25, QS[5] = 0.5, QS[6] = 0.75, QS[8] = 0.95
            assert_close(s.min, case.quantiles[0], &what("min"));
            assert_close(s.p5, case.quantiles[1], &what("p5"));
            assert_close(s.p25, case.quantiles[3], &what("p25"));
            assert_close(s.p50, case.quantiles[5], &what("p50"));
            assert_close(s.p75, case.quantiles[6], &what("p75"));
            assert_close(s.p95, case.quantiles[8], &what("p95"));
            assert_close(s.max, case.quantiles[9], &what("max"));
            assert_eq!(s.histogram.counts, case.hist, "{}", what("histogram"));
            assert_eq!(s.histogram.lo, s.min);
            assert_eq!(s.histogram.hi, s.max);
        }
    }

    #[test]
    fn histogram_counts_sum_to_n() {
        for case in CASES {
            let s = summarize(case.values);
            assert_eq!(s.histogram.counts.len(), HISTOGRAM_BINS);
            assert_eq!(s.histogram.counts.iter().sum::<u64>(), s.n as u64);
        }
        // Values that sit exactly on bin edges, and awkward decimal ranges.
        let edges: Vec<f64> = (0..=100).map(|i| f64::from(i) * 0.01).collect();
        let odd: Vec<f64> = (0..997)
            .map(|i| (f64::from(i) * 0.7312).sin() * 1e3 - 0.3)
            .collect();
        for v in [&edges, &odd] {
            let s = summarize(v);
            assert_eq!(s.histogram.counts.iter().sum::<u64>(), v.len() as u64);
        }
        // Same edge arithmetic as numpy: `x = np.arange(101) * 0.01;
        // np.histogram(x, bins=10, range=(x.min(), x.max()))[0]`.
        assert_eq!(
            summarize(&edges).histogram.counts,
            [10, 10, 11, 9, 10, 11, 9, 10, 10, 11]
        );
    }

    #[test]
    fn constant_input() {
        let v = [0.1; 7];
        let s = summarize(&v);
        assert_eq!(s.n, 7);
        // Left-to-right 0.1 + 0.1 + ... is not exactly 0.7; the clamp fixes it.
        assert_eq!(s.mean, 0.1);
        assert_eq!(s.sd, 0.0);
        for x in [s.min, s.p5, s.p25, s.p50, s.p75, s.p95, s.max] {
            assert_eq!(x, 0.1);
        }
        assert_eq!(s.histogram.lo, 0.1);
        assert_eq!(s.histogram.hi, 0.1);
        assert_eq!(s.histogram.counts, [0, 0, 0, 0, 0, 7, 0, 0, 0, 0]);
    }

    #[test]
    fn single_value_has_zero_sd() {
        let s = summarize(&[-42.5]);
        assert_eq!((s.n, s.mean, s.sd), (1, -42.5, 0.0));
        assert_eq!((s.min, s.p50, s.max), (-42.5, -42.5, -42.5));
    }

    #[test]
    fn depends_only_on_contents_and_order() {
        let a = summarize(MIXED.values);
        let copy: Vec<f64> = MIXED.values.to_vec();
        let b = summarize(&copy);
        assert_eq!(a, b);
        // Reordering changes nothing but possibly the last bits of mean/sd.
        let mut rev = MIXED.values.to_vec();
        rev.reverse();
        let r = summarize(&rev);
        assert_eq!(
            (r.min, r.p5, r.p25, r.p50, r.p75, r.p95, r.max),
            (a.min, a.p5, a.p25, a.p50, a.p75, a.p95, a.max)
        );
        assert_eq!(r.histogram, a.histogram);
        assert_close(r.mean, a.mean, "reversed mean");
        assert_close(r.sd, a.sd, "reversed sd");
    }

    #[test]
    fn quantile_edge_cases() {
        assert!(quantile_sorted(&[], 0.5).is_nan());
        assert!(quantile_sorted(&[1.0, 2.0], f64::NAN).is_nan());
        assert_eq!(quantile_sorted(&[1.0, 2.0], -3.0), 1.0);
        assert_eq!(quantile_sorted(&[1.0, 2.0], 7.0), 2.0);
        assert_eq!(quantile_sorted(&[-f64::MAX, f64::MAX], 0.5), 0.0);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let e = summarize(&[]);
        assert_eq!(e.n, 0);
        assert!(e.mean.is_nan() && e.sd.is_nan() && e.p50.is_nan());
        assert_eq!(e.histogram.counts, [0; HISTOGRAM_BINS]);
        let weird = summarize(&[f64::NAN, f64::INFINITY, -f64::INFINITY, 1.0]);
        assert_eq!(weird.histogram.counts.len(), HISTOGRAM_BINS);
        let huge = summarize(&[-f64::MAX, f64::MAX, 0.0]);
        assert_eq!(huge.histogram.counts.iter().sum::<u64>(), 3);
    }

    #[test]
    fn serde_round_trip() {
        let s = summarize(NEG.values);
        let json = serde_json::to_string(&s).expect("serialize");
        let back: MetricSummary = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, s);
    }
}
