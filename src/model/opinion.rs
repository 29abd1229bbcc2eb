//! The opinion phase: bounded-confidence pair dynamics (Deffuant, Neau, Amblard & Weisbuch
//! 2000, "Mixing beliefs among interacting agents", Adv. Complex Systems 3).

use rand::Rng;

use super::{BATCH, World, index};

impl World<'_> {
    /// MODEL.md 3, opinion: per government, round(interactions x citizens) times: citizen i,
    /// another citizen j and an issue k uniformly; if |o_i - o_j| < confidence, both move
    /// `convergence` of the way towards each other (the pair's sum is unchanged, so the mean
    /// opinions stand).
    ///
    /// Draws: when the c (c - 1) K ordered pairs and issues fit in 32 bits (c = 1000 citizens
    /// and 5 issues are 4,995,000), one uniform index over all of them per interaction, from
    /// one 32-bit word, the words drawn in batches of [`BATCH`] (a word in the rejection zone
    /// of Lemire's method is replaced by a word drawn from the stream after the batch's
    /// words), y decoded as issue = y mod K, i = (y / K) mod c and j' = y / (K c) by
    /// [`Decode::split`]. Otherwise three indices per interaction, i, then j', then the issue.
    /// Either way j = j' + (j' >= i).
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn opinion(&mut self, rng: &mut impl Rng) {
        let (confidence, convergence) = (self.model.confidence, self.model.convergence);
        // One interaction of the pair of opinions at `a` and `b`. Branch-free: a pair out of
        // confidence moves by exactly 0.0, which leaves every opinion's bits as they were
        // (opinions are never -0.0), and the unpredictable branch cost more than two stores.
        let pair = |o: &mut [f64], a: usize, b: usize| {
            debug_assert!(a < o.len() && b < o.len() && a != b);
            // SAFETY: a and b are issue c + i and issue c + j with issue < K and i, j < c
            // (Decode::split's digits, or index() below), and o holds c K opinions; the
            // debug assertion above checks it in every test build.
            let (oa, ob) = unsafe { (*o.get_unchecked(a), *o.get_unchecked(b)) };
            let d = ob - oa;
            let step = if d.abs() < confidence {
                convergence * d
            } else {
                0.0
            };
            unsafe {
                *o.get_unchecked_mut(a) = oa + step;
                *o.get_unchecked_mut(b) = ob - step;
            }
        };
        let k = self.k;
        for g in 0..self.governments.len() {
            let c = self.governments[g].citizens;
            let n = (self.model.interactions * c as f64).round() as u64;
            let o = &mut self.opinions[g];
            debug_assert_eq!(o.len(), c * k);
            if let Some(decode) = Decode::new(c, k) {
                interact(o, decode, n, &mut self.scratch.words, &pair, rng);
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

/// How one 32-bit word names an interaction of a government of c citizens and K issues:
/// the issue, citizen i and the other citizen j', uniformly over the c (c - 1) K choices
/// (which must fit in 32 bits).
#[derive(Clone, Copy, Debug)]
struct Decode {
    c: u32,
    k: u32,
    /// Lemire's rejection zone: a word whose `low` is below it is drawn again.
    threshold: u32,
}

impl Decode {
    /// The decoder of c citizens and k issues, or `None` when c (c - 1) K does not fit in
    /// 32 bits (or there is no pair).
    fn new(c: usize, k: usize) -> Option<Decode> {
        let combos = u32::try_from(c as u64 * (c as u64).checked_sub(1)? * k as u64).ok()?;
        (combos > 0).then(|| Decode {
            c: c as u32,
            k: k as u32,
            threshold: combos.wrapping_neg() % combos,
        })
    }

    /// (issue, i, j', low) of word w, with three multiplications and no division.
    ///
    /// Lemire's method maps w to y = floor(w N / 2^32), N = (c - 1) c K, exactly uniform over
    /// 0..N once the words whose w N mod 2^32 (`low`) falls below 2^32 mod N are rejected.
    /// Its digits in the mixed radix (c - 1, c, K), y = (j' c + i) K + issue, come from the
    /// same product taken a factor at a time: j' = floor(w (c - 1) / 2^32) and, with
    /// f1 = w (c - 1) mod 2^32, the rest of y is floor(f1 c K / 2^32); so i = floor(f1 c /
    /// 2^32), and with f2 = f1 c mod 2^32, issue = floor(f2 K / 2^32). The last product's low
    /// 32 bits equal w N mod 2^32, Lemire's test. (For real x >= 0 and a whole R > 0,
    /// floor(floor(x) / R) = floor(x / R), which is each step.)
    #[inline(always)]
    fn split(self, w: u32) -> (u32, u32, u32, u32) {
        let m1 = u64::from(w) * u64::from(self.c - 1);
        let m2 = u64::from(m1 as u32) * u64::from(self.c);
        let m3 = u64::from(m2 as u32) * u64::from(self.k);
        (
            (m3 >> 32) as u32,
            (m2 >> 32) as u32,
            (m1 >> 32) as u32,
            m3 as u32,
        )
    }

    /// The positions in the opinions (issue-major) of citizen i's and citizen j's view on the
    /// issue of word w, or `None` for a word in the rejection zone.
    #[inline(always)]
    fn positions(self, w: u32) -> Option<(usize, usize)> {
        let (issue, i, other, low) = self.split(w);
        if low < self.threshold {
            return None;
        }
        let j = other + u32::from(other >= i);
        let base = issue as usize * self.c as usize;
        Some((base + i as usize, base + j as usize))
    }
}

/// `n` interactions, each from one word, the words drawn in batches of [`BATCH`] (the
/// opinions passed as an argument, not captured, keeps the hottest loop of a run in
/// registers).
#[inline(always)]
fn interact(
    o: &mut [f64],
    decode: Decode,
    n: u64,
    words: &mut [u32; BATCH],
    pair: &impl Fn(&mut [f64], usize, usize),
    rng: &mut impl Rng,
) {
    let mut left = n;
    while left > 0 {
        let take = (left as usize).min(BATCH);
        rng.fill(&mut words[..take]);
        for &w in &words[..take] {
            let (a, b) = match decode.positions(w) {
                Some(ab) => ab,
                None => loop {
                    if let Some(ab) = decode.positions(rng.next_u32()) {
                        break ab;
                    }
                },
            };
            pair(o, a, b);
        }
        left -= take as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::Decode;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// What `split` must equal: Lemire's y = floor(w N / 2^32) and its digits by division,
    /// issue = y mod K, i = (y / K) mod c, j' = y / (K c).
    fn by_division(c: u64, k: u64, w: u32) -> (u32, u32, u32, u32) {
        let n = k * c * (c - 1);
        let m = u64::from(w) * n;
        let y = m >> 32;
        (
            (y % k) as u32,
            (y / k % c) as u32,
            (y / (k * c)) as u32,
            m as u32,
        )
    }

    #[test]
    fn a_word_splits_into_the_digits_of_lemires_index() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (c, k) in [
            (2, 1),
            (2, 5),
            (3, 1),
            (7, 3),
            (1000, 5),
            (1000, 1),
            (65_536, 1),
        ] {
            let d = Decode::new(c, k).expect("fits in 32 bits");
            let edges = [0, 1, 2, u32::MAX / 2, u32::MAX - 1, u32::MAX];
            let random = (0..20_000).map(|_| rng.random::<u32>());
            for w in edges.into_iter().chain(random) {
                assert_eq!(
                    d.split(w),
                    by_division(c as u64, k as u64, w),
                    "c {c} k {k} w {w}"
                );
            }
        }
    }

    #[test]
    fn every_choice_is_named_by_equally_many_accepted_words() {
        // The words naming choice y are those with w N in [y 2^32, (y + 1) 2^32); Lemire's
        // zone rejects those whose w N mod 2^32 is below 2^32 mod N (at most one per choice,
        // as 2^32 mod N < N), which leaves floor(2^32 / N) for every choice.
        for (c, k) in [(2u64, 1u64), (3, 2), (7, 3), (1000, 5)] {
            let d = Decode::new(c as usize, k as usize).expect("fits");
            let n = k * c * (c - 1);
            for y in (0..n).step_by((n / 500).max(1) as usize) {
                let (first, last) = ((y << 32).div_ceil(n), ((y + 1) << 32).div_ceil(n));
                let rejected = (first..last)
                    .take_while(|&w| w * n < (y << 32) + u64::from(d.threshold))
                    .inspect(|&w| assert!(d.positions(w as u32).is_none()))
                    .count() as u64;
                assert!(d.positions((last - 1) as u32).is_some());
                assert_eq!(
                    last - first - rejected,
                    (1u64 << 32) / n,
                    "c {c} k {k} y {y}"
                );
                let (issue, i, other, _) = d.split((last - 1) as u32);
                let digits = (u64::from(other) * c + u64::from(i)) * k + u64::from(issue);
                assert_eq!(digits, y, "c {c} k {k}");
            }
        }
    }

    #[test]
    fn too_many_choices_have_no_decoder() {
        assert!(Decode::new(65_537, 1).is_none());
        assert!(Decode::new(1, 5).is_none());
        assert!(Decode::new(0, 5).is_none());
        assert!(Decode::new(30_000, 5).is_none());
    }
}
