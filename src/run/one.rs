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

/// Which rounds a trajectory records: round 0 (the state before the first round), every
/// `every`-th round, and always the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Trajectory {
    pub every: u32,
}

impl Trajectory {
    /// Whether round `round` of `rounds` is recorded.
    pub fn records(self, round: u32, rounds: u32) -> bool {
        round.is_multiple_of(self.every.max(1)) || round == rounds
    }

    /// The recorded rounds of a run of `rounds` rounds, in order.
    pub fn rounds(self, rounds: u32) -> impl Iterator<Item = u32> {
        (0..=rounds).filter(move |&r| self.records(r, rounds))
    }

    /// How many rounds a run of `rounds` rounds records.
    pub fn points(self, rounds: u32) -> usize {
        let every = self.every.max(1);
        (rounds / every) as usize + 1 + usize::from(!rounds.is_multiple_of(every))
    }
}

/// What one run gives: the values it drew for its uncertain parameters (in the order of
/// `Scenario::uncertain`), its metrics after the last round, and, when a trajectory is asked
/// for, its metrics at each recorded round, round by round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub inputs: Vec<f64>,
    pub metrics: Vec<f64>,
    pub trajectory: Vec<f64>,
}

/// Runs one run into `record`, recording the metrics at the rounds of `trajectory` if given.
/// The last recorded round is the final metrics, bit for bit: the same state, the same
/// computation.
pub fn run_record(
    s: &Scenario,
    seed: u64,
    run: u64,
    trajectory: Option<Trajectory>,
    record: &mut Record,
) -> Result<(), NonFinite> {
    let mut rng = streams::run(seed, run);
    let mut world = World::new(s, &mut rng);
    record.inputs.clear();
    record.inputs.extend_from_slice(&world.inputs);
    record.trajectory.clear();
    let mut row = Vec::new();
    if let Some(t) = trajectory {
        world.metrics_into(&mut row);
        record.trajectory.extend_from_slice(&row);
        for _ in 0..s.rounds {
            world.play_round(&mut rng);
            if t.records(world.round, s.rounds) {
                world.metrics_into(&mut row);
                record.trajectory.extend_from_slice(&row);
            }
        }
    } else {
        for _ in 0..s.rounds {
            world.play_round(&mut rng);
        }
    }
    world.metrics_into(&mut record.metrics);
    let names = metrics::names(s);
    let width = names.len();
    let bad = record
        .metrics
        .iter()
        .position(|x| !x.is_finite())
        .or_else(|| {
            record
                .trajectory
                .iter()
                .position(|x| !x.is_finite())
                .map(|i| i % width)
        });
    if let Some(i) = bad {
        let value = record.metrics[i];
        return Err(diagnose(s, seed, run, value, &names[i]));
    }
    Ok(())
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
