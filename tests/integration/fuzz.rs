//! Fuzzing on stable Rust, without a fuzzing engine: scenario files and `runs.csv.part` files
//! mutated at random (bytes flipped, inserted, deleted, duplicated, spliced from other files,
//! and tokens that TOML and netstates give meaning to) are fed to the scenario loader (and a
//! few rounds of each scenario that loads) and to the resume parser. No case may panic, and
//! none may take more than a bounded time.
//!
//! CI runs `NETSTATES_FUZZ_CASES` cases (default 2000) from a fixed seed
//! (`NETSTATES_FUZZ_SEED`, default 20221109); `scripts/fuzz.sh` runs a million or more in a
//! release build and prints the cases and the time.

#![allow(
    clippy::disallowed_methods,
    reason = "the fuzzer's own clock and random mutations, not the model's"
)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use netstates::run::{Record, Trajectory};
use netstates::store::{runs, trajectories};
use netstates::{run, scenario};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Tokens that mean something to TOML or to a scenario, spliced in whole.
const TOKENS: &[&str] = &[
    "[[",
    "]]",
    "[",
    "]",
    "=",
    "\"",
    "'",
    "{",
    "}",
    ",",
    ".",
    "\n",
    "#",
    "uniform",
    "extends",
    "count",
    "citizens",
    "1e308",
    "-1",
    "nan",
    "inf",
    "0",
    "1e-320",
    "4294967296",
    "100000",
    "10000000",
    "\"*\"",
    "[[government]]\nid = \"g\"\ncitizens = 2\n",
    "[[event]]\nround = 1\n",
    "set = { \"model.opinion.confidence\" = 0.5 }",
    "scandal = { issue = \"privacy\", size = 1 }",
    "market_size = 0.0",
    "*",
    "\u{0}",
    "é",
];

fn cases() -> u64 {
    std::env::var("NETSTATES_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

fn seed() -> u64 {
    std::env::var("NETSTATES_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20221109)
}

/// One to four random mutations of `input`, using `corpus` for splices.
fn mutate(input: &[u8], corpus: &[Vec<u8>], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.random_range(1..=3) {
        let at = rng.random_range(0..=out.len());
        match rng.random_range(0..6) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.random_range(0..8);
            }
            1 => out.insert(at, rng.next_u32() as u8),
            2 if at < out.len() => {
                let end = (at + rng.random_range(1..64)).min(out.len());
                out.drain(at..end);
            }
            3 if at < out.len() => {
                let end = (at + rng.random_range(1..256)).min(out.len());
                let piece = out[at..end].to_vec();
                let to = rng.random_range(0..=out.len());
                out.splice(to..to, piece);
            }
            4 => {
                let other = &corpus[rng.random_range(0..corpus.len())];
                if !other.is_empty() {
                    let from = rng.random_range(0..other.len());
                    let end = (from + rng.random_range(1..512)).min(other.len());
                    out.splice(at..at, other[from..end].iter().copied());
                }
            }
            _ => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
        }
    }
    out
}

/// Every scenario of the library, then every invalid fixture: the valid files are the first
/// `valid` of the corpus.
fn scenario_corpus() -> (Vec<Vec<u8>>, usize) {
    let mut corpus = Vec::new();
    let mut valid = 0;
    for dir in ["scenarios", "scenarios/bench", "tests/fixtures/invalid"] {
        for entry in std::fs::read_dir(dir).expect("a corpus folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                corpus.push(std::fs::read(&path).expect("readable"));
            }
        }
        if dir.starts_with("scenarios") {
            valid = corpus.len();
        }
    }
    (corpus, valid)
}

/// Runs `case` for every mutated input; fails on a panic or a case slower than `limit`.
/// `case` says whether the input was accepted (loaded, parsed), for the count printed. Three
/// inputs in four start from the first `favoured` files of the corpus.
fn fuzz(
    name: &str,
    (corpus, favoured): (&[Vec<u8>], usize),
    limit: Duration,
    case: impl Fn(&[u8]) -> bool,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed());
    let n = cases();
    let clock = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut accepted = 0u64;
    for i in 0..n {
        let from = if rng.random_range(0..4) < 3 {
            rng.random_range(0..favoured.max(1))
        } else {
            rng.random_range(0..corpus.len())
        };
        let input = mutate(&corpus[from], corpus, &mut rng);
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| case(&input)));
        let took = started.elapsed();
        slowest = slowest.max(took);
        accepted += u64::from(matches!(outcome, Ok(true)));
        assert!(
            outcome.is_ok(),
            "{name}: case {i} panicked on input:\n{}",
            String::from_utf8_lossy(&input)
        );
        assert!(
            took < limit,
            "{name}: case {i} took {took:?}:\n{}",
            String::from_utf8_lossy(&input)
        );
    }
    eprintln!(
        "fuzz {name}: {n} cases ({accepted} accepted), seed {}, {:.2} s, slowest case {:.1} ms",
        seed(),
        clock.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1e3
    );
}

#[test]
fn the_scenario_loader_survives_mutated_files() {
    let (corpus, valid) = scenario_corpus();
    // Named as a file of the library, so `extends = "baseline.toml"` finds its parent.
    fuzz(
        "scenario loader",
        (&corpus, valid),
        Duration::from_secs(5),
        |bytes| {
            let Ok(mut s) = scenario::load_bytes("scenarios/fuzz-case.toml", bytes) else {
                return false;
            };
            // Play a little of what loads, where it is small: a run must not panic either (a
            // non-finite metric is an error, not a panic).
            if s.opinion_values() <= 50_000 && s.firms.len() + s.ngos.len() <= 1_000 {
                s.rounds = s.rounds.min(2);
                s.events.retain(|e| e.round <= 2);
                let _ = run::run(&s, 7, 0);
            }
            true
        },
    );
}

#[test]
fn the_resume_parsers_survive_mutated_rows() {
    // The baseline has uncertain parameters: its rows hold inputs before the metrics.
    let s = scenario::load(Path::new("scenarios/baseline.toml")).expect("the baseline loads");
    let columns = runs::Columns::of(&s);
    let trajectory = Trajectory { every: 10 };
    let rounds: Vec<u32> = trajectory.rounds(s.rounds).collect();
    let mut rows = runs::RowWriter::new(Vec::new(), columns.counts.clone());
    let mut traj =
        trajectories::TrajectoryWriter::new(Vec::new(), rounds.clone(), columns.counts.clone());
    let mut record = Record::default();
    for i in 0..4 {
        run::run_record(&s, 3, i, Some(trajectory), &mut record).expect("finite");
        rows.row(i, 3, &record.inputs, &record.metrics)
            .expect("in memory");
        traj.run(i, &record.trajectory).expect("in memory");
    }
    let mut text = columns.header_line().into_bytes();
    text.extend(rows.into_inner().expect("in memory"));
    let mut traj_text = trajectories::header_line(&columns.metrics).into_bytes();
    traj_text.extend(traj.into_inner().expect("in memory"));
    let corpus = vec![text, traj_text];
    fuzz(
        "resume parsers",
        (&corpus, 2),
        Duration::from_secs(1),
        |bytes| {
            let _ = runs::parse(bytes, &columns, 0, 3, false);
            let _ = trajectories::parse(bytes, &columns.metrics, &rounds, 0, false);
            let t = trajectories::parse(bytes, &columns.metrics, &rounds, 0, true).is_ok();
            runs::parse(bytes, &columns, 0, 3, true).is_ok() || t
        },
    );
}
