//! The opinion phase: bounded-confidence pair dynamics (Deffuant, Neau, Amblard & Weisbuch
//! 2000, "Mixing beliefs among interacting agents", Adv. Complex Systems 3).

use rand::Rng;

use super::{BATCH, World, index};

/// Exact division and remainder of 32-bit numbers by a fixed divisor with two multiplications
/// instead of a division (Lemire, Kaser & Kurz 2019, "Faster remainder by direct
/// computation", Software: Practice and Experience 49): with M = ceil(2^64 / d),
/// x / d = high 64 bits of M x, and x mod d = high 64 bits of (M x mod 2^64) d, for every
/// 32-bit x and d >= 2.
#[derive(Clone, Copy, Debug)]
struct Divisor {
    d: u32,
    m: u64,
}

impl Divisor {
    fn new(d: u32) -> Divisor {
        debug_assert!(d >= 1);
        Divisor {
            d,
            m: if d > 1 {
                u64::MAX / u64::from(d) + 1
            } else {
                0
            },
        }
    }

    /// (x / d, x mod d).
    #[inline]
    fn div_rem(self, x: u32) -> (u32, u32) {
        if self.d == 1 {
            return (x, 0);
        }
        let low = self.m.wrapping_mul(u64::from(x));
        let q = ((u128::from(self.m) * u128::from(x)) >> 64) as u32;
        let r = ((u128::from(low) * u128::from(self.d)) >> 64) as u32;
        (q, r)
    }
}

impl World<'_> {
    /// MODEL.md 3, opinion: per government, round(interactions x citizens) times: citizen i,
    /// another citizen j and an issue k uniformly; if |o_i - o_j| < confidence, both move
    /// `convergence` of the way towards each other (the pair's sum is unchanged, so the mean
    /// opinions stand).
    ///
    /// Draws: when the c (c - 1) K ordered pairs and issues fit in 32 bits (c = 1000 citizens
    /// and 5 issues are 4,995,000), one uniform index over all of them per interaction, drawn
    /// in batches of [`BATCH`] words (a word in the rejection zone of Lemire's
    /// method is replaced by a word drawn from the stream after the batch's words), decoded as issue = x mod K, i = (x / K) mod c,
    /// j' = x / (K c) and j = j' + (j' >= i); otherwise three indices per interaction, i,
    /// then j', then the issue.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn opinion(&mut self, rng: &mut impl Rng) {
        let (confidence, convergence) = (self.model.confidence, self.model.convergence);
        // One interaction of the pair of opinions at `a` and `b`. Branch-free: a pair out of
        // confidence moves by exactly 0.0, which leaves every opinion's bits as they were
        // (opinions are never -0.0), and the unpredictable branch cost more than two stores.
        let pair = |o: &mut [f64], a: usize, b: usize| {
            debug_assert!(a < o.len() && b < o.len() && a != b);
            let d = o[b] - o[a];
            let step = if d.abs() < confidence {
                convergence * d
            } else {
                0.0
            };
            o[a] += step;
            o[b] -= step;
        };
        let k = self.k;
        for g in 0..self.governments.len() {
            let c = self.governments[g].citizens;
            let n = (self.model.interactions * c as f64).round() as u64;
            let o = &mut self.opinions[g];
            debug_assert_eq!(o.len(), c * k);
            let combos = c as u64 * (c as u64 - 1) * k as u64;
            let joint = combos <= u64::from(u32::MAX);
            let (by_issue, by_citizen) = (Divisor::new(k as u32), Divisor::new(c as u32));
            if joint {
                let words = &mut self.scratch.words;
                let decode = Decode {
                    c,
                    by_issue,
                    by_citizen,
                };
                interact(o, decode, combos as u32, n, words, &pair, rng);
            } else {
                for _ in 0..n {
                    let i = index(rng, c as u32);
                    let mut j = index(rng, c as u32 - 1);
                    if j >= i {
                        j += 1;
                    }
                    let issue = index(rng, k as u32);
                    pair(o, issue * c + i, issue * c + j);
                }
            }
        }
    }
}

/// How an index over the ordered pairs and issues of a government names two opinions.
#[derive(Clone, Copy)]
struct Decode {
    c: usize,
    by_issue: Divisor,
    by_citizen: Divisor,
}

impl Decode {
    /// The positions in the opinions of citizen i's and citizen j's view on the issue.
    #[inline(always)]
    fn positions(self, x: u32) -> (usize, usize) {
        let (rest, issue) = self.by_issue.div_rem(x);
        let (other, i) = self.by_citizen.div_rem(rest);
        let j = other + u32::from(other >= i);
        let base = issue as usize * self.c;
        (base + i as usize, base + j as usize)
    }
}

/// `n` interactions, each from one index over the `combos` ordered pairs and issues, the
/// indices drawn in batches of [`BATCH`] 32-bit words (the opinions passed as an argument, not
/// captured, keeps the hottest loop of a run in registers).
#[inline(always)]
fn interact(
    o: &mut [f64],
    decode: Decode,
    combos: u32,
    n: u64,
    words: &mut [u32; BATCH],
    pair: &impl Fn(&mut [f64], usize, usize),
    rng: &mut impl Rng,
) {
    let threshold = combos.wrapping_neg() % combos;
    let mut left = n;
    while left > 0 {
        let take = (left as usize).min(BATCH);
        rng.fill(&mut words[..take]);
        for &w in &words[..take] {
            let mut m = u64::from(w) * u64::from(combos);
            while (m as u32) < threshold {
                m = u64::from(rng.next_u32()) * u64::from(combos);
            }
            let (a, b) = decode.positions((m >> 32) as u32);
            pair(o, a, b);
        }
        left -= take as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::Divisor;

    #[test]
    fn the_divisor_divides_exactly() {
        for d in [1u32, 2, 3, 5, 7, 999, 1000, 4_995_000, u32::MAX] {
            let div = Divisor::new(d);
            for x in [
                0u32,
                1,
                2,
                d - 1,
                d,
                d.wrapping_add(1),
                123_456_789,
                u32::MAX - 1,
                u32::MAX,
            ] {
                assert_eq!(div.div_rem(x), (x / d, x % d), "{x} / {d}");
            }
        }
    }
}
