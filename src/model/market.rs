//! The market phase: revenues grow with noise less this round's compliance costs and fines;
//! concentration is measured by the Herfindahl-Hirschman index (HHI = 10000 x sum of squared
//! shares; 2500 is "highly concentrated", US Horizontal Merger Guidelines 2010), and
//! antitrust cases hit the largest firm where policy and concentration are high.

use rand::Rng;

use super::World;

/// sqrt(3): ξ uniform in [-√3, √3] has variance 1.
const SQRT_3: f64 = 1.732_050_807_568_877_2;

impl World<'_> {
    /// MODEL.md 3, market: r = max(min_revenue, r (1 + growth + volatility ξ) - costs), then
    /// antitrust cases government by government while HHI >= hhi_threshold.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn market(&mut self, rng: &mut impl Rng) {
        let min_revenue = self.model.min_revenue;
        for firm in &mut self.firms {
            let xi = SQRT_3 * (2.0 * rng.random::<f64>() - 1.0);
            let v = &mut firm.values;
            v.revenue =
                (v.revenue * (1.0 + v.growth + v.volatility * xi) - firm.costs).max(min_revenue);
        }
        let Some(issue) = self.scenario.antitrust else {
            return;
        };
        let m = &self.model;
        let (threshold, hhi_threshold, rate, penalty) = (
            m.policy_threshold,
            m.hhi_threshold,
            m.antitrust_rate,
            m.penalty,
        );
        let mut hhi = self.hhi();
        for g in 0..self.governments.len() {
            let gov = &self.governments[g];
            let p = self.policy[g * self.k + issue];
            if gov.firms == 0 || p < threshold || hhi < hhi_threshold {
                continue;
            }
            let capacity = (gov.values.capacity + self.model.insight(gov.ambassador)).min(1.0);
            if rng.random::<f64>() < rate * capacity * p {
                let largest = self.largest_firm_in(g);
                let r = &mut self.firms[largest].values.revenue;
                *r = (*r * (1.0 - penalty)).max(min_revenue);
                self.counters.antitrust_cases += 1;
                hhi = self.hhi();
            }
        }
    }

    /// HHI of current revenues: 10000 x sum of squared shares, 0 without firms.
    pub fn hhi(&self) -> f64 {
        let total: f64 = self.firms.iter().map(|f| f.values.revenue).sum();
        if self.firms.is_empty() || total <= 0.0 {
            return 0.0;
        }
        10000.0
            * self
                .firms
                .iter()
                .map(|f| (f.values.revenue / total).powi(2))
                .sum::<f64>()
    }

    /// The firm with the largest revenue among those operating in g, first on ties.
    fn largest_firm_in(&self, g: usize) -> usize {
        let mut best = (usize::MAX, f64::NEG_INFINITY);
        for (f, firm) in self.scenario.firms.iter().enumerate() {
            let r = self.firms[f].values.revenue;
            if r > best.1 && firm.markets.contains(g) {
                best = (f, r);
            }
        }
        best.0
    }
}
