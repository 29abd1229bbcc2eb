//! The lobbying phase: money buys influence with diminishing returns (contribution schedules,
//! Grossman & Helpman 1994, "Protection for Sale", AER 84); the target is the spend-weighted
//! ideal of the lobbyists.

use super::World;

impl World<'_> {
    /// MODEL.md 3, lobbying: each firm spends revenue x lobby_share over (market, issue) pairs
    /// in proportion to w = market_size (1 + access[ambassador]) salience |ideal - G|, each NGO
    /// budget x advocacy_share over (target, focus issue) pairs with w = salience |ideal - G|
    /// (nothing when the weights sum to 0). Per (g, k): I = s S / (s S + half_saturation)
    /// and ℓ = the spend-weighted mean ideal.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn lobbying(&mut self) {
        self.compute_positions();
        let k = self.k;
        let s = self.scenario;
        let issues = &s.issues;
        self.scratch.spend.fill(0.0);
        self.scratch.spend_ideal.fill(0.0);
        for f in 0..self.firms.len() {
            let ideal = &self.firm_ideal[f * k..(f + 1) * k];
            let weight = |g: usize, issue: usize| {
                let gov = &self.governments[g];
                gov.values.market_size
                    * (1.0 + self.model.access(gov.ambassador))
                    * issues[issue].salience
                    * (ideal[issue] - self.scratch.position[g * k + issue]).abs()
            };
            let mut total = 0.0;
            for g in s.firms[f].markets.iter() {
                for issue in 0..k {
                    total += weight(g, issue);
                }
            }
            if total <= 0.0 {
                continue;
            }
            let money = self.firms[f].values.revenue * self.firms[f].values.lobby_share;
            for g in s.firms[f].markets.iter() {
                for (issue, &y) in ideal.iter().enumerate() {
                    let m = money * weight(g, issue) / total;
                    self.scratch.spend[g * k + issue] += m;
                    self.scratch.spend_ideal[g * k + issue] += m * y;
                }
            }
            self.counters.lobby_spend += money;
        }
        for n in 0..self.ngos.len() {
            let ideal = &self.ngo_ideal[n * k..(n + 1) * k];
            let focus = s.ngos[n].focus;
            let weight = |g: usize, issue: usize| {
                issues[issue].salience * (ideal[issue] - self.scratch.position[g * k + issue]).abs()
            };
            let mut total = 0.0;
            for g in s.ngos[n].targets.iter() {
                for issue in (0..k).filter(|i| focus >> i & 1 == 1) {
                    total += weight(g, issue);
                }
            }
            if total <= 0.0 {
                continue;
            }
            let money = self.ngos[n].values.budget * self.ngos[n].values.advocacy_share;
            for g in s.ngos[n].targets.iter() {
                for issue in (0..k).filter(|i| focus >> i & 1 == 1) {
                    let m = money * weight(g, issue) / total;
                    self.scratch.spend[g * k + issue] += m;
                    self.scratch.spend_ideal[g * k + issue] += m * ideal[issue];
                }
            }
            self.counters.ngo_spend += money;
        }
        let half = self.model.half_saturation;
        for (g, gov) in self.governments.iter().enumerate() {
            let susceptibility = gov.values.susceptibility;
            for i in g * k..(g + 1) * k {
                let spend = self.scratch.spend[i];
                if spend > 0.0 {
                    let pressure = susceptibility * spend;
                    self.intensity[i] = pressure / (pressure + half);
                    self.lobby_target[i] = self.scratch.spend_ideal[i] / spend;
                } else {
                    self.intensity[i] = 0.0;
                    self.lobby_target[i] = 0.0;
                }
            }
        }
    }
}
