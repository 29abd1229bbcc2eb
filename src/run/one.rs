//! One run: a resolved scenario, an experiment seed and a run index in, the run's metrics out.
//! A run is a pure function of those three: its only randomness is its stream
//! ([`streams::run`]). No I/O, no clock, no shared state.

use super::streams;
use crate::model::World;
use crate::model::metrics;
use crate::scenario::{Phase, Scenario};

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
    let mut rng = streams::run(seed, run);
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
    let mut rng = streams::run(seed, run);
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
    let mut rng = streams::run(seed, run);
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
