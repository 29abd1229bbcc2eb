//! Benchmarks of the engine on scenarios/bench/reference.toml: 5 issues (one antitrust),
//! 24 governments of 1000 citizens, 10 firms, 12 NGOs, 40 rounds, every phase.
//!
//! Run with `cargo bench --bench engine`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use netstates::engine;
use netstates::scenario;

fn one_run(c: &mut Criterion) {
    let s = scenario::load(Path::new("scenarios/bench/reference.toml"))
        .expect("the reference scenario loads");
    let mut out = Vec::new();
    let mut run = 0u64;
    c.bench_function("reference: one run", |b| {
        b.iter(|| {
            run += 1;
            engine::run_into(black_box(&s), 20221109, run, &mut out).expect("finite metrics");
            black_box(&out);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = one_run
}
criterion_main!(benches);
