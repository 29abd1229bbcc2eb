//! One run: a resolved scenario, an experiment seed and a run index in, the run's metrics out.
//! A run is a pure function of those three: its only randomness is the ChaCha8 stream
//! `seed_from_u64(seed)` with `set_stream(run)`. No I/O, no clock, no shared state.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::World;
use crate::model::metrics;
use crate::scenario::{Phase, Scenario};

/// The random stream of run `run` of an experiment with seed `seed`.
pub fn stream(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// A metric that came out NaN or infinite.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "run {run}: metric {metric} is {value}; the state first became non-finite in round {round}, phase {phase}"
)]
pub struct NonFinite {
    pub run: u64,
    pub metric: String,
    pub value: f64,
    pub round: u32,
    /// The phase after which the state first held a non-finite number ("metrics" when the
    /// state stayed finite and only a metric's formula overflowed).
    pub phase: String,
}

/// Runs one run and returns its metrics in column order.
pub fn run(s: &Scenario, seed: u64, run: u64) -> Result<Vec<f64>, NonFinite> {
    let mut out = Vec::new();
    run_into(s, seed, run, &mut out)?;
    Ok(out)
}

/// Runs one run, calling `observe(round, metrics)` after every round (for traces), and leaves
/// the final metrics in `out`.
pub fn run_observed(
    s: &Scenario,
    seed: u64,
    run: u64,
    out: &mut Vec<f64>,
    mut observe: impl FnMut(u32, &[f64]),
) -> Result<(), NonFinite> {
    let mut rng = stream(seed, run);
    let mut world = World::new(s, &mut rng);
    let mut trace = Vec::new();
    for _ in 0..s.rounds {
        world.play_round(&mut rng);
        world.metrics_into(&mut trace);
        observe(world.round, &trace);
    }
    world.metrics_into(out);
    if let Some(i) = out.iter().position(|x| !x.is_finite()) {
        return Err(diagnose(s, seed, run, out[i], &metrics::names(s)[i]));
    }
    Ok(())
}

/// Runs one run without per-round observation (the fast path) into `out`.
pub fn run_into(s: &Scenario, seed: u64, run: u64, out: &mut Vec<f64>) -> Result<(), NonFinite> {
    let mut rng = stream(seed, run);
    let mut world = World::new(s, &mut rng);
    for _ in 0..s.rounds {
        world.play_round(&mut rng);
    }
    world.metrics_into(out);
    if let Some(i) = out.iter().position(|x| !x.is_finite()) {
        return Err(diagnose(s, seed, run, out[i], &metrics::names(s)[i]));
    }
    Ok(())
}

/// Replays a run whose metric came out non-finite, checking the state after every phase to
/// name the phase that produced it. The replay is exact because the run is deterministic.
fn diagnose(s: &Scenario, seed: u64, run: u64, value: f64, metric: &str) -> NonFinite {
    let mut rng = stream(seed, run);
    let mut world = World::new(s, &mut rng);
    let found = |round, phase: Phase| NonFinite {
        run,
        metric: metric.to_string(),
        value,
        round,
        phase: phase.name().to_string(),
    };
    for _ in 0..s.rounds {
        world.start_round();
        for &phase in &s.model.schedule {
            world.run_phase(phase, &mut rng);
            if !world.is_finite() {
                return found(world.round, phase);
            }
        }
    }
    NonFinite {
        run,
        metric: metric.to_string(),
        value,
        round: s.rounds,
        phase: "metrics".to_string(),
    }
}

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
        inner: stream(seed, run),
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
    let mut rng = stream(seed, run);
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
        // interactions draws three indices (more only on a rare rejection).
        assert_eq!(d.words64, 100);
        assert!((450..460).contains(&d.words32), "{d:?}");
        assert!(draw_only(1, 0, d).is_finite());
    }
}
