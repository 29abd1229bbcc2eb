//! The trust phase: public trust follows how close policy is to public opinion.

use super::World;

impl World<'_> {
    /// MODEL.md 3, trust: trust += rate ((1 - mean_k |p - ō|) - trust).
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn trust(&mut self) {
        let k = self.k;
        let rate = self.model.trust_rate;
        for (g, gov) in self.governments.iter_mut().enumerate() {
            let gap: f64 = (g * k..(g + 1) * k)
                .map(|i| (self.policy[i] - self.mean[i]).abs())
                .sum::<f64>()
                / k as f64;
            let t = &mut gov.values.trust;
            *t += rate * ((1.0 - gap) - *t);
        }
    }
}
