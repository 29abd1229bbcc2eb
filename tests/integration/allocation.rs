//! Rounds allocate nothing: every buffer a run needs is made by `World::new`. Counted by a
//! global allocator that tallies, per thread, the allocations made while a flag is up (so
//! the other tests running on their threads are not counted).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use netstates::model::World;
use netstates::run::streams;
use netstates::scenario;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn tally() {
    // try_with: a thread being torn down has no thread-locals left, and is not counting.
    let counting = COUNTING.try_with(Cell::get).unwrap_or(false);
    if counting {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; the tally touches only
// thread-local cells, which do not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        tally();
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        tally();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        tally();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations on this thread while `f` runs.
fn allocations_in(f: impl FnOnce()) -> u64 {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn the_counter_sees_an_allocation() {
    let n = allocations_in(|| {
        std::hint::black_box(vec![1u8; 64]);
    });
    assert_eq!(n, 1);
}

#[test]
fn rounds_allocate_nothing() {
    for file in ["scenarios/bench/reference.toml", "scenarios/baseline.toml"] {
        let s = scenario::load(Path::new(file)).expect("the scenario loads");
        let mut rng = streams::run(7, 3);
        let mut world = World::new(&s, &mut rng);
        let mut metrics = Vec::new();
        world.metrics_into(&mut metrics);
        let n = allocations_in(|| {
            for _ in 0..s.rounds {
                world.play_round(&mut rng);
                world.metrics_into(&mut metrics);
            }
        });
        assert_eq!(n, 0, "{file}: {n} allocations in {} rounds", s.rounds);
    }
}
