//! The campaigns phase: NGOs' and firms' public campaigns persuade randomly reached citizens.

use rand::Rng;

use super::{BATCH, World, index};

impl World<'_> {
    /// MODEL.md 3, campaigns: each NGO spends budget x campaign_share equally over its (target,
    /// focus issue) pairs, then each firm revenue x pr_share over its markets in proportion
    /// to their market size, equally over the issues; a pair with spend m reaches
    /// min(citizens, floor(m / cost_per_citizen)) citizens drawn with replacement, each moving
    /// `persuasion` of the way to the spender's ideal.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn campaigns(&mut self, rng: &mut impl Rng) {
        let k = self.k;
        let s = self.scenario;
        for n in 0..self.ngos.len() {
            let v = &self.ngos[n].values;
            let money = v.budget * v.campaign_share;
            self.counters.ngo_spend += money;
            let focus = s.ngos[n].focus;
            let pairs = s.ngos[n].targets.len() * focus.count_ones() as usize;
            if pairs == 0 || money <= 0.0 {
                continue;
            }
            let per_pair = money / pairs as f64;
            for g in s.ngos[n].targets.iter() {
                for issue in (0..k).filter(|i| focus >> i & 1 == 1) {
                    let ideal = self.ngo_ideal[n * k + issue];
                    self.persuade(g, issue, per_pair, ideal, rng);
                }
            }
        }
        for f in 0..self.firms.len() {
            let v = &self.firms[f].values;
            let money = v.revenue * v.pr_share;
            if s.firms[f].markets.is_empty() || money <= 0.0 {
                continue;
            }
            let total = self.market_total(f);
            for g in s.firms[f].markets.iter() {
                let size = self.governments[g].values.market_size;
                // money x size / (total x K): with every size 1, money / (markets x K), as v1.
                let per_pair = money * size / (total * k as f64);
                for issue in 0..k {
                    let ideal = self.firm_ideal[f * k + issue];
                    self.persuade(g, issue, per_pair, ideal, rng);
                }
            }
        }
    }

    /// One campaign of `money` on (g, issue) towards `ideal`. The reached citizens are drawn
    /// first, [`BATCH`] at a time, each by [`index`] (so the stream is read as one draw after
    /// another would read it), and then persuaded by [`pull`].
    #[inline(always)] // most calls reach nobody and return at once
    fn persuade(&mut self, g: usize, issue: usize, money: f64, ideal: f64, rng: &mut impl Rng) {
        let c = self.governments[g].citizens;
        // `as` truncates toward zero, which is the floor of these non-negative amounts (and
        // without a call to libm's `floor`: this line runs for every pair of every round).
        let reach = (money / self.model.cost_per_citizen).min(c as f64) as usize;
        if reach == 0 {
            return;
        }
        let persuasion = self.model.persuasion;
        let o = &mut self.opinions[g][issue * c..(issue + 1) * c];
        let reached = &mut self.scratch.words;
        let mut moved = 0.0;
        let mut left = reach;
        while left > 0 {
            let take = left.min(BATCH);
            for r in &mut reached[..take] {
                *r = index(rng, c as u32) as u32;
            }
            moved = pull(o, &reached[..take], ideal, persuasion, moved);
            left -= take;
        }
        self.mean[g * self.k + issue] += moved / c as f64;
    }
}

/// Moves the opinions of the `reached` citizens `persuasion` of the way to `ideal`, one after
/// another; returns `moved` plus what they moved, added in the same order. A function of its
/// own, so that nothing in it is spilled around the stream's calls in the caller's loop.
#[inline(never)]
fn pull(o: &mut [f64], reached: &[u32], ideal: f64, persuasion: f64, mut moved: f64) -> f64 {
    for &i in reached {
        let i = i as usize;
        let step = persuasion * (ideal - o[i]);
        o[i] += step;
        moved += step;
    }
    moved
}
