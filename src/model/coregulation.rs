//! The co-regulation phase: a negotiated standard as the weighted compromise of the parties'
//! positions, the maximiser of their weighted quadratic utilities; firms weigh what their
//! stakes give them (Segerson & Miceli 1998 on voluntary agreements).

use super::World;

impl World<'_> {
    /// MODEL.md 3, coregulation: for each g and each co-regulated issue k,
    /// q = (1 - β - ν) L + β ȳ + ν z̄ with β = stakes[ambassador] (0 where no firm operates),
    /// ν = ngo_seat where an NGO targets g on k, z̄ their budget-weighted mean ideal, and
    /// L = (1 - I) G + I ℓ the government's seat, lobbied with the I and ℓ in force (v2: in
    /// v1 the seat was G, so a table shielded its issue from lobbying).
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn coregulation(&mut self) {
        let s = self.scenario;
        if s.governments.iter().all(|g| g.coregulate == 0) {
            return;
        }
        self.compute_positions();
        self.compute_firm_ideals();
        self.compute_ngo_tables();
        let k = self.k;
        let seat = self.model.ngo_seat;
        let sc = &self.scratch;
        for (g, gov) in self.governments.iter().enumerate() {
            let mask = s.governments[g].coregulate;
            for issue in (0..k).filter(|i| mask >> i & 1 == 1) {
                let i = g * k + issue;
                let beta = if gov.firms > 0 {
                    self.model.stakes(gov.ambassador)
                } else {
                    0.0
                };
                let (nu, ngo_ideal) = if sc.ngo_count[i] > 0.0 {
                    let z = if sc.ngo_budget[i] > 0.0 {
                        sc.ngo_budget_ideal[i] / sc.ngo_budget[i]
                    } else {
                        sc.ngo_ideal[i] / sc.ngo_count[i]
                    };
                    (seat, z)
                } else {
                    (0.0, 0.0)
                };
                let intensity = self.intensity[i];
                let seat = (1.0 - intensity) * sc.position[i] + intensity * self.lobby_target[i];
                self.standard[i] =
                    (1.0 - beta - nu) * seat + beta * sc.firm_ideal[i] + nu * ngo_ideal;
                self.coregulated[i] = true;
            }
        }
    }

    /// Per (g, k): how many NGOs target g with k in focus, their budgets, budget-weighted
    /// ideals and plain ideals, summed in NGO order.
    fn compute_ngo_tables(&mut self) {
        let k = self.k;
        let sc = &mut self.scratch;
        sc.ngo_count.fill(0.0);
        sc.ngo_budget.fill(0.0);
        sc.ngo_budget_ideal.fill(0.0);
        sc.ngo_ideal.fill(0.0);
        for (n, ngo) in self.scenario.ngos.iter().enumerate() {
            let budget = self.ngos[n].values.budget;
            for g in ngo.targets.iter() {
                for issue in (0..k).filter(|i| ngo.focus >> i & 1 == 1) {
                    let (i, z) = (g * k + issue, self.ngo_ideal[n * k + issue]);
                    sc.ngo_count[i] += 1.0;
                    sc.ngo_budget[i] += budget;
                    sc.ngo_budget_ideal[i] += budget * z;
                    sc.ngo_ideal[i] += z;
                }
            }
        }
    }
}
