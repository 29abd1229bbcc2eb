//! Every random stream netstates draws from, handed out in one place (the reproducibility
//! contract): run `i` of an experiment with seed `S` is the ChaCha8 stream
//! `ChaCha8Rng::seed_from_u64(S)` with `set_stream(i)`; the analyses that need randomness of
//! their own (a design's sampling, a bootstrap, the trees of feature scoring) each draw from a
//! named stream reserved at the top of the stream space, which no run can reach (an experiment
//! has at most 10^9 runs). Nothing else in netstates constructs a random number generator.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The random stream of run `run` of an experiment with seed `seed`.
pub fn run(seed: u64, run: u64) -> ChaCha8Rng {
    stream(seed, run)
}

/// A stream reserved for one analysis, never a run's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    /// The points of a sampled design: a Latin hypercube, Saltelli's scrambled Sobol sequence,
    /// Morris trajectories.
    Design,
    /// The bootstrap resamples of a sensitivity analysis.
    SensitivityBootstrap,
    /// The bootstrap resamples of a comparison's intervals of differences.
    CompareBootstrap,
    /// The random trees of feature scoring.
    FeatureScoring,
}

impl Reserved {
    /// Every reserved stream, in the order of their numbers.
    pub const ALL: [Reserved; 4] = [
        Reserved::Design,
        Reserved::SensitivityBootstrap,
        Reserved::CompareBootstrap,
        Reserved::FeatureScoring,
    ];

    /// The stream number: counted down from `u64::MAX`.
    pub const fn number(self) -> u64 {
        match self {
            Reserved::Design => u64::MAX,
            Reserved::SensitivityBootstrap => u64::MAX - 1,
            Reserved::CompareBootstrap => u64::MAX - 2,
            Reserved::FeatureScoring => u64::MAX - 3,
        }
    }

    /// What the stream is for, as the reproducibility contract lists it.
    pub const fn name(self) -> &'static str {
        match self {
            Reserved::Design => "design",
            Reserved::SensitivityBootstrap => "sensitivity bootstrap",
            Reserved::CompareBootstrap => "compare bootstrap",
            Reserved::FeatureScoring => "feature scoring",
        }
    }
}

/// The reserved stream `which` of the experiment's seed.
pub fn reserved(seed: u64, which: Reserved) -> ChaCha8Rng {
    stream(seed, which.number())
}

/// Part `part` of the reserved stream `which`: the stream from word `part x 2^64` on, so that
/// independent pieces of one analysis (the outcomes of feature scoring) each draw their own
/// numbers, in any order, on any thread.
pub fn reserved_part(seed: u64, which: Reserved, part: u64) -> ChaCha8Rng {
    let mut rng = reserved(seed, which);
    rng.set_word_pos(u128::from(part) << 64);
    rng
}

fn stream(seed: u64, number: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(number);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn reserved_streams_are_apart_from_runs_and_each_other() {
        let mut firsts: Vec<u64> = Reserved::ALL
            .iter()
            .map(|&r| reserved(7, r).next_u64())
            .collect();
        firsts.push(run(7, 0).next_u64());
        firsts.push(run(7, 999_999_999).next_u64());
        let mut unique = firsts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), firsts.len());
        for r in Reserved::ALL {
            assert!(r.number() > 1_000_000_000, "{}", r.name());
        }
    }

    #[test]
    fn a_run_stream_is_seed_then_stream() {
        let mut a = ChaCha8Rng::seed_from_u64(11);
        a.set_stream(5);
        assert_eq!(run(11, 5).next_u64(), a.next_u64());
    }
}
