//! Plain-text summary table of an experiment, for the terminal.
//!
//! [`summary_table`] renders one row per metric from the
//! [`MetricSummary`] values of `summary.json`;
//! [`format_sig`] is the compact significant-digit number format it uses.
//! This module only builds strings: it does no I/O.

use crate::store::summary::{Histogram, MetricSummary};

/// Significant digits of the numbers in [`summary_table`].
const SIG_DIGITS: usize = 4;

/// Integer-valued metrics are printed in full only below this magnitude, so
/// a cell never exceeds 10 characters (`-999999999`); larger values fall
/// back to [`format_sig`].
const INTEGER_LIMIT: f64 = 1e9;

/// Largest number of significant digits [`format_sig`] honours: every
/// `f64` has an exact decimal expansion of at most 767 significant digits,
/// so more could only add zeros (and a huge request would only allocate).
const MAX_DIGITS: usize = 767;

/// Gap between columns.
const GAP: &str = "  ";

/// Renders the terminal summary table of an experiment.
///
/// One row per metric with the columns `metric`, `mean`, `sd`, `p5`, `p50`,
/// `p95` and `histogram` (the [`sparkline`] of the metric's histogram),
/// under a header line and a rule of dashes. Names are left-aligned, numbers
/// right-aligned, columns separated by two spaces, each column as wide as its
/// widest cell; trailing spaces are trimmed and every line, the last
/// included, ends with `'\n'`.
///
/// Numbers are printed with `format_sig(x, 4)` (e.g. `0.4312`, `12.35`,
/// `2501`, `1.2e+06`, `0`, `-0.0123`). A row whose `integer` flag is set is
/// printed with plain integers instead (e.g. `25013` rather than
/// `2.501e+04`) when all five printed values (mean, sd, p5, p50, p95) are
/// integral and below 10^9 in magnitude; otherwise it uses `format_sig` too.
///
/// Width: a number cell is at most 11 characters (`-1.235e-100`; a
/// non-negative sd at most 10), so with metric names of up to 24 characters
/// and 10-bin histograms every line fits in 100 columns.
///
/// The slices are parallel. Rows are `0..min(names.len(), summaries.len())`;
/// a missing `integer` flag counts as `false`.
pub fn summary_table(names: &[&str], integer: &[bool], summaries: &[MetricSummary]) -> String {
    const HEADERS: [&str; 7] = ["metric", "mean", "sd", "p5", "p50", "p95", "histogram"];
    // Right-aligned columns; the others are left-aligned.
    const RIGHT: [bool; 7] = [false, true, true, true, true, true, false];

    let mut rows: Vec<[String; 7]> = Vec::with_capacity(summaries.len());
    for (i, (name, s)) in names.iter().zip(summaries).enumerate() {
        let values = [s.mean, s.sd, s.p5, s.p50, s.p95];
        let as_integers = integer.get(i).copied().unwrap_or(false)
            && values
                .iter()
                .all(|v| v.fract() == 0.0 && v.abs() < INTEGER_LIMIT);
        let fmt = |v: f64| {
            if as_integers {
                format_integer(v)
            } else {
                format_sig(v, SIG_DIGITS)
            }
        };
        rows.push([
            (*name).to_string(),
            fmt(s.mean),
            fmt(s.sd),
            fmt(s.p5),
            fmt(s.p50),
            fmt(s.p95),
            sparkline(&s.histogram),
        ]);
    }

    let mut table: Vec<Vec<String>> = vec![HEADERS.map(str::to_string).to_vec()];
    table.extend(rows.into_iter().map(|r| r.to_vec()));
    aligned(&table, &RIGHT)
}

/// Renders rows of cells as aligned columns: the first row is the header, followed by a rule
/// of dashes; each column is as wide as its widest cell and right-aligned where `right` says
/// so (left-aligned past its end); columns are two spaces apart; trailing spaces are trimmed
/// and every line ends with `'\n'`.
pub fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let render = |cells: &[String]| {
        let mut line = String::new();
        for (col, cell) in cells.iter().enumerate() {
            if col > 0 {
                line.push_str(GAP);
            }
            let w = widths[col];
            if right.get(col).copied().unwrap_or(false) {
                line.push_str(&format!("{cell:>w$}"));
            } else {
                line.push_str(&format!("{cell:<w$}"));
            }
        }
        let mut line = line.trim_end().to_string();
        line.push('\n');
        line
    };
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        out.push_str(&render(row));
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            out.push_str(&render(&rule));
        }
    }
    out
}

