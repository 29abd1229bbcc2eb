//! The floor of a run's cost: how many words a run draws from its stream, and a loop that
//! draws just those words with no model around them (for the benchmarks).

use rand::{Rng, RngCore};

use super::streams;
use crate::model::World;
use crate::scenario::Scenario;

/// How many words a run takes from its random stream: 32-bit words (uniform indices) and
/// 64-bit words (uniform floats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Draws {
    pub words32: u64,
    pub words64: u64,
}

/// A stream that counts what is drawn from it.
struct Counting<R> {
    inner: R,
    draws: Draws,
}

impl<R: RngCore> RngCore for Counting<R> {
    fn next_u32(&mut self) -> u32 {
        self.draws.words32 += 1;
        self.inner.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.draws.words64 += 1;
        self.inner.next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.draws.words32 += dest.len().div_ceil(4) as u64;
        self.inner.fill_bytes(dest);
    }
}

/// Plays a run and counts its draws (for the benchmark's floor: what the random numbers of
/// a run cost without the model).
pub fn count_draws(s: &Scenario, seed: u64, run: u64) -> Draws {
    let mut rng = Counting {
        inner: streams::run(seed, run),
        draws: Draws::default(),
    };
    let mut world = World::new(s, &mut rng);
    for _ in 0..s.rounds {
        world.play_round(&mut rng);
    }
    rng.draws
}

/// Draws `draws` from run `run`'s stream and nothing else: the floor of a run's cost. Returns
/// a value that depends on every draw, so none can be optimised away.
pub fn draw_only(seed: u64, run: u64, draws: Draws) -> f64 {
    let mut rng = streams::run(seed, run);
    let mut bits = 0u32;
    for _ in 0..draws.words32 {
        bits ^= rng.next_u32();
    }
    let mut sum = 0.0;
    for _ in 0..draws.words64 {
        sum += rng.random::<f64>();
    }
    sum + f64::from(bits)
}

/// The floor with the least memory work a 32-bit word can stand for: `draw_only`'s words,
/// each one also read-modify-writing a random pair of `cells` values (as an opinion
/// interaction reads and writes two opinions of a government), in `opinions`, whose length
/// is `cells` and whose values change. Not the model: no confidence test, no decoding; what
/// any rule with one random pair per word cannot avoid.
pub fn draw_and_touch(seed: u64, run: u64, draws: Draws, opinions: &mut [f64]) -> f64 {
    let cells = opinions.len() as u64;
    assert!(cells >= 2, "a pair needs two cells");
    let mut rng = streams::run(seed, run);
    for _ in 0..draws.words32 {
        // Two digits of one word, as the opinion phase takes them (no rejection zone: this
        // is a cost, not a distribution).
        let m = u64::from(rng.next_u32()) * cells;
        let a = (m >> 32) as usize;
        let b = ((u64::from(m as u32) * (cells - 1)) >> 32) as usize;
        let b = b + usize::from(b >= a);
        let d = opinions[b] - opinions[a];
        opinions[a] += 0.25 * d;
        opinions[b] -= 0.25 * d;
    }
    let mut sum = 0.0;
    for _ in 0..draws.words64 {
        sum += rng.random::<f64>();
    }
    sum + opinions[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    #[test]
    fn draws_are_counted_by_kind() {
        let s = load_str(
            "t.toml",
            "[scenario]\nname = \"t\"\nrounds = 3\n[[issue]]\nid = \"a\"\n[[issue]]\nid = \"b\"\n\
             [[government]]\nid = \"g\"\ncitizens = 50\n[model]\nschedule = [\"opinion\"]\n",
        )
        .expect("valid");
        let d = count_draws(&s, 1, 0);
        // 50 citizens x 2 issues of initial opinions are floats; each of 3 rounds x 50
        // interactions draws one index over the 50 x 49 x 2 pairs and issues (more only on a
        // rare rejection).
        assert_eq!(d.words64, 100);
        assert!((150..155).contains(&d.words32), "{d:?}");
        assert!(draw_only(1, 0, d).is_finite());
    }

    #[test]
    fn touches_move_pairs_toward_each_other_and_repeat() {
        let d = Draws {
            words32: 10_000,
            words64: 10,
        };
        let start: Vec<f64> = (0..100).map(|i| f64::from(i) / 100.0).collect();
        let (mut a, mut b) = (start.clone(), start.clone());
        let x = draw_and_touch(3, 1, d, &mut a);
        assert_eq!(x.to_bits(), draw_and_touch(3, 1, d, &mut b).to_bits());
        assert_eq!(a, b);
        let spread = |o: &[f64]| {
            o.iter().fold(0.0f64, |m, v| m.max(*v)) - o.iter().fold(1.0f64, |m, v| m.min(*v))
        };
        assert!(
            spread(&a) < 0.5 * spread(&start),
            "pairs average: {}",
            spread(&a)
        );
        let mean = |o: &[f64]| o.iter().sum::<f64>() / o.len() as f64;
        assert!((mean(&a) - mean(&start)).abs() < 1e-12);
    }
}
