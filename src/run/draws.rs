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
}
