//! The terminal tables of studies: a sweep's points with the means of chosen metrics, and a
//! sensitivity analysis's indices of one metric, parameters ranked by importance.

use crate::analysis::sensitivity::Analysis;
use crate::report::table::{aligned, format_sig};
use crate::store::study::Setting;
use crate::store::summary::Summary;

/// The terminal table: one row per point, the factors, then the mean of each chosen metric.
pub fn sweep_table(
    factors: &[String],
    points: &[Vec<Setting>],
    summaries: &[Summary],
    metrics: &[usize],
) -> String {
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(factors.iter().cloned());
    if let Some(first) = summaries.first() {
        header.extend(metrics.iter().map(|&m| first.metrics[m].metric.clone()));
    }
    let mut rows = vec![header];
    for (i, (point, summary)) in points.iter().zip(summaries).enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(point.iter().map(|v| match v {
            Setting::Number(x) => format_sig(*x, 4),
            level => level.to_string(),
        }));
        row.extend(
            metrics
                .iter()
                .map(|&m| format_sig(summary.metrics[m].summary.mean, 4)),
        );
        rows.push(row);
    }
    let right = vec![true; rows[0].len()];
    aligned(&rows, &right)
}

/// The terminal table of one metric: parameters ranked by importance, most important first.
pub fn sensitivity_table(parameters: &[String], metric: &str, a: &Analysis) -> String {
    let mut order: Vec<usize> = (0..parameters.len()).collect();
    order.sort_by(|&i, &j| a.importance(j).total_cmp(&a.importance(i)));
    let headers: Vec<String> = match a {
        Analysis::Sobol(_) => ["S1", "±95%", "ST", "±95%"],
        Analysis::Morris(_) => ["mu", "mu*", "sigma", "mu* ±95%"],
    }
    .iter()
    .map(|h| h.to_string())
    .collect();
    let mut rows = vec![
        std::iter::once(metric.to_string())
            .chain(headers)
            .collect::<Vec<_>>(),
    ];
    for j in order {
        let mut row = vec![format!("  {}", parameters[j])];
        row.extend(a.columns(j).iter().map(|x| format_sig(*x, 3)));
        rows.push(row);
    }
    let mut out = aligned(&rows, &[false, true, true, true, true]);
    if let Analysis::Sobol(s) = a
        && !s.s2.is_empty()
    {
        let mut pairs = s.s2.clone();
        pairs.sort_by(|p, q| q.s2.total_cmp(&p.s2));
        let mut rows = vec![vec!["  pair".to_string(), "S2".into(), "±95%".into()]];
        for p in pairs {
            rows.push(vec![
                format!("  {} x {}", parameters[p.j], parameters[p.k]),
                format_sig(p.s2, 3),
                format_sig(p.conf, 3),
            ]);
        }
        out.push('\n');
        out.push_str(&aligned(&rows, &[false, true, true]));
    }
    out
}
