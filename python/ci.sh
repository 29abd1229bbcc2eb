#!/usr/bin/env bash
# The Python package's checks, run by CI after `cargo test`: clippy on the bindings, the
# release binary (the tests compare the package's files with its), a virtual environment
# under the cargo target directory with the pinned packages of requirements-ci.txt,
# `pip install ./python` as a user would, and pytest. Prints the time of each step.
# Needs python3 (3.9 or later, with venv), the Rust toolchain, crates.io and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
step() { printf '== python/ci.sh: %s (%d s)\n' "$1" $((SECONDS - start)); }

# One target directory for cargo and for the wheel that maturin builds through pip.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$CARGO_TARGET_DIR/pyenv"
pip=(-q --disable-pip-version-check)

step "clippy on the python crate"
cargo clippy -p netstates-python --all-targets --locked -- -D warnings

step "the release binary"
cargo build --release --locked --bin netstates

step "the virtual environment ($venv)"
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" --version
"$venv/bin/pip" install "${pip[@]}" -r python/requirements-ci.txt

step "pip install ./python"
"$venv/bin/pip" install "${pip[@]}" --force-reinstall --no-deps ./python

step "pytest"
# pytest puts python/tests, not python/, on sys.path: the installed package is tested.
NETSTATES_BIN="$CARGO_TARGET_DIR/release/netstates" PYTHONDONTWRITEBYTECODE=1 \
    "$venv/bin/pytest" -p no:cacheprovider python/tests

step "done"
