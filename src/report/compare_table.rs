//! The terminal rendering of a comparison: one table per scenario against the baseline,
//! readable at 100 columns, and a verdict in plain words per metric; plus CSV for scripts.

use std::fmt::Write;

use crate::analysis::comparison::{Comparison, MetricComparison, effect_size, stars};
use crate::report::table::format_sig;

/// A p-value in few characters: `0.0312`, `3.1e-05`, `<1e-300` for an underflow to 0.
pub fn format_p(p: f64) -> String {
    if p == 0.0 {
        "<1e-300".to_string()
    } else if p < 1e-3 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}

/// The verdict on one metric, in words: "higher under X, large effect".
pub fn verdict(m: &MetricComparison, other: &str) -> String {
    if m.constant {
        return if m.baseline.value == m.other.value {
            "the same constant in both".to_string()
        } else {
            format!(
                "constant in both: {} under the baseline, {} under {other}",
                format_sig(m.baseline.value, 4),
                format_sig(m.other.value, 4)
            )
        };
    }
    if m.p_adjusted >= 0.05 {
        return format!(
            "no clear difference (adjusted p = {})",
            format_p(m.p_adjusted)
        );
    }
    let direction = if m.a12 > 0.5 { "higher" } else { "lower" };
    format!(
        "{direction} under {other}, {} effect (A12 = {:.2})",
        effect_size(m.a12),
        m.a12
    )
}

/// The tables and verdicts of every pair.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let base = &c.samples[0];
    for pair in &c.pairs {
        let other = &c.samples[pair.other];
        let _ = writeln!(
            out,
            "{} ({} runs, seed {}) against {} ({} runs, seed {}; the baseline); {}",
            other.label,
            other.runs(),
            other.seed,
            base.label,
            base.runs(),
            base.seed,
            if pair.paired {
                "paired by run (common random numbers)"
            } else {
                "unpaired (different seeds or runs)"
            }
        );
        let rows: Vec<[String; 6]> = pair
            .metrics
            .iter()
            .map(|m| {
                let difference = format!(
                    "{} [{}, {}]",
                    format_sig(m.difference.value, 3),
                    format_sig(m.difference.lo, 3),
                    format_sig(m.difference.hi, 3)
                );
                let (a12, p) = if m.constant {
                    ("-".to_string(), "constant".to_string())
                } else {
                    (
                        format!("{:.2}", m.a12),
                        format!("{} {}", format_p(m.p_adjusted), stars(m.p_adjusted)),
                    )
                };
                [
                    m.metric.clone(),
                    format_sig(m.baseline.value, 4),
                    format_sig(m.other.value, 4),
                    difference,
                    a12,
                    p,
                ]
            })
            .collect();
        let header = [
            "metric".to_string(),
            "baseline".to_string(),
            truncate(&other.label, 12),
            "difference [95% CI]".to_string(),
            "A12".to_string(),
            "adj. p".to_string(),
        ];
        let mut widths = header.each_ref().map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String; 6]| {
            let mut l = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i == 0 || i == 5 {
                    let _ = write!(l, "{cell:<w$}  ");
                } else {
                    let _ = write!(l, "{cell:>w$}  ");
                }
            }
            l.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&header));
        let _ = writeln!(out, "{}", "-".repeat(widths.iter().sum::<usize>() + 10));
        for row in &rows {
            let _ = writeln!(out, "{}", line(row));
        }
        let _ = writeln!(out, "\nIn words ({} against {}):", other.label, base.label);
        for m in &pair.metrics {
            let _ = writeln!(out, "  {:<22} {}", m.metric, verdict(m, &other.label));
        }
        let _ = writeln!(
            out,
            "\nA12: P({} > baseline) + P(tie)/2 over runs; 0.5 = no effect. adj. p: Mann-Whitney U, \
             Holm-adjusted over the metrics; * < 0.05, ** < 0.01, *** < 0.001.\n",
            other.label
        );
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}