/// Formats `x` with `digits` significant digits in the compact form of C's
/// `printf("%.{digits}g")` (ISO C11 §7.21.6.1, the `g` conversion; also
/// Python's `'%.4g' % x`).
///
/// With `P = max(digits, 1)` and `X` the decimal exponent of `x` after
/// rounding to `P` significant digits (round half to even on the exact
/// binary value): if `-4 <= X < P` the number is written in fixed notation
/// with `P - 1 - X` decimals, otherwise in scientific notation `d.ddde±XX`
/// (at least two exponent digits); trailing zeros of the fraction, and then a
/// trailing decimal point, are removed. Examples with `digits = 4`:
/// `0.4312`, `12.35` (12.3456), `2501`, `1.2e+06`, `0`, `-0.0123`,
/// `1.234e+04` (12345), `1e-05`.
///
/// Departures from `%g`: zero of either sign is `"0"`; non-finite values are
/// `"NaN"`, `"inf"` and `"-inf"`; `digits` above 767 (the longest exact
/// decimal expansion of an `f64`) is treated as 767.
pub fn format_sig(x: f64, digits: usize) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let p = digits.clamp(1, MAX_DIGITS);
    // Rust's `{:e}` rounds correctly and reports the post-rounding exponent,
    // e.g. 9.9996 with 4 digits gives "1.000e1".
    let sci = format!("{:.*e}", p - 1, x);
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    // `p <= MAX_DIGITS`, so the conversion is lossless.
    let p = p as i64;
    if exp < -4 || exp >= p {
        let sign = if exp < 0 { '-' } else { '+' };
        format!(
            "{}e{}{:02}",
            strip_fraction_zeros(mantissa),
            sign,
            exp.unsigned_abs()
        )
    } else {
        // -4 <= exp < p, so 0 <= p - 1 - exp <= p + 3.
        let decimals = usize::try_from(p - 1 - exp).unwrap_or(0);
        strip_fraction_zeros(&format!("{x:.decimals$}")).to_string()
    }
}

/// `"12.3400"` -> `"12.34"`, `"2.000"` -> `"2"`, `"2500"` -> `"2500"`.
fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// An integral `v` (|v| < 10^9) in full, without the sign of a negative zero.
fn format_integer(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v:.0}")
    }
}

