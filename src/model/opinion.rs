//! The opinion phase: bounded-confidence pair dynamics (Deffuant, Neau, Amblard & Weisbuch
//! 2000, "Mixing beliefs among interacting agents", Adv. Complex Systems 3).

use rand::Rng;

use super::{World, index};

impl World<'_> {
    /// MODEL.md 3, opinion: per government, round(interactions x citizens) times: citizen i,
    /// another citizen j and an issue k uniformly; if |o_i - o_j| < confidence, both move
    /// `convergence` of the way towards each other (the pair's sum is unchanged).
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn opinion(&mut self, rng: &mut impl Rng) {
        let (confidence, convergence) = (self.model.confidence, self.model.convergence);
        let k = self.k;
        for g in 0..self.governments.len() {
            let c = self.governments[g].citizens;
            let n = (self.model.interactions * c as f64).round() as u64;
            let o = &mut self.opinions[g];
            for _ in 0..n {
                let i = index(rng, c as u32);
                let mut j = index(rng, c as u32 - 1);
                if j >= i {
                    j += 1;
                }
                let issue = index(rng, k as u32);
                let (a, b) = (issue * c + i, issue * c + j);
                // Branch-free: a pair out of confidence moves by exactly 0.0, which leaves
                // every opinion's bits as they were (opinions are never -0.0), and the
                // unpredictable branch cost more than the two stores.
                let d = o[b] - o[a];
                let step = if d.abs() < confidence {
                    convergence * d
                } else {
                    0.0
                };
                o[a] += step;
                o[b] -= step;
            }
            if n > 0 {
                self.opinions_changed(g);
            }
        }
    }
}
