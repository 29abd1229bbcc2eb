#!/usr/bin/env bash
# The per-phase profile of the reference scenario in instruction counts: runs a few runs of
# scenarios/bench/reference.toml under valgrind's callgrind (one job) and prints, per phase
# function, its inclusive instructions and their share of the whole program. Instruction counts
# repeat to the instruction from run to run, unlike timings, so two profiles can be compared
# across commits. Phases include what they call (the opinion phase its ChaCha blocks); the
# `(chacha)` line is every block generated, and `program` also counts loading the scenario
# and writing the results. Not run by CI; needs valgrind (`apt-get install valgrind`).
#
#   scripts/profile-phases.sh [RUNS]     # default 4 runs
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-4}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --locked --quiet
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    target/release/netstates run scenarios/bench/reference.toml \
    --runs "$runs" --jobs 1 --quiet --out "$work/results" >/dev/null 2>"$work/valgrind.log"

callgrind_annotate --inclusive=yes "$work/callgrind.out" 2>/dev/null | awk -v runs="$runs" '
    /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
    # Phase functions are `model::<file>::<impl ..World>::<phase>`; their frames are never
    # inlined (#[inline(never)]), so each has a line of its own.
    /netstates::model::[a-z_]+::<impl netstates::model::World>::[a-z_]+( |$)/ {
        gsub(",", "", $1)
        name = $0
        sub(/.*World>::/, "", name); sub(/ .*/, "", name); sub(/[ (].*/, "", name)
        if (name !~ /^(events|opinion|campaigns|lobbying|coregulation|decision|compliance|market|diffusion|trust|metrics_into)$/) next
        if (!(name in seen)) { seen[name] = 1; order[++n] = name; count[name] = $1 }
    }
    /rand_chacha::guts::refill_wide / && !chacha { gsub(",", "", $1); chacha = $1 }
    END {
        printf "%-14s %16s %12s %8s\n", "phase", "instructions", "per run", "share"
        for (i = 1; i <= n; i++) {
            x = order[i]
            printf "%-14s %16d %12d %7.1f%%\n", x, count[x], count[x] / runs, 100 * count[x] / total
        }
        printf "%-14s %16d %12d %7.1f%%\n", "(chacha)", chacha, chacha / runs, 100 * chacha / total
        printf "%-14s %16d %12d %7.1f%%\n", "program", total, total / runs, 100
    }'
