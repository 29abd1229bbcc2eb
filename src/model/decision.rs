//! The decision phase: governments move policy towards the table's standard, or towards their
//! position pulled by lobbying (spatial policy: Thomson, Stokman, Achen & Koenig 2006).

use super::World;

impl World<'_> {
    /// MODEL.md 3, decision: T = q where this round set a standard, else (1 - I) G + I ℓ;
    /// p += adjustment (T - p), clamped to [0, 1].
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn decision(&mut self) {
        self.compute_positions();
        let k = self.k;
        for (g, gov) in self.governments.iter().enumerate() {
            let adjustment = gov.values.adjustment;
            for i in g * k..(g + 1) * k {
                let target = if self.coregulated[i] {
                    self.standard[i]
                } else {
                    let intensity = self.intensity[i];
                    (1.0 - intensity) * self.scratch.position[i] + intensity * self.lobby_target[i]
                };
                let p = &mut self.policy[i];
                *p = (*p + adjustment * (target - *p)).clamp(0.0, 1.0);
            }
        }
    }
}
