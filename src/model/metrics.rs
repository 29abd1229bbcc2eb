//! The outcome metrics of a run (MODEL.md section 4), computed from the final state.

use super::World;
use crate::scenario::{Level, Scenario};

/// The metrics after the per-issue policy columns, in column order.
pub const FIXED: [&str; 14] = [
    "public_gap",
    "capture",
    "welfare",
    "trust",
    "compliance_rate",
    "violations",
    "antitrust_cases",
    "hhi",
    "firm_revenue",
    "lobby_spend",
    "ngo_spend",
    "polarization",
    "ambassador_share",
    "scandals",
];

/// Metrics that count events, written as integers.
const COUNTS: [&str; 3] = ["violations", "antitrust_cases", "scandals"];

/// The column names of a scenario's metrics: `policy_<issue>` per issue, then [`FIXED`].
pub fn names(s: &Scenario) -> Vec<String> {
    s.issues
        .iter()
        .map(|i| format!("policy_{}", i.id))
        .chain(FIXED.iter().map(|m| m.to_string()))
        .collect()
}

/// Whether each metric (in column order) is a count.
pub fn is_count(s: &Scenario) -> Vec<bool> {
    names(s)
        .iter()
        .map(|n| COUNTS.contains(&n.as_str()))
        .collect()
}

impl World<'_> {
    /// Every metric of the current state, in column order, into `out` (cleared first).
    /// Means over governments and over (government, issue) pairs weigh each government by
    /// its current `market_size` w (v2): sum of w x / (K sum of w) over pairs; with every
    /// size 1 they are plain means. Counts, sums and `ambassador_share` are not weighted.
    pub fn metrics_into(&mut self, out: &mut Vec<f64>) {
        out.clear();
        self.compute_firm_ideals();
        let k = self.k;
        let s = self.scenario;
        let weights = || self.governments.iter().map(|g| g.values.market_size);
        let total_weight: f64 = weights().sum();
        let pairs = total_weight * k as f64;

        for issue in 0..k {
            let sum: f64 = weights()
                .enumerate()
                .map(|(g, w)| w * self.policy[g * k + issue])
                .sum();
            out.push(sum / total_weight);
        }
        let (mut gap, mut capture, mut weighted_sq) = (0.0, 0.0, 0.0);
        for (g, gov) in self.governments.iter().enumerate() {
            let w = gov.values.market_size;
            for issue in 0..k {
                let i = g * k + issue;
                let public = (self.policy[i] - self.mean[i]).abs();
                gap += w * public;
                if gov.firms > 0 {
                    let firms = (self.policy[i] - self.scratch.firm_ideal[i]).abs();
                    if public + firms > 0.0 {
                        capture += w * (public / (public + firms));
                    }
                }
                weighted_sq += w * s.issues[issue].salience * public * public;
            }
        }
        let salience: f64 = s.issues.iter().map(|i| i.salience).sum();
        out.push(gap / pairs);
        out.push(capture / pairs);
        out.push(1.0 - weighted_sq / (total_weight * salience));
        out.push(
            self.governments
                .iter()
                .map(|g| g.values.market_size * g.values.trust)
                .sum::<f64>()
                / total_weight,
        );
        let c = &self.counters;
        out.push(if c.checks == 0 {
            1.0
        } else {
            c.compliances as f64 / c.checks as f64
        });
        out.push(c.violations as f64);
        out.push(c.antitrust_cases as f64);
        out.push(self.hhi());
        out.push(self.firms.iter().map(|f| f.values.revenue).sum());
        out.push(c.lobby_spend);
        out.push(c.ngo_spend);
        let mut polarization = 0.0;
        for (g, gov) in self.governments.iter().enumerate() {
            let cit = gov.citizens;
            for issue in 0..k {
                let mean = self.mean[g * k + issue];
                let o = &self.opinions[g][issue * cit..(issue + 1) * cit];
                let var = super::sum_sq_dev(o, mean) / cit as f64;
                polarization += gov.values.market_size * var.sqrt();
            }
        }
        out.push(polarization / pairs);
        let with = self
            .governments
            .iter()
            .filter(|g| g.ambassador != Level::None)
            .count();
        out.push(with as f64 / self.governments.len() as f64);
        out.push(self.counters.scandals as f64);
        // No metric is a signed zero: -0.0 + 0.0 is 0.0, every other value is unchanged.
        for x in out.iter_mut() {
            *x += 0.0;
        }
    }
}
