//! The compliance phase: a firm weighs the cost of complying against the expected fine
//! (Becker 1968, "Crime and Punishment: An Economic Approach").

use rand::Rng;

use super::World;

impl World<'_> {
    /// MODEL.md 3, compliance: for every (firm, market, issue) with gap = p - ideal > 0, the
    /// firm (whose revenue in a market is its share by market size) complies with probability π = integrity + (1 - integrity) min(1, E / C)
    /// (+ buyin at a table, at most 1) and pays C; otherwise it is caught with probability d,
    /// pays the fine, and the citizens of g turn against it (backlash). Watchdog money is
    /// spent every round.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn compliance(&mut self, rng: &mut impl Rng) {
        let k = self.k;
        let s = self.scenario;
        let m = &self.model;
        let (cost_factor, fine_rate, backlash, buyin) =
            (m.cost_factor, m.fine_rate, m.backlash, m.buyin);
        let watchdog_half = m.watchdog_half_saturation;

        let watchdog = &mut self.scratch.watchdog;
        watchdog.fill(0.0);
        for (n, ngo) in s.ngos.iter().enumerate() {
            let v = &self.ngos[n].values;
            let money = v.budget * v.watchdog_share;
            self.counters.ngo_spend += money;
            let per_target = money / ngo.targets.len() as f64;
            for g in ngo.targets.iter() {
                watchdog[g] += per_target;
            }
        }

        for f in 0..self.firms.len() {
            let markets = &s.firms[f].markets;
            let integrity = self.firms[f].values.integrity;
            let revenue = self.firms[f].values.revenue;
            let total = self.market_total(f);
            for g in markets.iter() {
                // With every size 1 this is revenue / markets, as in v1, to the bit.
                let revenue_here = revenue * self.governments[g].values.market_size / total;
                let w = self.scratch.watchdog[g];
                let omega = w / (w + watchdog_half);
                let gov = &self.governments[g];
                let capacity = (gov.values.capacity + self.model.insight(gov.ambassador)).min(1.0);
                let detection = (capacity * (1.0 + omega)).min(1.0);
                for issue in 0..k {
                    let gap = self.policy[g * k + issue] - self.firm_ideal[f * k + issue];
                    if gap <= 0.0 {
                        continue;
                    }
                    self.counters.checks += 1;
                    let cost = cost_factor * gap * revenue_here;
                    let fine = fine_rate * gap * revenue_here;
                    let mut comply = if cost == 0.0 {
                        1.0
                    } else {
                        integrity + (1.0 - integrity) * (detection * fine / cost).min(1.0)
                    };
                    if self.coregulated[g * k + issue] {
                        comply += buyin;
                    }
                    if rng.random::<f64>() < comply.min(1.0) {
                        self.counters.compliances += 1;
                        self.firms[f].costs += cost;
                    } else if rng.random::<f64>() < detection {
                        self.counters.violations += 1;
                        self.firms[f].costs += fine;
                        let c = self.governments[g].citizens;
                        for o in &mut self.opinions[g][issue * c..(issue + 1) * c] {
                            *o += backlash * (1.0 - *o);
                        }
                        let m = &mut self.mean[g * k + issue];
                        *m += backlash * (1.0 - *m);
                    }
                }
            }
        }
    }
}
