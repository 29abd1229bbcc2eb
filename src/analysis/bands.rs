//! How outcomes unfold: per recorded round and metric, the 5th, 25th, 50th, 75th and 95th
//! percentiles over the runs of an experiment, and over the paired differences of two
//! experiments whose run i shared its random stream. Percentiles are type 7 (numpy's
//! default), as in `summary.json`. Pure computation.

use crate::store::summary::quantile_sorted;

/// The percentiles of a band, in this order.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Per recorded round and metric, the percentiles [`QUANTILES`] over runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    pub rounds: Vec<u32>,
    /// Metrics a round.
    pub width: usize,
    /// `rounds x width` bands, round-major.
    pub q: Vec<[f64; 5]>,
}

impl Bands {
    /// The bands of `values` (`runs x rounds x width`, run-major, as `trajectories.csv`).
    pub fn of(rounds: &[u32], width: usize, values: &[f64]) -> Bands {
        Bands::from_fn(
            rounds,
            width,
            values.len() / (rounds.len() * width).max(1),
            |r, j, m| values[(r * rounds.len() + j) * width + m],
        )
    }

    /// The bands of the paired differences `b - a`, run by run (both `runs x rounds x width`,
    /// with the same runs and rounds).
    pub fn paired_difference(rounds: &[u32], width: usize, a: &[f64], b: &[f64]) -> Bands {
        let runs = a.len().min(b.len()) / (rounds.len() * width).max(1);
        Bands::from_fn(rounds, width, runs, |r, j, m| {
            let i = (r * rounds.len() + j) * width + m;
            b[i] - a[i]
        })
    }

    fn from_fn(
        rounds: &[u32],
        width: usize,
        runs: usize,
        value: impl Fn(usize, usize, usize) -> f64,
    ) -> Bands {
        let mut q = Vec::with_capacity(rounds.len() * width);
        let mut column = Vec::with_capacity(runs);
        for j in 0..rounds.len() {
            for m in 0..width {
                column.clear();
                column.extend((0..runs).map(|r| value(r, j, m)));
                column.sort_by(f64::total_cmp);
                q.push(QUANTILES.map(|p| quantile_sorted(&column, p)));
            }
        }
        Bands {
            rounds: rounds.to_vec(),
            width,
            q,
        }
    }

    /// Metric `m`'s band at each recorded round.
    pub fn metric(&self, m: usize) -> impl Iterator<Item = (u32, [f64; 5])> + '_ {
        self.rounds
            .iter()
            .enumerate()
            .map(move |(j, &round)| (round, self.q[j * self.width + m]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_percentiles_over_runs_per_round() {
        // Two rounds, one metric, five runs: round 0 is 0..4, round 1 is 10..14.
        let values: Vec<f64> = (0..5).flat_map(|r| [r as f64, 10.0 + r as f64]).collect();
        let b = Bands::of(&[0, 1], 1, &values);
        assert_eq!(b.q[0], [0.2, 1.0, 2.0, 3.0, 3.8]);
        assert_eq!(b.q[1], [10.2, 11.0, 12.0, 13.0, 13.8]);
        let d = Bands::paired_difference(
            &[0, 1],
            1,
            &values,
            &values.iter().map(|x| x * 2.0).collect::<Vec<_>>(),
        );
        assert_eq!(d.q[0][2], 2.0, "the median of r (x2 - x1 = x)");
        assert_eq!(d.metric(0).map(|(r, _)| r).collect::<Vec<_>>(), [0, 1]);
    }
}
