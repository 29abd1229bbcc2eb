//! The diffusion phase: governments copy their peers' tech ambassadors and learn from their
//! policies (Shipan & Volden 2008, "The Mechanisms of Policy Diffusion", AJPS 52).

use rand::Rng;

use super::World;
use crate::scenario::Level;

impl World<'_> {
    /// MODEL.md 3, diffusion, from the state at the start of the phase: a government without
    /// an ambassador adopts `diffusion.stakes` with probability adoption x (share of peers
    /// with one); every policy moves `learning` of the way to its peers' mean.
    ///
    /// Peer sums come from prefix sums over governments, so a peer set written as an entry
    /// id (a range) costs O(1) per range, not one step per peer.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn diffusion(&mut self, rng: &mut impl Rng) {
        let k = self.k;
        let n = self.governments.len();
        let sc = &mut self.scratch;
        // prefix[(g) * k + issue] = sum of policies of governments 0..g; ambassadors likewise.
        sc.policy.copy_from_slice(&self.policy);
        sc.prefix[..k].fill(0.0);
        sc.ambassadors[0] = 0;
        for g in 0..n {
            for issue in 0..k {
                sc.prefix[(g + 1) * k + issue] =
                    sc.prefix[g * k + issue] + sc.policy[g * k + issue];
            }
            sc.ambassadors[g + 1] =
                sc.ambassadors[g] + u32::from(self.governments[g].ambassador != Level::None);
        }
        let (adoption, learning, stakes) = (
            self.model.adoption,
            self.model.learning,
            self.diffusion_stakes,
        );
        for g in 0..n {
            let peers = &self.scenario.governments[g].peers;
            let own = peers.contains(g);
            let count = peers.len_without(Some(g));
            if count == 0 {
                continue;
            }
            let had = self.governments[g].ambassador != Level::None;
            if !had {
                let mut with = 0u32;
                for &(s, e) in &peers.0 {
                    with += sc.ambassadors[e as usize] - sc.ambassadors[s as usize];
                }
                // A government without an ambassador does not count itself.
                let share = with as f64 / count as f64;
                if rng.random::<f64>() < adoption * share {
                    self.governments[g].ambassador = stakes;
                }
            }
            for issue in 0..k {
                let mut sum = 0.0;
                for &(s, e) in &peers.0 {
                    sum += sc.prefix[e as usize * k + issue] - sc.prefix[s as usize * k + issue];
                }
                if own {
                    sum -= sc.policy[g * k + issue];
                }
                let i = g * k + issue;
                self.policy[i] += learning * (sum / count as f64 - sc.policy[i]);
            }
        }
    }
}
