#!/usr/bin/env bash
# A long fuzzing run on stable Rust (no nightly toolchain needed): the mutation fuzzers of
# tests/integration/fuzz.rs with many cases, in a release build. Prints, for the scenario
# loader and the resume parser, the cases, how many were accepted, the time and the slowest
# case. Not run by CI (CI runs 2000 cases of each).
#
#   scripts/fuzz.sh [CASES] [SEED]     # default 1000000 cases, seed 20221109
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-1000000}"
seed="${2:-20221109}"
NETSTATES_FUZZ_CASES="$cases" NETSTATES_FUZZ_SEED="$seed" \
    cargo test --release --locked --test integration fuzz:: -- --nocapture --test-threads 1 2>&1 \
    | grep -E '^fuzz |^test |panicked|test result'
