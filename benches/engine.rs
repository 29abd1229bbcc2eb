//! Benchmarks of the engine on scenarios/bench/reference.toml: 5 issues (one antitrust),
//! 24 governments of 1000 citizens, 10 firms, 12 NGOs, 40 rounds, every phase.
//!
//! - `reference/one run`: one run, the unit everything else is made of;
//! - `reference/draws only`: the same number and kinds of random draws as that run, with no
//!   model: the floor a run cannot go below;
//! - `reference/draws and pair touches`: those draws, each 32-bit word also reading and
//!   writing a random pair of one government's 5000 opinions: the floor of any rule that
//!   moves a random pair per word;
//! - `phase/<name>`: each phase of the schedule alone, on the state of a reference run after
//!   20 of its 40 rounds, so a regression shows which phase it is in;
//! - `experiment/jobs=1`, `experiment/jobs=2`: 64 runs through the experiment loop (rayon
//!   pool, collection in run order), reported as runs per second.
//!
//! Run with `cargo bench --bench engine`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use netstates::model::World;
use netstates::run;
use netstates::run::{Plan, Pool, execute, streams};
use netstates::scenario::{self, Scenario};

const SEED: u64 = 20221109;

fn reference() -> Scenario {
    scenario::load(Path::new("scenarios/bench/reference.toml"))
        .expect("the reference scenario loads")
}

fn one_run(c: &mut Criterion) {
    let s = reference();
    let draws = run::count_draws(&s, SEED, 0);
    eprintln!(
        "a run of the reference draws {} 32-bit and {} 64-bit words",
        draws.words32, draws.words64
    );
    let mut group = c.benchmark_group("reference");
    group.sample_size(30);
    let mut out = Vec::new();
    group.bench_function("one run", |b| {
        b.iter(|| {
            run::run_into(black_box(&s), SEED, 0, &mut out).expect("finite metrics");
            black_box(&out);
        })
    });
    group.bench_function("draws only", |b| {
        b.iter(|| black_box(run::draw_only(SEED, 0, black_box(draws))))
    });
    // One government's opinions: 1000 citizens x 5 issues.
    let mut opinions: Vec<f64> = (0..5000).map(|i| f64::from(i) / 5000.0).collect();
    group.bench_function("draws and pair touches", |b| {
        b.iter(|| {
            black_box(run::draw_and_touch(
                SEED,
                0,
                black_box(draws),
                &mut opinions,
            ))
        })
    });
    group.finish();
}

fn phases(c: &mut Criterion) {
    let s = reference();
    let mut rng = streams::run(SEED, 0);
    let mut world = World::new(&s, &mut rng);
    for _ in 0..s.rounds / 2 {
        world.play_round(&mut rng);
    }
    world.start_round();
    let mut group = c.benchmark_group("phase");
    group.sample_size(20);
    for &phase in &s.model.schedule {
        group.bench_function(format!("{phase:?}").to_lowercase(), |b| {
            b.iter_batched_ref(
                || (world.clone(), rng.clone()),
                |(w, r)| w.run_phase(phase, r),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn experiment(c: &mut Criterion) {
    let s = reference();
    let runs = 64;
    let mut group = c.benchmark_group("experiment");
    group.sample_size(10);
    group.throughput(Throughput::Elements(runs));
    for jobs in [1, 2] {
        let pool = Pool::new(jobs).expect("threads start");
        group.bench_function(format!("jobs={jobs}"), |b| {
            b.iter(|| {
                let plan = Plan {
                    scenario: &s,
                    seed: SEED,
                    runs: 0..runs,
                    trajectory: None,
                };
                let stop = AtomicBool::new(false);
                let mut sum = 0.0;
                execute(&plan, &pool, &stop, |block| {
                    sum += block.values[0];
                    Ok(())
                })
                .expect("runs finish");
                black_box(sum)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, one_run, phases, experiment);
criterion_main!(benches);