/// Renders a histogram as one character per bin (so `HISTOGRAM_BINS`
/// characters for a histogram of `summary.json`), chosen from the nine
/// levels `' ▁▂▃▄▅▆▇█'`.
///
/// With `m` the largest count, a bin of count `c` gets level
/// `round(8 * c / m)` (half away from zero, integer arithmetic), raised to
/// at least 1 when `c > 0`: an empty bin is `' '`, any non-empty bin is at
/// least `'▁'`, and the largest bin is `'█'`. This is the classic
/// "sparkline" of Tufte, "Beautiful Evidence" (2006), drawn with the Unicode
/// block elements U+2581..U+2588. All-zero counts give all spaces.
pub fn sparkline(h: &Histogram) -> String {
    const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let m = u128::from(h.counts.iter().copied().max().unwrap_or(0));
    h.counts
        .iter()
        .map(|&c| {
            if c == 0 || m == 0 {
                return LEVELS[0];
            }
            let c = u128::from(c);
            let level = ((8 * c + m / 2) / m).clamp(1, 8);
            // `level` is in 1..=8 by the clamp, so the index is in bounds.
            LEVELS[level as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::summary::{HISTOGRAM_BINS, summarize};

    #[test]
    fn format_sig_examples_from_the_spec() {
        assert_eq!(format_sig(0.4312, 4), "0.4312");
        assert_eq!(format_sig(12.3456, 4), "12.35");
        assert_eq!(format_sig(2501.0, 4), "2501");
        assert_eq!(format_sig(1.2e6, 4), "1.2e+06");
        assert_eq!(format_sig(0.0, 4), "0");
        assert_eq!(format_sig(-0.0123, 4), "-0.0123");
    }

    /// Expected strings computed with Python 3: `'%.4g' % x`, `'%.1g' % x`
    /// and `'%.6g' % x` (C printf `%g` semantics).
    #[test]
    fn format_sig_matches_printf_g() {
        let cases: &[(f64, &str, &str, &str)] = &[
            (0.4312, "0.4312", "0.4", "0.4312"),
            (12.3456, "12.35", "1e+01", "12.3456"),
            (2501.0, "2501", "3e+03", "2501"),
            (1.2e6, "1.2e+06", "1e+06", "1.2e+06"),
            (-0.0123, "-0.0123", "-0.01", "-0.0123"),
            (12345.0, "1.234e+04", "1e+04", "12345"),
            (99999.0, "1e+05", "1e+05", "99999"),
            (9.9995, "9.999", "1e+01", "9.9995"),
            (0.00012345, "0.0001234", "0.0001", "0.00012345"),
            (1e-5, "1e-05", "1e-05", "1e-05"),
            (-1e-5, "-1e-05", "-1e-05", "-1e-05"),
            (123456789.0, "1.235e+08", "1e+08", "1.23457e+08"),
            (1e100, "1e+100", "1e+100", "1e+100"),
            (-1.23456e-100, "-1.235e-100", "-1e-100", "-1.23456e-100"),
            (0.5, "0.5", "0.5", "0.5"),
            (1.0, "1", "1", "1"),
            (100.0, "100", "1e+02", "100"),
            (1000.0, "1000", "1e+03", "1000"),
            (10000.0, "1e+04", "1e+04", "10000"),
            (3.16227766, "3.162", "3", "3.16228"),
            (-2.5e-7, "-2.5e-07", "-2e-07", "-2.5e-07"),
            (999.95, "1000", "1e+03", "999.95"),
            (0.30000000000000004, "0.3", "0.3", "0.3"),
        ];
        for &(x, g4, g1, g6) in cases {
            assert_eq!(format_sig(x, 4), g4, "{x:?} %.4g");
            assert_eq!(format_sig(x, 1), g1, "{x:?} %.1g");
            assert_eq!(format_sig(x, 6), g6, "{x:?} %.6g");
        }
    }

    #[test]
    fn format_sig_special_values() {
        assert_eq!(format_sig(-0.0, 4), "0");
        assert_eq!(format_sig(f64::NAN, 4), "NaN");
        assert_eq!(format_sig(f64::INFINITY, 4), "inf");
        assert_eq!(format_sig(f64::NEG_INFINITY, 4), "-inf");
        // digits = 0 behaves like 1, as in printf.
        assert_eq!(format_sig(12.3456, 0), "1e+01");
        assert_eq!(format_sig(f64::MAX, 4), "1.798e+308");
        assert_eq!(format_sig(f64::MIN_POSITIVE, 4), "2.225e-308");
        assert_eq!(format_sig(5e-324, 4), "4.941e-324");
        // A huge request is capped rather than exhausting memory.
        assert_eq!(format_sig(0.5, usize::MAX), "0.5");
    }

    /// Deterministic pseudo-random numbers in [0, 1): a 64-bit LCG (Knuth's
    /// MMIX constants), top 53 bits. Only exact integer and IEEE basic
    /// operations, so the snapshot is the same on every platform.
    fn uniforms(seed: u64, n: usize) -> Vec<f64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 11) as f64 / (1u64 << 53) as f64
            })
            .collect()
    }

    /// Roughly bell-shaped values: the mean of four uniforms, scaled.
    fn bell(seed: u64, n: usize, centre: f64, scale: f64) -> Vec<f64> {
        let u = uniforms(seed, 4 * n);
        u.chunks(4)
            .map(|c| centre + scale * (c.iter().sum::<f64>() / 4.0 - 0.5))
            .collect()
    }

    fn example() -> (Vec<&'static str>, Vec<bool>, Vec<MetricSummary>) {
        let peak_fraction = bell(1, 200, 0.43, 0.2);
        // Skewed integer counts.
        let final_infected: Vec<f64> = uniforms(2, 200)
            .iter()
            .map(|u| (u * u * 3000.0).round())
            .collect();
        // An integer metric whose printed statistics are all integral.
        let population = [25000.0, 25010.0, 25020.0];
        let growth_rate = bell(3, 200, -0.001, 0.08);
        let total_contacts = bell(4, 200, 1.25e6, 4e5);
        let extinct = [0.0; 200];
        (
            vec![
                "peak_fraction",
                "final_infected",
                "population",
                "growth_rate",
                "total_contacts",
                "extinct_by_day_100",
            ],
            vec![false, true, true, false, false, true],
            vec![
                summarize(&peak_fraction),
                summarize(&final_infected),
                summarize(&population),
                summarize(&growth_rate),
                summarize(&total_contacts),
                summarize(&extinct),
            ],
        )
    }

    #[test]
    fn small_table() {
        let (names, integer, summaries) = example();
        let table = summary_table(&names, &integer, &summaries);
        insta::assert_snapshot!(table);
    }

    #[test]
    fn integer_rows_print_integers_only_when_all_integral() {
        let (names, integer, summaries) = example();
        let table = summary_table(&names, &integer, &summaries);
        let line = |name: &str| {
            table
                .lines()
                .find(|l| l.starts_with(name))
                .unwrap_or_default()
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            line("population")[1..],
            ["25010", "10", "25001", "25010", "25019"]
        );
        // Integer flag, but fractional statistics: 4 significant digits.
        assert!(line("final_infected")[1..].iter().any(|c| c.contains('.')));
        let exact = summarize(&[25000.0, 25010.0, 25020.0]);
        let t = summary_table(&["population"], &[true], &[exact]);
        let row = t.lines().nth(2).unwrap_or_default();
        assert_eq!(
            row.split_whitespace().take(6).collect::<Vec<_>>(),
            ["population", "25010", "10", "25001", "25010", "25019"]
        );
        // The same summary without the flag uses 4 significant digits.
        let t = summary_table(
            &["population"],
            &[false],
            &[summarize(&[25000.0, 25010.0, 25020.0])],
        );
        assert!(t.contains("2.501e+04"), "{t}");
        assert_eq!(line("extinct_by_day_100")[1..], ["0", "0", "0", "0", "0"]);
    }

    #[test]
    fn fits_100_columns_with_24_char_names() {
        let name = "abcdefghijklmnopqrstuvwx";
        assert_eq!(name.len(), 24);
        let wide = [
            summarize(&[-1.23456e-100, -2.5e-100, -9.87e-100]),
            summarize(&[-1.5e150, 2.5e150, -3.3e-150]),
            summarize(&[-999999999.0, -999999998.0, -999999990.0]),
            summarize(&[-0.00012345, -0.00098765, 0.0]),
        ];
        let names = [name; 4];
        let t = summary_table(&names, &[false, false, true, false], &wide);
        for line in t.lines() {
            assert!(line.chars().count() <= 100, "{} chars: {line}", line.len());
        }
        // Aligned: every row's p95 cell ends two columns before the header's
        // "histogram", and its sparkline starts there.
        let header = t.lines().next().unwrap_or_default();
        let h = header.find("histogram").unwrap_or_default();
        assert!(h > 0);
        for line in t.lines().skip(2) {
            let chars: Vec<char> = line.chars().collect();
            assert!(chars.len() > h && chars.len() <= h + 10, "{line}");
            assert_eq!(chars[h - 2..h], [' ', ' '], "{line}");
            assert_ne!(chars[h - 3], ' ', "{line}");
        }
    }

    #[test]
    fn mismatched_and_empty_inputs() {
        let t = summary_table(&[], &[], &[]);
        assert_eq!(t.lines().count(), 2);
        assert!(t.starts_with("metric"));
        let s = summarize(&[1.0, 2.0]);
        // Missing integer flags default to false; extra names are ignored.
        let t = summary_table(&["a", "b"], &[], std::slice::from_ref(&s));
        assert_eq!(t.lines().count(), 3);
        assert!(t.ends_with('\n'));
        assert!(t.lines().all(|l| l == l.trim_end()));
    }

    #[test]
    fn sparkline_levels() {
        let h = |counts: Vec<u64>| Histogram {
            lo: 0.0,
            hi: 1.0,
            counts,
        };
        assert_eq!(
            sparkline(&h(vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 1000])),
            " ▁▁▁▁▁▁▁▁█"
        );
        assert_eq!(
            sparkline(&h(vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 0])),
            " ▁▂▃▄▅▆▇█ "
        );
        assert_eq!(sparkline(&h(vec![0; 10])), "          ");
        assert_eq!(sparkline(&h(vec![u64::MAX, 1])), "█▁");
        assert_eq!(sparkline(&h(vec![])), "");
        let s = summarize(&[2.0, 2.0, 2.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 9.0]);
        assert_eq!(sparkline(&s.histogram).chars().count(), HISTOGRAM_BINS);
        assert_eq!(sparkline(&s.histogram), "█▆   ▄   ▂");
    }
}
